package repl

import (
	"fmt"
	"os"
	"testing"

	"github.com/ionetsh/ionetsh/internal/benchload"
)

// BenchmarkVsBaseline is netex's BenchmarkVsBaseline inside the shell
// (issue 9: "the same servers, muted, reach the same ratios"): each
// server runs as a muted session of a shell printing to /dev/null opened
// as a file, beside a plain goroutine-per-connection Go echo server (the
// baseline) in the same process, and the load child (this test binary
// run again; TestMain routes it to benchload.ChildMain) alternates
// slices between them (benchload.Pair). Both listen with
// benchload.Backlog (128), a large backlog: the session is started with
// run --backlog 128. The workloads and metrics are netex's: echo is 50
// clients of 32-byte round trips, 5,000 a slice; batch is 10 clients ×
// 100,000 lines and a half-close, one whole batch a slice; b.N counts
// rounds of four slices; cpu-ratio and rate-ratio are medians of the
// rounds' ratios.
//
//	go test -run '^$' -bench VsBaseline -benchtime 2s -count 3 ./repl
func BenchmarkVsBaseline(b *testing.B) {
	for _, c := range benchload.Cases {
		b.Run(c.Name(), func(b *testing.B) {
			base := benchload.GoEcho(b, benchload.Backlog)
			benchload.Pair(b, c, base, mutedSession(b, c.Server))
		})
	}
}

// mutedSession runs the example server as a muted session of a shell
// that prints to /dev/null as lines arrive, as the interactive shell
// does, and returns its address. The shell closes
// when b ends.
func mutedSession(b *testing.B, server string) string {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	sh := newShell(devnull, devnull, true, false)
	b.Cleanup(func() { sh.Close(); devnull.Close() })
	run := fmt.Sprintf("run %s --port 0 --bind 127.0.0.1 --backlog %d", server, benchload.Backlog)
	for _, cmd := range []string{run, "mute " + server} {
		if err := sh.Exec(cmd); err != nil {
			b.Fatalf("%s: %v", cmd, err)
		}
	}
	s, err := sh.session(server)
	if err != nil {
		b.Fatal(err)
	}
	a, ok := s.run.Addr()
	if !ok {
		b.Fatalf("%s is not listening", server)
	}
	return a.String()
}
