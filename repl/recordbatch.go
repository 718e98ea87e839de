package repl

import (
	"bytes"
	"slices"
	"unsafe"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/repl/visible"
)

// How a drain turns the queued bytes into transcript lines (see
// record.go): split, cut, made in blocks of one string, and, while the
// lines are not shown, only as many as the transcript can keep.

// recordChunks records the lines of chunks, whose bytes are in buf,
// and prints them in live mode; s.mu is held.
func (s *Session) recordChunks(buf []byte, chunks []outChunk, dropped int64) {
	shown := s.live && !s.muted
	var refs []lineRef
	skipped := 0
	if shown {
		refs = splitChunks(s.q.refs[:0], buf, chunks)
	} else {
		maxLines, maxBytes := s.log.Limits()
		refs, skipped = splitKept(s.q.refs[:0], buf, chunks, maxLines, maxBytes)
	}
	lines := s.q.lines[:0]
	blk, ends, from := s.q.blk[:0], s.q.ends[:0], 0
	for _, r := range refs {
		c := chunks[r.chunk]
		blk = visible.AppendCut(blk, buf[r.start:r.end], maxLineBytes)
		ends = append(ends, len(blk))
		lines = append(lines, history.Line{Time: c.at, Source: c.seq, Hidden: s.muted})
		if len(blk) >= textBlock {
			setTexts(lines[from:], blk, ends)
			blk, ends, from = blk[:0], ends[:0], len(lines)
		}
	}
	setTexts(lines[from:], blk, ends)
	var show []byte
	if shown {
		show = make([]byte, 0, len(buf)+len(lines)*(len(s.label.text())+2))
		for _, l := range lines {
			show = appendLine(show, s.label.text(), l.Text, s.rawShow)
		}
	}
	s.log.AppendLines(dropped+int64(skipped), lines)
	clear(lines) // the transcript has them; let go of the text here
	s.q.refs, s.q.lines, s.q.blk, s.q.ends = keepScratch(refs), keepScratch(lines), blk[:0], keepScratch(ends)
	s.shownLocked(show)
}

// textBlock is about how many bytes of line text share one string: one
// allocation for a block of lines rather than one per line. A kept line
// keeps its block; the transcript keeps the newest lines, so at most
// one block is partly lines it dropped.
const textBlock = 16 << 10

// setTexts sets the text of ls from blk, line k ending at ends[k], with
// one string for them all.
func setTexts(ls []history.Line, blk []byte, ends []int) {
	text, start := string(blk), 0
	for k := range ls {
		ls[k].Text = text[start:ends[k]]
		start = ends[k]
	}
}

// lineRef is a line in a drained buffer: buf[start:end], from chunk.
type lineRef struct {
	start, end int
	chunk      int
}

// splitChunks appends to refs the lines of each chunk: its bytes, the
// last newline dropped, split at each newline, as WriteThread says.
func splitChunks(refs []lineRef, buf []byte, chunks []outChunk) []lineRef {
	for i := range chunks {
		start, end := chunkText(buf, chunks, i)
		for {
			j := bytes.IndexByte(buf[start:end], '\n')
			if j < 0 {
				refs = append(refs, lineRef{start: start, end: end, chunk: i})
				break
			}
			refs = append(refs, lineRef{start: start, end: start + j, chunk: i})
			start += j + 1
		}
	}
	return refs
}

// splitKept is splitChunks for only the lines the bounds keep once
// all are recorded: the newest lines, at most maxLines of them and
// maxBytes of (cut) text, and at least the last line. It returns how
// many older lines it skipped, counted, not split.
func splitKept(refs []lineRef, buf []byte, chunks []outChunk, maxLines int, maxBytes int64) ([]lineRef, int) {
	var size int64
	for ci := len(chunks) - 1; ci >= 0; ci-- {
		start, end := chunkText(buf, chunks, ci)
		for {
			j := bytes.LastIndexByte(buf[start:end], '\n')
			from := start + j + 1 // start when j < 0
			n := int64(visible.CutLen(buf[from:end], maxLineBytes))
			if len(refs) > 0 && (len(refs) >= maxLines || size+n > maxBytes) {
				skipped := bytes.Count(buf[start:end], []byte("\n")) + 1 + countLines(buf, chunks[:ci])
				slices.Reverse(refs)
				return refs, skipped
			}
			refs = append(refs, lineRef{start: from, end: end, chunk: ci})
			size += n
			if j < 0 {
				break
			}
			end = start + j
		}
	}
	slices.Reverse(refs)
	return refs, 0
}

// chunkText returns where chunk ci's text is in buf, its last newline
// dropped.
func chunkText(buf []byte, chunks []outChunk, ci int) (start, end int) {
	if ci > 0 {
		start = chunks[ci-1].end
	}
	end = chunks[ci].end
	if end > start && buf[end-1] == '\n' {
		end--
	}
	return start, end
}

// keepScratch keeps a scratch slice for the next drain, unless it is
// over maxScratch bytes, which only a pathological drain needs.
func keepScratch[T any](s []T) []T {
	if scratchBytes(s) > maxScratch {
		return nil
	}
	return s[:0]
}

// trimScratch lets a scratch slice go if it is over quietScratch bytes:
// a flood has ended.
func trimScratch[T any](s []T) []T {
	if scratchBytes(s) > quietScratch {
		return nil
	}
	return s
}

func scratchBytes[T any](s []T) uintptr {
	var zero T
	return uintptr(cap(s)) * unsafe.Sizeof(zero)
}

// A session keeps its buffers between drains, up to maxScratch bytes
// each, while lines keep coming; once they stop for trimAfter,
// up to quietScratch bytes.
const (
	maxScratch   = 2 * sizeToMax * hiddenSize
	quietScratch = 256 << 10
)

// putSpare keeps a drained buffer for the next drain and sets the size.
func (q *outQueue) putSpare(buf []byte, chunks []outChunk, size int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.size = size
	q.keepSpareLocked(buf, chunks)
}

// keepSpare keeps a buffer whose lines are recorded for the next drain,
// unless a larger one is kept already.
func (q *outQueue) keepSpare(buf []byte, chunks []outChunk) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.keepSpareLocked(buf, chunks)
}

// keepSpareLocked is keepSpare with q.mu held.
func (q *outQueue) keepSpareLocked(buf []byte, chunks []outChunk) {
	if cap(buf) >= cap(q.spare) {
		q.spare = keepScratch(buf)
	}
	if cap(chunks) >= cap(q.spareC) {
		q.spareC = keepScratch(chunks)
	}
}

// trimLocked lets go of buffers a flood made; s.mu is held.
func (s *Session) trimLocked() {
	q := &s.q
	q.refs, q.lines, q.blk, q.ends = trimScratch(q.refs), trimScratch(q.lines), trimScratch(q.blk), trimScratch(q.ends)
	q.mu.Lock()
	defer q.mu.Unlock()
	q.spare, q.spareC = trimScratch(q.spare), trimScratch(q.spareC)
}

// drainLazy is drain for the recorder: while the lines are hidden, a
// drain whose lines alone reach the transcript's line bound would push
// out every line recorded before it, so it only counts its lines and
// keeps their bytes (pend). The next such drain drops them, counted, as
// the transcript would have; any other drain makes them first. So a
// muted flood makes lines only when someone looks, or when it stops.
func (s *Session) drainLazy() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainMode(true)
}

// drainMode is drainLocked, lazy or not; s.mu is held.
func (s *Session) drainMode(lazy bool) {
	q := &s.q
	q.mu.Lock()
	buf, chunks := q.buf, q.chunks
	q.buf, q.chunks = q.spare[:0], q.spareC[:0]
	q.spare, q.spareC = nil, nil
	q.mu.Unlock()
	size := hiddenSize
	if s.live && !s.muted {
		size = shownSize
	}
	if lazy && size == hiddenSize && len(chunks) > 0 {
		if n, ok := s.supersedes(buf, chunks); ok {
			q.pendSkip += q.pendLines
			buf, chunks, q.pend, q.pendC, q.pendLines = q.pend, q.pendC, buf, chunks, n
			q.putSpare(buf, chunks, size)
			return
		}
	}
	s.makePending()
	if len(chunks) > 0 {
		s.recordChunks(buf, chunks, 0)
	}
	q.putSpare(buf, chunks, size)
}

// supersedes reports whether the lines of chunks alone fill the
// transcript's line bound, and how many they are.
func (s *Session) supersedes(buf []byte, chunks []outChunk) (int64, bool) {
	maxLines, _ := s.log.Limits()
	if maxLines <= 0 {
		return 0, false
	}
	n := int64(countLines(buf, chunks))
	return n, n >= int64(maxLines)
}

// countLines returns how many lines chunks hold, as splitChunks splits
// them.
func countLines(buf []byte, chunks []outChunk) int {
	n := 0
	for ci := range chunks {
		start, end := chunkText(buf, chunks, ci)
		n += bytes.Count(buf[start:end], []byte("\n")) + 1
	}
	return n
}

// makePending records the lines a lazy drain left unmade, after the
// dropped ones it counted; s.mu is held.
func (s *Session) makePending() {
	q := &s.q
	if q.pend == nil {
		return
	}
	pend, pendC, skip := q.pend, q.pendC, q.pendSkip
	q.pend, q.pendC, q.pendLines, q.pendSkip = nil, nil, 0, 0
	s.recordChunks(pend, pendC, skip)
	q.keepSpare(pend, pendC)
}
