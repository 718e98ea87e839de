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

// TestEx4ResetBeforeTime: a daytime client that resets after ex4's
// thread has its name but before the time is written; the thread
// reports the reset, and its cleanup dies asking for the name again.
func TestEx4ResetBeforeTime(t *testing.T) {
	leakCheck(t)
	srv, g, port := startGated(t, "ex4-server", "A thread is handling")
	c := thrDial(t, port)
	a := c.LocalAddr().String()
	g.held(t)
	c.SetLinger(0)
	c.Close()
	g.open()
	g.waitFor(t, "^Unhandled ")
	thrWaitCount(t, g.output, "^"+regexp.QuoteMeta(thrWaiting)+"$", 2)
	srv.Stop()
	_, rest := thrSplit(g.Lines())
	matchLines(t, rest, append(thrPrologue(),
		"A thread is handling the connection from "+a+"!",
		"Sending the time to "+a+"...Client "+a+" reset the connection!",
		`Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "PROCESS-EX4-CLIENT-THREAD" RUNNING {ID}>: `+notConnected,
		"Destroying any active client threads....")...)
}

// TestEchoBytes: lines are bytes. Every echo server sends back exactly
// the bytes it read, invalid UTF-8 and control bytes included.
func TestEchoBytes(t *testing.T) {
	line := "\xff\xfe h\x00i \xc3\x28 caf\xc3\xa9\x1b[0m"
	for _, server := range []string{"ex5-server", "ex6-server", "ex7-server", "ex8-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, _, port := startServer(t, server)
			c := thrDial(t, port)
			io.WriteString(c, line+"\r\n")
			got, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || got != line+"\r\n" {
				t.Fatalf("echo %q, %v; want %q", got, err, line+"\r\n")
			}
			c.Close()
			srv.Stop()
		})
	}
}
