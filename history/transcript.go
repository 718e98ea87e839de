package history

import (
	"sync"
	"time"
)

// DefaultTranscriptLines is how many lines a session keeps by default.
const DefaultTranscriptLines = 10000

// Line is one line a session printed, when, and by which of its threads
// (Source, in start order). Hidden lines were printed while the session
// was muted: kept, but not shown. Trace lines are the bytes a session's
// sockets moved, recorded by the shell's trace command, not printed by
// the session; their Text starts with "trace ".
type Line struct {
	Time   time.Time
	Text   string
	Source int
	Hidden bool
	Trace  bool
}

// Transcript is a bounded record of a session's output: the last max
// lines, with a count of older lines dropped. Lines have absolute
// indexes, counted from the first line ever appended, so a reader can
// remember where it stopped. It is safe for concurrent use.
type Transcript struct {
	mu      sync.Mutex
	max     int
	ring    []Line // grows by append up to max, then wraps
	head    int    // ring index of the oldest kept line
	total   int64  // lines ever appended
	changed chan struct{}
}

// NewTranscript returns a transcript keeping at most limit lines.
func NewTranscript(limit int) *Transcript {
	return &Transcript{max: max(limit, 1), changed: make(chan struct{})}
}

// Append records a line printed now.
func (t *Transcript) Append(text string) { t.AppendLine(Line{Time: time.Now(), Text: text}) }

// AppendLine records l.
func (t *Transcript) AppendLine(l Line) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.ring) < t.max {
		t.ring = append(t.ring, l)
	} else {
		t.ring[t.head] = l
		t.head = (t.head + 1) % t.max
	}
	t.total++
	close(t.changed)
	t.changed = make(chan struct{})
}

// Total returns how many lines were ever appended; the next line's index.
func (t *Transcript) Total() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

// Dropped returns how many old lines were dropped to keep the bound.
func (t *Transcript) Dropped() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total - int64(len(t.ring))
}

// Changed returns a channel closed at the next Append.
func (t *Transcript) Changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

// Since returns the kept lines whose index is at least from, and the
// index of the first one returned (greater than from if lines between
// were dropped).
func (t *Transcript) Since(from int64) ([]Line, int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	first := t.total - int64(len(t.ring))
	if from < first {
		from = first
	}
	n := int(t.total - from)
	out := make([]Line, 0, max(n, 0))
	for i := len(t.ring) - n; i < len(t.ring); i++ {
		out = append(out, t.ring[(t.head+i)%len(t.ring)])
	}
	return out, from
}

// Last returns the last n kept lines (all of them if n <= 0).
func (t *Transcript) Last(n int) []Line {
	total := t.Total()
	if n <= 0 {
		n = int(total)
	}
	lines, _ := t.Since(total - int64(n))
	return lines
}
