package netex

import (
	"testing"

	"github.com/ionetsh/ionetsh/internal/benchload"
)

// BenchmarkVsBaseline measures each row of issue 9's Goals table as a
// ratio against the baseline (a plain goroutine-per-connection Go echo
// server) in the same run: both servers run at once, in this process,
// and the load child alternates short slices of work between them
// (benchload.Pair), so that a change in the shared machine's load hits
// both alike. Both listen with benchload.Backlog (128), a large backlog;
// every connection is made outside the measured slices. The example
// servers print their diagnostics to /dev/null opened as a file.
//
// echo is 50 clients of 32-byte ping-pong round trips, 5,000 round
// trips a slice; batch is 10 clients sending 100,000 32-byte lines each,
// then half-closing, one whole batch a slice. b.N is the number of rounds
// of four slices, two on each server, so ns/op is the time of a round;
// cpu-ratio and rate-ratio are the medians of the rounds' ratios.
//
//	go test -run '^$' -bench VsBaseline -benchtime 2s -count 3 ./netex
func BenchmarkVsBaseline(b *testing.B) {
	for _, c := range benchload.Cases {
		b.Run(c.Name(), func(b *testing.B) {
			base := benchload.GoEcho(b, benchload.Backlog)
			_, subject := benchRun(b, c.Server, benchload.Backlog)
			benchload.Pair(b, c, base, subject, childArgs...)
		})
	}
}
