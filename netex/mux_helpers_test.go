package netex

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/nettest"
)

// Helpers for the tests of the multiplexed echo examples (ex5a, ex5b,
// ex6): raw clients, expected line sequences and small echo servers.

// mxPrologue is the pattern of a server's first three lines on
// 127.0.0.1:port.
func mxPrologue(port int) []string {
	return []string{
		"Created socket: #<passive IPv4 stream socket, unbound {ID}>[fd={N}]",
		fmt.Sprintf("Bound socket: #<passive IPv4 stream socket bound to 127.0.0.1/%d {ID}>", port),
		fmt.Sprintf("Listening on socket bound to: 127.0.0.1:%d", port),
	}
}

// mxConn is a raw test client of a server: its connection, a reader on
// it and its local address as H:P.
type mxConn struct {
	c     net.Conn
	r     *bufio.Reader
	local string
}

// mxDial connects a raw client to 127.0.0.1:port; it is closed when the
// test ends.
func mxDial(t *testing.T, port int) *mxConn {
	t.Helper()
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &mxConn{c: c, r: bufio.NewReader(c), local: c.LocalAddr().String()}
}

// send writes text as is.
func (m *mxConn) send(t *testing.T, text string) {
	t.Helper()
	if _, err := io.WriteString(m.c, text); err != nil {
		t.Fatal(err)
	}
}

// readLine reads one line, bounded by testTimeout.
func (m *mxConn) readLine(t *testing.T) (string, error) {
	t.Helper()
	m.c.SetReadDeadline(time.Now().Add(testTimeout))
	return m.r.ReadString('\n')
}

// expectLine reads a line and checks it is want with CRLF.
func (m *mxConn) expectLine(t *testing.T, want string) {
	t.Helper()
	got, err := m.readLine(t)
	if err != nil || got != want+"\r\n" {
		t.Fatalf("read %q, %v; want %q", got, err, want+"\r\n")
	}
}

// expectClosed reads and checks the server has closed the connection.
func (m *mxConn) expectClosed(t *testing.T) {
	t.Helper()
	got, err := m.readLine(t)
	if got != "" || err == nil || mxIsTimeout(err) {
		t.Fatalf("read %q, %v; want the connection closed", got, err)
	}
}

func mxIsTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// mxHPList turns H:P into the Lisp list (H P) the ex6 cleanup prints.
func mxHPList(hp string) string { return "(" + strings.Replace(hp, ":", " ", 1) + ")" }

// mxLocal extracts a client's local H:P from its Connected line.
func mxLocal(t *testing.T, line string) string {
	t.Helper()
	m := regexp.MustCompile(`local connection at (\S+)!$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no local address in %q", line)
	}
	return m[1]
}

// mxConnected waits for a client's Connected line and returns its local
// H:P.
func mxConnected(t *testing.T, out *output) string {
	t.Helper()
	i := out.waitFor(t, "^Connected to server")
	return mxLocal(t, out.Lines()[i])
}

// ex6Echoed is what ex6-server prints when it echoes line for hp.
func ex6Echoed(hp string, lines ...string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, "Read "+hp+": "+l, "Wrote "+hp+": "+l)
	}
	return out
}

// ex6Accepted is what ex6-server prints when it accepts hp.
func ex6Accepted(hp string) []string {
	return []string{"Accepted a client from " + hp, "Creating line-echoer for " + hp}
}

// mxStop stops r and fails if that takes longer than testTimeout.
func mxStop(t *testing.T, r *Run) Result {
	t.Helper()
	done := make(chan struct{})
	go func() { r.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(testTimeout):
		t.Fatalf("%s: Stop did not return", r.Example().Name)
	}
	res := r.Result()
	if !res.Stopped || res.Value || res.Err != nil {
		t.Fatalf("%s: result after stop %+v", r.Example().Name, res)
	}
	return res
}

// mxNumbered returns the lines "1" .. "n".
func mxNumbered(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = strconv.Itoa(i + 1)
	}
	return lines
}

// mxSplitEchoes separates the numeric echo lines of a client's output from
// its other lines.
func mxSplitEchoes(lines []string) (echoes, rest []string) {
	num := regexp.MustCompile(`^\d+$`)
	for _, l := range lines {
		if num.MatchString(l) {
			echoes = append(echoes, l)
		} else {
			rest = append(rest, l)
		}
	}
	return echoes, rest
}

// mxEchoServer is a plain Go echo server on 127.0.0.1:0 that honours
// half-close: it echoes lines with CRLF and closes once it has read the
// end of file and written everything. With lag, it holds each echo back
// until the next line (or the end of file) arrives, so that one echo is
// always still to come when the client's input ends. It returns the port.
func mxEchoServer(t *testing.T, lag bool) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nettest.Serve(t, l, func(c net.Conn) { mxEcho(c, lag) })
	return l.Addr().(*net.TCPAddr).Port
}

func mxEcho(c net.Conn, lag bool) {
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	var held []string
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			held = append(held, strings.TrimRight(line, "\r\n"))
		}
		for len(held) > 1 || (len(held) == 1 && (!lag || err != nil)) {
			w.WriteString(held[0] + "\r\n")
			held = held[1:]
		}
		if err != nil {
			w.Flush()
			return
		}
		if r.Buffered() == 0 && w.Flush() != nil {
			return
		}
	}
}
