package iolib

import "io"

// outBufSize is how many bytes of output are buffered before they are
// pushed to the socket without a flush, as bufio's default.
const outBufSize = 4096

// outBuf is a socket's output buffer. Unlike bufio.Writer it keeps no
// error: a flush that fails keeps what was not sent, and the next flush
// tries the socket again, as IOLib's finish-output does, so that a
// second flush after a reset meets the kernel's next answer (EPIPE, a
// hangup) rather than the first one again.
type outBuf struct {
	b []byte
	w io.Writer
}

// WriteString buffers s, pushing the buffer to the socket once it holds
// outBufSize bytes or more.
func (o *outBuf) WriteString(s string) (int, error) {
	o.b = append(o.b, s...)
	if len(o.b) >= outBufSize {
		return len(s), o.Flush()
	}
	return len(s), nil
}

// Flush writes the buffered bytes; those not written stay buffered.
func (o *outBuf) Flush() error {
	if len(o.b) == 0 {
		return nil
	}
	n, err := o.w.Write(o.b)
	o.b = o.b[:copy(o.b, o.b[n:])]
	return err
}

// Buffered returns how many bytes wait to be written.
func (o *outBuf) Buffered() int { return len(o.b) }
