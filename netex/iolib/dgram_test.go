package iolib

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// itoa prints a port.
func itoa(p uint16) string { return strconv.Itoa(int(p)) }

// udp makes a datagram socket of family fam owned by th's Env.
func udp(th *Thread, fam Family) (*Socket, error) {
	return MakeSocket(th.Env, Options{Type: Datagram, Family: fam})
}

func TestDatagramPrintForms(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		s, err := udp(th, IPv4)
		if err != nil {
			return err
		}
		defer s.Abort()
		wantForm(t, s, "#<IPv4 datagram socket waiting @ 0.0.0.0/0")
		if err := s.Bind(netip.IPv4Unspecified(), 0); err != nil {
			return err
		}
		port := s.LocalAddr().Port()
		wantForm(t, s, "#<IPv4 datagram socket waiting @ 0.0.0.0/%d", port)

		u, err := udp(th, IPv6)
		if err != nil {
			return err
		}
		defer u.Abort()
		wantForm(t, u, "#<IPv6 datagram socket waiting @ ::/0")
		if err := u.Connect(th.Ctx, "::1", int(port)); err != nil {
			return err
		}
		wantForm(t, u, "#<IPv6 datagram socket connected to ::1/%d", port)

		// An unbound socket is bound by its first send.
		v, err := udp(th, IPv4)
		if err != nil {
			return err
		}
		defer v.Abort()
		if _, err := v.SendTo(th.Ctx, []byte("x"), netip.AddrPortFrom(loopback, port)); err != nil {
			return err
		}
		vport := v.LocalAddr().Port()
		if vport == 0 {
			t.Error("no local port after a send")
		}
		wantForm(t, v, "#<IPv4 datagram socket waiting @ 0.0.0.0/%d", vport)
		v.Abort()
		wantForm(t, v, "#<IPv4 datagram socket, closed")
		if s.Type() != Datagram || s.Family() != IPv4 || u.Family() != IPv6 || s.Passive() {
			t.Errorf("kinds: %v %v %v passive=%v", s.Type(), s.Family(), u.Family(), s.Passive())
		}
		return nil
	})
}

func TestDatagramSendReceive(t *testing.T) {
	leakCheck(t)
	for _, c := range []struct {
		fam  Family
		addr netip.Addr
	}{{IPv4, loopback}, {IPv6, loopback6}} {
		inRun(t, func(th *Thread) error {
			srv, err := udp(th, c.fam)
			if err != nil {
				return err
			}
			defer srv.Abort()
			if err := srv.Bind(c.addr, 0); err != nil {
				return err
			}
			cli, err := udp(th, c.fam)
			if err != nil {
				return err
			}
			defer cli.Abort()
			if n, err := cli.SendTo(th.Ctx, []byte("what time is it?"), srv.LocalAddr()); n != 16 || err != nil {
				t.Errorf("SendTo: %d, %v", n, err)
			}
			buf := make([]byte, 4)
			n, from, err := srv.ReceiveFrom(th.Ctx, buf)
			if err != nil || string(buf[:n]) != "what" || from.Addr() != c.addr || from.Port() != cli.LocalAddr().Port() {
				t.Errorf("%v: ReceiveFrom into 4 bytes: %q from %v, %v; want \"what\" from %v", c.fam, buf[:n], from, err, cli.LocalAddr())
			}
			if _, err := srv.SendTo(th.Ctx, []byte("noon"), from); err != nil {
				return err
			}
			if ok, err := cli.WaitReadable(th.Ctx, testTimeout); !ok || err != nil {
				t.Errorf("WaitReadable with a reply queued: %v, %v", ok, err)
			}
			buf = make([]byte, 64)
			n, from, err = cli.ReceiveFrom(th.Ctx, buf)
			if err != nil || string(buf[:n]) != "noon" || from != srv.LocalAddr() {
				t.Errorf("%v: the reply: %q from %v, %v", c.fam, buf[:n], from, err)
			}
			return nil
		})
	}
}

// deadPort returns a UDP port on 127.0.0.1 that nothing is bound to.
func deadPort(t testing.TB, th *Thread) netip.AddrPort {
	s, err := udp(th, IPv4)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if err := s.Bind(loopback, 0); err != nil {
		t.Fatal(err)
	}
	return s.LocalAddr()
}

func TestDatagramRefusedOnlyWhenConnected(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		dead := deadPort(t, th)
		// Unconnected: the ICMP port unreachable is not reported, and
		// the wait for a reply times out.
		s, err := udp(th, IPv4)
		if err != nil {
			return err
		}
		defer s.Abort()
		if _, err := s.SendTo(th.Ctx, []byte("anyone?"), dead); err != nil {
			return err
		}
		if ok, err := s.WaitReadable(th.Ctx, 50*time.Millisecond); ok || err != nil {
			t.Errorf("unconnected: WaitReadable = %v, %v; want a timeout", ok, err)
		}
		// Connected: the same ICMP is a refused connection.
		c, err := udp(th, IPv4)
		if err != nil {
			return err
		}
		defer c.Abort()
		if err := c.Connect(th.Ctx, "127.0.0.1", int(dead.Port())); err != nil {
			return err
		}
		if _, err := c.SendTo(th.Ctx, []byte("anyone?"), netip.AddrPort{}); err != nil {
			return err
		}
		_, _, err = c.ReceiveFrom(th.Ctx, make([]byte, 16))
		var cond *Condition
		if !errors.Is(err, ConnectionRefused) || !errors.As(err, &cond) || cond.FD != c.FD() {
			t.Errorf("connected: ReceiveFrom = %v, want SOCKET-CONNECTION-REFUSED-ERROR", err)
		}
		return nil
	})
}

func TestDatagramInterrupted(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		s, err := udp(th, IPv6)
		if err != nil {
			return err
		}
		err = interruptible(t, "IO wait", "(*Socket).ReceiveFrom", func(ctx context.Context) error {
			_, _, err := s.ReceiveFrom(ctx, make([]byte, 8))
			return err
		})
		if !errors.Is(err, Interrupted) {
			t.Errorf("cancelled ReceiveFrom: %v", err)
		}
		if ok, err := s.WaitReadable(th.Ctx, testTimeout); ok || !errors.Is(err, Interrupted) {
			t.Errorf("WaitReadable on an interrupted socket: %v, %v", ok, err)
		}
		s.Abort()
		if s, err = udp(th, IPv4); err != nil {
			return err
		}
		err = interruptible(t, "IO wait", "(*Socket).WaitReadable", func(ctx context.Context) error {
			_, err := s.WaitReadable(ctx, 0)
			return err
		})
		if !errors.Is(err, Interrupted) {
			t.Errorf("cancelled WaitReadable: %v", err)
		}
		return s.Close(th.Ctx)
	})
}
