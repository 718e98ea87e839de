package netex

import (
	"errors"
	"time"

	"github.com/ionetsh/ionetsh/netex/iolib"
	"golang.org/x/sys/unix"
)

// runEx9Server is nonblocking accept (UNP §16.6), written the IOLib
// way: a multiplexed daytime server whose listening socket is
// nonblocking. The listener's read handler accepts until EWOULDBLOCK and
// then goes back to the event loop, so accept never blocks it. Like the
// originals it asks each accepted socket for its peer (getpeername); a
// client that reset before it was accepted is gone by then (ENOTCONN),
// which kills ex6, ex7 and ex8 (spec §6). ex9 says so, closes that
// socket and goes on serving. Its value is NIL: it serves until stopped.
func runEx9Server(t *Thread) (bool, error) {
	defer t.Printf("Server Exited.\n")
	base, err := t.Env.NewEventBase(false)
	if err != nil {
		return false, err
	}
	defer base.Close()
	server, err := listenServer(t)
	if server != nil {
		defer server.Abort()
	}
	if errors.Is(err, AddressInUse) {
		t.Printf("Bind: Address already in use, forget :reuse-addr t?")
		return false, nil
	}
	if err != nil {
		return false, err
	}
	t.Printf("The listening socket is nonblocking: accept will never wait.\n")
	if err := base.SetIOHandler(server.FD(), Read, func(int, Event, Exception) error {
		return ex9Accept(t, server)
	}); err != nil {
		return false, err
	}
	return false, base.Dispatch(t.Ctx, DispatchOptions{})
}

// ex9Accept is the listener's handler: after the optional pause, accept
// every connection waiting, then return to the event loop.
func ex9Accept(t *Thread, server *Socket) error {
	if d := t.Env.Opts.AcceptDelay; d > 0 {
		t.Printf("The listener is readable; pausing %v before accept.\n", d)
		if err := pause(t, d); err != nil {
			return err
		}
	}
	for n := 0; ; n++ {
		c, err := server.AcceptNow()
		switch {
		case errors.Is(err, WouldBlock):
			if n == 0 {
				t.Printf("accept: EWOULDBLOCK, the connection is gone; back to the event loop.\n")
			}
			return nil
		case isErrno(err, unix.ECONNABORTED):
			t.Printf("accept: ECONNABORTED, a client gave up before accept; going on.\n")
			continue
		case err != nil:
			return err
		}
		ex9Serve(t, c)
	}
}

// ex9Serve sends the time to an accepted client and closes it, asking
// first for the peer's name as the originals do.
func ex9Serve(t *Thread, c *Socket) {
	defer c.Abort()
	peer, err := c.PeerName()
	if isErrno(err, unix.ENOTCONN) {
		t.Printf("Accepted a connection from %s that was reset before accept: getpeername says ENOTCONN.\n", hostPort(c.RemoteAddr()))
		t.Printf("Closing it and going on serving.\n")
		return
	}
	who := hostPort(c.RemoteAddr())
	if err == nil {
		who = hostPort(peer)
	}
	t.Printf("Accepted a client from %s\n", who)
	err = c.WriteLine(t.Ctx, DaytimeString(time.Now()))
	if err == nil {
		err = c.FinishOutput(t.Ctx)
	}
	switch {
	case errors.Is(err, ConnectionReset):
		t.Printf("Client %s reset the connection!\n", who)
	case errors.Is(err, Hangup):
		t.Printf("Client %s closed connection.\n", who)
	case err == nil:
		t.Printf("Sent the time to %s\n", who)
	}
	t.Printf("Closing connection to %s\n", who)
}

// isErrno reports whether err is a condition with errno e.
func isErrno(err error, e unix.Errno) bool {
	var c *Condition
	return errors.As(err, &c) && c.Errno == e
}

// pause waits for d, or until the thread is stopped. The wait counts as
// idle until d is over, so that the shell runs its next command (say, a
// reset) meanwhile.
func pause(t *Thread, d time.Duration) error {
	end := time.Now().Add(d)
	done := iolib.Waiting(t.Ctx, func() bool { return !time.Now().Before(end) })
	defer done()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-t.Ctx.Done():
		return &Condition{Kind: Interrupted, FD: -1}
	}
}
