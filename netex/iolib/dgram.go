package iolib

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// The datagram API: a datagram socket is made with MakeSocket and
// Options{Type: Datagram}, bound with Bind, optionally connected with
// Connect, and closed with Close or Abort.

// SendTo sends buf as one datagram to to, or to the connected peer when
// to is the zero AddrPort, waiting while the send buffer is full. An
// unbound socket is bound to an ephemeral port by the send, and its print
// form shows it from then on.
func (s *Socket) SendTo(ctx context.Context, buf []byte, to netip.AddrPort) (int, error) {
	var sa unix.Sockaddr
	if to.IsValid() {
		var err error
		if sa, err = s.sockaddr(to.Addr(), int(to.Port())); err != nil {
			return 0, err
		}
	}
	g, err := s.guard(ctx, unix.POLLOUT)
	if err != nil {
		return 0, err
	}
	defer g.end()
	var n int
	var serr error
	err = s.rc.Write(func(fd uintptr) bool {
		n, serr = retryEINTR(func() (int, error) { return unix.SendmsgN(int(fd), buf, nil, sa, unix.MSG_NOSIGNAL) })
		return serr != unix.EAGAIN
	})
	switch {
	case err != nil:
		return 0, s.interrupted()
	case serr != nil:
		return 0, condErr(serr, s.fd)
	}
	return n, s.learnLocal()
}

// learnLocal records the local address the kernel chose, if it is new.
func (s *Socket) learnLocal() error {
	local, err := sockName(s.fd, unix.Getsockname)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.local = local
	s.mu.Unlock()
	return nil
}

// ReceiveFrom waits for one datagram, copies as much of it as fits into
// buf and returns that length and the sender's address. On a connected
// socket, an ICMP error from the peer is its condition, e.g.
// SOCKET-CONNECTION-REFUSED-ERROR for a port nobody listens on.
func (s *Socket) ReceiveFrom(ctx context.Context, buf []byte) (int, netip.AddrPort, error) {
	g, err := s.guard(ctx, unix.POLLIN)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	defer g.end()
	var n int
	var from unix.Sockaddr
	var serr error
	err = s.rc.Read(func(fd uintptr) bool {
		for {
			n, from, serr = unix.Recvfrom(int(fd), buf, 0)
			if serr != unix.EINTR {
				return serr != unix.EAGAIN
			}
		}
	})
	switch {
	case err != nil:
		return 0, netip.AddrPort{}, s.interrupted()
	case serr != nil:
		return 0, netip.AddrPort{}, condErr(serr, s.fd)
	}
	a, _ := addrPortOf(from)
	return n, a, nil
}

// WaitReadable waits until the socket has something to read (data, a
// connection to accept, an end of file or an error), for at most timeout
// (0: no limit), as IOLib's wait-until-fd-ready does. It reports false
// when the time ran out first.
func (s *Socket) WaitReadable(ctx context.Context, timeout time.Duration) (bool, error) {
	g, err := s.guard(ctx, unix.POLLIN)
	if err != nil {
		return false, err
	}
	defer g.end()
	s.mu.Lock()
	broken := s.broken
	s.mu.Unlock()
	if broken {
		return false, s.interrupted() // its deadline is past for good
	}
	if timeout > 0 {
		s.file.SetReadDeadline(time.Now().Add(timeout))
		defer s.file.SetReadDeadline(time.Time{})
	}
	ready := FDReady(s.fd, unix.POLLIN)
	err = s.rc.Read(func(uintptr) bool { return ready() })
	s.mu.Lock()
	broken = s.broken
	s.mu.Unlock()
	switch {
	case err == nil:
		return true, nil
	case ctx.Err() != nil || broken:
		return false, s.interrupted()
	case errors.Is(err, os.ErrDeadlineExceeded):
		return false, nil
	}
	return false, err
}
