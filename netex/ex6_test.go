package netex

import (
	"net"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

// The ex6-server tests: the single-threaded multiplexed echo server,
// including the stall on a partial line that the tutorial warns about.

// ex6Stall starts ex6-server with two raw clients, a and b, both accepted;
// a sends half a line, and b's line then gets no echo: the server is
// stuck in a's blocking read-line.
func ex6Stall(t *testing.T) (*Run, *output, int, *mxConn, *mxConn) {
	t.Helper()
	srv, sout, port := startServer(t, "ex6-server")
	a := mxDial(t, port)
	sout.waitFor(t, "^Creating line-echoer for "+a.local+"$")
	b := mxDial(t, port)
	sout.waitFor(t, "^Creating line-echoer for "+b.local+"$")
	a.send(t, "partial")
	b.send(t, "hello\n")
	// Proving that no echo comes needs a bounded wait: nothing happens
	// that could be waited for instead. 300ms is ample for an echo on
	// loopback from a server that is not stuck.
	b.c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := b.c.Read(make([]byte, 64)); n != 0 || !mxIsTimeout(err) {
		t.Fatalf("b read %d bytes, %v; want no echo while a's line is incomplete", n, err)
	}
	return srv, sout, port, a, b
}

// TestEx6ServerStallStop: a stalled server still stops at once, closing
// both clients.
func TestEx6ServerStallStop(t *testing.T) {
	leakCheck(t)
	srv, sout, port, a, b := ex6Stall(t)
	mxStop(t, srv)
	matchLines(t, sout.Lines(), slices.Concat(mxPrologue(port), ex6Accepted(a.local), ex6Accepted(b.local),
		[]string{"Closing a client connection to " + mxHPList(a.local),
			"Closing a client connection to " + mxHPList(b.local), "Server Exited"})...)
	a.expectClosed(t)
	b.expectClosed(t)
}

// TestEx6ServerStallEnds: once a completes its line, the server echoes it
// and then serves b.
func TestEx6ServerStallEnds(t *testing.T) {
	leakCheck(t)
	srv, sout, port, a, b := ex6Stall(t)
	a.send(t, "\n")
	a.expectLine(t, "partial")
	b.expectLine(t, "hello")
	mxStop(t, srv)
	matchLines(t, sout.Lines(), slices.Concat(mxPrologue(port), ex6Accepted(a.local), ex6Accepted(b.local),
		ex6Echoed(a.local, "partial"), ex6Echoed(b.local, "hello"),
		[]string{"Closing a client connection to " + mxHPList(a.local),
			"Closing a client connection to " + mxHPList(b.local), "Server Exited"})...)
}

// TestEx6ServerStopTwoClients: stopping closes every open client, which
// notice at once.
func TestEx6ServerStopTwoClients(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex6-server")
	a, b := mxDial(t, port), mxDial(t, port)
	a.send(t, "one\n")
	a.expectLine(t, "one")
	b.send(t, "two\n")
	b.expectLine(t, "two")
	mxStop(t, srv)
	matchLines(t, sout.Lines(), slices.Concat(mxPrologue(port),
		ex6Accepted(a.local), ex6Accepted(b.local), ex6Echoed(a.local, "one"), ex6Echoed(b.local, "two"),
		[]string{"Closing a client connection to " + mxHPList(a.local),
			"Closing a client connection to " + mxHPList(b.local), "Server Exited"})...)
	a.expectClosed(t)
	b.expectClosed(t)
}

// TestEx6ServerClientEnds: quit and end-of-file each close that client
// only; the server goes on serving.
func TestEx6ServerClientEnds(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex6-server")
	a := mxDial(t, port)
	a.send(t, "quit\n")
	a.expectLine(t, "quit")
	a.expectClosed(t)
	b := mxDial(t, port)
	b.send(t, "bye\n")
	b.expectLine(t, "bye")
	b.c.(*net.TCPConn).CloseWrite()
	sout.waitFor(t, "^Closing connection to "+b.local+"$")
	c := mxDial(t, port)
	c.send(t, "still here\n")
	c.expectLine(t, "still here")
	mxStop(t, srv)
	matchLines(t, sout.Lines(), slices.Concat(mxPrologue(port),
		ex6Accepted(a.local), ex6Echoed(a.local, "quit"), []string{"Client requested quit!", "Closing connection to " + a.local},
		ex6Accepted(b.local), ex6Echoed(b.local, "bye"), []string{"Client went away on a read.", "Closing connection to " + b.local},
		ex6Accepted(c.local), ex6Echoed(c.local, "still here"),
		[]string{"Closing a client connection to " + mxHPList(c.local), "Server Exited"})...)
}

// TestEx6ServerHandlers: while it serves a client, the event base has a
// read handler for the listener and one for the client, and the client's
// goes when it leaves.
func TestEx6ServerHandlers(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex6-server")
	m := regexp.MustCompile(`\[fd=(\d+)\]$`).FindStringSubmatch(sout.Lines()[0])
	if m == nil {
		t.Fatalf("no fd in %q", sout.Lines()[0])
	}
	lfd, _ := strconv.Atoi(m[1])
	a := mxDial(t, port)
	a.send(t, "x\n")
	a.expectLine(t, "x") // the echoer is registered
	h := srv.Handlers()
	if len(h) != 2 || !slices.ContainsFunc(h, func(f FDHandlers) bool { return f.FD == lfd }) ||
		!slices.Equal(h[0].Events, []Event{Read}) || !slices.Equal(h[1].Events, []Event{Read}) {
		t.Fatalf("handlers %+v, want listener fd %d and the client's, both read", h, lfd)
	}
	a.send(t, "quit\n")
	a.expectLine(t, "quit")
	a.expectClosed(t) // closed after its handlers were removed
	if h := srv.Handlers(); len(h) != 1 || h[0].FD != lfd || !slices.Equal(h[0].Events, []Event{Read}) {
		t.Fatalf("handlers %+v, want only listener fd %d", h, lfd)
	}
}

// TestEx6ServerDiesOnFailedEcho: a client that resets its connection
// before the server echoes its line makes the echo fail; the
// disconnector's plain close then retries the flush of that echo, fails
// again, now with EPIPE (the kernel reports the reset once), and that
// hangup escapes dispatch and ends the server (spec §6). The stall makes the order certain: b's line and reset
// both arrive while the server is stuck in a's read.
func TestEx6ServerDiesOnFailedEcho(t *testing.T) {
	leakCheck(t)
	srv, sout, port, a, b := ex6Stall(t)
	b.c.(*net.TCPConn).SetLinger(0)
	b.c.Close()
	a.send(t, "\n")
	a.expectLine(t, "partial")
	res := wait(t, srv)
	if res.Value || res.Err != nil || res.Stopped {
		t.Fatalf("result %+v", res)
	}
	matchLines(t, sout.Lines(), slices.Concat(mxPrologue(port), ex6Accepted(a.local), ex6Accepted(b.local),
		ex6Echoed(a.local, "partial"), []string{"Read " + b.local + ": hello",
			"Client's connection was reset by peer.", "Closing connection to " + b.local,
			"Caught unexpected hangup! Client closed connection on write!",
			"Closing a client connection to " + mxHPList(a.local),
			"Closing a client connection to " + mxHPList(b.local), "Server Exited"})...)
	a.expectClosed(t)
}
