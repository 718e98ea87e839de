package netex

import (
	"slices"
	"testing"

	"github.com/ionetsh/ionetsh/internal/benchload"
)

// BenchmarkVsBaseline measures each row of issue 9's Goals table as a
// ratio against the baseline, a plain goroutine-per-connection Go echo
// server, in the same run: both servers run at once in this process, and
// the load child alternates short slices of work between them
// (benchload.VsBaseline says the workloads, the rounds and the metrics), so
// that a change in the shared machine's load hits both alike. Both
// listen with benchload.Backlog (128), a large backlog; every connection
// is made outside the measured slices. The example servers print their
// diagnostics to /dev/null opened as a file.
//
// Two more rows, echo/floor and batch/floor, pair the floor
// (startFloorEcho: ex7's and ex8's design stripped to its system calls,
// one thread blocking in epoll_wait) with the baseline: what a
// single-threaded epoll server can reach on this machine, a bound for
// ex7's and ex8's rows.
//
// A run of -benchtime 2s holds a single round of batch/ex7-server while
// it is slow; give it more with -benchtime 5x.
//
//	go test -run '^$' -bench VsBaseline -benchtime 2s -count 3 ./netex
func BenchmarkVsBaseline(b *testing.B) {
	cases := append(slices.Clone(benchload.Goals), benchload.Case{Mode: "echo", Server: "floor"}, benchload.Case{Mode: "batch", Server: "floor"})
	benchload.Pairs(b, cases, func(b *testing.B, server string) string {
		if opts, ok := floorNamed(server); ok {
			return startFloorEcho(b, benchload.Backlog, opts)
		}
		_, addr := benchRun(b, server, benchload.Backlog)
		return addr
	}, childArgs...)
}
