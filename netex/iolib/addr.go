package iolib

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Family is a socket's address family.
type Family int

// The two address families.
const (
	IPv4 Family = iota
	IPv6
)

// String returns the family as IOLib prints it: "IPv4" or "IPv6".
func (f Family) String() string {
	if f == IPv6 {
		return "IPv6"
	}
	return "IPv4"
}

// FamilyOf returns the family of address a: IPv4 for a plain IPv4
// address, IPv6 for any other (an IPv4-mapped one included).
func FamilyOf(a netip.Addr) Family {
	if a.Is4() {
		return IPv4
	}
	return IPv6
}

func (f Family) unspecified() netip.Addr {
	if f == IPv6 {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

// Type is whether a socket is a stream (TCP) or a datagram (UDP) socket.
type Type int

// The two socket types.
const (
	Stream Type = iota
	Datagram
)

// String returns the type as IOLib prints it: "stream" or "datagram".
func (t Type) String() string {
	if t == Datagram {
		return "datagram"
	}
	return "stream"
}

// sockaddr converts addr:port for s's family: an IPv6 socket takes an
// IPv4 address as IPv4-mapped; an IPv4 socket refuses an IPv6 address
// that is not IPv4-mapped, with EAFNOSUPPORT as the kernel would.
func (s *Socket) sockaddr(addr netip.Addr, port int) (unix.Sockaddr, error) {
	if !addr.IsValid() {
		return nil, condErr(unix.EAFNOSUPPORT, s.fd)
	}
	if s.family == IPv6 {
		return &unix.SockaddrInet6{Port: port, Addr: addr.As16()}, nil
	}
	if addr = addr.Unmap(); !addr.Is4() {
		return nil, condErr(unix.EAFNOSUPPORT, s.fd)
	}
	return &unix.SockaddrInet4{Port: port, Addr: addr.As4()}, nil
}

// addrPortOf converts an IPv4 or IPv6 socket address. An IPv4 client of a
// dual-stack server stays IPv4-mapped (::ffff:127.0.0.1), as IOLib prints
// it.
func addrPortOf(sa unix.Sockaddr) (netip.AddrPort, bool) {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port)), true
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port)), true
	}
	return netip.AddrPort{}, false
}

// LookupHostname resolves host to its first IPv4 address, as the
// tutorial does. It is Lookup(ctx, host, IPv4).
func LookupHostname(ctx context.Context, host string) (netip.Addr, error) {
	return Lookup(ctx, host, IPv4)
}

// Lookup resolves host for a socket of family fam. For IPv4 it returns
// an IPv4 address literal or the name's first IPv4 address. For IPv6 it
// returns any address literal as it is, or the name's first IPv6
// address, or failing that its first IPv4 address (which an IPv6 socket
// reaches IPv4-mapped). A name that resolves to nothing usable is a
// RESOLVER-NO-NAME-ERROR condition.
func Lookup(ctx context.Context, host string, fam Family) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil && (a.Is4() || fam == IPv6) {
		return a, nil
	}
	networks := []string{"ip4"}
	if fam == IPv6 {
		networks = []string{"ip6", "ip4"}
	}
	for _, network := range networks {
		addrs, err := net.DefaultResolver.LookupNetIP(ctx, network, host)
		if err == nil && len(addrs) > 0 {
			if network == "ip4" {
				return addrs[0].Unmap(), nil
			}
			return addrs[0], nil
		}
	}
	return netip.Addr{}, &Condition{Kind: ResolverError, FD: -1, Msg: host}
}

// HostPort prints an address as the tutorial's H:P: 127.0.0.1:9999, or
// for IPv6 the address, a colon and the port with no brackets, as IOLib
// prints it (::1:9999, ::ffff:127.0.0.1:59556).
func HostPort(a netip.AddrPort) string { return fmt.Sprintf("%s:%d", a.Addr(), a.Port()) }

// HostPortList prints an address as the Lisp list (H P).
func HostPortList(a netip.AddrPort) string { return fmt.Sprintf("(%s %d)", a.Addr(), a.Port()) }
