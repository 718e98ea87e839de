package netex

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

func TestMuxServersAddressInUse(t *testing.T) {
	muxEachServer(t, func(t *testing.T, server string) {
		leakCheck(t)
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		srv, sout := start(t, server, Config{Port: l.Addr().(*net.TCPAddr).Port})
		if res := wait(t, srv); res.Value || res.Err != nil || res.Stopped {
			t.Fatalf("result %+v, want NIL", res)
		}
		// The busy-port message has no newline; the cleanup's goodbye
		// follows it on the same line, as in the Lisp.
		matchLines(t, sout.Lines(), muxPrologue()[0], "Bind: Address already in use, forget :reuse-addr t?Server Exited.")
	})
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

// muxTally is a Run's output reduced to the totals of its read and write
// lines (ex7: lines, ex8: bytes), the most ever read and not yet written
// (the server's buffer level, taken line by line, in the order the lines
// were printed) and the other lines, so that a big transfer costs the
// test no memory.
type muxTally struct {
	mu           sync.Mutex
	read, wrote  int
	maxLevel     int
	other        []string
	countPattern *regexp.Regexp
}

func (m *muxTally) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		sm := m.countPattern.FindStringSubmatch(l)
		switch {
		case l == "write-some-bytes: ewouldblock":
		case sm == nil:
			m.other = append(m.other, l)
		case sm[1] == "Read":
			m.read += muxAtoi(sm[2])
			m.maxLevel = max(m.maxLevel, m.read-m.wrote)
		default:
			m.wrote += muxAtoi(sm[2])
		}
	}
	return len(p), nil
}

// muxAtoi is the byte count of an ex8 line, or 1 for an ex7 line.
func muxAtoi(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return 1
}

// totals returns the read and write totals and the highest level so far.
func (m *muxTally) totals() (int, int, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.read, m.wrote, m.maxLevel
}

// lines returns the other lines so far.
func (m *muxTally) lines() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.other)
}

// muxStartTallied starts server on a loopback port with its output
// tallied, waits until it listens and returns the port.
func muxStartTallied(t *testing.T, server string) (*Run, *muxTally, int) {
	t.Helper()
	ex, _ := Lookup(server)
	tally := &muxTally{countPattern: regexp.MustCompile(`^(Read|Wrote) (?:(\d+) bytes )?(?:from|to) `)}
	r, err := Start(context.Background(), ex, Config{Bind: "127.0.0.1", Host: "127.0.0.1", Out: tally})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	select {
	case <-r.Listening():
	case <-time.After(testTimeout):
		t.Fatalf("%s did not listen", server)
	}
	a, ok := r.Addr()
	if !ok {
		t.Fatalf("%s did not listen: %+v", server, r.Result())
	}
	return r, tally, int(a.Port())
}

// muxPoll calls cond every millisecond until it holds, for at most
// testTimeout. It observes state that no output line announces.
func muxPoll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(testTimeout)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// muxClientEvents returns the events registered for the one client fd of
// a server run (the fd that is not the listener's), and whether there is one.
func muxClientEvents(r *Run, listener int) ([]Event, bool) {
	for _, h := range r.Handlers() {
		if h.FD != listener {
			return h.Events, true
		}
	}
	return nil, false
}

// muxFlow drives a server's flow control with a client that writes a
// burst without reading (write, in a goroutine; it returns how much it
// sent) until the server has removed its read handler. While the client
// does not read, the server may hold at most limit (its level never
// exceeds it, and reaches it) and its heap stays small. Then the client
// reads everything back (read, to end-of-file; it returns how much came)
// and the server must have resumed reading. Amounts are in the units the
// server's read and write lines count.
func muxFlow(t *testing.T, server string, limit int, write func(c net.Conn, stop *atomic.Bool) int, read func(r *bufio.Reader) int) {
	srv, tally, port := muxStartTallied(t, server)
	listener := muxAtoi(regexp.MustCompile(`\[fd=(\d+)\]`).FindStringSubmatch(tally.lines()[0])[1])
	var m0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	c, r, who := muxDial(t, port)
	var stop atomic.Bool
	sent := make(chan int, 1)
	go func() { n := write(c, &stop); c.CloseWrite(); sent <- n }()
	muxPoll(t, "the server to remove its read handler", func() bool {
		ev, _ := muxClientEvents(srv, listener)
		return slices.Equal(ev, []Event{Write})
	})
	stalledAt, _, level := tally.totals()
	if grew := muxHeapGrowth(m0); grew > 4<<20 {
		t.Fatalf("heap grew by %d bytes during the burst", grew)
	}
	stop.Store(true)
	got := read(r)
	var n int
	select {
	case n = <-sent: // the server saw the client's end-of-file before closing
	case <-time.After(testTimeout):
		t.Fatal("the burst did not end")
	}
	rd, wr, levelEnd := tally.totals()
	if level != limit || levelEnd != limit {
		t.Fatalf("buffer level went up to %d while the client did not read (%d in all), want %d", level, levelEnd, limit)
	}
	if got != n || rd != n || wr != n || rd <= stalledAt {
		t.Fatalf("sent %d, got back %d; server read %d, wrote %d, and %d when it stopped reading", n, got, rd, wr, stalledAt)
	}
	muxPoll(t, "the connection to close", func() bool { _, ok := muxClientEvents(srv, listener); return !ok })
	matchLines(t, tally.lines(), append(muxPrologue(), "Accepted a client from "+who,
		"Client "+who+" produced end-of-file on a read.", "Closing connection to "+who)...)
	t.Logf("%s stopped reading after %d, got %d in all", server, stalledAt, n)
}

// muxHeapGrowth returns how much the heap has grown since m0, after a
// collection. Objects allocated while a collection runs survive it, so
// the least of three measurements is taken: a transfer still going on
// must not count as growth.
func muxHeapGrowth(m0 runtime.MemStats) int64 {
	least := int64(math.MaxInt64)
	for range 3 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		least = min(least, int64(m.HeapAlloc)-int64(m0.HeapAlloc))
	}
	return least
}

// muxBurst writes chunks made by next until stop is set, and one more
// after that, so that the server has more to read once it resumes. It
// returns how many units the chunks held.
func muxBurst(c net.Conn, stop *atomic.Bool, next func(sent int) ([]byte, int)) int {
	sent := 0
	for {
		last := stop.Load()
		b, n := next(sent)
		if _, err := c.Write(b); err != nil {
			return sent
		}
		sent += n
		if last {
			return sent
		}
	}
}

func TestEx8ServerFlowControl(t *testing.T) {
	leakCheck(t)
	const chunk = 64 << 10
	pat := make([]byte, chunk+251) // the burst's byte i is i%251
	for i := range pat {
		pat[i] = byte(i % 251)
	}
	buf := make([]byte, chunk)
	muxFlow(t, "ex8-server", ex8MaxBytes,
		func(c net.Conn, stop *atomic.Bool) int {
			return muxBurst(c, stop, func(sent int) ([]byte, int) { return pat[sent%251 : sent%251+chunk], chunk })
		},
		func(r *bufio.Reader) int {
			got := 0
			for {
				n, err := r.Read(buf)
				if !slices.Equal(buf[:n], pat[got%251:got%251+n]) {
					t.Fatalf("bytes %d..%d differ from what was sent", got, got+n)
				}
				got += n
				if err == io.EOF {
					return got
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		})
}

func TestEx7ServerHighWater(t *testing.T) {
	leakCheck(t)
	const lineLen, perWrite = 1000, 64
	line := func(i int) string { return fmt.Sprintf("%06d%s", i, strings.Repeat("x", lineLen-6)) }
	// The limit is approximate: lines are read whole until the queue
	// reaches the mark, so it ends up holding the line that crossed it.
	queued := (ex7MaxBytes + lineLen + 1) / (lineLen + 2)
	chunk := []byte(strings.Repeat(line(0)+"\r\n", perWrite))
	muxFlow(t, "ex7-server", queued,
		func(c net.Conn, stop *atomic.Bool) int {
			return muxBurst(c, stop, func(sent int) ([]byte, int) {
				for i := range perWrite {
					_ = fmt.Appendf(chunk[i*(lineLen+2):i*(lineLen+2)], "%06d", sent+i)
				}
				return chunk, perWrite
			})
		},
		func(r *bufio.Reader) int {
			got := 0
			for {
				l, err := r.ReadString('\n')
				if err == io.EOF && l == "" {
					return got
				}
				if err != nil || l != line(got)+"\r\n" {
					t.Fatalf("echo %d = %.20q..., %v", got, l, err)
				}
				got++
			}
		})
}
