package loadgen

import (
	"bufio"
	"context"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/leaktest"
)

// TestMain lets the test binary act as the load generator's child, as
// ionetsh does with its hidden subcommand.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == ChildArg {
		os.Exit(ChildMain(os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// server is a loopback test server: serve runs for each connection.
type server struct {
	ln    net.Listener
	conns atomic.Int64
}

func newServer(t *testing.T, serve func(c net.Conn)) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			go func() { defer c.Close(); serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return s
}

func (s *server) addr() string { return s.ln.Addr().String() }

// echo echoes lines, passing each through change; it half-closes on
// end-of-file, as ex7 and ex8 do.
func echo(change func(n int, line []byte) []byte) func(c net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		for n := 0; ; n++ {
			line, err := br.ReadBytes('\n')
			if err != nil {
				return
			}
			if _, err := c.Write(change(n, line)); err != nil {
				return
			}
		}
	}
}

func same(_ int, line []byte) []byte { return line }

func daytime(c net.Conn) { c.Write([]byte("11/24/2026 20:37:33\n")) }

func config(addr string, m Mode, clients, rounds int) Config {
	return Config{Addr: addr, Mode: m, Clients: clients, Rounds: rounds, Size: 32, Timeout: 5 * time.Second}
}

func TestModesCountEveryOperation(t *testing.T) {
	leaktest.Check(t)
	echoSrv, daySrv := newServer(t, echo(same)), newServer(t, daytime)
	for _, tc := range []struct {
		m      Mode
		addr   string
		rounds int
		ops    int64
	}{
		{Echo, echoSrv.addr(), 50, 150},
		{Batch, echoSrv.addr(), 3000, 9000},
		{Daytime, daySrv.addr(), 20, 60},
		{Connect, echoSrv.addr(), 20, 60},
	} {
		res := Run(context.Background(), config(tc.addr, tc.m, 3, tc.rounds), nil)
		if res.Ops != tc.ops || len(res.Errors) != 0 || res.Interrupted {
			t.Errorf("%s: ops %d errors %v interrupted %v, want %d ops and no errors", tc.m, res.Ops, res.Errors, res.Interrupted, tc.ops)
		}
		if res.Latency.Count == 0 || res.Latency.P50 <= 0 || res.Latency.Max < res.Latency.P99 || res.Connect.Count < 3 {
			t.Errorf("%s: latency %+v connect %+v", tc.m, res.Latency, res.Connect)
		}
	}
}

func TestCorruptedOrDroppedBytesAreErrors(t *testing.T) {
	leaktest.Check(t)
	corrupt := func(n int, line []byte) []byte {
		if n == 5 {
			line = append([]byte(nil), line...)
			line[3] ^= 1
		}
		return line
	}
	drop := func(n int, line []byte) []byte {
		if n == 5 {
			return append(append([]byte(nil), line[:3]...), line[4:]...)
		}
		return line
	}
	for name, change := range map[string]func(int, []byte) []byte{"corrupt": corrupt, "drop": drop} {
		srv := newServer(t, echo(change))
		for _, m := range []Mode{Echo, Batch} {
			res := Run(context.Background(), config(srv.addr(), m, 2, 20), nil)
			if res.Errors[ErrWrongEcho] == 0 || res.Ops >= 40 {
				t.Errorf("%s %s: ops %d errors %v; want wrong echo errors", name, m, res.Ops, res.Errors)
			}
		}
	}
}

func TestRefusedIsCounted(t *testing.T) {
	leaktest.Check(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := Run(context.Background(), config(addr, Echo, 2, 3), nil)
	if res.Ops != 0 || res.Errors[ErrRefused] != 6 {
		t.Fatalf("ops %d errors %v; want 6 refused", res.Ops, res.Errors)
	}
}

func TestIdleConnectionsAreHeld(t *testing.T) {
	leaktest.Check(t)
	srv := newServer(t, echo(same))
	cfg := config(srv.addr(), Echo, 2, 10)
	cfg.Idle = 40
	res := Run(context.Background(), cfg, nil)
	if res.IdleOpened != 40 || res.IdleHeld != 40 || res.Ops != 20 {
		t.Fatalf("idle opened %d held %d ops %d; want 40, 40, 20", res.IdleOpened, res.IdleHeld, res.Ops)
	}
	if n := srv.conns.Load(); n != 42 {
		t.Fatalf("server accepted %d connections, want 42", n)
	}
}

func TestIdleFailuresAreCounted(t *testing.T) {
	leaktest.Check(t)
	// A server that closes every connection at once: no idle connection
	// gets its greeting echoed.
	srv := newServer(t, func(net.Conn) {})
	cfg := config(srv.addr(), Echo, 1, 1)
	cfg.Idle = 5
	res := Run(context.Background(), cfg, nil)
	if res.IdleOpened != 0 || res.IdleErrors[ErrEOF]+res.IdleErrors[ErrReset] != 5 {
		t.Fatalf("idle opened %d, idle errors %v; want 0 and 5 eof or reset", res.IdleOpened, res.IdleErrors)
	}
}
