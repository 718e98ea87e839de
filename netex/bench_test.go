package netex

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// BenchmarkEcho measures echo round trips per second: a client writes a
// line and reads it back. The ported threaded (ex5) and multiplexed (ex8)
// servers are set beside a plain Go goroutine-per-connection server. The
// b.N round trips are split across the clients, which run concurrently.
func BenchmarkEcho(b *testing.B) {
	servers := []struct {
		name  string
		start func(b *testing.B) string
	}{
		{"go-net", startGoEcho},
		{"ex5-server", exampleServer("ex5-server")},
		{"ex8-server", exampleServer("ex8-server")},
	}
	for _, srv := range servers {
		for _, clients := range []int{1, 50} {
			b.Run(fmt.Sprintf("%s/clients=%d", srv.name, clients), func(b *testing.B) {
				benchEcho(b, srv.start(b), clients)
			})
		}
	}
}

// exampleServer returns a starter for a ported example server, which it
// runs on a loopback port with its diagnostics discarded.
func exampleServer(name string) func(b *testing.B) string {
	return func(b *testing.B) string {
		ex, ok := Lookup(name)
		if !ok {
			b.Fatalf("no example %q", name)
		}
		r, err := Start(context.Background(), ex, Config{Port: 0, Bind: "127.0.0.1", Out: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(r.Stop)
		<-r.Listening()
		a, ok := r.Addr()
		if !ok {
			b.Fatalf("%s ended without listening: %+v", name, r.Result())
		}
		return hostPort(a)
	}
}

// startGoEcho starts the baseline: a plain net echo server with one
// goroutine per connection, line by line.
func startGoEcho(b *testing.B) string {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
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

// benchEcho dials clients connections to addr and runs b.N round trips
// across them, reporting round trips per second.
func benchEcho(b *testing.B, addr string, clients int) {
	conns := make([]net.Conn, clients)
	for i := range conns {
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	errs := make(chan error, clients)
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range conns {
		n := b.N / clients
		if i < b.N%clients {
			n++
		}
		wg.Go(func() { errs <- roundTrips(c, i, n) })
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "roundtrips/s")
}

// roundTrips has client i send n lines on c, each read back before the
// next is sent, and checks every echo.
func roundTrips(c net.Conn, i, n int) error {
	r := bufio.NewReader(c)
	for k := range n {
		line := fmt.Sprintf("client %d line %d\r\n", i, k)
		if _, err := io.WriteString(c, line); err != nil {
			return err
		}
		echo, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("client %d, round trip %d: %w", i, k, err)
		}
		if echo != line {
			return fmt.Errorf("client %d sent %q, got back %q", i, line, echo)
		}
	}
	return nil
}
