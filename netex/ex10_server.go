package netex

import (
	"errors"

	"github.com/ionetsh/ionetsh/netex/iolib"
	"golang.org/x/sys/unix"
)

// runEx10Server is an echo server that notices TCP urgent data (UNP
// chapter 24), on ex7's multiplexed skeleton. Each client has a read
// handler that echoes raw bytes and an error handler, which the event
// base calls for the exceptional condition urgent data raises
// (EPOLLPRI, select's exceptfds). Out of band (the default) the error
// handler reads the urgent byte with recv MSG_OOB and prints it apart
// from the stream; before each read the read handler asks SIOCATMARK and
// says when the stream has reached the urgent mark. With the inline
// option (SO_OOBINLINE) the byte stays in the stream: the read handler
// reads it alone when at the mark, and does not echo it.
func runEx10Server(t *Thread) (bool, error) {
	return runMuxServer(t, newEx10Conn)
}

// ex10Conn is one client's urgent-aware echo state.
type ex10Conn struct {
	c       *muxClient
	inline  bool
	pending bool // inline: the exceptional condition was reported, the byte not yet read
	buf     []byte
}

// newEx10Conn sets the client's socket to read urgent data inline when
// asked and registers its error handler; it returns the read handler
// and no write handler.
func newEx10Conn(c *muxClient) (Handler, Handler) {
	u := &ex10Conn{c: c, inline: c.srv.t.Env.Opts.OOBInline, buf: make([]byte, 4096)}
	mode := "out of band (recv MSG_OOB)"
	if u.inline {
		mode = "inline, at the mark (SO_OOBINLINE)"
		if err := c.sock.SetOOBInline(true); err != nil {
			c.printf("setsockopt SO_OOBINLINE: %s\n", err)
		}
	}
	c.printf("Urgent data from %s will be read %s.\n", c.who, mode)
	if err := c.setHandler(Error, u.exceptional); err != nil {
		c.printf("set-io-handler :error: %s\n", err)
	}
	return u.read, nil
}

// exceptional is the error handler: urgent data has come.
func (u *ex10Conn) exceptional(int, Event, Exception) error {
	if u.inline {
		// The read handler may have read the byte in this same round.
		if !u.pending && iolib.FDReady(u.c.fd, unix.POLLPRI)() {
			u.pending = true
			u.c.printf("Exceptional condition on %s: urgent data; it will be read inline at the mark.\n", u.c.who)
		}
		return nil
	}
	b, err := u.c.sock.ReceiveUrgent()
	if err != nil {
		return nil // not here yet (EWOULDBLOCK), or no urgent data: an error or hangup the read handler meets
	}
	u.c.printf("Got urgent byte %q from %s, out of band (exceptional condition, recv MSG_OOB).\n", b, u.c.who)
	return nil
}

// read is the read handler: at the urgent mark it says so (and reads an
// inline urgent byte alone); otherwise it echoes what it reads.
func (u *ex10Conn) read(int, Event, Exception) error {
	mark, err := u.c.sock.AtMark()
	if err != nil {
		return err
	}
	if mark && !u.inline {
		u.exceptional(u.c.fd, Error, ExcNone) // an urgent byte that came with the data is read first
	}
	if mark {
		u.c.printf("At the urgent mark in the stream from %s.\n", u.c.who)
	}
	if mark && u.inline {
		n, err := u.c.sock.ReceiveInto(u.buf[:1])
		if err != nil {
			return u.failed(err)
		}
		u.pending = false
		u.c.printf("Read the urgent byte %q from %s inline; not echoed.\n", u.buf[:n][0], u.c.who)
		return nil
	}
	n, err := u.c.sock.ReceiveInto(u.buf)
	if err != nil {
		return u.failed(err)
	}
	u.c.printf("Read %d bytes from %s: %q\n", n, u.c.who, u.buf[:n])
	if err := u.c.sock.WriteText(u.c.srv.t.Ctx, string(u.buf[:n])); err != nil {
		return u.failed(err)
	}
	if err := u.c.sock.FinishOutput(u.c.srv.t.Ctx); err != nil {
		return u.failed(err)
	}
	u.c.printf("Wrote %d bytes to %s\n", n, u.c.who)
	return nil
}

// failed handles the conditions of a read or an echo.
func (u *ex10Conn) failed(err error) error {
	switch {
	case errors.Is(err, WouldBlock):
		return nil
	case errors.Is(err, EndOfFile):
		u.c.printf("Client %s produced end-of-file on a read.\n", u.c.who)
	case errors.Is(err, ConnectionReset):
		u.c.printf("Client %s: connection reset by peer.\n", u.c.who)
	case errors.Is(err, Hangup), isErrno(err, unix.EPIPE):
		u.c.printf("Client %s got hangup on write.\n", u.c.who)
	default:
		return err
	}
	u.c.srv.base.RemoveFDHandlers(u.c.fd)
	u.c.sock.Abort() // what could not be echoed is dropped, so close cannot fail
	return u.c.close()
}
