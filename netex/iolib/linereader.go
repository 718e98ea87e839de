package iolib

import (
	"bufio"
	"bytes"
	"context"
	"io"

	"golang.org/x/sys/unix"
)

// ReadLine reads one line, accepting CRLF or LF and stripping it. At the
// end of the stream it returns an END-OF-FILE condition; a last line
// without a terminator is returned first. A line is bytes: what is not
// UTF-8 comes back as it was sent. A line longer than the socket's heap
// budget is a HEAP-EXHAUSTED-ERROR (readLineBytes).
func (s *Socket) ReadLine(ctx context.Context) (string, error) {
	b, err := s.ReadLineBytes(ctx)
	return string(b), err
}

// ReadLineBytes is ReadLine without the copy: the line it returns is in
// the socket's read buffer, valid only until the next read. When a whole
// line is already buffered it returns it without arming the guard, since
// nothing can block.
func (s *Socket) ReadLineBytes(ctx context.Context) ([]byte, error) {
	b, ok := s.bufferedLine()
	if ok {
		if ctx.Err() != nil {
			return nil, s.interrupted()
		}
		s.Consume(len(b))
		return TrimEOL(b), nil
	}
	g, err := s.guard(ctx, unix.POLLIN)
	if err != nil {
		return nil, err
	}
	defer g.end()
	b, err = s.readLineBytes()
	if err == io.EOF {
		if len(b) > 0 {
			return b, nil
		}
		return nil, &Condition{Kind: EndOfFile, FD: s.fd}
	}
	if err != nil {
		return nil, err
	}
	return TrimEOL(b), nil
}

// SetReadBufferSize gives the socket a line reader that reads up to n
// bytes per system call instead of IOLib's 4096, for a socket whose
// lines are taken many at a time (BufferedLines). It does nothing once
// the reader holds bytes, so call it before the first read.
func (s *Socket) SetReadBufferSize(n int) {
	if s.r.Buffered() == 0 && s.r.Size() != n {
		s.r = bufio.NewReaderSize(sockReader{s}, n)
	}
}

// BufferedLines returns the whole lines the read buffer holds, each with
// its LF, without consuming them: the buffered bytes up to the last LF,
// or nil when they hold no whole line (then only ReadLineBytes can wait
// for one). A multiplexed handler takes them in one go and says with
// Consume how many bytes it took. They are valid until the next read or
// Consume. Like ReadLineBytes, it honours ctx and the heap budget: when
// ctx has ended it returns nil, and the next ReadLineBytes fails.
func (s *Socket) BufferedLines(ctx context.Context) []byte {
	b, _ := s.r.Peek(s.r.Buffered())
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 || ctx.Err() != nil || !s.fitsBudget(i+1) {
		return nil
	}
	return b[:i+1]
}

// Consume discards n bytes of what BufferedLines returned: the lines
// that were taken.
func (s *Socket) Consume(n int) {
	s.r.Discard(n)
	s.extra.pending.Add(-int64(n))
}

// bufferedLine returns the next line, LF included, when the read buffer
// already holds all of it and the heap budget has room for it, without
// consuming it: reading it then cannot block or fail.
func (s *Socket) bufferedLine() ([]byte, bool) {
	b := s.peekLine()
	if b == nil || !s.fitsBudget(len(b)) {
		return nil, false
	}
	return b, true
}

// fitsBudget reports whether n more bytes of line would fit the heap
// budget now, so that returning them from the buffer cannot fail where
// reading them would.
func (s *Socket) fitsBudget(n int) bool {
	if s.budget.reserve(n) != nil {
		return false
	}
	s.budget.release(n)
	return true
}

// peekLine returns the next line, LF included, if the read buffer holds
// all of it, without consuming it; otherwise nil.
func (s *Socket) peekLine() []byte {
	b, _ := s.r.Peek(s.r.Buffered())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1]
	}
	return nil
}

// TrimEOL strips a line's LF or CRLF.
func TrimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// Buffered reports how many received bytes wait in the read buffer.
func (s *Socket) Buffered() int { return s.r.Buffered() }

// HasBufferedLine reports whether the read buffer already holds a whole
// line, which ReadLine would then return without touching the socket.
// Multiplexed handlers that read one line per call use it to drain what
// epoll cannot see.
func (s *Socket) HasBufferedLine() bool { return s.peekLine() != nil }

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
