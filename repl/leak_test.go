package repl

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// leakCheck records goroutine and fd counts and checks, when the test
// ends, that they came back. Goroutines take a moment to exit after
// their work is done, so the check polls up to a deadline.
func leakCheck(t testing.TB) {
	t.Helper()
	g0, f0 := runtime.NumGoroutine(), openFDs(t)
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for {
			g, f := runtime.NumGoroutine(), openFDs(t)
			if g <= g0 && f <= f0 {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Fatalf("leak: goroutines %d -> %d, fds %d -> %d\n%s", g0, g, f0, f, buf[:runtime.Stack(buf, true)])
			}
			runtime.Gosched()
			time.Sleep(time.Millisecond)
		}
	})
}

func openFDs(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}
