package netex

import "errors"

// ex8MaxBytes is the size of ex8's fixed per-client buffer.
const ex8MaxBytes = 16384

// runEx8Server is ex8-server.lisp: ex7's design with nonblocking raw
// byte I/O. Each client's io-buffer (ex8-buffer.lisp) holds at most
// ex8MaxBytes bytes: the server reads only while the buffer has room, so
// a client that does not read is throttled exactly. It honours
// half-close as ex7 does.
func runEx8Server(t *Thread) (bool, error) {
	return runMuxServer(t, newEx8Buffer)
}

// ex8Buffer is the state make-ex8-io-buffer closes over. The bytes
// buf[w:r] are received and not yet written; the buffer is compacted
// after each write, so buf[r:] is all the free room.
type ex8Buffer struct {
	c               *muxClient
	buf             []byte
	r, w            int
	readRegistered  bool
	writeRegistered bool
	eofSeen         bool
}

// newEx8Buffer makes a client's io-buffer and returns its read handler,
// which the listener registers at once. The write handler is registered
// only while bytes wait that a send could not take.
func newEx8Buffer(c *muxClient) (Handler, Handler) {
	b := &ex8Buffer{c: c, buf: make([]byte, ex8MaxBytes), readRegistered: true}
	return b.readSomeBytes, nil
}

// readSomeBytes receives into the free room, then writes right away, as
// the original does, without waiting for the socket to be writable; the
// write handler is registered only for what does not go. With the buffer
// full it removes itself until the writer frees room.
func (b *ex8Buffer) readSomeBytes(int, Event, Exception) error {
	if b.r < len(b.buf) {
		n, err := b.c.sock.ReceiveInto(b.buf[b.r:])
		if err != nil {
			return b.readFailed(err)
		}
		b.c.srv.t.printCount("Read ", n, " bytes from ", b.c.who)
		b.r += n
		b.c.sock.ReportAppBuf(b.r - b.w)
	}
	if b.r != b.w {
		if err := b.writeSomeBytes(b.c.fd, Write, ExcNone); err != nil || b.c.closed {
			return err
		}
	}
	if b.r == len(b.buf) {
		b.c.disconnect(Read)
		b.readRegistered = false
	}
	return nil
}

// readFailed handles the conditions of readSomeBytes. End-of-file may be
// a half-close: what is buffered is still written before the connection
// is closed.
func (b *ex8Buffer) readFailed(err error) error {
	switch {
	case errors.Is(err, ConnectionReset):
		b.c.printf("Client %s: connection reset by peer.\n", b.c.who)
		return b.c.close()
	case errors.Is(err, EndOfFile):
		b.c.printf("Client %s produced end-of-file on a read.\n", b.c.who)
		if b.r == b.w {
			return b.c.close()
		}
		b.c.disconnect(Read)
		b.readRegistered = false
		b.eofSeen = true
		return nil
	case errors.Is(err, WouldBlock):
		// A readiness that went away: try again on the next event.
		return nil
	}
	return err
}

// writeSomeBytes sends what it can of the buffered bytes. With nothing
// left it removes itself, or closes the connection after end-of-file;
// with bytes left it makes sure it is registered. Once there is room
// again it registers the read handler.
func (b *ex8Buffer) writeSomeBytes(int, Event, Exception) error {
	if b.r > b.w {
		n, err := b.c.sock.SendFrom(b.buf[b.w:b.r])
		if err != nil {
			return b.writeFailed(err)
		}
		b.c.srv.t.printCount("Wrote ", n, " bytes to ", b.c.who)
		b.w += n
		b.r = copy(b.buf, b.buf[b.w:b.r])
		b.w = 0
		b.c.sock.ReportAppBuf(b.r)
	}
	if b.r == b.w {
		if b.eofSeen {
			return b.c.close()
		}
		if b.writeRegistered {
			b.c.disconnect(Write)
			b.writeRegistered = false
		}
	} else if err := b.registerWrite(); err != nil {
		return err
	}
	if b.r < len(b.buf) && !b.eofSeen && !b.readRegistered {
		if err := b.c.setHandler(Read, b.readSomeBytes); err != nil {
			return err
		}
		b.readRegistered = true
	}
	return nil
}

// writeFailed handles the conditions of writeSomeBytes. A send that would
// block is tried again when the socket is writable; a reset or a broken
// pipe closes the connection for good.
func (b *ex8Buffer) writeFailed(err error) error {
	switch {
	case errors.Is(err, ConnectionReset):
		b.c.printf("Client %s: connection reset by peer.\n", b.c.who)
		return b.c.close()
	case errors.Is(err, WouldBlock):
		b.c.printf("write-some-bytes: ewouldblock\n")
		return b.registerWrite()
	case errors.Is(err, BrokenPipe):
		b.c.printf("Client %s got hangup on write.\n", b.c.who)
		return b.c.close()
	}
	return err
}

// registerWrite registers the write handler, if it is not already, for
// bytes a send could not take.
func (b *ex8Buffer) registerWrite() error {
	return b.c.register(Write, b.writeSomeBytes, &b.writeRegistered)
}
