package iolib

import "fmt"

// String prints the socket as IOLib 0.8.4 does, e.g.
// #<active IPv4 stream socket connected to 127.0.0.1/9999 {1002000003}>,
// #<passive IPv6 stream socket waiting @ ::/9999 {1002000003}> or
// #<IPv4 datagram socket waiting @ 0.0.0.0/43513 {1002000003}>.
func (s *Socket) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.typ == Datagram {
		return fmt.Sprintf("#<%s datagram socket%s %s>", s.family, s.datagramState(), s.id)
	}
	kind := "active"
	if s.passive {
		kind = "passive"
	}
	var what string
	switch s.state {
	case stUnbound:
		what = ", unbound"
	case stBound:
		what = fmt.Sprintf(" bound to %s/%d", s.local.Addr(), s.local.Port())
	case stListening:
		what = fmt.Sprintf(" waiting @ %s/%d", s.local.Addr(), s.local.Port())
	case stUnconnected, stConnected:
		// As IOLib's printer: connected while getpeername succeeds.
		what = ", unconnected"
		if peer, ok := s.peerNow(); ok {
			what = fmt.Sprintf(" connected to %s/%d", peer.Addr(), peer.Port())
		}
	case stClosed:
		what = ", closed"
	}
	return fmt.Sprintf("#<%s %s stream socket%s %s>", kind, s.family, what, s.id)
}

// datagramState is the middle of a datagram socket's print form: where
// it is connected to, else where it waits (its local address, the
// unspecified address and port 0 before it is bound or has sent).
func (s *Socket) datagramState() string {
	switch s.state {
	case stConnected:
		return fmt.Sprintf(" connected to %s/%d", s.remote.Addr(), s.remote.Port())
	case stClosed:
		return ", closed"
	}
	return fmt.Sprintf(" waiting @ %s/%d", s.local.Addr(), s.local.Port())
}
