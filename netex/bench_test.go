package netex

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The benchmarks of issue 9's Goals table. Every server is set beside a
// plain Go goroutine-per-connection echo server (go-net) in the same run,
// listening with the same backlog (benchBacklog). The ported servers print
// their diagnostics to /dev/null opened as a file, so the cost of writing
// them is measured, as it is when ionetsh run prints to a terminal or a
// file.
//
// The load (the clients) runs in the benchmark's own process, so
// cpu-µs/op, the process's CPU time (getrusage) over the measured loop per
// operation, holds the clients' share too: the same for every server, it
// narrows the ratios between them. allocs/op likewise counts the
// clients' allocations, which are none.
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
			benchEcho(b, benchServer(b, name), 50)
		})
	}
}

// BenchmarkBatch measures a batch: 10 clients each send their share of
// b.N 32-byte lines as fast as they can while reading the echoes, then
// half-close and read until the server closes.
func BenchmarkBatch(b *testing.B) {
	for _, name := range []string{"go-net", "ex7-server", "ex8-server"} {
		b.Run(name+"/clients=10", func(b *testing.B) {
			benchBatch(b, benchServer(b, name), 10)
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

// baselineEcho echoes c's lines until c ends.
func baselineEcho(c net.Conn) {
	defer c.Close()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		w.WriteString(line)
		if w.Flush() != nil {
			return
		}
	}
}

// benchDial makes n connections to addr, closed when the benchmark ends.
func benchDial(b *testing.B, addr string, n int) []*net.TCPConn {
	conns := make([]*net.TCPConn, n)
	for i := range conns {
		c, err := net.DialTimeout("tcp4", addr, testTimeout)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		conns[i] = c.(*net.TCPConn)
	}
	return conns
}

// measure runs the clients' work, each client i doing share(i) of b.N
// operations, and reports the rate as unit per second, the process's CPU
// time per operation and the allocations.
func measure(b *testing.B, clients int, unit string, work func(i, n int) error) {
	errs := make(chan error, clients)
	b.ReportAllocs()
	cpu0 := processCPU(b)
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := range clients {
		n := b.N / clients
		if i < b.N%clients {
			n++
		}
		wg.Go(func() { errs <- work(i, n) })
	}
	wg.Wait()
	b.StopTimer()
	cpu := processCPU(b) - cpu0
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit+"/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchLineFor returns client i's 32-byte line.
func benchLineFor(i int) []byte {
	line := fmt.Appendf(nil, "client %03d %*s\r\n", i, benchLine-len("client 000 \r\n"), "x")
	if len(line) != benchLine {
		panic(fmt.Sprintf("line %q is not %d bytes", line, benchLine))
	}
	return line
}

// benchEcho runs b.N round trips across clients connections to addr: a
// client writes its line and reads it back before the next.
func benchEcho(b *testing.B, addr string, clients int) {
	conns := benchDial(b, addr, clients)
	measure(b, clients, "roundtrips", func(i, n int) error {
		c, line, echo := conns[i], benchLineFor(i), make([]byte, benchLine)
		c.SetDeadline(time.Now().Add(time.Minute))
		for k := range n {
			if _, err := c.Write(line); err != nil {
				return err
			}
			if _, err := io.ReadFull(c, echo); err != nil {
				return fmt.Errorf("client %d, round trip %d: %w", i, k, err)
			}
			if !bytes.Equal(echo, line) {
				return fmt.Errorf("client %d sent %q, got back %q", i, line, echo)
			}
		}
		return nil
	})
}

// benchBatch has each of clients connections send its share of b.N lines
// while reading the echoes, then half-close and read to the end.
func benchBatch(b *testing.B, addr string, clients int) {
	conns := benchDial(b, addr, clients)
	measure(b, clients, "lines", func(i, n int) error {
		c, line := conns[i], benchLineFor(i)
		c.SetDeadline(time.Now().Add(5 * time.Minute))
		werr := make(chan error, 1)
		go func() {
			w := bufio.NewWriterSize(c, 64<<10)
			for range n {
				w.Write(line)
			}
			err := w.Flush()
			if err == nil {
				err = c.CloseWrite()
			}
			werr <- err
		}()
		got, err := io.Copy(io.Discard, c)
		if err == nil && got != int64(n*benchLine) {
			err = fmt.Errorf("client %d got %d bytes back, sent %d", i, got, n*benchLine)
		}
		if e := <-werr; err == nil {
			err = e
		}
		return err
	})
}
