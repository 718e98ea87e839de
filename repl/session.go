package repl

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/netex"
)

// maxLineBytes is the longest line a session keeps and shows whole.
const maxLineBytes = 4 << 10

// Session is a named, running (or ended) example.
type Session struct {
	name  string
	ex    *netex.Example
	run   *netex.Run
	stdin *netex.StdinPipe // nil unless the example reads standard input
	raw   *rawSession      // nil unless a raw client or listener
	log   *history.Transcript
	label label // "[name]", coloured when colour is on
	pr    *printer
	live  bool // lines are printed as they arrive
	// rawShow: lines are shown as received (connect --raw), not made
	// visible.
	rawShow bool
	ended   chan struct{}
	port    sessionPort // where it listened, for sockets --all
	q       outQueue    // lines printed, not yet recorded (record.go)

	mu       sync.Mutex
	final    string // the state once ended: stopped, failed, exited T/NIL
	reason   string // for a failed session, its unhandled condition
	endedAt  time.Time
	muted    bool
	expectAt int64 // transcript index after the last expect match
	shown    int64 // transcript index of the first line not yet printed
}

// finalSource is the Source of a session's final line ("stopped", "=>
// T"), after every thread's lines.
const finalSource = math.MaxInt

// record records lines from thread seq, or trace lines, after what the
// threads queued before, and in live mode prints them as one write.
func (s *Session) record(seq int, ls []string, trace bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainLocked()
	var show []byte
	now := time.Now()
	for _, l := range ls {
		show = s.appendLocked(show, history.Line{Time: now, Text: l, Source: seq, Trace: trace})
	}
	s.shownLocked(show)
}

// watch records the session's lines as they are printed (see
// record.go) until the run ends, then records how it ended.
func (s *Session) watch() {
	s.recordUntil(s.run.Done())
	res := s.run.Result()
	var lines []string
	var final string
	switch {
	case res.Stopped:
		lines, final = []string{"stopped"}, "stopped"
	case res.Err != nil:
		lines, final = unhandledLines(res.Err), "failed"
	default:
		lines, final = []string{"=> " + res.Lisp()}, "exited "+res.Lisp()
	}
	s.endRecording(lines)
	s.mu.Lock()
	s.final, s.endedAt = final, time.Now()
	if final == "failed" {
		s.reason = strings.Join(lines, " ")
	}
	s.mu.Unlock()
	close(s.ended)
}

// flushTo prints, in direct mode, the lines not yet shown up to index n.
// Lines are grouped by the thread that printed them, in thread start
// order: between two settled points the threads' interleaving is down
// to timing, and the grouping is what makes a script's output the same
// every run.
func (s *Session) flushTo(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainLocked()
	if s.live || n <= s.shown {
		return
	}
	lines, first := s.log.Since(s.shown)
	if int64(len(lines)) > n-first {
		lines = lines[:max(n-first, 0)]
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Source < lines[j].Source })
	var buf []byte
	if first > s.shown {
		buf = appendLine(buf, s.label.text(), fmt.Sprintf("... %d lines dropped", first-s.shown), false)
	}
	for _, l := range lines {
		if !l.Hidden {
			buf = appendLine(buf, s.label.text(), l.Text, s.rawShow)
		}
	}
	s.shown = n
	if len(buf) > 0 {
		s.pr.writeLines(buf)
	}
}

// flush prints every line not yet shown.
func (s *Session) flush() { s.flushTo(s.transcript().Total()) }

// idle reports whether the session is at rest: its example idle (see
// netex.Run.Idle) and, if it has ended, its end recorded.
func (s *Session) idle() bool {
	if !s.run.Idle() {
		return false
	}
	s.drain()
	select {
	case <-s.run.Done():
		return s.Ended()
	default:
		return true
	}
}

// Ended reports whether the session's example has ended.
func (s *Session) Ended() bool {
	select {
	case <-s.ended:
		return true
	default:
		return false
	}
}

// State is the session's state as the sessions command shows it.
func (s *Session) State() string {
	if s.Ended() {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.final
	}
	if _, ok := s.run.Addr(); ok {
		return "listening"
	}
	return "running"
}

// Addr returns the address to show: where a server listens, or "-".
func (s *Session) Addr() string {
	if a, ok := s.run.Addr(); ok && !s.Ended() {
		return fmt.Sprintf("%s:%d", a.Addr(), a.Port()) // H:P as the examples print it, no brackets
	}
	return "-"
}

// Uptime is how long the session has run, to a tenth of a second,
// frozen when it ended.
func (s *Session) Uptime() time.Duration {
	end := time.Now()
	if s.Ended() {
		end = s.EndedAt()
	}
	return end.Sub(s.run.Started()).Round(100 * time.Millisecond)
}

// EndedAt is when the session ended; zero while it runs.
func (s *Session) EndedAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endedAt
}

// failure is the unhandled condition a failed session ended with, or "".
func (s *Session) failure() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// isMuted reports whether the session's lines are hidden.
func (s *Session) isMuted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.muted
}

// pending reports whether the session printed lines not yet shown.
func (s *Session) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainLocked()
	return !s.live && s.shown < s.log.Total()
}
