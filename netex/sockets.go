package netex

import (
	"net/netip"
	"sort"

	"github.com/ionetsh/ionetsh/netex/sockview"
)

// SocketInfo is one socket a Run owns, as the shell's sockets command
// lists it.
type SocketInfo struct {
	FD          int
	Role        string         // listen, conn, or what the owner set (Socket.SetRole)
	Local, Peer netip.AddrPort // Peer is zero for a listener
	// AppBuf is how many bytes the example holds for this socket in
	// buffers above the kernel (Socket.AppBuf); -1 for a listener.
	AppBuf int
	Kernel sockview.Kernel
}

// Sockets lists the sockets the Run owns now, in fd order, each with
// what the kernel says of it. A socket closed meanwhile is left out; one
// that is not TCP has every kernel figure missing.
func (r *Run) Sockets() []SocketInfo {
	r.env.mu.Lock()
	ss := make([]*Socket, 0, len(r.env.sockets))
	for s := range r.env.sockets {
		ss = append(ss, s)
	}
	r.env.mu.Unlock()
	out := make([]SocketInfo, 0, len(ss))
	for _, s := range ss {
		var k sockview.Kernel
		var kerr error
		if err := s.Control(func(fd int) { k, kerr = sockview.Owned(fd) }); err != nil {
			continue // closed meanwhile
		}
		if kerr != nil { // not TCP (a datagram socket): no TCP_INFO
			k = sockview.Kernel{State: "-"}
		}
		out = append(out, SocketInfo{FD: s.FD(), Role: s.Role(), Local: s.LocalAddr(), Peer: s.RemoteAddr(),
			AppBuf: s.AppBuf(), Kernel: k})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FD < out[j].FD })
	return out
}

// TraceFunc receives the bytes each read or write moved on a Run's
// sockets. It is called from the example's threads and must not block.
type TraceFunc func(sockview.Event)

// SetTrace starts tracing the Run's sockets into fn, or stops with nil.
func (r *Run) SetTrace(fn TraceFunc) {
	if fn == nil {
		r.trace.Store(nil)
		return
	}
	r.trace.Store(&fn)
}

// Traced passes the bytes one of the Env's sockets moved to the Run's
// trace, if it is on (iolib.Tracer).
func (o *envOwner) Traced(s *Socket, in bool, data []byte) {
	if o.run == nil {
		return
	}
	fn := o.run.trace.Load()
	if fn == nil {
		return
	}
	(*fn)(sockview.Event{In: in, FD: s.FD(), Local: s.LocalAddr().String(), Peer: s.RemoteAddr().String(),
		Data: append([]byte(nil), data...)})
}
