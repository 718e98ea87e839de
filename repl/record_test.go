package repl

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/repl/visible"
)

// bareSession is a session of sh with no example behind it: the test
// writes its lines with WriteThread, and nothing records them until a
// drain, as when the watch goroutine has not yet woken. close(s.ended)
// before sh.Close.
func bareSession(sh *Shell, name string, lines int, size int64) *Session {
	s := &Session{name: name, log: history.NewTranscriptBounded(lines, size), label: sh.newLabel(name),
		pr: sh.pr, live: sh.pr.live, ended: make(chan struct{})}
	s.q.init()
	sh.mu.Lock()
	sh.sessions = append(sh.sessions, s)
	sh.mu.Unlock()
	return s
}

// randomChunks is what threads might hand WriteThread: single lines,
// several lines at once, empty lines, a line without its newline, and
// lines over maxLineBytes, some cut inside a character.
func randomChunks(r *rand.Rand, n int) (seqs []int, chunks []string) {
	for i := range n {
		var c string
		switch r.IntN(8) {
		case 0:
			c = fmt.Sprintf("multi %d a\nmulti %d b\n\nmulti %d c\n", i, i, i)
		case 1:
			c = "\n"
		case 2:
			c = ""
		case 3:
			c = fmt.Sprintf("no newline %d", i)
		case 4:
			c = strings.Repeat("€", maxLineBytes/3+r.IntN(40)) + fmt.Sprintf(" long %d\n", i)
		default:
			c = fmt.Sprintf("line %d from a thread, padded %s\n", i, strings.Repeat("x", r.IntN(60)))
		}
		seqs, chunks = append(seqs, r.IntN(4)), append(chunks, c)
	}
	return seqs, chunks
}

// TestRecordSameAsAtOnce checks that lines queued and recorded in
// batches are the lines, text, order, Source and Hidden flag that
// recording each WriteThread at once kept and showed: muted (a drain
// may skip lines the bounds drop), shown live, and in direct mode.
func TestRecordSameAsAtOnce(t *testing.T) {
	for _, c := range []struct {
		name        string
		live, muted bool
		lines       int
		size        int64
	}{
		{"muted", true, true, 50, 64 << 10},
		{"muted-byte-bound", true, true, 5000, 20 << 10},
		{"muted-three", true, true, 3, 64 << 10},
		{"muted-one-byte", false, true, 100, 1},
		{"live", true, false, 50, 64 << 10},
		{"direct", false, false, 100000, 64 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			sh := newShell(&out, io.Discard, false, false)
			s := bareSession(sh, "bare", c.lines, c.size)
			s.live, s.muted = c.live, c.muted
			want := history.NewTranscriptBounded(c.lines, c.size)
			var shown []byte
			r := rand.New(rand.NewPCG(1, uint64(len(c.name))))
			for batch := range 40 {
				seqs, chunks := randomChunks(r, []int{1, 7, 300, 3000}[batch%4])
				for i, ch := range chunks {
					s.WriteThread(seqs[i], []byte(ch))
					for _, l := range splitLines([]byte(ch)) {
						l = visible.Cut(l, maxLineBytes)
						want.AppendLine(history.Line{Text: l, Source: seqs[i], Hidden: c.muted})
						if c.live && !c.muted {
							shown = appendLine(shown, s.label.text(), l, false)
						}
					}
				}
				if batch%4 == 3 {
					s.drain()
				} else {
					s.drainLazy() // a flood's drains leave lines unmade
				}
			}
			s.drain()
			if s.log.Total() != want.Total() || s.log.Dropped() != want.Dropped() {
				t.Fatalf("total %d, dropped %d; want %d, %d", s.log.Total(), s.log.Dropped(), want.Total(), want.Dropped())
			}
			got, exp := s.log.Last(0), want.Last(0)
			for i := range exp {
				g, w := got[i], exp[i]
				if g.Text != w.Text || g.Source != w.Source || g.Hidden != w.Hidden || g.Trace || g.Time.IsZero() {
					t.Fatalf("line %d: %q source %d hidden %v; want %q source %d hidden %v", i, g.Text, g.Source, g.Hidden, w.Text, w.Source, w.Hidden)
				}
			}
			if !bytes.Equal(out.Bytes(), shown) {
				t.Fatalf("shown %d bytes, want %d", out.Len(), len(shown))
			}
			close(s.ended)
			sh.Close()
		})
	}
}

// TestRecordReadersDrain checks that what reads a transcript or changes
// how lines are recorded first records what the threads queued: log,
// expect and flush see it; a line queued before mute stays shown, one
// queued before unmute stays hidden.
func TestRecordReadersDrain(t *testing.T) {
	var out bytes.Buffer
	sh := newShell(&out, io.Discard, false, false)
	s := bareSession(sh, "bare", 100, 1<<20)
	s.WriteThread(1, []byte("before mute\n"))
	if err := sh.Exec("log bare"); err != nil || !strings.Contains(out.String(), "[bare] before mute") {
		t.Fatalf("log: %v, printed %q; want the queued line", err, out.String())
	}
	if err := sh.Exec("mute bare"); err != nil {
		t.Fatal(err)
	}
	s.WriteThread(2, []byte("while muted\n"))
	if err := sh.Exec("unmute bare"); err != nil {
		t.Fatal(err)
	}
	s.WriteThread(1, []byte("after unmute\n"))
	if err := sh.Exec("expect bare 'after unmute' 1"); err != nil {
		t.Fatalf("expect a queued line: %v", err)
	}
	want := []struct {
		text   string
		hidden bool
	}{{"before mute", false}, {"while muted", true}, {"after unmute", false}}
	lines := s.log.Last(0)
	if len(lines) != len(want) {
		t.Fatalf("recorded %d lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		if lines[i].Text != w.text || lines[i].Hidden != w.hidden {
			t.Fatalf("line %d: %q hidden %v, want %q hidden %v", i, lines[i].Text, lines[i].Hidden, w.text, w.hidden)
		}
	}
	out.Reset()
	s.WriteThread(3, []byte("last\n"))
	s.flush() // direct mode: every line not yet shown, by thread, not the hidden one
	if got, want := out.String(), "[bare] before mute\n[bare] after unmute\n[bare] last\n"; got != want {
		t.Fatalf("flush printed %q, want %q", got, want)
	}
	close(s.ended)
	sh.Close()
}

// lingering is an example whose main thread and threads more threads
// print ready, wait to be stopped, and then print each cleanup lines
// from their cleanup.
func lingering(threads, cleanup int, ready *sync.WaitGroup) *netex.Example {
	ready.Add(threads + 1)
	linger := func(t *netex.Thread, k int) {
		defer func() {
			for i := range cleanup {
				t.Printf("t%d cleanup %d\n", k, i)
			}
		}()
		t.Printf("t%d ready\n", k)
		ready.Done()
		<-t.Ctx.Done()
	}
	return &netex.Example{Name: "lingering", Role: netex.Client, Run: func(t *netex.Thread) (bool, error) {
		for k := 1; k <= threads; k++ {
			t.Env.Spawn(fmt.Sprintf("linger-%d", k), func(t *netex.Thread) { linger(t, k) })
		}
		linger(t, 0)
		return false, netex.Interrupted
	}}
}

// TestStopWaitsForRecording checks that stop returns only once every
// line the example's cleanup printed is recorded, in order per thread,
// with "stopped" after them all, without a reader having drained.
func TestStopWaitsForRecording(t *testing.T) {
	leakCheck(t)
	const threads, cleanup = 4, 1500 // all kept: fewer than 10000 lines
	for _, muted := range []bool{false, true} {
		sh := newShell(io.Discard, io.Discard, true, false)
		t.Cleanup(sh.Close)
		var ready sync.WaitGroup
		s, err := sh.startSession("linger", lingering(threads, cleanup, &ready), netex.Config{})
		if err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		s.muted = muted
		s.mu.Unlock()
		ready.Wait()
		if err := sh.Exec("stop linger"); err != nil {
			t.Fatal(err)
		}
		lines := s.log.Last(0) // no drain: stop has recorded everything
		if last := lines[len(lines)-1]; last.Text != "stopped" || last.Source != finalSource {
			t.Fatalf("muted %v: last line %q (source %d), want stopped", muted, last.Text, last.Source)
		}
		checkPerThread(t, lines[:len(lines)-1], threads+1, cleanup, "cleanup")
	}
}

// checkPerThread checks that lines hold, for each of threads threads,
// the lines "tK WORD 0" to "tK WORD n-1" in order, all from one Source;
// n < 0: some last lines of each, in order.
func checkPerThread(t *testing.T, lines []history.Line, threads, n int, word string) {
	t.Helper()
	seen := make(map[int]bool)
	next := make(map[int]int)
	source := make(map[int]int)
	for _, l := range lines {
		var k, i int
		if _, err := fmt.Sscanf(l.Text, "t%d "+word+" %d", &k, &i); err != nil {
			continue
		}
		if src, ok := source[k]; ok && src != l.Source {
			t.Fatalf("%q has source %d; thread %d's lines had %d", l.Text, l.Source, k, src)
		}
		source[k] = l.Source
		if n < 0 && !seen[k] {
			next[k], seen[k] = i, true
		}
		if i != next[k] {
			t.Fatalf("%q follows line %d of thread %d", l.Text, next[k]-1, k)
		}
		next[k]++
	}
	for k := range threads {
		if n >= 0 && next[k] != n {
			t.Fatalf("thread %d: %d %s lines recorded, want %d", k, next[k], word, n)
		}
	}
}

// racing is an example whose threads all print n numbered lines at once.
func racing(threads, n int) *netex.Example {
	return &netex.Example{Name: "racing", Role: netex.Client, Run: func(t *netex.Thread) (bool, error) {
		var ts []*netex.Thread
		for k := range threads {
			ts = append(ts, t.Env.Spawn(fmt.Sprintf("racer-%d", k), func(t *netex.Thread) {
				for i := range n {
					t.Printf("t%d line %d\n", k, i)
				}
			}))
		}
		for _, th := range ts {
			<-th.Done()
		}
		return true, nil
	}}
}

// TestConcurrentPrintingInOrder checks that lines printed by threads at
// once are recorded whole, in order per thread, each thread's under one
// Source, with the final line last: shown, muted, and muted with a
// bound that drops most of them (lines a drain may skip).
func TestConcurrentPrintingInOrder(t *testing.T) {
	leakCheck(t)
	const threads, n = 8, 5000
	for _, c := range []struct {
		name  string
		muted bool
		keep  string
	}{{"shown", false, "50000"}, {"muted", true, "50000"}, {"muted-bounded", true, "1000"}} {
		t.Run(c.name, func(t *testing.T) {
			var out lockedBuffer
			sh := newShell(&out, io.Discard, true, false)
			t.Cleanup(sh.Close)
			if err := sh.Exec("set log-lines " + c.keep); err != nil {
				t.Fatal(err)
			}
			s, err := sh.startSession("racing", racing(threads, n), netex.Config{})
			if err != nil {
				t.Fatal(err)
			}
			s.mu.Lock()
			s.muted = c.muted
			s.mu.Unlock()
			<-s.ended
			lines := s.log.Last(0)
			if last := lines[len(lines)-1]; last.Text != "=> T" || last.Source != finalSource {
				t.Fatalf("last line %q (source %d), want => T", last.Text, last.Source)
			}
			if c.keep == "50000" {
				checkPerThread(t, lines[:len(lines)-1], threads, n, "line")
			} else {
				checkPerThread(t, lines[:len(lines)-1], threads, -1, "line")
				if int64(len(lines))+s.log.Dropped() != threads*n+1 || len(lines) != 1000 {
					t.Fatalf("kept %d lines, dropped %d; want 1000 of %d", len(lines), s.log.Dropped(), threads*n+1)
				}
			}
			sh.Close() // the printer has written all it queued
			if !c.muted {
				var printed []history.Line
				for l := range strings.Lines(out.String()) {
					printed = append(printed, history.Line{Text: strings.TrimPrefix(strings.TrimSuffix(l, "\n"), "[racing] ")})
				}
				checkPerThread(t, printed, threads, n, "line")
			}
		})
	}
}
