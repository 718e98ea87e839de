package repl

import (
	"bytes"
	"sync"
	"time"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/repl/visible"
)

// A session's threads do not record their lines themselves. A thread
// that prints only appends the bytes, with its seq and the time, to the
// session's queue (outQueue): one short lock and one copy. The session's
// watch goroutine records what waits (drain): it splits the lines, cuts
// them to maxLineBytes, appends them to the transcript and, live and
// unmuted, hands them to the printer. It records after a quiet spell at
// once, then at most every recordInterval (sooner when its size waits)
// while lines keep coming, so a busy server's lines are recorded
// in batches.
//
// Whoever reads the transcript or changes how lines are recorded (mute,
// live) drains the queue first, under the session's lock, so it sees
// every line printed before it looked, recorded as it would have been
// at once: same lines, same order, same Source, muted or not as the
// session was when it drained. The watch goroutine drains it once more
// when the Run is done, before the session's final line.

const (
	recordInterval = 10 * time.Millisecond
	// trimAfter is how long a session's lines must stop before it lets
	// go of the buffers a flood made.
	trimAfter = time.Second
	// shownSize is how much may wait before the queue is recorded
	// sooner than recordInterval, while the lines are shown (live and
	// unmuted): each drain's lines are all made and queued to print.
	shownSize = 16 << 10
	// hiddenSize is that size while the lines are not shown: large, so
	// that a flood's drain holds more lines than the transcript keeps,
	// and most are counted, not made (see recordChunks).
	hiddenSize = 2 << 20
	// A printing thread records the queue itself once sizeToMax times
	// the size waits, so a flood slows the example rather than growing
	// the queue without end.
	sizeToMax = 2
)

// outQueue holds what a session's threads printed and it has not yet
// recorded.
type outQueue struct {
	mu     sync.Mutex
	buf    []byte
	chunks []outChunk
	spare  []byte
	spareC []outChunk
	closed bool // the session's end is recorded: record at once
	size   int  // shownSize or hiddenSize, as the last drain found

	// A hidden drain whose lines alone reach the transcript's line bound
	// leaves them unmade, in pend (see drainLazy); the next such drain
	// drops them, counted in pendSkip, and every other drain makes them
	// first. These are used under the session's lock.
	pend      []byte
	pendC     []outChunk
	pendLines int64
	pendSkip  int64

	// Scratch space of drainLocked, used under the session's lock.
	refs  []lineRef
	lines []history.Line
	blk   []byte
	ends  []int

	wake chan struct{} // a chunk arrived in an empty queue
	full chan struct{} // size bytes wait
}

// outChunk is one WriteThread's bytes: buf[previous end:end].
type outChunk struct {
	seq int
	end int
	at  time.Time
}

// init makes the queue's channels; a session's queue is ready once
// the session is made (Shell.startRawSession).
func (q *outQueue) init() {
	q.wake, q.full = make(chan struct{}, 1), make(chan struct{}, 1)
	q.size = shownSize
}

// Write receives the example's output, whole lines at a time.
func (s *Session) Write(p []byte) (int, error) {
	s.WriteThread(0, p)
	return len(p), nil
}

// WriteThread receives whole lines printed by the example's thread seq
// and queues them to be recorded. It is safe for concurrent use; the
// lines of each call are recorded together, in the order of the calls.
func (s *Session) WriteThread(seq int, p []byte) {
	if !s.queue(seq, func(buf []byte) []byte { return append(buf, p...) }, true) {
		s.record(seq, splitLines(p), false)
	}
}

// AppendThread is WriteThread for a thread that builds its lines in
// place: fill appends them to the queue, under its lock, and appending
// nothing prints nothing. Once the session's end is recorded it does not
// call fill and returns false.
func (s *Session) AppendThread(seq int, fill func(buf []byte) []byte) bool {
	return s.queue(seq, fill, false)
}

// queue appends what fill appends to the queue as one chunk of thread
// seq's; an empty chunk only if empty says so (an empty write is an
// empty line). It returns false once the session's end is recorded.
func (s *Session) queue(seq int, fill func(buf []byte) []byte, empty bool) bool {
	now := time.Now()
	q := &s.q
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	before := len(q.buf)
	q.buf = fill(q.buf)
	if len(q.buf) == before && !empty {
		q.mu.Unlock()
		return true
	}
	q.chunks = append(q.chunks, outChunk{seq: seq, end: len(q.buf), at: now})
	after, size := len(q.buf), q.size
	q.mu.Unlock()
	if before == 0 {
		nudge(q.wake)
	}
	if before < size && after >= size {
		nudge(q.full)
	}
	if after >= sizeToMax*size {
		s.drainLazy()
	}
	return true
}

// nudge sends on a channel of capacity 1 unless a send is pending.
func nudge(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// splitLines splits whole lines, the last newline dropped.
func splitLines(p []byte) []string {
	p = bytes.TrimSuffix(p, []byte("\n"))
	if bytes.IndexByte(p, '\n') < 0 {
		return []string{string(p)} // the usual case, without a split
	}
	var ls []string
	for l := range bytes.SplitSeq(p, []byte("\n")) {
		ls = append(ls, string(l))
	}
	return ls
}

// recordUntil records the queue as lines arrive until done is closed.
// Once lines stop for a recordInterval it makes the lines a flood left
// unmade; after trimAfter of quiet it lets go of the buffers a flood
// made, so a server that pauses between bursts keeps them.
func (s *Session) recordUntil(done <-chan struct{}) {
	t := time.NewTimer(recordInterval)
	t.Stop()
	defer t.Stop()
	idle := time.NewTimer(trimAfter)
	idle.Stop()
	defer idle.Stop()
	for {
		select {
		case <-s.q.wake:
		case <-idle.C:
			s.mu.Lock()
			s.trimLocked()
			s.mu.Unlock()
			continue
		case <-done:
			return
		}
		idle.Stop()
		s.drainLazy()
		t.Reset(recordInterval)
		select {
		case <-t.C:
			if len(s.q.wake) == 0 { // nothing came meanwhile
				s.drain()
				idle.Reset(trimAfter)
			}
		case <-s.q.full:
		case <-done:
			return
		}
	}
}

// drain records every line queued so far.
func (s *Session) drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainLocked()
}

// drainLocked records every line queued so far; s.mu is held, which
// keeps drains in order. Lines are made as strings in blocks (see
// textBlock), and, unless they are shown, only those the transcript's
// bounds can keep: a flood's older lines are counted, not made.
func (s *Session) drainLocked() { s.drainMode(false) }

// appendLocked records l, cut to maxLineBytes and hidden if the session
// is muted, and appends it to show if it is shown live; s.mu is held.
func (s *Session) appendLocked(show []byte, l history.Line) []byte {
	l.Text = visible.Cut(l.Text, maxLineBytes)
	l.Hidden = s.muted
	s.log.AppendLine(l)
	if s.live && !s.muted {
		show = appendLine(show, s.label.text(), l.Text, s.rawShow)
	}
	return show
}

// shownLocked prints, in live mode, the lines appendLocked gathered in
// show; s.mu is held.
func (s *Session) shownLocked(show []byte) {
	if s.live {
		s.shown = s.log.Total()
	}
	if len(show) > 0 {
		s.pr.writeLines(show)
	}
}

// recordAll records every session's queued lines, so that what the
// sessions printed before a command returned is shown (live) before
// what the shell prints next, as when each line was recorded at once.
func (sh *Shell) recordAll() {
	for _, s := range sh.list() {
		s.drain()
	}
}

// transcript returns the session's transcript with every line printed
// so far recorded.
func (s *Session) transcript() *history.Transcript {
	s.drain()
	return s.log
}

// endRecording records what is queued and then the session's final
// lines, after every thread's lines; lines printed later are recorded
// at once.
func (s *Session) endRecording(final []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainLocked()
	s.q.refs, s.q.lines, s.q.blk, s.q.ends = nil, nil, nil, nil
	s.q.mu.Lock()
	s.q.closed = true
	s.q.buf, s.q.chunks, s.q.spare, s.q.spareC = nil, nil, nil, nil
	s.q.mu.Unlock()
	var show []byte
	now := time.Now()
	for _, l := range final {
		show = s.appendLocked(show, history.Line{Time: now, Text: l, Source: finalSource})
	}
	s.shownLocked(show)
}
