package repl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/netex"
)

// TestRunStopCycles starts and stops every server 200 times in one shell:
// afterwards goroutines and open fds must be back at their baseline, and
// every cycle must have printed its stop.
func TestRunStopCycles(t *testing.T) {
	const cycles = 200
	for _, ex := range netex.Examples() {
		if ex.Role != netex.Server {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			leakCheck(t)
			var out, errs bytes.Buffer
			sh := newShell(&out, &errs, false, false)
			for i := 0; i < cycles; i++ {
				if err := sh.Exec("run " + ex.Name + " --name s --port 0 --bind 127.0.0.1"); err != nil {
					t.Fatalf("cycle %d: run: %v", i, err)
				}
				if err := sh.Exec("stop s"); err != nil {
					t.Fatalf("cycle %d: stop: %v", i, err)
				}
				if err := sh.Exec("forget s"); err != nil {
					t.Fatalf("cycle %d: forget: %v", i, err)
				}
			}
			sh.Close()
			if n := strings.Count(out.String(), "[s] stopped\n"); n != cycles {
				t.Fatalf("%d stops printed, want %d", n, cycles)
			}
		})
	}
}
