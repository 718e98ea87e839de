package repl

import (
	"net"
	"os"
	"testing"
	"time"
)

// benchConns is how many connections the sockets benchmark holds open.
const benchConns = 1000

// BenchmarkSockets times the sockets command on a shell whose ex7-server
// holds 1,000 open connections (the goal is under 200 ms), with and
// without --all, against sessions on the same shell as a baseline.
//
//	go test -run '^$' -bench BenchmarkSockets -benchtime 20x ./repl
func BenchmarkSockets(b *testing.B) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	sh := newShell(devnull, devnull, false, false)
	defer sh.Close()
	if err := sh.Exec("run ex7-server --port 0 --bind 127.0.0.1"); err != nil {
		b.Fatal(err)
	}
	s, _ := sh.session("ex7-server")
	a, _ := s.run.Addr()
	conns := make([]net.Conn, 0, benchConns)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range benchConns {
		c, err := net.Dial("tcp4", a.String())
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for deadline := time.Now().Add(30 * time.Second); s.run.Conns() < benchConns; {
		if time.Now().After(deadline) {
			b.Fatalf("ex7-server accepted %d of %d connections", s.run.Conns(), benchConns)
		}
		sh.settle()
	}
	for _, cmd := range []string{"sessions", "sockets", "sockets --all"} {
		b.Run(cmd, func(b *testing.B) {
			for b.Loop() {
				if err := sh.Exec(cmd); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
