package iolib

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// RemoteName asks the kernel for the peer's address now (getpeername),
// as IOLib's remote-name does. Once the peer has gone (it reset, or both
// sides' FINs have been exchanged) that is a SOCKET-NOT-CONNECTED-ERROR;
// a closed socket is an EBADF socket error.
func (s *Socket) RemoteName() (netip.AddrPort, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stClosed {
		return netip.AddrPort{}, condErr(unix.EBADF, s.fd)
	}
	return sockName(s.fd, unix.Getpeername)
}

// peerNow is the peer's address by getpeername, for the printed form;
// s.mu must be held, which keeps the fd open.
func (s *Socket) peerNow() (netip.AddrPort, bool) {
	sa, err := unix.Getpeername(s.fd)
	if err != nil {
		return netip.AddrPort{}, false
	}
	return addrPortOf(sa)
}
