package netex

import (
	"bufio"
	"context"
	"net"
	"os"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
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

// benchLine is the length of every line sent, CRLF included.
const benchLine = 32

// BenchmarkEcho measures ping-pong round trips of 32-byte lines from 50
// concurrent clients; b.N round trips are split across them.
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

// benchServer starts the named server (go-net for the baseline) on a
// loopback port for the benchmark and returns its address.
func benchServer(b *testing.B, name string) string {
	if name == "go-net" {
		return startGoEcho(b)
	}
	ex, ok := Lookup(name)
	if !ok {
		b.Fatalf("no example %q", name)
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	r, err := Start(context.Background(), ex, Config{Port: 0, Bind: "127.0.0.1", Out: devnull})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Stop(); devnull.Close() })
	<-r.Listening()
	a, ok := r.Addr()
	if !ok {
		b.Fatalf("%s ended without listening: %+v", name, r.Result())
	}
	return hostPort(a)
}

// startGoEcho starts the baseline: a plain net echo server with one
// goroutine per connection, line by line, listening with benchBacklog.
func startGoEcho(b *testing.B) string {
	l := listenBacklog(b, benchBacklog)
	var wg sync.WaitGroup
	b.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { baselineEcho(c) })
		}
	})
	return l.Addr().String()
}

// listenBacklog listens on a loopback port with the given backlog, which
// net.Listen does not let a caller choose.
func listenBacklog(b *testing.B, backlog int) net.Listener {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "listener")
	defer f.Close()
	sa := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	if err := unix.Bind(fd, sa); err != nil {
		b.Fatal(err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		b.Fatal(err)
	}
	l, err := net.FileListener(f)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// baselineEcho echoes c's lines until c ends, flushing whenever it has
// read all that had arrived.
func baselineEcho(c net.Conn) {
	defer c.Close()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	for {
		line, err := r.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			w.Flush()
			return
		}
		w.Write(line)
		if r.Buffered() == 0 && w.Flush() != nil {
			return
		}
	}
}
