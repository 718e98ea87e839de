package iolib

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The socket's system calls run inside syscall.RawConn's Read and Write,
// which take a function. A closure made per call would allocate its
// captured variables each time; instead each socket keeps one readOp and
// one writeOp, whose method values are made once. A Socket is used by one
// goroutine at a time, so one of each is enough.

// readOp is one read(2) on the socket into p.
type readOp struct {
	p    []byte
	n    int
	err  error
	wait bool // on EAGAIN, wait through the poller for readability
	fn   func(fd uintptr) bool
}

func (o *readOp) do(fd uintptr) bool {
	for {
		o.n, o.err = unix.Read(int(fd), o.p)
		if o.err != unix.EINTR {
			break
		}
	}
	if o.err != nil {
		o.n = 0
	}
	return !o.wait || o.err != unix.EAGAIN
}

// read runs one read into p, waiting for data when wait is set, and
// returns the byte count, the system call's error and the poller's.
func (o *readOp) read(s *Socket, p []byte, wait bool) (int, error, error) {
	o.p, o.n, o.err, o.wait = p, 0, nil, wait
	err := s.rc.Read(o.fn)
	o.p = nil
	return o.n, o.err, err
}

// writeOp sends p. Waiting, it sends all of p, waiting through the poller
// while the send buffer is full; not waiting, it makes one nonblocking
// send. A peer that has gone is EPIPE, never SIGPIPE.
type writeOp struct {
	s    *Socket
	p    []byte
	n    int
	err  error
	wait bool
	fn   func(fd uintptr) bool
}

func (o *writeOp) do(fd uintptr) bool {
	flags := unix.MSG_NOSIGNAL
	if !o.wait {
		flags |= unix.MSG_DONTWAIT
	}
	for o.n < len(o.p) || !o.wait && o.n == 0 && len(o.p) == 0 {
		n, err := send(int(fd), o.p[o.n:], flags)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN && o.wait {
			return false
		}
		if err != nil {
			o.err = err
			return true
		}
		o.s.traced(false, o.p[o.n:o.n+n])
		o.n += n
		if !o.wait {
			break
		}
	}
	return true
}

// write runs the send of p and returns how much went, the system call's
// error and the poller's.
func (o *writeOp) write(p []byte, wait bool) (int, error, error) {
	o.p, o.n, o.err, o.wait = p, 0, nil, wait
	err := o.s.rc.Write(o.fn)
	o.p = nil
	return o.n, o.err, err
}

// initOps prepares the socket's readOp and writeOp.
func (s *Socket) initOps() {
	s.rop.fn = s.rop.do
	s.wop.s = s
	s.wop.fn = s.wop.do
}

// TrySend sends what the socket takes of p now, without waiting, and
// returns how much that was: 0, and no error, when the send buffer is
// full. It is the stream API's send, not the raw one: a peer that has
// gone is HANGUP, a reset CONNECTION-RESET. It bypasses the line writer,
// which must hold nothing (use it instead of WriteLine, not with it).
func (s *Socket) TrySend(p []byte) (int, error) {
	n, serr, err := s.wop.write(p, false)
	switch {
	case err != nil:
		return 0, s.interrupted()
	case serr == unix.EAGAIN:
		return 0, nil
	case serr != nil:
		return 0, condErr(serr, s.fd)
	}
	return n, nil
}

// send is send(2): sendto without an address, the cheapest way to pass
// flags (MSG_NOSIGNAL) with a send; x/sys's Sendto does not return the
// count, and sendmsg costs a message header and an iovec more.
func send(fd int, p []byte, flags int) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, errno := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
