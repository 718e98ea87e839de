package repl

import (
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// procStatusKiB returns a VmXXX field of /proc/self/status in KiB.
func procStatusKiB(t *testing.T, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no %s in /proc/self/status", field)
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

// ex8Peer starts a muted ex8-server, srv, and a raw client c of it.
func ex8Peer(t *testing.T) *stepper {
	s := newStepper(t)
	s.do("run ex8-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("mute srv")
	s.do("connect srv raw --name c")
	return s
}

// TestFloodBoundedMemory floods ex8-server with 64 MiB and checks that
// the process neither allocates nor holds anything near that much: a
// flood sends from one reused buffer.
func TestFloodBoundedMemory(t *testing.T) {
	leakCheck(t)
	s := ex8Peer(t)
	s.since()
	runtime.GC()
	rss0 := procStatusKiB(t, "VmRSS")
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	s.do("flood c 64MiB")
	runtime.ReadMemStats(&m1)
	peak := procStatusKiB(t, "VmHWM")
	wantLines(t, s.since(), `\[c\] Flood: sending 64\.0 MiB without a newline\.`,
		`\[c\] Flood: 16\.0 MiB of 64\.0 MiB sent \(25%\)\.`,
		`\[c\] Flood: 48\.0 MiB of 64\.0 MiB sent \(75%\)\.`,
		`\[c\] Flood: done: 67108864 bytes \(64\.0 MiB\) sent in .*; the peer accepted them all in .*`)
	alloc := float64(m1.TotalAlloc-m0.TotalAlloc) / (1 << 20)
	if alloc > 32 {
		t.Fatalf("the flood allocated %.1f MiB, want < 32", alloc)
	}
	if grew := float64(peak-rss0) / 1024; resetPeak && grew > 48 {
		t.Fatalf("peak resident memory grew %.1f MiB during the flood, want < 48", grew)
	}
	t.Logf("64 MiB flood: %.1f MiB allocated; resident %d KiB before, peak %d KiB (peak reset: %v)", alloc, rss0, peak, resetPeak)
}

// TestFloodStoppedByStop stops a session whose flood is stalled behind
// a paused reader.
func TestFloodStoppedByStop(t *testing.T) {
	leakCheck(t)
	s := ex8Peer(t)
	s.do("pause c")
	s.do("flood c 64MiB --detach")
	s.do("stop c")
	out := s.since()
	wantLines(t, out, `\[c\] Flood: sending 64\.0 MiB without a newline\.`,
		`\[c\] Flood: stopped after \d+ bytes \(.*\) sent in .*; \d+ bytes not yet accepted by the peer\.`,
		`\[c\] stopped`)
	if strings.Contains(out, "Flood: done") {
		t.Fatalf("a flood behind a paused reader finished:\n%s", out)
	}
}

// TestFloodCtrlC interrupts a blocking flood as Ctrl-C does: the flood
// stops, the connection stays.
func TestFloodCtrlC(t *testing.T) {
	leakCheck(t)
	s := ex8Peer(t)
	s.do("pause c")
	s.sh.settle()
	c, err := s.sh.session("c")
	if err != nil {
		t.Fatal(err)
	}
	res := make(chan error, 1)
	go func() { res <- s.sh.Exec("flood c 1GiB") }()
	if err := c.expect(t.Context(), regexp.MustCompile(`^Flood: sending`), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	for !s.sh.Interrupt() {
		runtime.Gosched()
	}
	if err := <-res; !errors.Is(err, errInterrupted) {
		t.Fatalf("flood returned %v, want interrupted", err)
	}
	s.do("resume c")
	s.do("send c bye")
	s.do("expect c 'bye \\(a line of'")
	wantLines(t, s.since(), `\[c\] Flood: stopped after \d+ bytes .*`, `\[c\] Resumed: \d+ bytes were waiting\.`)
}

// BenchmarkFlood compares a 64 MiB flood from a raw peer with a plain Go
// client writing the same bytes from a 64 KiB buffer, both into a Go
// sink on loopback. Run: go test -run '^$' -bench Flood -benchtime 5x ./repl.
func BenchmarkFlood(b *testing.B) {
	const size = 64 << 20
	addr := sink(b)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	var plain, flood time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, floodBuf)
		for sent := 0; sent < size; sent += len(buf) {
			c.Write(buf)
		}
		c.Close()
		plain += time.Since(start)

		sh := newShell(devnull, devnull, false, false)
		start = time.Now()
		for _, cmd := range []string{"connect " + addr + " --name c --detach", "flood c 64MiB", "close c"} {
			if err := sh.Exec(cmd); err != nil {
				b.Fatal(err)
			}
		}
		flood += time.Since(start)
		sh.Close()
	}
	b.ReportMetric(float64(size)*float64(b.N)/(1<<20)/plain.Seconds(), "plain-MiB/s")
	b.ReportMetric(float64(size)*float64(b.N)/(1<<20)/flood.Seconds(), "flood-MiB/s")
	b.ReportMetric(flood.Seconds()/plain.Seconds(), "flood/plain")
}

// sink is a loopback server that reads and discards everything.
func sink(tb testing.TB) string {
	return serveLoopback(tb, func(c net.Conn) { io.Copy(io.Discard, c) })
}
