package netex

import (
	"errors"
)

// muxEchoClient is the code ex5a-client.lisp and ex5b-client.lisp share:
// an echo client driven by an event base that exits when empty, with a
// read handler and a write handler on the socket's descriptor, each made
// by a maker function closing over the socket and a disconnector.
//
// The two originals differ only in the names in their messages and in
// what the write handler does at the end of standard input: ex5a closes
// everything at once (losing echoes still in flight), ex5b shuts down
// the write side, removes only the write handler and keeps reading until
// the server closes.
//
// Return value: both entry functions end with their cleanup forms, whose
// last value is that of (format t ...) or (finish-output), NIL, so every
// handled ending returns NIL; an unhandled condition, and a stop, are
// returned as the error. "Client Exited." is printed however they end.
type muxEchoClient struct {
	name      string // "ex5a" or "ex5b", as the messages spell it
	halfClose bool   // ex5b: half-close at the end of standard input
}

// disconnector is the closure make-ex5a-client-disconnector returns: it
// removes the socket's handlers for evs (all of them when evs is empty)
// and, when closeIt is true, closes the socket with abort.
type disconnector func(closeIt bool, evs ...Event)

// run is run-ex5a-client: make the event base, run the helper, report a
// refused connection, and always close the event base and say goodbye.
func (c muxEchoClient) run(t *Thread) (bool, error) {
	defer t.Printf("Client Exited.\n")
	base, err := t.Env.NewEventBase(true)
	if err != nil {
		return false, err
	}
	defer base.Close()
	return handleRefused(t, false, c.helper(t, base))
}

// helper is run-ex5a-client-helper: connect, register the two handlers
// and dispatch until the event base is empty. Hangup and end-of-file
// escaping from dispatch are reported; the socket is always closed with
// abort, since a handler may have closed it already.
func (c muxEchoClient) helper(t *Thread, base *EventBase) error {
	s, err := connectReported(t)
	if s == nil {
		return err
	}
	defer func() {
		t.Printf("Client safely closing open socket to server.\n")
		s.Abort()
	}()
	if err != nil {
		return err
	}
	if err := base.SetIOHandler(s.FD(), Read, c.reader(t, s, c.disconnector(t, base, s))); err != nil {
		return err
	}
	if err := base.SetIOHandler(s.FD(), Write, c.writer(t, s, c.disconnector(t, base, s))); err != nil {
		return err
	}
	err = base.Dispatch(t.Ctx, DispatchOptions{})
	switch {
	case errors.Is(err, Hangup):
		t.Printf("Uncaught hangup. Server closed connection on write!\n")
	case errors.Is(err, EndOfFile):
		t.Printf("Uncaught end-of-file. Server closed connection on read!\n")
	default:
		return err
	}
	return nil
}

// writer is make-ex5a-str-cli-write: called when the socket is writable,
// it reads one line of standard input (blocking, as the original's
// read-line does) and sends it. Since a connected socket is nearly always
// writable, the dispatch loop in practice sits in this read of standard
// input, so an echo that arrives meanwhile is printed only once the next
// line has been sent (or never, for ex5a, if input ends first).
func (c muxEchoClient) writer(t *Thread, s *Socket, disconnect disconnector) Handler {
	return func(int, Event, Exception) error {
		line, err := t.Env.ReadStdin(t.Ctx)
		if err == nil {
			err = s.WriteLine(t.Ctx, line)
		}
		if err == nil {
			err = s.FinishOutput(t.Ctx)
		}
		switch {
		case errors.Is(err, EndOfFile):
			t.Printf("make-%s-str-cli-write: User performed end-of-file!\n", c.name)
			if !c.halfClose {
				disconnect(true)
				return nil
			}
			t.Printf("make-%s-str-cli-write: Shutting down write end of socket!\n", c.name)
			if err := s.ShutdownWrite(t.Ctx); err != nil {
				return err
			}
			disconnect(false, Write)
		case errors.Is(err, Hangup):
			t.Printf("make-%s-str-cli-write: server closed connection on write!\n", c.name)
			disconnect(true)
		default:
			return err
		}
		return nil
	}
}

// reader is make-ex5a-str-cli-read: called when the socket is readable,
// it reads a line from the server and prints it; the server's end of file
// closes everything.
//
// Unlike the original, it goes on reading while a whole line already
// waits in the socket's read buffer. One read from the socket can bring
// several echoes into that buffer, and epoll reports only the kernel's
// side, so without this the extra lines would sit unprinted until more
// data (or the end of file) arrived: delayed, and for ex5a, which closes
// at once at the end of input, lost even when they had reached the
// client. The loop never blocks: it stops at a partial line.
func (c muxEchoClient) reader(t *Thread, s *Socket, disconnect disconnector) Handler {
	return func(int, Event, Exception) error {
		for {
			line, err := s.ReadLine(t.Ctx)
			if errors.Is(err, EndOfFile) {
				t.Printf("make-%s-str-cli-read: server closed connection on read!\n", c.name)
				disconnect(true)
				return nil
			}
			if err != nil {
				return err
			}
			t.Printf("%s\n", line)
			if !hasBufferedLine(s) {
				return nil
			}
		}
	}
}

// disconnector is make-ex5a-client-disconnector. Each call prints the
// socket as it is at that moment.
func (c muxEchoClient) disconnector(t *Thread, base *EventBase, s *Socket) disconnector {
	return func(closeIt bool, evs ...Event) {
		t.Printf("Disconnecting socket: %s\n", s)
		base.RemoveFDHandlers(s.FD(), evs...)
		if closeIt {
			s.Abort()
		}
	}
}

// hasBufferedLine reports whether s's read buffer already holds a whole
// line, which ReadLine would then return without touching the socket.
// Multiplexed handlers that read one line per call use it to drain what
// epoll cannot see.
func hasBufferedLine(s *Socket) bool { return s.HasBufferedLine() }
