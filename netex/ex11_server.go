package netex

import (
	"errors"
	"time"
)

// runEx11Server is a UDP daytime and echo server (UNP chapter 8),
// written the IOLib way. It is iterative with no connection and no
// accept: it binds one datagram socket and answers each datagram with
// sendto to the address recvfrom gave. An empty datagram asks for the
// time (RFC 867 over UDP); any other is echoed (RFC 862). Its value is
// NIL: it serves until stopped.
func runEx11Server(t *Thread) (bool, error) {
	defer t.Printf("Server Exited.\n")
	s, err := t.Env.MakeDatagramSocket(true)
	if err != nil {
		return false, err
	}
	defer s.Abort()
	t.Printf("Created socket: %s[fd=%d]\n", s, s.FD())
	if err := s.Bind(t.Env.Bind, t.Env.Port); err != nil {
		if errors.Is(err, AddressInUse) {
			t.Printf("Bind: Address already in use, forget :reuse-addr t?")
			return false, nil
		}
		return false, err
	}
	t.Printf("Bound socket: %s\n", s)
	t.Env.run.markListening(s.LocalAddr(), true)
	t.Printf("Waiting for datagrams on %s...\n", hostPort(s.LocalAddr()))
	buf := make([]byte, 65536)
	for {
		n, from, err := s.ReceiveFrom(t.Ctx, buf)
		if err != nil {
			return false, err
		}
		who := hostPort(from)
		reply := buf[:n]
		if n == 0 {
			t.Printf("Got an empty datagram from %s: it asks for the time.\n", who)
			reply = []byte(DaytimeString(time.Now()))
		} else {
			t.Printf("Got %d bytes from %s: %q\n", n, who, buf[:n])
		}
		if _, err := s.SendTo(t.Ctx, reply, from); err != nil {
			t.Printf("sendto %s: %s\n", who, err)
			continue
		}
		if n == 0 {
			t.Printf("Sent the time to %s: %s\n", who, reply)
		} else {
			t.Printf("Echoed %d bytes to %s\n", n, who)
		}
	}
}
