package loadgen

import (
	"bufio"
	"bytes"
	"io"
	"time"
)

// sessionFor returns the function that runs one connection of mode m.
func sessionFor(m Mode) func(w *worker) error {
	switch m {
	case Batch:
		return batchSession
	case Daytime:
		return daytimeOp
	case Connect:
		return connectOp
	}
	return echoSession
}

// fill writes the seq-th line of client id into line: letters that shift
// with both, so that a lost, added or changed byte never matches, and a
// final newline.
func fill(line []byte, id, seq int) {
	for j := range len(line) - 1 {
		line[j] = 'a' + byte((id*7+seq+j)%26)
	}
	line[len(line)-1] = '\n'
}

// readLine reads one line from br; a line longer than want is wrong.
func readLine(br *bufio.Reader) ([]byte, error) {
	got, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, errWrongEcho
	}
	if err == io.EOF && len(got) > 0 {
		return nil, io.ErrUnexpectedEOF
	}
	return got, err
}

// sameLine reports whether got echoes sent, a line ending in a newline.
// The tutorial's servers write lines with CRLF, so a CR before the
// newline is the line ending, not an added byte.
func sameLine(got, sent []byte) bool {
	if len(got) == len(sent)+1 {
		n := len(sent) - 1
		return bytes.Equal(got[:n], sent[:n]) && got[n] == '\r' && got[n+1] == '\n'
	}
	return bytes.Equal(got, sent)
}

// echoSession opens one connection and does round trips on it until the
// step ends or the client's rounds are done.
func echoSession(w *worker) error {
	c, err := w.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	defer w.guard(c)()
	size := w.l.cfg.Size
	br := bufio.NewReaderSize(c, max(size+1, 64))
	line := make([]byte, size)
	for w.more() {
		fill(line, w.id, w.done)
		if !w.deadline(c) {
			return nil
		}
		t0 := time.Now()
		if _, err := c.Write(line); err != nil {
			return err
		}
		got, err := readLine(br)
		if err != nil {
			w.cutOff(&w.lat, t0)
			return err
		}
		if !sameLine(got, line) {
			return errWrongEcho
		}
		w.op(time.Since(t0))
	}
	return nil
}

// batchSession sends a whole batch of lines while reading the echoes,
// half-closes, checks that every line came back in order and then
// end-of-file. Every line is an operation; the latency recorded is the
// whole batch's, connection included.
func batchSession(w *worker) error {
	n := w.l.cfg.Rounds
	if n == 0 {
		n = DefaultBatchLines
	}
	defer func() { w.done += n }()
	t0 := time.Now()
	c, err := w.dial()
	if err != nil {
		return err
	}
	var werr error
	wdone := make(chan struct{})
	defer func() { c.Close(); <-wdone }()
	defer w.guard(c)()
	go func() { werr = w.sendBatch(c, n); close(wdone) }()
	if err := w.readBatch(c, n); err != nil {
		return err
	}
	<-wdone
	if werr != nil {
		return werr
	}
	if w.l.ctx.Err() == nil {
		w.lat.record(time.Since(t0))
	}
	return nil
}

// sendBatch writes n lines in large writes, then shuts down the write
// side.
func (w *worker) sendBatch(c interface {
	io.Writer
	CloseWrite() error
	SetWriteDeadline(time.Time) error
}, n int) error {
	size := w.l.cfg.Size
	buf := make([]byte, 0, 64*1024+size)
	for i := range n {
		buf = buf[:len(buf)+size]
		fill(buf[len(buf)-size:], w.id, i)
		if len(buf) >= 64*1024 || i == n-1 {
			c.SetWriteDeadline(time.Now().Add(w.l.cfg.Timeout))
			if w.l.ctx.Err() != nil {
				return nil
			}
			if _, err := c.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return c.CloseWrite()
}

// readBatch reads n echoed lines, checking each, and then end-of-file.
func (w *worker) readBatch(c interface {
	io.Reader
	SetReadDeadline(time.Time) error
}, n int) error {
	size := w.l.cfg.Size
	br := bufio.NewReaderSize(c, max(size+1, 64*1024))
	want := make([]byte, size)
	for i := range n {
		if i%256 == 0 {
			c.SetReadDeadline(time.Now().Add(w.l.cfg.Timeout))
			if w.l.ctx.Err() != nil {
				return nil
			}
		}
		got, err := readLine(br)
		if err != nil {
			return err
		}
		fill(want, w.id, i)
		if !sameLine(got, want) {
			return errWrongEcho
		}
		if w.l.ctx.Err() == nil {
			w.l.ops.Add(1)
		}
	}
	c.SetReadDeadline(time.Now().Add(w.l.cfg.Timeout))
	if _, err := br.ReadByte(); err != io.EOF {
		if err == nil {
			return errWrongEcho
		}
		return err
	}
	return nil
}

// daytimeOp connects, reads the server's one line and its end-of-file,
// and closes: one operation, timed from before the connect.
func daytimeOp(w *worker) error {
	t0 := time.Now()
	c, err := w.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	if !w.deadline(c) {
		return nil
	}
	defer w.guard(c)()
	br := bufio.NewReaderSize(c, 256)
	got, err := readLine(br)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(got)) == 0 {
		return errWrongEcho
	}
	// Reading the end-of-file lets the server close first, so the client
	// side is not left in TIME_WAIT; anything else is not an error here.
	br.ReadByte()
	w.op(time.Since(t0))
	return nil
}

// connectOp connects and closes at once: the operation is the connect.
func connectOp(w *worker) error {
	t0 := time.Now()
	c, err := w.dial()
	if err != nil {
		return err
	}
	d := time.Since(t0)
	c.Close()
	w.op(d)
	return nil
}
