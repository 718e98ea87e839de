package netex

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ionetsh/ionetsh/netex/iolib"
)

// ex9Conn is one of ex9-client's connects: the server it is for, its
// socket, and how it went (nil error: connected).
type ex9Conn struct {
	who  string // the server's H:P
	sock *Socket
	err  error
	done bool
}

// runEx9Client is nonblocking connect (UNP §16.3-16.4), written the
// IOLib way: a nonblocking connect to each server at once, each socket
// registered for writability on an event base that exits when empty.
// Each write event reads SO_ERROR and reports the connect's outcome as
// it happens, so a refused connect is a write event with an error. Then
// one daytime line is read from each server that answered. It returns T
// when every server answered.
func runEx9Client(t *Thread) (bool, error) {
	defer t.Printf("Client Exited.\n")
	targets, err := ex9Targets(t)
	if err != nil {
		return false, err
	}
	conns := make([]*ex9Conn, 0, len(targets))
	defer func() {
		for _, c := range conns {
			if c.sock != nil {
				c.sock.Abort()
			}
		}
	}()
	base, err := t.Env.NewEventBase(true)
	if err != nil {
		return false, err
	}
	defer base.Close()
	t.Printf("Connecting to %d servers at once, without blocking...\n", len(targets))
	for _, tg := range targets {
		c, err := ex9Start(t, base, tg)
		if err != nil {
			return false, err
		}
		conns = append(conns, c)
	}
	if err := base.Dispatch(t.Ctx, DispatchOptions{}); err != nil {
		return false, err
	}
	return ex9ReadAll(t, conns)
}

// ex9Targets is the list of servers: the Env's targets, or its host and
// port.
func ex9Targets(t *Thread) ([]Target, error) {
	if len(t.Env.Opts.Targets) == 0 {
		return []Target{{Host: t.Env.Host, Port: t.Env.Port}}, nil
	}
	var out []Target
	for _, s := range t.Env.Opts.Targets {
		tg, err := ParseTarget(s)
		if err != nil {
			return nil, err
		}
		out = append(out, tg)
	}
	return out, nil
}

// ex9Start makes a socket for tg's address and starts its connect. A
// connect in progress gets a write handler; one that ended at once is
// reported at once.
func ex9Start(t *Thread, base *EventBase, tg Target) (*ex9Conn, error) {
	addr, err := iolib.Lookup(t.Ctx, tg.Host, hostFamily(tg.Host, t.Env.Family))
	if err != nil {
		return nil, err
	}
	s, err := iolib.MakeSocket((*envOwner)(t.Env), iolib.Options{Family: iolib.FamilyOf(addr)})
	if err != nil {
		return nil, err
	}
	c := &ex9Conn{who: hostPort(netip.AddrPortFrom(addr, uint16(tg.Port))), sock: s}
	inProgress, err := s.StartConnect(addr, tg.Port)
	if !inProgress {
		t.Printf("connect to %s returned at once.\n", c.who)
		ex9Report(t, c, err)
		return c, nil
	}
	t.Printf("connect to %s: EINPROGRESS, %s[fd=%d] registered for write.\n", c.who, s, s.FD())
	return c, base.SetIOHandler(s.FD(), Write, func(fd int, _ Event, _ Exception) error {
		err := s.FinishConnect()
		if errors.Is(err, WouldBlock) {
			return nil // not done after all: wait for the next event
		}
		base.RemoveFDHandlers(fd)
		t.Printf("%s is writable: SO_ERROR says %s.\n", c.who, soError(err))
		ex9Report(t, c, err)
		return nil
	})
}

// hostFamily is the family to resolve host for: its own, if it is an
// address literal, else def.
func hostFamily(host string, def Family) Family {
	if a, err := netip.ParseAddr(host); err == nil {
		return iolib.FamilyOf(a)
	}
	return def
}

// soError names a connect's outcome as SO_ERROR gives it.
func soError(err error) string {
	var c *Condition
	if errors.As(err, &c) && c.Errno != 0 {
		return fmt.Sprintf("%d (%s)", int(c.Errno), c.Errno.Error())
	}
	if err != nil {
		return err.Error()
	}
	return "0 (connected)"
}

// ex9Report prints how one connect ended.
func ex9Report(t *Thread, c *ex9Conn, err error) {
	c.done, c.err = true, err
	if err != nil {
		t.Printf("Connect to %s failed: %s\n", c.who, err)
		c.sock.Abort()
		c.sock = nil
		return
	}
	t.Printf("Connected to server %s from my local connection at %s!\n",
		hostPort(c.sock.RemoteAddr()), hostPort(c.sock.LocalAddr()))
}

// ex9ReadAll reads the daytime line of each server that answered, in
// the order they were given, and closes its socket.
func ex9ReadAll(t *Thread, conns []*ex9Conn) (bool, error) {
	answered := 0
	for _, c := range conns {
		if c.sock == nil {
			continue
		}
		answered++
		line, err := c.sock.ReadLine(t.Ctx)
		switch {
		case errors.Is(err, EndOfFile):
			t.Printf("%s: got end-of-file. Server closed connection!\n", c.who)
		case err != nil && !errors.Is(err, ConnectionReset):
			return false, err
		case err != nil:
			t.Printf("%s: got connection reset. Server went away!\n", c.who)
		default:
			t.Printf("%s: %s\n", c.who, line)
		}
		c.sock.Abort()
		c.sock = nil
	}
	t.Printf("%d of %d servers answered.\n", answered, len(conns))
	return answered == len(conns), nil
}
