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
// as a file, beside the baseline Go echo server in the same process. The
// load child is this test binary run again (TestMain routes it to
// benchload.ChildMain); the workloads, rounds and metrics are
// benchload.VsBaseline's. Both servers listen with benchload.Backlog (128), a
// large backlog, the session's set with set backlog.
//
//	go test -run '^$' -bench VsBaseline -benchtime 2s -count 3 ./repl
func BenchmarkVsBaseline(b *testing.B) {
	benchload.VsBaseline(b, mutedSession)
}

// mutedSession runs the example server as a muted session of a shell
// that prints to /dev/null as lines arrive, as the interactive shell
// does, and returns its address. The shell closes when b ends.
func mutedSession(b *testing.B, server string) string {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	sh := newShell(devnull, devnull, true, false)
	b.Cleanup(func() { sh.Close(); devnull.Close() })
	if err := sh.Exec(fmt.Sprintf("set backlog %d", benchload.Backlog)); err != nil {
		b.Fatal(err)
	}
	addr := startServerSession(b, sh, server, server)
	if err := sh.Exec("mute " + server); err != nil {
		b.Fatal(err)
	}
	return addr
}
