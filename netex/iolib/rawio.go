package iolib

import "golang.org/x/sys/unix"

// The raw byte API of ex8: one nonblocking system call each, with the
// raw API's own conditions (EWOULDBLOCK, EPIPE).

// ReceiveInto does one nonblocking receive into buf. It returns an
// EWOULDBLOCK condition when nothing is ready and END-OF-FILE on a read
// of 0 bytes.
func (s *Socket) ReceiveInto(buf []byte) (int, error) {
	n, serr, err := s.rop.read(s, buf, false)
	return s.received(buf, n, serr, err)
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
	return s.received(buf, n, serr, err)
}

// received signals the raw API's conditions for a receive into buf that
// got n bytes, the system call's error serr and the poller's err.
func (s *Socket) received(buf []byte, n int, serr, err error) (int, error) {
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
	n, serr, err := s.wop.write(buf, false)
	switch {
	case err != nil:
		return 0, s.interrupted()
	case serr == unix.EPIPE:
		return 0, &Condition{Kind: BrokenPipe, Errno: unix.EPIPE, FD: s.fd}
	case serr != nil:
		return 0, condErr(serr, s.fd)
	}
	return n, nil
}
