package sockview

import (
	"errors"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Entry is one TCP socket as the kernel's socket diagnostics list it.
type Entry struct {
	Local, Peer netip.AddrPort
	Kernel
}

// Dump lists every TCP socket of the network namespace, IPv4 and IPv6,
// from the kernel's socket diagnostics. It needs no privilege.
func Dump() ([]Entry, error) {
	var out []Entry
	for _, fam := range []uint8{unix.AF_INET, unix.AF_INET6} {
		resp, err := netlink.SocketDiagTCPInfo(fam)
		if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
			return nil, err
		}
		for _, r := range resp {
			out = append(out, fromDiag(r))
		}
	}
	return out, nil
}

// fromDiag decodes one socket of a diagnostics dump. For a listener the
// kernel gives the accept queue as idiag_rqueue and the backlog as
// idiag_wqueue; for TIME_WAIT and embryonic (SYN_RECV) sockets it sends
// zeros in their place, as there are no queues, so they are left
// missing; byte counts and round-trip time come only with a full
// socket's tcp_info.
func fromDiag(r *netlink.InetDiagTCPInfoResp) Entry {
	m := r.InetDiagMsg
	e := Entry{
		Local:  addrPort(m.ID.Source, m.ID.SourcePort),
		Peer:   addrPort(m.ID.Destination, m.ID.DestinationPort),
		Kernel: Kernel{State: StateName(m.State), Inode: uint64(m.INode)},
	}
	switch m.State {
	case stateTimeWait, stateSynRecv, stateNewSynRecv:
		return e
	}
	e.RecvQ, e.SendQ = Some(uint64(m.RQueue)), Some(uint64(m.WQueue))
	if ti := r.TCPInfo; ti != nil && m.State != stateListen {
		e.BytesIn, e.BytesOut = Some(ti.Bytes_received), Some(ti.Bytes_sent-ti.Bytes_retrans)
		if ti.Rtt > 0 {
			e.RTTMicro = Some(uint64(ti.Rtt))
		}
	}
	return e
}

// addrPort turns a diagnostics address into a netip one, IPv4 unmapped.
func addrPort(ip net.IP, port uint16) netip.AddrPort {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(a.Unmap(), port)
}
