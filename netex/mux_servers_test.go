package netex

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// muxDial connects a plain TCP client to a server on port; its I/O is
// bounded by testTimeout and it is closed when the test ends.
func muxDial(t *testing.T, port int) (*net.TCPConn, *bufio.Reader, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(port), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn), bufio.NewReader(c), c.LocalAddr().String()
}

// muxEcho sends line with CRLF and checks that it comes back so.
func muxEcho(t *testing.T, c net.Conn, r *bufio.Reader, line string) {
	t.Helper()
	if _, err := io.WriteString(c, line+"\r\n"); err != nil {
		t.Fatal(err)
	}
	if got, err := r.ReadString('\n'); err != nil || got != line+"\r\n" {
		t.Fatalf("echo of %q = %q, %v", line, got, err)
	}
}

// muxExpectEOF checks that the server has closed r's connection.
func muxExpectEOF(t *testing.T, r *bufio.Reader) {
	t.Helper()
	if b, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("read %q, %v; want EOF", b, err)
	}
}

// muxExchange is what a server prints for one echoed line from who.
func muxExchange(server, who, line string) []string {
	if server == "ex7-server" {
		return []string{"Read from " + who + ": " + line, "Wrote to " + who + ": " + line}
	}
	n := len(line) + 2
	return []string{fmt.Sprintf("Read %d bytes from %s", n, who), fmt.Sprintf("Wrote %d bytes to %s", n, who)}
}

// muxPrologue is the pattern of a server's first lines on loopback.
func muxPrologue() []string {
	return []string{
		"Created socket: #<passive IPv4 stream socket, unbound {ID}>[fd={N}]",
		"Bound socket: #<passive IPv4 stream socket bound to 127.0.0.1/{N} {ID}>",
		"Listening on socket bound to: 127.0.0.1:{N}",
	}
}

// muxEachServer runs f as a subtest for ex7-server and for ex8-server.
func muxEachServer(t *testing.T, f func(t *testing.T, server string)) {
	for _, s := range []string{"ex7-server", "ex8-server"} {
		t.Run(s, func(t *testing.T) { f(t, s) })
	}
}

func TestMuxServersWire(t *testing.T) {
	muxEachServer(t, func(t *testing.T, server string) {
		leakCheck(t)
		srv, sout, port := startServer(t, server)
		c, r, who := muxDial(t, port)
		want := append(muxPrologue(), "Accepted a client from "+who)
		for _, l := range []string{"hello", "", "a line with spaces"} {
			muxEcho(t, c, r, l)
			want = append(want, muxExchange(server, who, l)...)
		}
		c.CloseWrite()
		muxExpectEOF(t, r)
		sout.waitFor(t, "^Closing connection to "+regexp.QuoteMeta(who)+"$")
		srv.Stop()
		want = append(want, "Client "+who+" produced end-of-file on a read.", "Closing connection to "+who, "Server Exited.")
		matchLines(t, sout.Lines(), want...)
		if res := srv.Result(); !res.Stopped || res.Value || res.Err != nil {
			t.Fatalf("server result %+v", res)
		}
	})
}

func TestEx7ServerBareLF(t *testing.T) {
	leakCheck(t)
	_, _, port := startServer(t, "ex7-server")
	c, r, _ := muxDial(t, port)
	io.WriteString(c, "one\ntwo\r\nthree")
	c.CloseWrite()
	for _, want := range []string{"one\r\n", "two\r\n", "three\r\n"} {
		if got, err := r.ReadString('\n'); err != nil || got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	muxExpectEOF(t, r)
}

func TestMuxServersHalfClose(t *testing.T) {
	muxEachServer(t, func(t *testing.T, server string) {
		leakCheck(t)
		_, sout, port := startServer(t, server)
		c, r, who := muxDial(t, port)
		const n = 300
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "half-close line %d\r\n", i)
		}
		io.WriteString(c, b.String())
		c.CloseWrite()
		got, err := io.ReadAll(r)
		if err != nil || string(got) != b.String() {
			t.Fatalf("got %d bytes (%v), want the %d lines sent", len(got), err, n)
		}
		sout.waitFor(t, "^Closing connection to "+regexp.QuoteMeta(who)+"$")
		lines := sout.Lines()
		eof := slices.Index(lines, "Client "+who+" produced end-of-file on a read.")
		if eof < 0 || lines[len(lines)-1] != "Closing connection to "+who {
			t.Fatalf("no end-of-file then close:\n%s", strings.Join(lines, "\n"))
		}
	})
}

func TestEx5bClientBatchThroughMuxServers(t *testing.T) {
	muxEachServer(t, func(t *testing.T, server string) {
		leakCheck(t)
		_, sout, port := startServer(t, server)
		const n = 1000
		batch := make([]string, n)
		for i := range batch {
			batch[i] = fmt.Sprintf("batch line %04d", i)
		}
		cli, cout := start(t, "ex5b-client", Config{Port: port, Stdin: Lines(batch...)})
		if res := wait(t, cli); res.Err != nil || res.Stopped {
			t.Fatalf("ex5b-client result %+v\n%s", res, strings.Join(cout.Lines(), "\n"))
		}
		var echoes []string
		for _, l := range cout.Lines() {
			if strings.HasPrefix(l, "batch line ") {
				echoes = append(echoes, l)
			}
		}
		if !slices.Equal(echoes, batch) {
			t.Fatalf("%d echoes came back, want all %d in order", len(echoes), n)
		}
		sout.waitFor(t, "^Closing connection to ")
	})
}

func TestMuxServersStopWithClients(t *testing.T) {
	muxEachServer(t, func(t *testing.T, server string) {
		leakCheck(t)
		srv, sout, port := startServer(t, server)
		var readers []*bufio.Reader
		var force []string
		want := muxPrologue()
		for i := range 2 {
			c, r, who := muxDial(t, port)
			l := "client " + strconv.Itoa(i)
			muxEcho(t, c, r, l)
			ex := muxExchange(server, who, l)
			sout.waitFor(t, "^"+regexp.QuoteMeta(ex[1])+"$")
			want = append(append(want, "Accepted a client from "+who), ex...)
			force = append(force, "Force closing a client connection to "+muxHostPortList(c))
			readers = append(readers, r)
		}
		srv.Stop()
		lines := sout.Lines()
		// The clients are force closed in fd order, which need not be the
		// order they came in.
		if n := len(lines); n > 3 && lines[n-3] > lines[n-2] {
			lines[n-3], lines[n-2] = lines[n-2], lines[n-3]
		}
		slices.Sort(force)
		matchLines(t, lines, append(append(want, force...), "Server Exited.")...)
		for _, r := range readers {
			muxExpectEOF(t, r)
		}
		if res := srv.Result(); !res.Stopped || res.Value || res.Err != nil {
			t.Fatalf("server result %+v", res)
		}
		if h := srv.Handlers(); len(h) != 0 {
			t.Fatalf("handlers left after stop: %v", h)
		}
	})
}

// muxHostPortList prints c's local address as the Lisp list (H P).
func muxHostPortList(c net.Conn) string {
	a := c.LocalAddr().(*net.TCPAddr)
	return fmt.Sprintf("(%s %d)", a.IP, a.Port)
}

func TestEx7ServerStopWhileReadingAPartialLine(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex7-server")
	c, r, who := muxDial(t, port)
	muxEcho(t, c, r, "whole")
	sout.waitFor(t, "^Wrote to "+regexp.QuoteMeta(who)+": whole$")
	// The rest of this line never comes: the server blocks reading it.
	io.WriteString(c, "half a line")
	srv.Stop()
	matchLines(t, sout.Lines(), append(muxPrologue(), "Accepted a client from "+who,
		"Read from "+who+": whole", "Wrote to "+who+": whole",
		"Force closing a client connection to "+muxHostPortList(c), "Server Exited.")...)
	if res := srv.Result(); !res.Stopped || res.Value || res.Err != nil {
		t.Fatalf("server result %+v", res)
	}
}

func TestMuxServersClientReset(t *testing.T) {
	muxEachServer(t, func(t *testing.T, server string) {
		leakCheck(t)
		_, sout, port := startServer(t, server)
		c, r, who := muxDial(t, port)
		muxEcho(t, c, r, "bye")
		ex := muxExchange(server, who, "bye")
		sout.waitFor(t, "^"+regexp.QuoteMeta(ex[1])+"$")
		if err := c.SetLinger(0); err != nil {
			t.Fatal(err)
		}
		c.Close()
		sout.waitFor(t, "^Closing connection to "+regexp.QuoteMeta(who)+"$")
		reset := "Client " + who + ": connection reset by peer."
		if server == "ex7-server" {
			reset = "Client " + who + ": Connection reset by peer"
		}
		lines := sout.Lines()
		matchLines(t, lines[3:], "Accepted a client from "+who, ex[0], ex[1], reset, "Closing connection to "+who)
	})
}

// TestEx7ServerStallShowsLinesRead: ex7's handler keeps the lines it
// prints back and emits them in one piece, but never while it blocks.
// Two whole lines and half a third arrive together: ex7 reads the two,
// then blocks on the half (the slow-client lesson). Their Read from lines
// must be out by then; the echoes follow once the line ends.
func TestEx7ServerStallShowsLinesRead(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex7-server")
	c, r, who := muxDial(t, port)
	io.WriteString(c, "one\r\ntwo\r\nthr")
	sout.waitFor(t, "^Read from "+regexp.QuoteMeta(who)+": two$")
	io.WriteString(c, "ee\r\n")
	for _, want := range []string{"one", "two", "three"} {
		if got, err := r.ReadString('\n'); err != nil || got != want+"\r\n" {
			t.Fatalf("echo %q, %v; want %q", got, err, want)
		}
	}
	sout.waitFor(t, "^Wrote to "+regexp.QuoteMeta(who)+": three$")
	srv.Stop()
	matchLines(t, sout.Lines(), append(muxPrologue(), "Accepted a client from "+who,
		"Read from "+who+": one", "Read from "+who+": two", "Read from "+who+": three",
		"Wrote to "+who+": one", "Wrote to "+who+": two", "Wrote to "+who+": three",
		"Force closing a client connection to "+muxHostPortList(c), "Server Exited.")...)
}
