package repl

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// stuckClient connects to addr and writes until the kernel stops taking
// bytes, never reading: ex8's buffer fills and the rest piles up in the
// kernel's queues. The connection closes when the test ends.
func stuckClient(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { c.Close(); <-done })
	go func() {
		defer close(done)
		chunk := []byte(strings.Repeat("0123456789abcdef", 1024))
		for {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	}()
	return c
}

func TestSocketsEx8ClientNotReading(t *testing.T) {
	leakCheck(t)
	ts := newTestShell(t)
	ts.run("run ex8-server --port 0 --bind 127.0.0.1")
	ts.run("mute ex8-server")
	s, _ := ts.sh.session("ex8-server")
	a, _ := s.run.Addr()
	c := stuckClient(t, a.String())
	peer := c.LocalAddr().String()
	// The sessions come to rest once ex8 is throttled: its buffer full,
	// its read handler removed, its writes refused.
	var rows []sockRow
	var out string
	for deadline := time.Now().Add(10 * time.Second); ; {
		out = ts.run("sockets ex8-server --all")
		rows = parseSockets(t, out)
		conn := find(rows, "ex8-server", "conn", "ESTABLISHED")
		if len(conn) == 1 && conn[0]["APP-BUF"] == "16384" && steady(t, ts, conn[0]) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ex8's APP-BUF never reached 16384:\n%s", out)
		}
	}
	srv := find(rows, "ex8-server", "conn", "ESTABLISHED")[0]
	var cli sockRow
	for _, r := range find(rows, "ex8-server", "peer", "ESTABLISHED") {
		if r["LOCAL"] == peer {
			cli = r
		}
	}
	if cli == nil {
		t.Fatalf("the test's client %s is not listed as a peer:\n%s", peer, out)
	}
	in, _ := rowInOut(t, srv)
	cliIn, _ := rowInOut(t, cli)
	recvQ, sendQ := num(t, srv, "RECV-Q"), num(t, srv, "SEND-Q")
	if recvQ == 0 || sendQ == 0 || num(t, cli, "RECV-Q") == 0 {
		t.Fatalf("want bytes held in ex8's kernel queues both ways and in the client's receive queue:\n%s", out)
	}
	// Every byte ex8 received is in its receive queue, its buffer, its
	// send queue or already with the client.
	if in != recvQ+16384+sendQ+cliIn {
		t.Fatalf("ex8 received %d bytes, but RECV-Q %d + APP-BUF 16384 + SEND-Q %d + client's %d = %d:\n%s",
			in, recvQ, sendQ, cliIn, recvQ+16384+sendQ+cliIn, out)
	}
}

// steady reports whether a second look at ex8's connection shows the
// same queues: ex8 and its client are both stuck.
func steady(t *testing.T, ts *testShell, r sockRow) bool {
	again := find(parseSockets(t, ts.run("sockets ex8-server")), "ex8-server", "conn", "ESTABLISHED")
	return len(again) == 1 && again[0]["RECV-Q"] == r["RECV-Q"] && again[0]["SEND-Q"] == r["SEND-Q"] &&
		again[0]["BYTES IN/OUT"] == r["BYTES IN/OUT"]
}

// rowInOut reads the BYTES IN/OUT column.
func rowInOut(t *testing.T, r sockRow) (int, int) {
	t.Helper()
	a, b, ok := strings.Cut(r["BYTES IN/OUT"], "/")
	in, err1 := strconv.Atoi(a)
	out, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("BYTES IN/OUT = %q, want IN/OUT", r["BYTES IN/OUT"])
	}
	return in, out
}

func TestTraceEx5Hello(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex5-server --port 0 --bind 127.0.0.1
trace ex5-server
connect ex5-server
send ex4-client hello
trace ex5-server off
send ex4-client again
`)
	if code != 0 {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	var traces []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "[ex5-server] trace ") {
			traces = append(traces, l)
		}
	}
	matchOutput(t, strings.Join(traces, "\n"),
		`\[ex5-server\] trace fd \d+ `+reAddr+` < `+reAddr+` 7 bytes "hello\\r\\n"`,
		`\[ex5-server\] trace fd \d+ `+reAddr+` > `+reAddr+` 7 bytes "hello\\r\\n"`)
}

func TestWatchSocketsScript(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, "run ex2-server --port 0 --bind 127.0.0.1\nwatch sockets ex2-server --every 20ms --count 2\nwatch sockets\n")
	if code != 1 || !strings.Contains(errs, "watch sockets in a script needs --count N") {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	for i := 1; i <= 2; i++ {
		if !strings.Contains(out, "-- sockets, snapshot "+strconv.Itoa(i)+" of 2 (every 20ms)\nSESSION") {
			t.Fatalf("want snapshot %d of 2:\n%s", i, out)
		}
	}
	if n := len(find(parseSockets(t, out), "ex2-server", "listen", "LISTEN")); n != 2 {
		t.Fatalf("want the listener in both snapshots, got %d:\n%s", n, out)
	}
}
