package netex

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/benchload"
)

// The benchmarks of issue 9's Goals table. Every server is set beside a
// plain Go goroutine-per-connection echo server (go-net) in the same run,
// listening with the same backlog (benchBacklog). The ported servers print
// their diagnostics to /dev/null opened as a file, so the cost of writing
// them is measured, as it is when ionetsh run prints to a terminal or a
// file.
//
// The load (the clients) runs in a child process, the test binary run
// again (see bench_load_test.go), so that cpu-µs/op, this process's CPU
// time (getrusage) over the measured loop per operation, and allocs/op
// are the server's alone, as bench's own figures are.
//
//	go test -run '^$' -bench 'Echo|Batch' -benchtime 2s ./netex

// benchBacklog is the listen backlog of every server benchmarked: the
// tutorial's 5. The connections are all made before the measured loop.
const benchBacklog = 5

// BenchmarkEcho measures ping-pong round trips of 32-byte lines from 50
// concurrent clients (benchload's load); b.N round trips are split across them.
func BenchmarkEcho(b *testing.B) {
	for _, name := range []string{"go-net", "ex5-server", "ex7-server", "ex8-server"} {
		b.Run(name+"/clients=50", func(b *testing.B) {
			measureLoad(b, benchServer(b, name), "echo", 50, "roundtrips")
		})
	}
}

// BenchmarkBatch measures a batch: 10 clients each send their share of
// b.N 32-byte lines as fast as they can while reading the echoes, then
// half-close and read until the server closes.
func BenchmarkBatch(b *testing.B) {
	for _, name := range []string{"go-net", "ex7-server", "ex8-server"} {
		b.Run(name+"/clients=10", func(b *testing.B) {
			measureLoad(b, benchServer(b, name), "batch", 10, "lines")
		})
	}
}

// idleBacklog is the backlog of BenchmarkIdle's server: with the
// tutorial's 5, accepting 10,000 connections dialled one after another
// takes minutes of SYN retransmissions, the lesson of the backlog.
const idleBacklog = 4096

// BenchmarkIdle measures ex8-server's echo round trips from 50 clients
// with and without 10,000 idle connections held open (C10K), and the
// resident memory each connection costs it (rss-B/conn: the growth of
// this process's VmRSS from before the connections to once the server
// has accepted them all, after a GC, per connection).
func BenchmarkIdle(b *testing.B) {
	for _, idle := range []int{0, 10000} {
		b.Run(fmt.Sprintf("ex8-server/idle=%d/clients=50", idle), func(b *testing.B) {
			r, addr := benchRun(b, "ex8-server", idleBacklog)
			rss0 := residentBytes(b)
			var perConn float64
			measureIdleLoad(b, addr, "echo", 50, "roundtrips", idle, func() {
				deadline := time.Now().Add(time.Minute)
				for r.Conns() < idle+50 && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
				if n := r.Conns(); n < idle+50 {
					b.Fatalf("the server accepted %d connections of %d", n, idle+50)
				}
				perConn = float64(residentBytes(b)-rss0) / float64(idle+50)
			})
			b.ReportMetric(perConn, "rss-B/conn")
		})
	}
}

// residentBytes returns the process's resident set size after a GC that
// returns freed memory to the system.
func residentBytes(b *testing.B) int64 {
	debug.FreeOSMemory()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// benchServer starts the named server (go-net for the baseline) on a
// loopback port for the benchmark and returns its address.
func benchServer(b *testing.B, name string) string {
	if name == "go-net" {
		return startGoEcho(b)
	}
	_, addr := benchRun(b, name, 0)
	return addr
}

// benchRun starts the named example server for the benchmark, with the
// given backlog (0: the tutorial's 5), and returns its Run and address.
func benchRun(b *testing.B, name string, backlog int) (*Run, string) {
	ex, ok := Lookup(name)
	if !ok {
		b.Fatalf("no example %q", name)
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Port: 0, Bind: "127.0.0.1", Out: devnull}
	setBacklog(&cfg, backlog)
	r, err := Start(context.Background(), ex, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Stop(); devnull.Close() })
	<-r.Listening()
	a, ok := r.Addr()
	if !ok {
		b.Fatalf("%s ended without listening: %+v", name, r.Result())
	}
	return r, hostPort(a)
}

// startGoEcho starts the baseline (benchload.GoEcho), listening with
// benchBacklog, and returns its address.
func startGoEcho(b *testing.B) string { return benchload.GoEcho(b, benchBacklog) }
