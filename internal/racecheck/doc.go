// Package racecheck reports whether the race detector is on, so that
// stress tests can scale their load down under -race.
package racecheck
