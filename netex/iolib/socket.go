package iolib

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"os"
	"sync"
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

// Socket is an IPv4 TCP stream socket in the manner of IOLib: passive
// (a server's listening socket) or active (a connection). It owns a real,
// nonblocking operating-system file descriptor; its blocking operations
// wait through Go's poller and are interrupted when their context ends.
//
// A Socket is used by one goroutine at a time; String and the address
// accessors may be called from any goroutine.
type Socket struct {
	owner   Owner
	id      string
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
}

// newSocket wraps a fresh nonblocking fd and tells its owner.
func newSocket(o Owner, fd int, passive bool, st sockState) (*Socket, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &Socket{owner: o, id: o.NewID(), passive: passive, fd: fd, file: f, rc: rc, state: st}
	s.r = bufio.NewReader(sockReader{s})
	s.w = bufio.NewWriter(sockWriter{s})
	o.Opened(s)
	return s, nil
}

// Options say what kind of socket MakeSocket makes.
type Options struct {
	Passive bool // a server's listening socket, rather than a connection
}

// MakeSocket creates an unbound passive or an unconnected active socket
// for o, which is told about its life; a nil o tracks nothing.
func MakeSocket(o Owner, opt Options) (*Socket, error) {
	if o == nil {
		o = noOwner
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, condErr(err, -1)
	}
	st := stUnconnected
	if opt.Passive {
		st = stUnbound
	}
	return newSocket(o, fd, opt.Passive, st)
}

// FD returns the socket's operating-system file descriptor.
func (s *Socket) FD() int { return s.fd }

// Passive reports whether the socket is a listening (server) socket.
func (s *Socket) Passive() bool { return s.passive }

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

// String prints the socket as IOLib does, e.g.
// #<active IPv4 stream socket connected to 127.0.0.1/9999 {1002000003}>.
func (s *Socket) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
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
	case stUnconnected:
		what = ", unconnected"
	case stConnected:
		what = fmt.Sprintf(" connected to %s/%d", s.remote.Addr(), s.remote.Port())
	case stClosed:
		what = ", closed"
	}
	return fmt.Sprintf("#<%s IPv4 stream socket%s %s>", kind, what, s.id)
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

// Bind binds a passive socket to addr:port with SO_REUSEADDR. Port 0 asks
// the kernel for an ephemeral port.
func (s *Socket) Bind(addr netip.Addr, port int) error {
	if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return condErr(err, s.fd)
	}
	if err := unix.Bind(s.fd, &unix.SockaddrInet4{Port: port, Addr: addr.As4()}); err != nil {
		return condErr(err, s.fd)
	}
	local, err := sockName(s.fd, unix.Getsockname)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.local, s.state = local, stBound
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
	in4, ok := sa.(*unix.SockaddrInet4)
	if !ok {
		return netip.AddrPort{}, &Condition{Kind: SocketError, FD: fd, Msg: "not an IPv4 address"}
	}
	return netip.AddrPortFrom(netip.AddrFrom4(in4.Addr), uint16(in4.Port)), nil
}

// guard arms an interruption of s's pending I/O for when ctx ends. The
// returned function disarms it. A context already ended is an
// Interrupted condition.
//
// While the operation runs, ctx's Waiter is told the caller waits on s
// for events (unix.POLLIN or unix.POLLOUT).
func (s *Socket) guard(ctx context.Context, events int16) (func(), error) {
	if ctx.Err() != nil {
		return nil, s.interrupted()
	}
	idle := Waiting(ctx, FDReady(s.fd, events))
	if ctx.Done() == nil {
		return idle, nil
	}
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.broken = true
		s.mu.Unlock()
		s.file.SetDeadline(time.Unix(1, 0))
	})
	return func() { stop(); idle() }, nil
}

func (s *Socket) interrupted() error {
	return &Condition{Kind: Interrupted, FD: s.fd}
}
