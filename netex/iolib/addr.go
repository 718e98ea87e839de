package iolib

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// LookupHostname resolves host to its first IPv4 address.
func LookupHostname(ctx context.Context, host string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil && a.Is4() {
		return a, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", host)
	if err != nil || len(addrs) == 0 {
		return netip.Addr{}, &Condition{Kind: ResolverError, FD: -1, Msg: host}
	}
	return addrs[0].Unmap(), nil
}

// HostPort prints an address as the tutorial's H:P, e.g. 127.0.0.1:9999.
func HostPort(a netip.AddrPort) string { return fmt.Sprintf("%s:%d", a.Addr(), a.Port()) }

// HostPortList prints an address as the Lisp list (H P).
func HostPortList(a netip.AddrPort) string { return fmt.Sprintf("(%s %d)", a.Addr(), a.Port()) }
