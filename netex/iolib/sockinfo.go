package iolib

import "sync/atomic"

// sockExtra is what a Socket keeps for a caller's view of it: the role
// its owner gave it and the bytes held in buffers above the kernel.
type sockExtra struct {
	role     atomic.Pointer[string]
	reported atomic.Int64 // bytes the caller reports holding (ReportAppBuf)
	pending  atomic.Int64 // bytes read into the line reader, not yet returned
	wpending atomic.Int64 // bytes in the line writer, not yet flushed
}

// Tracer, implemented by an Owner, is told the bytes each read and write
// of its sockets moved, from the goroutine that did the I/O. data is
// only valid during the call.
type Tracer interface {
	Traced(s *Socket, in bool, data []byte)
}

// SetRole names the socket's role for a listing, e.g. proxy-up; by
// default a passive socket is "listen", a datagram socket "dgram" and an
// active one "conn".
func (s *Socket) SetRole(role string) { s.extra.role.Store(&role) }

// Role is the socket's role as SetRole set it, or its default.
func (s *Socket) Role() string {
	if r := s.extra.role.Load(); r != nil {
		return *r
	}
	if s.passive {
		return "listen"
	}
	if s.typ == Datagram {
		return "dgram"
	}
	return "conn"
}

// ReportAppBuf records how many bytes the caller holds for this socket
// in buffers of its own (a line queue, an io-buffer), for AppBuf.
func (s *Socket) ReportAppBuf(n int) { s.extra.reported.Store(int64(n)) }

// AppBuf is how many bytes are held for this active socket above the
// kernel: received bytes waiting in the line reader, output waiting in
// the line writer, and what the caller reported with ReportAppBuf. A
// passive socket has no buffers: -1. It may be called from any goroutine.
func (s *Socket) AppBuf() int {
	if s.passive {
		return -1
	}
	x := &s.extra
	return int(x.reported.Load() + x.pending.Load() + x.wpending.Load())
}

// Control calls f with the socket's fd, held open for the call; it fails
// once the socket is closed.
func (s *Socket) Control(f func(fd int)) error {
	return s.rc.Control(func(fd uintptr) { f(int(fd)) })
}

// traced tells the owner, if it is a Tracer, the bytes an I/O moved.
func (s *Socket) traced(in bool, data []byte) {
	if t, ok := s.owner.(Tracer); ok && len(data) > 0 {
		t.Traced(s, in, data)
	}
}

// wrote records what the line writer holds after a buffered write.
func (s *Socket) wrote() { s.extra.wpending.Store(int64(s.w.Buffered())) }
