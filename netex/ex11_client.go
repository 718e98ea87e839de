package netex

import (
	"errors"
	"net/netip"
	"time"
)

// The defaults of ex11-client's --timeout and --retries.
const (
	ex11Timeout = time.Second
	ex11Retries = 3
)

// ex11Client is ex11-client's state: its socket, the server's address,
// and the options it runs with.
type ex11Client struct {
	t       *Thread
	s       *Socket
	server  netip.AddrPort
	who     string
	timeout time.Duration
	retries int
	drop    int  // percent
	acc     int  // the drop accumulator
	shown   bool // the bound socket has been printed
	conn    bool // the socket is connected
}

// runEx11Client is a UDP daytime and echo client (UNP chapter 8, and
// §22.5's timeout and retransmission), written the IOLib way. Each line
// of standard input is sent as one datagram (an empty line asks for the
// time) and the reply awaited for the timeout; with no reply it sends
// again, up to the number of retries. A reply from any address but the
// server's is ignored. Connected (the connect option) the socket gets
// ICMP port unreachable as a SOCKET-CONNECTION-REFUSED-ERROR, which ends
// it; unconnected, nobody tells it, and it only times out. The drop
// option loses a share of the requests on purpose. It returns T when
// every request was answered.
func runEx11Client(t *Thread) (bool, error) {
	defer t.Printf("Client Exited.\n")
	o := t.Env.Opts
	c := &ex11Client{t: t, timeout: o.Timeout, retries: o.Retries, drop: o.Drop}
	if c.timeout <= 0 {
		c.timeout = ex11Timeout
	}
	if c.retries <= 0 {
		c.retries = ex11Retries
	}
	s, err := t.Env.MakeDatagramSocket(false)
	if err != nil {
		return false, err
	}
	defer s.Abort()
	c.s = s
	t.Printf("Created socket: %s[fd=%d]\n", s, s.FD())
	addr, err := t.Env.LookupHostname(t.Ctx, t.Env.Host)
	if err != nil {
		return false, err
	}
	c.server = netip.AddrPortFrom(addr, uint16(t.Env.Port))
	c.who = hostPort(c.server)
	if o.Connect {
		if err := s.Connect(t.Ctx, addr.String(), t.Env.Port); err != nil {
			return false, err
		}
		c.shown, c.conn = true, true
		t.Printf("Connected socket: %s\n", s)
	}
	ok, err := c.loop()
	if errors.Is(err, ConnectionRefused) {
		t.Printf("Connection refused: ICMP port unreachable from %s. Nobody is listening there!\n", c.who)
		return false, nil
	}
	return ok, err
}

// loop asks once per line of standard input until its end.
func (c *ex11Client) loop() (bool, error) {
	all := true
	for {
		line, err := c.t.Env.ReadStdin(c.t.Ctx)
		if errors.Is(err, EndOfFile) {
			return all, nil
		}
		if err != nil {
			return false, err
		}
		got, err := c.ask([]byte(line))
		if err != nil {
			return false, err
		}
		all = all && got
	}
}

// ask sends req and waits for the reply, sending again after each
// timeout, and reports whether a reply came.
func (c *ex11Client) ask(req []byte) (bool, error) {
	for try := 1; try <= c.retries; try++ {
		if err := c.send(req, try); err != nil {
			return false, err
		}
		got, err := c.await()
		if got || err != nil {
			return got, err
		}
		c.t.Printf("No reply from %s within %v (try %d of %d).\n", c.who, c.timeout, try, c.retries)
	}
	c.t.Printf("Gave up on %s after %d tries.\n", c.who, c.retries)
	return false, nil
}

// send sends req, or drops it when the drop option says so: an evenly
// spread N% of the requests, the same ones every run.
func (c *ex11Client) send(req []byte, try int) error {
	c.acc += c.drop
	if c.acc >= 100 {
		c.acc -= 100
		c.t.Printf("Dropped %d bytes to %s (try %d of %d): --drop %d%% lost it.\n", len(req), c.who, try, c.retries, c.drop)
		return nil
	}
	to := c.server
	if c.conn {
		to = netip.AddrPort{} // connected: plain send
	}
	if _, err := c.s.SendTo(c.t.Ctx, req, to); err != nil {
		return err
	}
	c.t.Printf("Sent %d bytes to %s (try %d of %d).\n", len(req), c.who, try, c.retries)
	if !c.shown {
		c.shown = true
		c.t.Printf("My socket is now bound: %s\n", c.s)
	}
	return nil
}

// await waits up to the timeout for the server's reply, ignoring
// datagrams from anyone else, and prints it.
func (c *ex11Client) await() (bool, error) {
	end := time.Now().Add(c.timeout)
	buf := make([]byte, 65536)
	for {
		left := time.Until(end)
		if left <= 0 {
			return false, nil
		}
		ready, err := c.s.WaitReadable(c.t.Ctx, left)
		if err != nil || !ready {
			return false, err
		}
		n, from, err := c.s.ReceiveFrom(c.t.Ctx, buf)
		if err != nil {
			return false, err
		}
		if from.Addr().Unmap() != c.server.Addr().Unmap() || from.Port() != c.server.Port() {
			c.t.Printf("Ignored %d bytes from %s: I asked %s.\n", n, hostPort(from), c.who)
			continue
		}
		c.t.Printf("Reply from %s: %s\n", c.who, buf[:n])
		return true, nil
	}
}
