package iolib

import (
	"context"

	"golang.org/x/sys/unix"
)

// TCP urgent data (UNP chapter 24). Linux keeps one urgent byte per
// connection: the last byte of a send with MSG_OOB. Out of band (the
// default) that byte is taken out of the stream and read apart with
// ReceiveUrgent; inline (SO_OOBINLINE) it stays in the stream, and the
// urgent mark (AtMark) says where.

// SendUrgent sends b as TCP urgent data (send with MSG_OOB), flushing
// buffered output first so that b follows it in the stream.
func (s *Socket) SendUrgent(ctx context.Context, b byte) error {
	if err := s.FinishOutput(ctx); err != nil {
		return err
	}
	var serr error
	err := s.rc.Write(func(fd uintptr) bool {
		_, serr = retryEINTR(func() (int, error) {
			return unix.SendmsgN(int(fd), []byte{b}, nil, nil, unix.MSG_OOB|unix.MSG_NOSIGNAL)
		})
		return serr != unix.EAGAIN
	})
	switch {
	case err != nil:
		return s.interrupted()
	case serr != nil:
		return condErr(serr, s.fd)
	}
	s.traced(false, []byte{b})
	return nil
}

// ReceiveUrgent reads the urgent byte out of band (recv with MSG_OOB).
// While the urgent pointer has come and the byte not yet, it is an
// EWOULDBLOCK condition; when there is none, or it was read already, or
// the socket reads it inline, a SOCKET-ERROR with errno EINVAL.
func (s *Socket) ReceiveUrgent() (byte, error) {
	var buf [1]byte
	_, err := s.receive(buf[:], func(fd int) (int, error) {
		n, _, err := unix.Recvfrom(fd, buf[:], unix.MSG_OOB)
		return n, err
	})
	return buf[0], err
}

// AtMark reports whether the next byte to read is at the urgent mark
// (ioctl SIOCATMARK, sockatmark(3)).
func (s *Socket) AtMark() (bool, error) {
	v, err := unix.IoctlGetInt(s.fd, unix.SIOCATMARK)
	if err != nil {
		return false, condErr(err, s.fd)
	}
	return v != 0, nil
}

// SetOOBInline turns SO_OOBINLINE on or off: with it on, the urgent byte
// is read in the stream, at the mark, rather than out of band. Accepted
// sockets inherit it from their listener.
func (s *Socket) SetOOBInline(on bool) error {
	v := 0
	if on {
		v = 1
	}
	if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_OOBINLINE, v); err != nil {
		return condErr(err, s.fd)
	}
	return nil
}
