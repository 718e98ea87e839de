// Package history owns what ionetsh remembers: the command history that
// persists between interactive shells, and the transcripts of what each
// session printed.
package history
