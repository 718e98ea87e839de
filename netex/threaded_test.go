package netex

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// thrPrologue returns what every server prints first, bound to loopback.
func thrPrologue() []string {
	return []string{
		"Created socket: #<passive IPv4 stream socket, unbound {ID}>[fd={N}]",
		"Bound socket: #<passive IPv4 stream socket bound to 127.0.0.1/{N} {ID}>",
		"Listening on socket bound to: 127.0.0.1:{N}",
	}
}

const thrWaiting = "Waiting to accept a connection..."

// thrWaitCount waits until at least n lines match pattern.
func thrWaitCount(t *testing.T, o *output, pattern string, n int) {
	t.Helper()
	o.WaitCount(t, pattern, n, testTimeout)
}

// thrSplit separates a threaded server's lines into the main thread's
// Waiting lines, which interleave freely with client threads' lines, and
// the rest, whose order is deterministic when clients come one at a time.
func thrSplit(lines []string) (waiting int, rest []string) {
	for _, l := range lines {
		if l == thrWaiting {
			waiting++
		} else {
			rest = append(rest, l)
		}
	}
	return waiting, rest
}

// thrWaitClientThreads waits until every thread of r but its main
// thread has finished, so that a stop finds no client thread alive.
func thrWaitClientThreads(t *testing.T, r *Run) {
	t.Helper()
	r.env.mu.Lock()
	ts := append([]*Thread(nil), r.env.threads...)
	r.env.mu.Unlock()
	for _, th := range ts {
		if th == r.main {
			continue
		}
		select {
		case <-th.Done():
		case <-time.After(testTimeout):
			t.Fatalf("%s did not finish", th)
		}
	}
}

// thrTail returns the last n lines other than Waiting lines.
func thrTail(o *output, n int) []string {
	_, rest := thrSplit(o.Lines())
	return rest[max(0, len(rest)-n):]
}

// thrCaptured returns the first submatch of pattern in line, or fails.
func thrCaptured(t *testing.T, line, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("%q does not match %q", line, pattern)
	}
	return m[1]
}

// thrDial connects a plain TCP client to port, closed when the test ends.
func thrDial(t *testing.T, port int) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(port), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}

// thrExpectEOF asserts that the server has closed c's connection.
func thrExpectEOF(t *testing.T, r *bufio.Reader) {
	t.Helper()
	if b, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("read %q, %v; want EOF", b, err)
	}
}

func TestEx4ServerDaytimeClients(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex4-server")
	clients := []struct{ name, connected string }{
		{"ex1-client", "Connected to server {H:P} via my local connection at {H:P}!"},
		{"ex2-client", "Connected to server {H:P} from my local connection at {H:P}!"},
		{"ex3-client", "Connected to server {H:P} from my local connection at {H:P}!"},
	}
	var want []string
	for i, c := range clients {
		cli, cout := start(t, c.name, Config{Port: port})
		res := wait(t, cli)
		if !res.Value || res.Err != nil {
			t.Fatalf("%s result %+v", c.name, res)
		}
		lines := cout.Lines()
		matchLines(t, lines, c.connected, "{TIME}")
		local := thrCaptured(t, lines[0], `local connection at (\S+)!$`)
		thrWaitCount(t, sout, "^Closing connection", i+1)
		want = append(want,
			"A thread is handling the connection from "+local+"!",
			"Sending the time to "+local+"...Sent!",
			"Closing connection to "+local+"!")
	}
	thrWaitCount(t, sout, "^"+regexp.QuoteMeta(thrWaiting)+"$", len(clients)+1)
	thrWaitClientThreads(t, srv)
	srv.Stop()
	waiting, rest := thrSplit(sout.Lines())
	if waiting != len(clients)+1 {
		t.Fatalf("%d Waiting lines, want %d", waiting, len(clients)+1)
	}
	want = append(append(thrPrologue(), want...), "Destroying any active client threads....")
	matchLines(t, rest, want...)
	if res := srv.Result(); !res.Stopped || res.Value || res.Err != nil {
		t.Fatalf("server result %+v", res)
	}
}

func TestEx4ServerClientsAtOnce(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex4-server")
	var clis []*Run
	var outs []*output
	for range 5 {
		cli, cout := start(t, "ex1-client", Config{Port: port})
		clis, outs = append(clis, cli), append(outs, cout)
	}
	var locals []string
	for i, cli := range clis {
		if res := wait(t, cli); !res.Value || res.Err != nil {
			t.Fatalf("client %d result %+v", i, res)
		}
		lines := outs[i].Lines()
		matchLines(t, lines, "Connected to server {H:P} via my local connection at {H:P}!", "{TIME}")
		locals = append(locals, thrCaptured(t, lines[0], `local connection at (\S+)!$`))
	}
	thrWaitCount(t, sout, "^Closing connection to", len(clis))
	thrWaitClientThreads(t, srv)
	srv.Stop()
	_, rest := thrSplit(sout.Lines())
	matchLines(t, rest[:3], thrPrologue()...)
	matchLines(t, rest[len(rest)-1:], "Destroying any active client threads....")
	if len(rest) != 4+3*len(clis) {
		t.Fatalf("%d lines, want %d:\n%v", len(rest), 4+3*len(clis), rest)
	}
	// Client threads run concurrently: each one's lines are in order.
	for _, a := range locals {
		var mine []string
		for _, l := range rest {
			if strings.Contains(l, a+"!") || strings.Contains(l, a+"...") {
				mine = append(mine, l)
			}
		}
		matchLines(t, mine, "A thread is handling the connection from "+a+"!",
			"Sending the time to "+a+"...Sent!", "Closing connection to "+a+"!")
	}
}

func TestEx4ServerStopNoClients(t *testing.T) {
	leakCheck(t)
	srv, sout, _ := startServer(t, "ex4-server")
	sout.waitFor(t, "^"+regexp.QuoteMeta(thrWaiting)+"$")
	srv.Stop()
	matchLines(t, sout.Lines(), append(thrPrologue(), thrWaiting, "Destroying any active client threads....")...)
	if res := srv.Result(); !res.Stopped || res.Value || res.Err != nil {
		t.Fatalf("server result %+v", res)
	}
}

func TestEx4ClientEx5Server(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex5-server")
	cli, cout := start(t, "ex4-client", Config{Port: port, Stdin: Lines("hello", "world", "quit")})
	if res := wait(t, cli); res.Value || res.Err != nil || res.Stopped {
		t.Fatalf("client result %+v, want NIL", res)
	}
	lines := cout.Lines()
	matchLines(t, lines,
		"Connected to server {H:P} from my local connection at {H:P}!",
		"hello", "world", "quit",
		"Got end-of-file. Server closed connection on read!",
		"Client Exited.")
	local := thrCaptured(t, lines[0], `local connection at (\S+)!$`)
	sout.waitFor(t, "^Closing connection to ")
	thrWaitCount(t, sout, "^"+regexp.QuoteMeta(thrWaiting)+"$", 2)
	thrWaitClientThreads(t, srv)
	srv.Stop()
	waiting, rest := thrSplit(sout.Lines())
	if waiting != 2 {
		t.Fatalf("%d Waiting lines, want 2", waiting)
	}
	want := thrPrologue()
	want = append(want, "A thread is handling the connection from "+local+"!")
	for _, l := range []string{"hello", "world", "quit"} {
		want = append(want, "Read line from "+local+": "+l, "Wrote line to "+local+": "+l)
	}
	want = append(want, "Closing connection to "+local+"!", "Destroying any active client threads....")
	matchLines(t, rest, want...)
}

func TestEx5ServerWire(t *testing.T) {
	leakCheck(t)
	_, sout, port := startServer(t, "ex5-server")
	c := thrDial(t, port)
	r := bufio.NewReader(c)
	for _, tc := range []struct{ send, want string }{{"abc\r\n", "abc\r\n"}, {"def\n", "def\r\n"}} {
		if _, err := io.WriteString(c, tc.send); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(tc.want))
		if _, err := io.ReadFull(r, got); err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Fatalf("sent %q, got %q, want %q", tc.send, got, tc.want)
		}
	}
	sout.waitFor(t, linePattern("Wrote line to {H:P}: def").String())
	if n := r.Buffered(); n != 0 {
		t.Fatalf("%d extra bytes received", n)
	}
}

func TestEx4ClientRefused(t *testing.T) {
	leakCheck(t)
	port := freePort(t)
	cli, cout := start(t, "ex4-client", Config{Port: port})
	if res := wait(t, cli); res.Value || res.Err != nil {
		t.Fatalf("result %+v, want NIL", res)
	}
	matchLines(t, cout.Lines(),
		fmt.Sprintf("Connection refused to 127.0.0.1:%d. Maybe the server isn't running?", port),
		"Client Exited.")
}

func TestEx4ClientStoppedOnStdin(t *testing.T) {
	leakCheck(t)
	_, sout, port := startServer(t, "ex5-server")
	stdin := NewStdinPipe()
	stdin.Send("one")
	cli, cout := start(t, "ex4-client", Config{Port: port, Stdin: stdin})
	cout.waitFor(t, "^one$")
	sout.waitFor(t, linePattern("Wrote line to {H:P}: one").String())
	cli.Stop()
	matchLines(t, cout.Lines(), "Connected to server {H:P} from my local connection at {H:P}!", "one", "Client Exited.")
	if res := cli.Result(); !res.Stopped || res.Err != nil {
		t.Fatalf("client result %+v", res)
	}
	sout.waitFor(t, linePattern("Client {H:P} closed connection for a read.").String())
}

func TestEx5ServerStopDestroysClientThreads(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex5-server")
	var readers []*bufio.Reader
	var addrs []string
	for i := range 2 {
		c := thrDial(t, port)
		addrs = append(addrs, c.LocalAddr().String())
		readers = append(readers, bufio.NewReader(c))
		fmt.Fprintf(c, "line %d\n", i)
		if got, err := readers[i].ReadString('\n'); err != nil || got != fmt.Sprintf("line %d\r\n", i) {
			t.Fatalf("echo %q, %v", got, err)
		}
		sout.waitFor(t, "^Wrote line to "+regexp.QuoteMeta(addrs[i])+": line "+strconv.Itoa(i)+"$")
	}
	threads := srv.Threads()
	matchLines(t, threads,
		`#<THREAD "RUN-EX5-SERVER" RUNNING {ID}>`,
		`#<THREAD "PROCESS-EX5-CLIENT-THREAD" RUNNING {ID}>`,
		`#<THREAD "PROCESS-EX5-CLIENT-THREAD" RUNNING {ID}>`)
	if threads[1] == threads[2] {
		t.Fatalf("two client threads print alike: %s", threads[1])
	}
	thrWaitCount(t, sout, "^"+regexp.QuoteMeta(thrWaiting)+"$", 3)
	srv.Stop()
	_, rest := thrSplit(sout.Lines())
	want := thrPrologue()
	for i, a := range addrs {
		want = append(want, "A thread is handling the connection from "+a+"!",
			fmt.Sprintf("Read line from %s: line %d", a, i), fmt.Sprintf("Wrote line to %s: line %d", a, i))
	}
	want = append(want, "Destroying any active client threads....",
		"Destroying: "+threads[1], "Closing connection to "+addrs[0]+"!",
		"Destroying: "+threads[2], "Closing connection to "+addrs[1]+"!")
	matchLines(t, rest, want...)
	for _, r := range readers {
		thrExpectEOF(t, r)
	}
	if res := srv.Result(); !res.Stopped || res.Value || res.Err != nil {
		t.Fatalf("server result %+v", res)
	}
	if n := len(srv.Threads()); n != 0 {
		t.Fatalf("%d threads left after stop", n)
	}
}

func TestEx5ServerClientReset(t *testing.T) {
	leakCheck(t)
	_, sout, port := startServer(t, "ex5-server")
	c := thrDial(t, port)
	a := c.LocalAddr().String()
	sout.waitFor(t, "^A thread is handling the connection from "+regexp.QuoteMeta(a)+"!$")
	if err := c.SetLinger(0); err != nil {
		t.Fatal(err)
	}
	c.Close()
	// The cleanup asks for the peer's name again, which fails after a
	// reset (spec §6): no Closing line, and the thread dies of it.
	sout.waitFor(t, "^Unhandled SOCKET-NOT-CONNECTED-ERROR in ")
	matchLines(t, thrTail(sout, 3),
		"A thread is handling the connection from "+a+"!",
		"Client "+a+": connection reset by peer.",
		`Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "PROCESS-EX5-CLIENT-THREAD" RUNNING {ID}>: `+
			`#<SOCKET-NOT-CONNECTED-ERROR 107 :ENOTCONN "Transport endpoint is not connected", FD: {N}>`)
}

func TestEx5ServerQuitAndEOF(t *testing.T) {
	leakCheck(t)
	_, sout, port := startServer(t, "ex5-server")
	q := thrDial(t, port)
	io.WriteString(q, "quit\r\n")
	qr := bufio.NewReader(q)
	if got, err := qr.ReadString('\n'); err != nil || got != "quit\r\n" {
		t.Fatalf("echo %q, %v", got, err)
	}
	thrExpectEOF(t, qr)
	e := thrDial(t, port)
	e.CloseWrite()
	a := e.LocalAddr().String()
	sout.waitFor(t, "^Closing connection to "+regexp.QuoteMeta(a)+"!$")
	matchLines(t, thrTail(sout, 3), "A thread is handling the connection from "+a+"!",
		"Client "+a+" closed connection for a read.", "Closing connection to "+a+"!")
	thrExpectEOF(t, bufio.NewReader(e))
}
