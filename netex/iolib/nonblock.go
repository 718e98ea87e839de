package iolib

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// The nonblocking connect and accept of UNP §16.3-16.6, one system call
// each, for examples that drive them from an event base.

// StartConnect begins a nonblocking connect to addr:port. It reports
// inProgress when the kernel answered EINPROGRESS: the socket becomes
// writable when the connect is done, and FinishConnect says how it went.
// A connect that succeeds or fails at once is reported at once.
func (s *Socket) StartConnect(addr netip.Addr, port int) (inProgress bool, err error) {
	sa, err := s.sockaddr(addr, port)
	if err != nil {
		return false, err
	}
	serr := unix.Connect(s.fd, sa)
	switch serr {
	case unix.EINPROGRESS, unix.EINTR:
		s.mu.Lock()
		s.remote = netip.AddrPortFrom(addr, uint16(port))
		s.mu.Unlock()
		return true, nil
	case nil:
		return false, s.learnNames(stConnected)
	}
	return false, condErr(serr, s.fd)
}

// FinishConnect reads the outcome of a connect StartConnect began, from
// SO_ERROR, once the socket is writable: nil when connected, the
// condition of the error otherwise (SOCKET-CONNECTION-REFUSED-ERROR for a
// refused connect), EWOULDBLOCK while it is still under way.
func (s *Socket) FinishConnect() error {
	switch serr := connectDone(s.fd); serr {
	case nil:
		return s.learnNames(stConnected)
	case unix.EINPROGRESS:
		return &Condition{Kind: WouldBlock, Errno: unix.EAGAIN, FD: s.fd}
	default:
		return condErr(serr, s.fd)
	}
}

// AcceptNow makes one nonblocking accept on a listening socket. Nothing
// to accept is an EWOULDBLOCK condition, and a connection that went away
// in the queue on a system that reports it is ECONNABORTED (a
// SOCKET-ERROR); neither is retried. The new socket knows its peer as
// accept returned it; PeerName asks the kernel again.
func (s *Socket) AcceptNow() (*Socket, error) {
	var nfd int
	var peer unix.Sockaddr
	var serr error
	err := s.rc.Read(func(fd uintptr) bool {
		for {
			nfd, peer, serr = unix.Accept4(int(fd), unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
			if serr != unix.EINTR {
				return true
			}
		}
	})
	if err != nil {
		return nil, s.interrupted()
	}
	if serr != nil {
		return nil, condErr(serr, s.fd)
	}
	return s.accepted(nfd, peer)
}

// PeerName asks the kernel for the peer's address now (getpeername). A
// peer that reset the connection before it was accepted is gone: the
// error is then a SOCKET-ERROR with errno ENOTCONN.
func (s *Socket) PeerName() (netip.AddrPort, error) {
	return sockName(s.fd, unix.Getpeername)
}
