package toxproxy

import (
	"fmt"
	"github.com/ionetsh/ionetsh/internal/linetest"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/leaktest"
)

// rig is a proxy between a test client and a test target, all on
// loopback, with the proxy's log lines collected.
type rig struct {
	t      *testing.T
	p      *Proxy
	addr   string        // the proxy's address
	accept chan net.Conn // the target's side of each connection

	log *linetest.Recorder // the proxy's log lines

	mu    sync.Mutex
	conns []net.Conn // the target's sides, closed at the end
}

// newRig starts a target and a proxy to it; setup, if not nil, runs on
// the proxy before it serves. Everything is closed, and checked for
// leaks, when the test ends.
func newRig(t *testing.T, setup func(p *Proxy)) *rig {
	t.Helper()
	leaktest.Check(t)
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, accept: make(chan net.Conn, 8), log: linetest.New()}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			c, err := target.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			r.conns = append(r.conns, c)
			r.mu.Unlock()
			r.accept <- c
		}
	}()
	r.p = New(target.Addr().String(), r.logf)
	if setup != nil {
		setup(r.p)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go func() { defer wg.Done(); r.p.Serve(ln) }()
	t.Cleanup(func() {
		r.p.Close()
		target.Close()
		wg.Wait()
		if n := r.p.busy.Load(); n != 0 {
			t.Errorf("the proxy still holds %d after it closed", n)
		}
		for _, c := range r.conns {
			c.Close()
		}
	})
	return r
}

func (r *rig) logf(format string, args ...any) {
	r.log.Add(strings.TrimSuffix(fmt.Sprintf(format, args...), "\n"))
}

// waitLog waits until the proxy has logged a line matching re.
func (r *rig) waitLog(re string) string {
	r.t.Helper()
	i := r.log.WaitCount(r.t, re, 1, 5*time.Second)
	return r.log.Lines()[i]
}

// dial connects a client through the proxy and returns it with the
// target's side of the connection.
func (r *rig) dial() (*net.TCPConn, net.Conn) {
	r.t.Helper()
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	select {
	case s := <-r.accept:
		s.SetDeadline(time.Now().Add(10 * time.Second))
		r.waitLog(`^#\d+ accepted from`)
		return c.(*net.TCPConn), s
	case <-time.After(5 * time.Second):
		r.t.Fatal("the target accepted no connection")
		return nil, nil
	}
}

func (r *rig) add(tx Toxic) {
	r.t.Helper()
	if err := r.p.Add(tx); err != nil {
		r.t.Fatal(err)
	}
}

func mustWrite(t *testing.T, c net.Conn, p []byte) {
	t.Helper()
	if _, err := c.Write(p); err != nil {
		t.Fatal(err)
	}
}
