package iolib

import "golang.org/x/sys/unix"

// The raw byte API of ex8: one nonblocking system call each, with the
// raw API's own conditions (EWOULDBLOCK, EPIPE).

// ReceiveInto does one nonblocking receive into buf. It returns an
// EWOULDBLOCK condition when nothing is ready and END-OF-FILE on a read
// of 0 bytes.
func (s *Socket) ReceiveInto(buf []byte) (int, error) {
	return s.receive(buf, func(fd int) (int, error) { return unix.Read(fd, buf) })
}

// receive makes one nonblocking read with read, which reads into buf,
// and signals the raw API's conditions.
func (s *Socket) receive(buf []byte, read func(fd int) (int, error)) (int, error) {
	var n int
	var serr error
	err := s.rc.Read(func(fd uintptr) bool {
		n, serr = retryEINTR(func() (int, error) { return read(int(fd)) })
		return true
	})
	switch {
	case err != nil:
		return 0, s.interrupted()
	case serr != nil:
		return 0, condErr(serr, s.fd)
	case n == 0 && len(buf) > 0:
		return 0, &Condition{Kind: EndOfFile, FD: s.fd}
	}
	s.traced(true, buf[:n])
	return n, nil
}

// SendFrom does one nonblocking send of buf and returns how much went. A
// gone peer is the raw API's EPIPE condition, not HANGUP.
func (s *Socket) SendFrom(buf []byte) (int, error) {
	var n int
	var serr error
	err := s.rc.Write(func(fd uintptr) bool {
		n, serr = retryEINTR(func() (int, error) {
			return unix.SendmsgN(int(fd), buf, nil, nil, unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
		})
		return true
	})
	switch {
	case err != nil:
		return 0, s.interrupted()
	case serr == unix.EPIPE:
		return 0, &Condition{Kind: BrokenPipe, Errno: unix.EPIPE, FD: s.fd}
	case serr != nil:
		return 0, condErr(serr, s.fd)
	}
	s.traced(false, buf[:n])
	return n, nil
}
