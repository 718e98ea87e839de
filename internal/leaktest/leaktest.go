// Package leaktest checks, for tests, that a test leaves no goroutine and
// no open file descriptor behind.
package leaktest

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// Check records the goroutine and fd counts now and, when the test ends,
// checks that they came back. Goroutines take a moment to exit after
// signalling that their work is done, so the check polls, up to a
// deadline, instead of looking once.
func Check(t testing.TB) {
	t.Helper()
	g0, f0 := runtime.NumGoroutine(), OpenFDs(t)
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for {
			g, f := runtime.NumGoroutine(), OpenFDs(t)
			if g <= g0 && f <= f0 {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Fatalf("leak: goroutines %d -> %d, fds %d -> %d\n%s", g0, g, f0, f, buf)
			}
			runtime.Gosched()
			time.Sleep(time.Millisecond)
		}
	})
}

// OpenFDs returns how many file descriptors the process has open.
func OpenFDs(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}
