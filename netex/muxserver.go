package netex

import (
	"errors"
	"slices"
)

// ioBufferMaker is make-exN-io-buffer: given a freshly accepted client, it
// returns the read and the write handler of that client's io-buffer. Both
// are registered as soon as they are made, as in the Lisp, where asking
// the io-buffer for a handler marks it registered; a nil write handler is
// not registered (ex7 and ex8 register for writability only once a send
// falls short).
type ioBufferMaker func(c *muxClient) (read, write Handler)

// muxServer is the skeleton ex7-server and ex8-server share: the event
// base, the server socket's listener handler, the table of open client
// connections (IOLib's *exN-open-connections*, here keyed by fd), the
// dispatch with its caught conditions, and the cleanup.
type muxServer struct {
	t         *Thread
	base      *EventBase
	clients   map[int]*muxClient
	newBuffer ioBufferMaker
}

// muxClient is one accepted client: its socket, its H:P, and the server
// whose event base and table it is registered in.
type muxClient struct {
	srv    *muxServer
	sock   *Socket
	fd     int
	who    string
	closed bool
}

// runMuxServer is run-exN-server: an unwind-protect around a handler-case
// that catches only SOCKET-ADDRESS-IN-USE-ERROR. The event dispatch never
// ends on its own, so the value is always NIL; a condition nobody caught
// (a stop included) is returned after the cleanup has run.
func runMuxServer(t *Thread, newBuffer ioBufferMaker) (bool, error) {
	m := &muxServer{t: t, clients: make(map[int]*muxClient), newBuffer: newBuffer}
	defer m.cleanup()
	base, err := t.Env.NewEventBase(false)
	if err != nil {
		return false, err
	}
	m.base = base
	err = m.helper()
	if errors.Is(err, AddressInUse) {
		t.Printf("Bind: Address already in use, forget :reuse-addr t?")
		return false, nil
	}
	return false, err
}

// helper is run-exN-server-helper: the server socket lives in a
// with-open-socket around the dispatch, so it is closed before the
// cleanup prints.
func (m *muxServer) helper() error {
	server, err := listenServer(m.t)
	if server != nil {
		defer server.Abort()
	}
	if err != nil {
		return err
	}
	if err := m.base.SetIOHandler(server.FD(), Read, m.listenerHandler(server)); err != nil {
		return err
	}
	return m.dispatch()
}

// dispatch runs the event loop forever, catching the conditions that
// escape a handler as the Lisp's handler-case around event-dispatch does.
// Catching one ends the server (normally, with NIL).
func (m *muxServer) dispatch() error {
	err := m.base.Dispatch(m.t.Ctx, DispatchOptions{})
	switch {
	case errors.Is(err, Interrupted):
		return err
	case errors.Is(err, ConnectionReset):
		m.t.Printf("Caught unexpected connection reset by peer!\n")
	case errors.Is(err, Hangup):
		m.t.Printf("Caught unexpected hangup! Client closed connection on write!\n")
	case errors.Is(err, EndOfFile):
		m.t.Printf("Caught unexpected end-of-file! Client closed connection on read!\n")
	default:
		return err
	}
	return nil
}

// listenerHandler is make-exN-server-listener-handler: a blocking accept,
// the client's name asked once (remote-name; a client that reset before
// being accepted makes it fail, and the server dies of it), then the
// client is recorded and its io-buffer's handlers registered.
func (m *muxServer) listenerHandler(server *Socket) Handler {
	return func(int, Event, Exception) error {
		sock, err := server.Accept(m.t.Ctx)
		if err != nil {
			return err
		}
		peer, err := sock.RemoteName()
		if err != nil {
			return err // escapes dispatch: nobody handles it
		}
		c := &muxClient{srv: m, sock: sock, fd: sock.FD(), who: hostPort(peer)}
		m.t.Printf("Accepted a client from %s\n", c.who)
		m.clients[c.fd] = c
		read, write := m.newBuffer(c)
		if err := c.setHandler(Read, read); err != nil {
			return err
		}
		if write == nil {
			return nil
		}
		return c.setHandler(Write, write)
	}
}

// cleanup is run-exN-server's unwind-protect cleanup: it runs however
// the server ends, force closes every open client connection, closes the
// event base and says goodbye.
func (m *muxServer) cleanup() {
	fds := make([]int, 0, len(m.clients))
	for fd := range m.clients {
		fds = append(fds, fd)
	}
	slices.Sort(fds)
	for _, fd := range fds {
		c := m.clients[fd]
		m.t.Printf("Force closing a client connection to %s\n", hostPortList(c.sock.RemoteAddr()))
		c.sock.Abort()
		delete(m.clients, fd)
	}
	if m.base != nil {
		m.base.Close()
	}
	m.t.Printf("Server Exited.\n")
}

// printf prints to the server's output.
func (c *muxClient) printf(format string, args ...any) { c.srv.t.Printf(format, args...) }

// setHandler registers h as the client's handler for ev.
func (c *muxClient) setHandler(ev Event, h Handler) error {
	return c.srv.base.SetIOHandler(c.fd, ev, h)
}

// register sets h as the client's handler for ev unless *registered says
// it is already, and records that it is.
func (c *muxClient) register(ev Event, h Handler, registered *bool) error {
	if *registered {
		return nil
	}
	if err := c.setHandler(ev, h); err != nil {
		return err
	}
	*registered = true
	return nil
}

// disconnect is the disconnector called with some of :read, :write,
// :error: it removes just those handlers of the client.
func (c *muxClient) disconnect(evs ...Event) {
	c.srv.base.RemoveFDHandlers(c.fd, evs...)
}

// close is the disconnector called with :close alone: it removes all of
// the client's handlers, closes the socket and forgets the client. The
// close flushes, and a flush that fails is returned, to escape from the
// dispatch as it would in the Lisp.
func (c *muxClient) close() error {
	c.srv.base.RemoveFDHandlers(c.fd)
	c.printf("Closing connection to %s\n", c.who)
	c.closed = true
	delete(c.srv.clients, c.fd)
	return c.sock.Close(c.srv.t.Ctx)
}
