package history

import (
	"sync"
	"time"
)

// DefaultTranscriptLines is how many lines a session keeps by default.
const DefaultTranscriptLines = 10000

// DefaultTranscriptBytes is how many bytes of text a session keeps by
// default.
const DefaultTranscriptBytes = 4 << 20

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

// Transcript is a bounded record of a session's output: the last lines,
// at most maxLines of them holding at most maxBytes of text, with a
// count of older lines dropped. The oldest lines are dropped first; the
// newest line is always kept, whatever its length. Lines have absolute
// indexes, counted from the first line ever appended, so a reader can
// remember where it stopped. It is safe for concurrent use.
type Transcript struct {
	mu       sync.Mutex
	maxLines int
	maxBytes int64
	ring     []Line        // grows by doubling up to maxLines
	head     int           // ring index of the oldest kept line
	n        int           // lines kept
	bytes    int64         // text bytes kept
	total    int64         // lines ever appended
	changed  chan struct{} // closed at the next append; nil until asked for
}

// NewTranscript returns a transcript keeping at most limit lines and
// DefaultTranscriptBytes bytes.
func NewTranscript(limit int) *Transcript {
	return NewTranscriptBounded(limit, DefaultTranscriptBytes)
}

// NewTranscriptBounded returns a transcript keeping at most lines lines
// holding at most bytes bytes of text.
func NewTranscriptBounded(lines int, bytes int64) *Transcript {
	t := &Transcript{}
	t.setLimits(lines, bytes)
	return t
}

// SetLimits changes the bounds, dropping the oldest lines beyond them.
func (t *Transcript) SetLimits(lines int, bytes int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.setLimits(lines, bytes)
	t.trim(t.maxLines, 0)
}

func (t *Transcript) setLimits(lines int, bytes int64) {
	t.maxLines, t.maxBytes = max(lines, 1), max(bytes, 1)
}

// Limits returns the bounds: lines and bytes.
func (t *Transcript) Limits() (lines int, bytes int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.maxLines, t.maxBytes
}

// Size returns how many lines, and bytes of text, are kept.
func (t *Transcript) Size() (lines int, bytes int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n, t.bytes
}

// Append records a line printed now.
func (t *Transcript) Append(text string) { t.AppendLine(Line{Time: time.Now(), Text: text}) }

// AppendLine records l.
func (t *Transcript) AppendLine(l Line) { t.AppendLines(0, []Line{l}) }

// AppendLines records that skipped lines were printed and dropped at
// once by the bounds, then the lines ls, as one AppendLine each would.
// A writer that knows ls alone fills the bounds need not make the lines
// it skips: they would be dropped, with every older line, all the same.
// Every line kept before is dropped when skipped > 0.
func (t *Transcript) AppendLines(skipped int64, ls []Line) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if skipped > 0 {
		t.trim(0, 0)
		t.total += skipped
	}
	for _, l := range ls {
		t.trim(t.maxLines-1, int64(len(l.Text)))
		if t.n == len(t.ring) {
			t.grow()
		}
		t.ring[(t.head+t.n)%len(t.ring)] = l
		t.n++
		t.bytes += int64(len(l.Text))
		t.total++
	}
	if t.changed != nil && (skipped > 0 || len(ls) > 0) {
		close(t.changed)
		t.changed = nil
	}
}

// trim drops the oldest lines until at most lines are kept and room more
// bytes fit within the byte bound, or nothing is kept.
func (t *Transcript) trim(lines int, room int64) {
	for t.n > 0 && (t.n > lines || t.bytes+room > t.maxBytes) {
		t.bytes -= int64(len(t.ring[t.head].Text))
		t.ring[t.head] = Line{} // let the text go
		t.head = (t.head + 1) % len(t.ring)
		t.n--
	}
	if t.n == 0 {
		t.head = 0
	}
}

// grow makes room for one more line; the caller has trimmed, so the
// ring holds fewer than maxLines lines.
func (t *Transcript) grow() {
	size := min(max(2*len(t.ring), 16), t.maxLines)
	ring := make([]Line, size)
	for i := 0; i < t.n; i++ {
		ring[i] = t.ring[(t.head+i)%len(t.ring)]
	}
	t.ring, t.head = ring, 0
}

// Total returns how many lines were ever appended; the next line's index.
func (t *Transcript) Total() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

// Dropped returns how many old lines were dropped to keep the bounds.
func (t *Transcript) Dropped() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total - int64(t.n)
}

// Changed returns a channel closed at the next Append. It is made when
// first asked for, so that appends nobody waits on make no channel.
func (t *Transcript) Changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.changed == nil {
		t.changed = make(chan struct{})
	}
	return t.changed
}

// Since returns the kept lines whose index is at least from, and the
// index of the first one returned (greater than from if lines between
// were dropped).
func (t *Transcript) Since(from int64) ([]Line, int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	first := t.total - int64(t.n)
	if from < first {
		from = first
	}
	n := int(t.total - from)
	out := make([]Line, 0, max(n, 0))
	for i := t.n - n; i < t.n; i++ {
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
