package iolib

import (
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// listening makes a passive socket of fam listening on its loopback.
func listening(th *Thread, fam Family) (*Socket, error) {
	s, err := MakeSocket(th.Env, Options{Passive: true, Family: fam})
	if err != nil {
		return nil, err
	}
	lo := netip.MustParseAddr("127.0.0.1")
	if fam == IPv6 {
		lo = netip.IPv6Loopback()
	}
	if err := s.Bind(lo, 0); err != nil {
		s.Abort()
		return nil, err
	}
	return s, s.Listen(5)
}

// waitWritable waits until s is writable, as an event base would.
func waitWritable(s *Socket) error {
	return pollUntil(func() (bool, error) { return FDReady(s.FD(), unix.POLLOUT)(), nil })
}

// TestNonblockingConnectAndAccept: a connect in progress is finished by
// SO_ERROR once writable, connected or refused; AcceptNow takes what is
// queued and then says EWOULDBLOCK; PeerName fails with ENOTCONN for a
// client that reset in the queue, though accept still knew its address.
func TestNonblockingConnectAndAccept(t *testing.T) {
	for _, fam := range []Family{IPv4, IPv6} {
		t.Run(fam.String(), func(t *testing.T) {
			leakCheck(t)
			inRun(t, func(th *Thread) error {
				l, err := listening(th, fam)
				if err != nil {
					return err
				}
				defer l.Abort()
				if _, err := l.AcceptNow(); !errors.Is(err, WouldBlock) {
					t.Errorf("AcceptNow with an empty queue: %v, want EWOULDBLOCK", err)
				}
				c, err := MakeSocket(th.Env, Options{Family: fam})
				if err != nil {
					return err
				}
				defer c.Abort()
				lp := l.LocalAddr()
				if inProgress, err := c.StartConnect(lp.Addr(), int(lp.Port())); !inProgress || err != nil {
					t.Fatalf("StartConnect: in progress %v, %v", inProgress, err)
				}
				if err := waitWritable(c); err != nil {
					return err
				}
				if err := c.FinishConnect(); err != nil || c.RemoteAddr() != lp {
					t.Fatalf("FinishConnect: %v, remote %v, want %v", err, c.RemoteAddr(), lp)
				}
				wantForm(t, c, "#<active %s stream socket connected to %s/%d", fam, lp.Addr(), lp.Port())
				local := c.LocalAddr()
				c.Control(func(fd int) {
					unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
				})
				c.Abort() // an RST while the connection waits in the queue
				a, err := l.AcceptNow()
				if err != nil {
					return err
				}
				defer a.Abort()
				if a.RemoteAddr() != local {
					t.Errorf("accept's address %v, want the client's %v", a.RemoteAddr(), local)
				}
				var cond *Condition
				if _, err := a.PeerName(); !errors.As(err, &cond) || cond.Errno != unix.ENOTCONN {
					t.Errorf("PeerName after the client reset: %v, want ENOTCONN", err)
				}
				if _, err := l.AcceptNow(); !errors.Is(err, WouldBlock) {
					t.Errorf("AcceptNow after the queue emptied: %v, want EWOULDBLOCK", err)
				}
				a.Abort()
				l.Abort()

				r, err := MakeSocket(th.Env, Options{Family: fam})
				if err != nil {
					return err
				}
				defer r.Abort()
				if inProgress, err := r.StartConnect(lp.Addr(), int(lp.Port())); !inProgress || err != nil {
					t.Fatalf("StartConnect to a closed port: in progress %v, %v", inProgress, err)
				}
				if err := waitWritable(r); err != nil {
					return err
				}
				if err := r.FinishConnect(); !errors.Is(err, ConnectionRefused) {
					t.Errorf("FinishConnect to a closed port: %v, want SOCKET-CONNECTION-REFUSED-ERROR", err)
				}
				return nil
			})
		})
	}
}

// TestUrgentData sends a line and one urgent byte: out of band the byte
// is read apart and the stream is at the mark after the line; inline it
// is read in the stream at the mark.
func TestUrgentData(t *testing.T) {
	for _, inline := range []bool{false, true} {
		t.Run(map[bool]string{false: "out-of-band", true: "inline"}[inline], func(t *testing.T) {
			leakCheck(t)
			inRun(t, func(th *Thread) error {
				l, err := listening(th, IPv4)
				if err != nil {
					return err
				}
				defer l.Abort()
				if err := l.SetOOBInline(inline); err != nil {
					return err
				}
				c, err := th.Env.MakeSocket(false)
				if err != nil {
					return err
				}
				defer c.Abort()
				lp := l.LocalAddr()
				if err := c.Connect(th.Ctx, lp.Addr().String(), int(lp.Port())); err != nil {
					return err
				}
				a, err := l.Accept(th.Ctx)
				if err != nil {
					return err
				}
				defer a.Abort()
				if err := c.WriteText(th.Ctx, "ab"); err != nil {
					return err
				}
				if err := c.SendUrgent(th.Ctx, 'X'); err != nil {
					return err
				}
				if err := pollUntil(func() (bool, error) { return FDReady(a.FD(), unix.POLLPRI)(), nil }); err != nil {
					return err
				}
				buf := make([]byte, 10)
				n, err := a.ReceiveInto(buf)
				if err != nil || string(buf[:n]) != "ab" {
					t.Fatalf("the read before the mark: %q, %v; want ab alone", buf[:n], err)
				}
				if mark, err := a.AtMark(); !mark || err != nil {
					t.Fatalf("AtMark after the data before the mark: %v, %v", mark, err)
				}
				b, uerr := a.ReceiveUrgent()
				if !inline {
					if uerr != nil || b != 'X' {
						t.Fatalf("ReceiveUrgent: %q, %v", b, uerr)
					}
					return nil
				}
				var cond *Condition
				if !errors.As(uerr, &cond) || cond.Errno != unix.EINVAL {
					t.Errorf("ReceiveUrgent inline: %v, want EINVAL", uerr)
				}
				n, err = a.ReceiveInto(buf)
				if err != nil || string(buf[:n]) != "X" {
					t.Fatalf("the inline read at the mark: %q, %v", buf[:n], err)
				}
				return nil
			})
		})
	}
}

// TestDatagramRole: a datagram socket is listed as dgram.
func TestDatagramRole(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		s, err := udp(th, IPv6)
		if err != nil {
			return err
		}
		defer s.Abort()
		if r := s.Role(); r != "dgram" {
			t.Errorf("a datagram socket's role is %q, want dgram", r)
		}
		return nil
	})
}
