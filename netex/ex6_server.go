package netex

import (
	"errors"
	"net/netip"
)

// ex6Server holds what ex6-server.lisp keeps in special variables: the
// event base and the table of open client connections, here a list in
// the order the clients were accepted.
type ex6Server struct {
	t     *Thread
	base  *EventBase
	conns []ex6Conn
}

// ex6Conn is one open client connection and the (who port) it is filed
// under.
type ex6Conn struct {
	who netip.AddrPort
	s   *Socket
}

// runEx6Server is ex6-server.lisp: a single-threaded echo server on the
// multiplexer whose client handler does a blocking read-line. A client
// that sends part of a line stalls every client: the denial of service
// the tutorial cites. A stop interrupts that read all the same.
//
// Return value: NIL. Dispatch without exit-when-empty only ends through a
// condition; the handled ones (a busy port, and those that escape
// dispatch) end in (format t ...), NIL. Unhandled conditions, and a stop,
// are returned as the error. The cleanup closes every open client
// connection, the event base, and prints "Server Exited" however the
// function ends.
func runEx6Server(t *Thread) (bool, error) {
	srv := &ex6Server{t: t}
	defer srv.cleanup()
	base, err := t.Env.NewEventBase(false)
	if err != nil {
		return false, err
	}
	srv.base = base
	err = srv.helper()
	if errors.Is(err, AddressInUse) {
		t.Printf("Bind: Address already in use, forget :reuse-addr t?")
		return false, nil
	}
	return false, err
}

// cleanup is the entry function's unwind-protect cleanup form.
func (srv *ex6Server) cleanup() {
	for _, c := range srv.conns {
		srv.t.Printf("Closing a client connection to %s\n", hostPortList(c.who))
		c.s.Abort()
	}
	srv.conns = nil
	if srv.base != nil {
		srv.base.Close()
	}
	srv.t.Printf("Server Exited\n")
}

// helper is run-ex6-server-helper: listen, register the listener handler
// and dispatch forever. A reset, hangup or end-of-file escaping dispatch
// is reported and ends the server. The server socket is always closed.
func (srv *ex6Server) helper() error {
	t := srv.t
	server, err := listenServer(t)
	if server != nil {
		defer server.Close(t.Ctx)
	}
	if err != nil {
		return err
	}
	if err := srv.base.SetIOHandler(server.FD(), Read, srv.listenerHandler(server)); err != nil {
		return err
	}
	err = srv.base.Dispatch(t.Ctx, DispatchOptions{})
	switch {
	case errors.Is(err, ConnectionReset):
		t.Printf("Caught unexpected reset by peer! Client connection reset by peer!\n")
	case errors.Is(err, Hangup):
		t.Printf("Caught unexpected hangup! Client closed connection on write!\n")
	case errors.Is(err, EndOfFile):
		t.Printf("Caught unexpected end-of-file! Client closed connection on read!\n")
	default:
		return err
	}
	return nil
}

// listenerHandler is make-ex6-server-listener-handler: the listening
// socket is readable, so accept the client, file it among the open
// connections and register a line echoer as its read handler.
func (srv *ex6Server) listenerHandler(server *Socket) Handler {
	return func(int, Event, Exception) error {
		client, err := server.Accept(srv.t.Ctx)
		if err != nil {
			return err
		}
		who, err := client.RemoteName()
		if err != nil {
			return err // a client that reset before accept: nobody handles it
		}
		srv.t.Printf("Accepted a client from %s\n", hostPort(who))
		srv.conns = append(srv.conns, ex6Conn{who: who, s: client})
		echoer := srv.lineEchoer(client, who, srv.disconnector(client))
		return srv.base.SetIOHandler(client.FD(), Read, echoer)
	}
}

// lineEchoer is make-ex6-server-line-echoer: each call reads a line with
// a blocking read-line and writes it straight back. That read waits for
// the newline however long it takes, and with it the whole server.
//
// Like the clients' read handler it goes on while a whole line already
// waits in the read buffer (see muxEchoClient.reader): lines a client
// sent together are echoed together instead of waiting for the client's
// next bytes. It goes on only while a whole line is buffered, so it adds
// no wait of its own: the stall it shows is only the tutorial's.
func (srv *ex6Server) lineEchoer(s *Socket, who netip.AddrPort, disconnect func(netip.AddrPort) error) Handler {
	srv.t.Printf("Creating line-echoer for %s\n", hostPort(who))
	return func(int, Event, Exception) error {
		for {
			done, err := srv.echoLine(s, who, disconnect)
			if err != nil || done || !hasBufferedLine(s) {
				return err
			}
		}
	}
}

// echoLine is the body of the line echoer: echo one line, and report
// whether the connection was closed.
func (srv *ex6Server) echoLine(s *Socket, who netip.AddrPort, disconnect func(netip.AddrPort) error) (bool, error) {
	t := srv.t
	line, err := s.ReadLine(t.Ctx)
	if err == nil {
		t.Printf("Read %s: %s\n", hostPort(who), line)
		err = s.WriteLine(t.Ctx, line)
	}
	if err == nil {
		err = s.FinishOutput(t.Ctx)
	}
	if err == nil {
		t.Printf("Wrote %s: %s\n", hostPort(who), line)
		if line != "quit" {
			return false, nil
		}
		t.Printf("Client requested quit!\n")
		return true, disconnect(who)
	}
	switch {
	case errors.Is(err, ConnectionReset):
		t.Printf("Client's connection was reset by peer.\n")
	case errors.Is(err, Hangup):
		t.Printf("Client went away on a write.\n")
	case errors.Is(err, EndOfFile):
		t.Printf("Client went away on a read.\n")
	default:
		return true, err
	}
	return true, disconnect(who)
}

// disconnector is make-ex6-server-disconnector: remove the client's
// handlers, close it and forget it. The close is the original's plain
// close, which flushes: after a failed write the unsent echo is still
// buffered, so the flush fails again and that condition escapes dispatch
// (the "Caught unexpected ..." messages), ending the server as it did the
// original's. The client then stays filed, and the cleanup reports it.
func (srv *ex6Server) disconnector(s *Socket) func(netip.AddrPort) error {
	return func(who netip.AddrPort) error {
		srv.t.Printf("Closing connection to %s\n", hostPort(who))
		srv.base.RemoveFDHandlers(s.FD())
		if err := s.Close(srv.t.Ctx); err != nil {
			return err
		}
		for i, c := range srv.conns {
			if c.who == who {
				srv.conns = append(srv.conns[:i], srv.conns[i+1:]...)
				break
			}
		}
		return nil
	}
}
