package netex

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The boundary cases of the spec's section 6, driven with plain Go
// clients; the shell-level recipes are tested in package repl.

// notConnected is the printed SOCKET-NOT-CONNECTED-ERROR.
const notConnected = `#<SOCKET-NOT-CONNECTED-ERROR 107 :ENOTCONN "Transport endpoint is not connected", FD: {N}>`

// startGated runs a server whose first line containing gate is held
// until the gate is released (g.open).
func startGated(t *testing.T, name, gate string) (*Run, *dtGatedOutput, int) {
	t.Helper()
	g := &dtGatedOutput{output: newOutput(), gate: gate, reached: make(chan struct{}), release: make(chan struct{})}
	ex, _ := Lookup(name)
	r, err := Start(context.Background(), ex, Config{Bind: "127.0.0.1", Host: "127.0.0.1", Out: g})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	t.Cleanup(g.open)
	<-r.Listening()
	a, _ := r.Addr()
	return r, g, int(a.Port())
}

// held waits until the server is held at the gate.
func (g *dtGatedOutput) held(t *testing.T) {
	t.Helper()
	select {
	case <-g.reached:
	case <-time.After(testTimeout):
		t.Fatalf("the server never printed %q", g.gate)
	}
}

// open releases the gate; it may be called again.
func (g *dtGatedOutput) open() { g.openOnce.Do(func() { close(g.release) }) }

// dtStartGated runs a server held at its first "Waiting to accept" line
// and returns the function that lets it go on.
func dtStartGated(t *testing.T, name string) (*Run, *output, int, func()) {
	t.Helper()
	r, g, port := startGated(t, name, "Waiting to accept")
	g.held(t)
	return r, g.output, port, g.open
}

// TestResetBeforeAcceptIterative: a client that reset while queued kills
// ex1, ex2 and ex3 where they ask for its name; "Got a connection" is
// never printed.
func TestResetBeforeAcceptIterative(t *testing.T) {
	for _, server := range []string{"ex1-server", "ex2-server", "ex3-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, out, port, release := dtStartGated(t, server)
			dtResetBeforeAccept(t, port)
			release()
			res := wait(t, srv)
			if !errors.Is(res.Err, NotConnected) || res.Value || res.Stopped {
				t.Fatalf("result %+v, want unhandled SOCKET-NOT-CONNECTED-ERROR", res)
			}
			if got := Unhandled(res.Err); !linePattern("Unhandled SOCKET-NOT-CONNECTED-ERROR: " + notConnected).MatchString(got) {
				t.Fatalf("unhandled = %q", got)
			}
			matchLines(t, out.Lines(), append(dtPrologue(port), "Waiting to accept a connection...")...)
		})
	}
}

// TestResetBeforeAcceptThreaded: in ex4 and ex5 only the client's thread
// dies of it, once, and the server goes on serving the next client.
func TestResetBeforeAcceptThreaded(t *testing.T) {
	for _, server := range []string{"ex4-server", "ex5-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, out, port, release := dtStartGated(t, server)
			dtResetBeforeAccept(t, port)
			release()
			thread := strings.ToUpper("process-" + server[:3] + "-client-thread")
			out.waitFor(t, "^Unhandled SOCKET-NOT-CONNECTED-ERROR in ")
			c := thrDial(t, port)
			r := bufio.NewReader(c)
			if server == "ex5-server" {
				io.WriteString(c, "quit\r\n")
			}
			if line, err := r.ReadString('\n'); err != nil || line == "" {
				t.Fatalf("the next client got %q, %v", line, err)
			}
			thrExpectEOF(t, r)
			a := c.LocalAddr().String()
			out.waitFor(t, "^Closing connection to "+regexp.QuoteMeta(a)+"!$")
			thrWaitCount(t, out, "^"+regexp.QuoteMeta(thrWaiting)+"$", 3)
			srv.Stop()
			_, rest := thrSplit(out.Lines())
			if len(rest) < 4 {
				t.Fatalf("lines:\n%s", strings.Join(out.Lines(), "\n"))
			}
			matchLines(t, rest[:4], append(thrPrologue(),
				`Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "`+thread+`" RUNNING {ID}>: `+notConnected)...)
			matchLines(t, rest[4:5], "A thread is handling the connection from "+a+"!")
			if res := srv.Result(); !res.Stopped || res.Err != nil {
				t.Fatalf("server result %+v", res)
			}
		})
	}
}

// TestResetBeforeAcceptMux: ex6, ex7 and ex8 die in their listener
// handler; the cleanup runs and prints first.
func TestResetBeforeAcceptMux(t *testing.T) {
	for _, server := range []string{"ex6-server", "ex7-server", "ex8-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, g, port := startGated(t, server, "Accepted a client from")
			a := thrDial(t, port)
			g.held(t)
			dtResetBeforeAccept(t, port)
			g.open()
			res := wait(t, srv)
			if !errors.Is(res.Err, NotConnected) || res.Value || res.Stopped {
				t.Fatalf("result %+v, want unhandled SOCKET-NOT-CONNECTED-ERROR", res)
			}
			from := a.LocalAddr().(*net.TCPAddr)
			want := append(thrPrologue(), "Accepted a client from "+from.String())
			switch server {
			case "ex6-server":
				want = append(want, "Creating line-echoer for "+from.String(),
					fmt.Sprintf("Closing a client connection to (127.0.0.1 %d)", from.Port), "Server Exited")
			default:
				want = append(want, fmt.Sprintf("Force closing a client connection to (127.0.0.1 %d)", from.Port), "Server Exited.")
			}
			matchLines(t, g.Lines(), want...)
			thrExpectEOF(t, bufio.NewReader(a))
		})
	}
}
