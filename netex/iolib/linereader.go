package iolib

import "bufio"

// readLineBytes reads up to and including the next LF, or to the end of
// the stream, from the socket's line reader. The bytes of the line held
// while it is read count against the socket's budget, so a peer that
// never ends its line costs at most the budget: past it the read is a
// HEAP-EXHAUSTED-ERROR and the partial line is dropped. A line that fits
// the reader's buffer is returned in that buffer: it is valid only until
// the next read.
func (s *Socket) readLineBytes() ([]byte, error) {
	var line []byte
	held, consumed := 0, 0
	defer func() {
		s.budget.release(held)
		s.extra.pending.Add(-int64(consumed))
	}()
	for {
		chunk, err := s.r.ReadSlice('\n')
		consumed += len(chunk)
		if len(chunk) > 0 {
			if rerr := s.budget.reserve(len(chunk)); rerr != nil {
				return nil, rerr
			}
			held += len(chunk)
		}
		if err != bufio.ErrBufferFull && line == nil {
			// The whole line is in the reader's buffer: return it
			// there, valid until the next read (the caller copies it).
			return chunk, err
		}
		line = appendBounded(line, chunk, s.budget.Limit())
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

// appendBounded appends chunk to line, growing line's array by doubling
// but never past limit (when limit is above 0 and the line fits in it),
// so that a line near the budget does not cost twice the budget.
func appendBounded(line, chunk []byte, limit int64) []byte {
	need := len(line) + len(chunk)
	if need <= cap(line) {
		return append(line, chunk...)
	}
	newCap := max(2*cap(line), need, 512)
	if limit > 0 && int64(newCap) > limit && int64(need) <= limit {
		newCap = int(limit)
	}
	grown := make([]byte, len(line), newCap)
	copy(grown, line)
	return append(grown, chunk...)
}
