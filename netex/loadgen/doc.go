// Package loadgen generates load against an echo or daytime server and
// measures it: the rate of operations, their latency and connect time
// from HDR histograms, stalls, and errors by condition. A corrupted or
// dropped byte is an error, never speed.
//
// It has four modes: echo (ping-pong round trips of fixed-size lines),
// batch (send every line, half-close, read them all back), daytime
// (connect, read the line, close) and connect (connection set-up alone).
// Idle connections can be opened first and held through the run.
//
// The load runs in a child process (see Child and ChildMain), so that it
// shares neither the Go runtime nor the CPU account of the servers it
// measures; the parent's own CPU time during the run is then the
// servers' cost. The package also renders the report: a table per
// target, a chart of rate against client count, and a CSV of the raw
// figures.
package loadgen
