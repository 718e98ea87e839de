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

// Flow-control tests of ex7-server and ex8-server: a client that does
// not read must stop the server reading, with bounded memory.

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
	closing := "Closing connection to " + who
	muxPoll(t, "the connection to close", func() bool { return slices.Contains(tally.lines(), closing) })
	if ev, ok := muxClientEvents(srv, listener); ok {
		t.Fatalf("the client's handlers %v outlive its Closing line", ev)
	}
	matchLines(t, tally.lines(), append(muxPrologue(), "Accepted a client from "+who,
		"Client "+who+" produced end-of-file on a read.", closing)...)
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
