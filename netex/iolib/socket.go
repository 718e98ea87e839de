package iolib

import (
	"bufio"
	"context"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

type sockState int

const (
	stUnbound sockState = iota
	stBound
	stListening
	stUnconnected
	stConnected
	stClosed
)

// Socket is an IPv4 or IPv6 socket in the manner of IOLib: a TCP stream
// socket, passive (a server's listening socket) or active (a connection),
// or a UDP datagram socket. It owns a real, nonblocking operating-system
// file descriptor; its blocking operations wait through Go's poller and
// are interrupted when their context ends.
//
// A Socket is used by one goroutine at a time; String and the address
// accessors may be called from any goroutine.
type Socket struct {
	owner   Owner
	id      string
	family  Family
	typ     Type
	passive bool
	fd      int
	file    *os.File
	rc      syscall.RawConn
	r       *bufio.Reader
	w       *bufio.Writer

	mu     sync.Mutex
	state  sockState
	local  netip.AddrPort
	remote netip.AddrPort
	broken bool // interrupted or torn away: Close no longer flushes

	extra sockExtra // role and app buffers, for a caller's listing

	rop               readOp                // see sysop.go
	wop               writeOp               //
	arm               atomic.Pointer[armed] // the interruption armed, if any
	readyIn, readyOut Ready                 // what a read or a write waits for
}

// newSocket wraps a fresh nonblocking fd of the kind opt says and tells
// its owner.
func newSocket(o Owner, fd int, opt Options, st sockState) (*Socket, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &Socket{owner: o, id: o.NewID(), family: opt.Family, typ: opt.Type, passive: opt.Passive, fd: fd, file: f, rc: rc, state: st}
	if opt.Type == Datagram {
		s.local = netip.AddrPortFrom(opt.Family.unspecified(), 0)
	}
	s.initOps()
	s.readyIn.Ready = FDReady(fd, unix.POLLIN)
	s.readyOut.Ready = FDReady(fd, unix.POLLOUT)
	s.r = bufio.NewReader(sockReader{s})
	s.w = bufio.NewWriter(sockWriter{s})
	o.Opened(s)
	return s, nil
}

// Options say what kind of socket MakeSocket makes. The zero value is an
// active IPv4 stream socket.
type Options struct {
	Passive bool   // a server's listening socket, rather than a connection (streams only)
	Family  Family // IPv4 or IPv6; an IPv6 socket is dual stack (IPV6_V6ONLY off)
	Type    Type   // Stream (TCP) or Datagram (UDP)
}

// MakeSocket creates a socket for o, which is told about its life; a nil
// o tracks nothing. A stream socket starts unbound (passive) or
// unconnected (active); a datagram socket starts waiting on the
// unspecified address and port 0.
func MakeSocket(o Owner, opt Options) (*Socket, error) {
	if o == nil {
		o = noOwner
	}
	if opt.Type == Datagram {
		opt.Passive = false
	}
	domain, typ := unix.AF_INET, unix.SOCK_STREAM
	if opt.Family == IPv6 {
		domain = unix.AF_INET6
	}
	if opt.Type == Datagram {
		typ = unix.SOCK_DGRAM
	}
	fd, err := unix.Socket(domain, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, condErr(err, -1)
	}
	if opt.Family == IPv6 {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
			unix.Close(fd)
			return nil, condErr(err, -1)
		}
	}
	st := stUnconnected
	if opt.Passive {
		st = stUnbound
	}
	return newSocket(o, fd, opt, st)
}

// FD returns the socket's operating-system file descriptor.
func (s *Socket) FD() int { return s.fd }

// Passive reports whether the socket is a listening (server) socket.
func (s *Socket) Passive() bool { return s.passive }

// Family returns the socket's address family, IPv4 or IPv6.
func (s *Socket) Family() Family { return s.family }

// Type returns whether the socket is a stream or a datagram socket.
func (s *Socket) Type() Type { return s.typ }

// LocalAddr returns the local address and port, once bound or connected.
func (s *Socket) LocalAddr() netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.local
}

// RemoteAddr returns the peer's address and port. It stays known after
// the socket is closed, as IOLib's remote-name does for a printed message.
func (s *Socket) RemoteAddr() netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.remote
}

func (s *Socket) setState(st sockState) {
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
}

// Connected reports whether an active socket is connected and open.
func (s *Socket) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.passive && s.state == stConnected
}

// Bind binds a passive or a datagram socket to addr:port with
// SO_REUSEADDR. Port 0 asks the kernel for an ephemeral port. An IPv6
// socket takes an IPv4 address as IPv4-mapped; an IPv4 socket refuses an
// IPv6 address (EAFNOSUPPORT).
func (s *Socket) Bind(addr netip.Addr, port int) error {
	sa, err := s.sockaddr(addr, port)
	if err != nil {
		return err
	}
	if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return condErr(err, s.fd)
	}
	if err := unix.Bind(s.fd, sa); err != nil {
		return condErr(err, s.fd)
	}
	local, err := sockName(s.fd, unix.Getsockname)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.local = local
	if s.typ == Stream {
		s.state = stBound
	}
	s.mu.Unlock()
	return nil
}

// Listen starts listening with the given backlog and tells the socket's
// Owner that the server is ready for clients.
func (s *Socket) Listen(backlog int) error {
	if err := unix.Listen(s.fd, backlog); err != nil {
		return condErr(err, s.fd)
	}
	s.setState(stListening)
	s.owner.Listening(s)
	return nil
}

func sockName(fd int, get func(int) (unix.Sockaddr, error)) (netip.AddrPort, error) {
	sa, err := get(fd)
	if err != nil {
		return netip.AddrPort{}, condErr(err, fd)
	}
	a, ok := addrPortOf(sa)
	if !ok {
		return netip.AddrPort{}, &Condition{Kind: SocketError, FD: fd, Msg: "not an IP address"}
	}
	return a, nil
}

// guard arms an interruption of s's pending I/O for when ctx ends, and
// returns what ends the guarded call. A context already ended is an
// Interrupted condition.
//
// The interruption is armed once per socket and context (context.AfterFunc
// is not cheap), and only acts while a guarded call is under way, so a
// context that ends between calls leaves the socket as it was: the next
// call finds the context ended.
//
// While the operation runs, ctx's Waiter is told the caller waits on s
// for events (unix.POLLIN or unix.POLLOUT).
func (s *Socket) guard(ctx context.Context, events int16) (guarded, error) {
	if ctx.Err() != nil {
		return guarded{}, s.interrupted()
	}
	r := &s.readyIn
	if events == unix.POLLOUT {
		r = &s.readyOut
	}
	g := guarded{idle: waitingOn(ctx, r)}
	if ctx.Done() == nil {
		return g, nil
	}
	g.a = s.armFor(ctx)
	g.a.active.Store(true)
	if ctx.Err() != nil {
		g.end()
		return guarded{}, s.interrupted()
	}
	return g, nil
}

// guarded is a call under guard; end marks it over.
type guarded struct {
	a    *armed
	idle func()
}

func (g guarded) end() {
	if g.a != nil {
		g.a.active.Store(false)
	}
	if g.idle != nil {
		g.idle()
	}
}

// armed is the interruption armed for one context: while a call is
// active, the context's end breaks the socket's pending I/O.
type armed struct {
	ctx    context.Context
	stop   func() bool
	active atomic.Bool
}

// armFor returns the interruption armed for ctx, arming it (and
// disarming the one for another context) if need be.
func (s *Socket) armFor(ctx context.Context) *armed {
	if a := s.arm.Load(); a != nil && a.ctx == ctx {
		return a
	}
	a := &armed{ctx: ctx}
	a.stop = context.AfterFunc(ctx, func() {
		if !a.active.Load() {
			return
		}
		s.mu.Lock()
		s.broken = true
		s.mu.Unlock()
		s.file.SetDeadline(time.Unix(1, 0))
	})
	if old := s.arm.Swap(a); old != nil {
		old.stop()
	}
	return a
}

// disarm releases the socket's armed interruption, if any.
func (s *Socket) disarm() {
	if a := s.arm.Swap(nil); a != nil {
		a.stop()
	}
}

func (s *Socket) interrupted() error {
	return &Condition{Kind: Interrupted, FD: s.fd}
}
