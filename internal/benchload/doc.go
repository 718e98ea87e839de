// Package benchload holds, for benchmarks only, the load of netex's and
// repl's server benchmarks and their pairing with a baseline.
//
// The load runs in a child process, the test binary run again with the
// task in the environment (see IsChild and ChildMain), so that the
// parent's CPU time (getrusage) and allocations are its servers' alone.
// The child dials its connections to one or more servers, says "ready",
// then runs slices of work on command: "run I N" makes N operations
// (round trips or lines) on the connections to the I-th server, split
// across its clients, and the child answers "done", then "ready" once it
// can take the next slice (a batch's connections are spent by its
// half-close, so it dials new ones first).
//
// Pairs (and VsBaseline, Pairs of issue 9's Goals) interleaves such
// slices between a baseline and a subject server, both running at once
// in the parent (base, subject, subject, base, then the reverse, and so
// on), and reports their ratios. GoEcho is the baseline: a plain
// goroutine-per-connection Go echo server.
package benchload
