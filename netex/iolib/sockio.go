package iolib

import (
	"context"
	"io"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// sockReader reads from the socket, waiting through the poller.
type sockReader struct{ s *Socket }

func (r sockReader) Read(p []byte) (int, error) {
	n, serr, err := r.s.rop.read(r.s, p, true)
	switch {
	case err != nil:
		return 0, r.s.interrupted()
	case serr != nil:
		return 0, condErr(serr, r.s.fd)
	case n == 0:
		return 0, io.EOF
	}
	r.s.extra.pending.Add(int64(n))
	r.s.traced(true, p[:n])
	return n, nil
}

// sockWriter writes all of p, waiting through the poller while the send
// buffer is full. A peer that has gone is EPIPE, never SIGPIPE.
type sockWriter struct{ s *Socket }

func (w sockWriter) Write(p []byte) (int, error) {
	written, serr, err := w.s.wop.write(p, true)
	if err != nil {
		return written, w.s.interrupted()
	}
	if serr != nil {
		return written, condErr(serr, w.s.fd)
	}
	return written, nil
}

func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			if err != nil {
				n = 0
			}
			return n, err
		}
	}
}

// Connect resolves host for the socket's family (Lookup) and connects the
// socket to it. A stream socket waits until the connection is made or
// refused. A datagram socket is connected at once: it then sends to and
// receives from that peer only, and an ICMP port unreachable from it is
// a SOCKET-CONNECTION-REFUSED-ERROR on a later receive.
func (s *Socket) Connect(ctx context.Context, host string, port int) error {
	addr, err := Lookup(ctx, host, s.family)
	if err != nil {
		return err
	}
	sa, err := s.sockaddr(addr, port)
	if err != nil {
		return err
	}
	g, err := s.guard(ctx, unix.POLLOUT)
	if err != nil {
		return err
	}
	defer g.end()
	serr := unix.Connect(s.fd, sa)
	if serr == unix.EINPROGRESS || serr == unix.EINTR {
		if err := s.rc.Write(func(fd uintptr) bool { serr = connectDone(int(fd)); return serr != unix.EINPROGRESS }); err != nil {
			return s.interrupted()
		}
	}
	if serr != nil {
		return condErr(serr, s.fd)
	}
	return s.learnNames(stConnected)
}

// connectDone reports a nonblocking connect's outcome, EINPROGRESS while
// it is still under way.
func connectDone(fd int) error {
	e, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return err
	}
	switch errno := unix.Errno(e); errno {
	case 0:
		if _, err := unix.Getpeername(fd); err == unix.ENOTCONN {
			return unix.EINPROGRESS
		}
		return nil
	case unix.EALREADY, unix.EINTR:
		return unix.EINPROGRESS
	default:
		return errno
	}
}

func (s *Socket) learnNames(st sockState) error {
	local, err := sockName(s.fd, unix.Getsockname)
	if err != nil {
		return err
	}
	remote, err := sockName(s.fd, unix.Getpeername)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.local, s.remote, s.state = local, remote, st
	s.mu.Unlock()
	return nil
}

// Accept waits for a connection on a listening socket and returns it as a
// new connected active socket.
func (s *Socket) Accept(ctx context.Context) (*Socket, error) {
	g, err := s.guard(ctx, unix.POLLIN)
	if err != nil {
		return nil, err
	}
	defer g.end()
	var nfd int
	var peer unix.Sockaddr
	var serr error
	err = s.rc.Read(func(fd uintptr) bool {
		for {
			nfd, peer, serr = unix.Accept4(int(fd), unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
			if serr != unix.EINTR && serr != unix.ECONNABORTED {
				return serr != unix.EAGAIN
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

// accepted wraps the fd accept returned as a connected socket that knows
// its peer as accept gave it.
func (s *Socket) accepted(nfd int, peer unix.Sockaddr) (*Socket, error) {
	c, err := newSocket(s.owner, nfd, Options{Family: s.family, Budget: s.budget}, stConnected)
	if err != nil {
		unix.Close(nfd)
		return nil, err
	}
	if err := c.acceptedNames(peer); err != nil {
		c.Abort()
		return nil, err
	}
	return c, nil
}

// acceptedNames records an accepted socket's addresses, the peer's as
// accept returned it, for listings (RemoteAddr). The examples ask the
// kernel instead (RemoteName), when the originals do: getpeername fails
// with ENOTCONN once the peer has reset a connection still waiting in
// the backlog, and such a connection must still be accepted.
func (s *Socket) acceptedNames(peer unix.Sockaddr) error {
	local, err := sockName(s.fd, unix.Getsockname)
	if err != nil {
		return err
	}
	remote, err := sockName(s.fd, func(int) (unix.Sockaddr, error) { return peer, nil })
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.local, s.remote, s.state = local, remote, stConnected
	s.mu.Unlock()
	return nil
}

// WriteLine buffers text followed by CRLF. It may block, and so take ctx,
// when the buffer fills and is pushed to the socket.
func (s *Socket) WriteLine(ctx context.Context, text string) error {
	g, err := s.guard(ctx, unix.POLLOUT)
	if err != nil {
		return err
	}
	defer g.end()
	if _, err := s.w.WriteString(text); err != nil {
		return err
	}
	_, err = s.w.WriteString("\r\n")
	s.wrote()
	return err
}

// WriteText buffers text as it is, with no line ending.
func (s *Socket) WriteText(ctx context.Context, text string) error {
	g, err := s.guard(ctx, unix.POLLOUT)
	if err != nil {
		return err
	}
	defer g.end()
	_, err = s.w.WriteString(text)
	s.wrote()
	return err
}

// FinishOutput pushes buffered output to the socket (IOLib's finish-output).
func (s *Socket) FinishOutput(ctx context.Context) error {
	g, err := s.guard(ctx, unix.POLLOUT)
	if err != nil {
		return err
	}
	defer g.end()
	err = s.w.Flush()
	s.wrote()
	return err
}

// ShutdownWrite flushes and then shuts down the write side (half-close).
// The socket still prints as connected until the peer's FIN has arrived
// too (String asks getpeername).
func (s *Socket) ShutdownWrite(ctx context.Context) error {
	if err := s.FinishOutput(ctx); err != nil {
		return err
	}
	if err := unix.Shutdown(s.fd, unix.SHUT_WR); err != nil {
		return condErr(err, s.fd)
	}
	return nil
}

// Close flushes buffered output and closes the socket. The flush can fail
// with HANGUP; the descriptor is closed all the same. Closing a socket
// whose I/O was interrupted, or with ctx already ended, does not flush.
func (s *Socket) Close(ctx context.Context) error {
	s.mu.Lock()
	skip := s.state == stClosed || s.broken || s.passive
	s.mu.Unlock()
	var err error
	if !skip && ctx.Err() == nil && s.w.Buffered() > 0 {
		err = s.FinishOutput(ctx)
	}
	s.Abort()
	return err
}

// Abort closes the socket at once, discarding unflushed output (IOLib's
// close with :abort t). It never fails and may be called again.
func (s *Socket) Abort() {
	defer s.disarm()
	s.mu.Lock()
	if s.state == stClosed {
		s.mu.Unlock()
		return
	}
	s.state = stClosed
	s.mu.Unlock()
	s.file.Close()
	closes.Add(1)
	s.owner.Closed(s)
}

// closes counts the sockets closed so far, in the whole process.
var closes atomic.Uint64

// Closes returns how many sockets this package has closed so far. An
// event base that skips an epoll_ctl because a descriptor's mask would
// not change uses it to know that no socket was closed meanwhile, so the
// descriptor cannot have been closed and its number reused.
func Closes() uint64 { return closes.Load() }
