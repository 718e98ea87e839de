package iolib

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/nettest"
	"golang.org/x/sys/unix"
)

// loopback is where every test socket lives.
var loopback = netip.MustParseAddr("127.0.0.1")

// testListener makes a netex socket listening on an ephemeral loopback port.
func testListener(th *Thread, backlog int) (*Socket, error) {
	s, err := th.Env.MakeSocket(true)
	if err != nil {
		return nil, err
	}
	if err := s.Bind(loopback, 0); err != nil {
		s.Abort()
		return nil, err
	}
	if err := s.Listen(backlog); err != nil {
		s.Abort()
		return nil, err
	}
	return s, nil
}

// dialPair connects a netex active socket to a plain Go peer.
func dialPair(th *Thread) (*Socket, net.Conn, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer l.Close()
	s, err := th.Env.MakeSocket(false)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Connect(th.Ctx, "127.0.0.1", l.Addr().(*net.TCPAddr).Port); err != nil {
		s.Abort()
		return nil, nil, err
	}
	peer, err := l.Accept()
	if err != nil {
		s.Abort()
		return nil, nil, err
	}
	return s, peer, nil
}

// acceptPair accepts a plain Go client on a netex listener, which it
// closes again.
func acceptPair(th *Thread) (*Socket, net.Conn, error) {
	l, err := testListener(th, 5)
	if err != nil {
		return nil, nil, err
	}
	defer l.Abort()
	peer, err := net.Dial("tcp4", HostPort(l.LocalAddr()))
	if err != nil {
		return nil, nil, err
	}
	s, err := l.Accept(th.Ctx)
	if err != nil {
		peer.Close()
		return nil, nil, err
	}
	return s, peer, nil
}

// pairTest runs body in a Run with a netex socket s connected to a plain
// Go peer: s dialled out when dial is true, else accepted from it. Both
// are closed afterwards.
func pairTest(t *testing.T, dial bool, body func(th *Thread, s *Socket, peer net.Conn) error) {
	t.Helper()
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		pair := acceptPair
		if dial {
			pair = dialPair
		}
		s, peer, err := pair(th)
		if err != nil {
			return err
		}
		defer peer.Close()
		defer s.Abort()
		return body(th, s, peer)
	})
}

// waitFD waits until fd has one of events (poll(2) flags) and returns the
// events it has.
func waitFD(fd int, events int16) (int16, error) { return nettest.WaitFD(fd, events) }

// resetPeer makes peer close with an RST and waits until s has seen it.
func resetPeer(s *Socket, peer net.Conn) error { return nettest.ResetPeer(s.FD(), peer) }

// peerReadAll reads what peer receives until the end of the stream.
func peerReadAll(peer net.Conn) (string, error) {
	peer.SetReadDeadline(time.Now().Add(testTimeout))
	b, err := io.ReadAll(peer)
	return string(b), err
}

// wantForm checks s's print form: the form given, then s's identity.
func wantForm(t testing.TB, s *Socket, format string, args ...any) {
	t.Helper()
	if got, want := s.String(), fmt.Sprintf(format, args...)+" "+s.id+">"; got != want {
		t.Errorf("socket prints as %q, want %q", got, want)
	}
}

// passiveForms takes a new passive socket through its states up to
// listening, checking its print form in each.
func passiveForms(t testing.TB, th *Thread) (*Socket, error) {
	return listenerForms(t, th, IPv4, loopback)
}

// listenerForms is passiveForms for a socket of family fam bound to addr.
func listenerForms(t testing.TB, th *Thread, fam Family, addr netip.Addr) (*Socket, error) {
	l, err := MakeSocket(th.Env, Options{Passive: true, Family: fam})
	if err != nil {
		return nil, err
	}
	wantForm(t, l, "#<passive %s stream socket, unbound", fam)
	if err := l.Bind(addr, 0); err != nil {
		return l, err
	}
	port := l.LocalAddr().Port()
	wantForm(t, l, "#<passive %s stream socket bound to %s/%d", fam, addr, port)
	if err := l.Listen(5); err != nil {
		return l, err
	}
	wantForm(t, l, "#<passive %s stream socket waiting @ %s/%d", fam, addr, port)
	return l, nil
}

func TestSocketPrintForms(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		l, err := passiveForms(t, th)
		if l != nil {
			defer l.Abort()
		}
		if err != nil {
			return err
		}
		port := l.LocalAddr().Port()
		c, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		wantForm(t, c, "#<active IPv4 stream socket, unconnected")
		if err := c.Connect(th.Ctx, "127.0.0.1", int(port)); err != nil {
			return err
		}
		wantForm(t, c, "#<active IPv4 stream socket connected to 127.0.0.1/%d", port)
		a, err := l.Accept(th.Ctx)
		if err != nil {
			return err
		}
		wantForm(t, a, "#<active IPv4 stream socket connected to 127.0.0.1/%d", c.LocalAddr().Port())
		if err := c.ShutdownWrite(th.Ctx); err != nil {
			return err
		}
		// getpeername decides: after a half-close the peer is still known.
		wantForm(t, c, "#<active IPv4 stream socket connected to 127.0.0.1/%d", port)
		for _, s := range []*Socket{a, c, l} {
			if err := s.Close(th.Ctx); err != nil {
				return err
			}
		}
		wantForm(t, c, "#<active IPv4 stream socket, closed")
		wantForm(t, l, "#<passive IPv4 stream socket, closed")
		if c.RemoteAddr().Port() != port {
			t.Errorf("remote address forgotten after close: %v", c.RemoteAddr())
		}
		if l.id == c.id || c.id == a.id || !linePattern("{ID}").MatchString(l.id) {
			t.Errorf("identity tokens %s %s %s", l.id, c.id, a.id)
		}
		return nil
	})
}

func TestSocketFDIsARealSocket(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		link, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", s.FD()))
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			t.Errorf("fd %d is %q, %v; want a socket", s.FD(), link, err)
		}
		if typ, err := unix.GetsockoptInt(s.FD(), unix.SOL_SOCKET, unix.SO_TYPE); err != nil || typ != unix.SOCK_STREAM {
			t.Errorf("fd %d has type %d, %v", s.FD(), typ, err)
		}
		return s.Close(th.Ctx)
	})
}

func TestSocketLineIO(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		if _, err := peer.Write([]byte("crlf\r\nbare lf\n\r\nlast")); err != nil {
			return err
		}
		peer.(*net.TCPConn).CloseWrite()
		var got []string
		for range 4 {
			line, err := s.ReadLine(th.Ctx)
			if err != nil {
				return err
			}
			got = append(got, line)
		}
		if strings.Join(got, "|") != "crlf|bare lf||last" {
			t.Errorf("lines %q", got)
		}
		if _, err := s.ReadLine(th.Ctx); !errors.Is(err, EndOfFile) {
			t.Errorf("after the last line: %v, want END-OF-FILE", err)
		}
		if err := s.WriteLine(th.Ctx, "héllo"); err != nil {
			return err
		}
		if err := s.Close(th.Ctx); err != nil {
			return err
		}
		if got, err := peerReadAll(peer); got != "héllo\r\n" || err != nil {
			t.Errorf("peer read %q, %v; want the line with CRLF", got, err)
		}
		return nil
	})
}

func TestSocketWriteLineIsBuffered(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		if err := s.WriteLine(th.Ctx, "held"); err != nil {
			return err
		}
		if n, err := unix.IoctlGetInt(s.FD(), unix.SIOCOUTQ); n != 0 || err != nil || s.w.Buffered() != 6 {
			t.Errorf("before FinishOutput: %d bytes queued in the kernel (%v), %d buffered", n, err, s.w.Buffered())
		}
		peer.SetReadDeadline(time.Now())
		if n, err := peer.Read(make([]byte, 16)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("peer read %d bytes (%v) before FinishOutput", n, err)
		}
		if err := s.FinishOutput(th.Ctx); err != nil {
			return err
		}
		s.Abort() // nothing left to discard
		if got, err := peerReadAll(peer); got != "held\r\n" || err != nil {
			t.Errorf("peer read %q, %v after FinishOutput", got, err)
		}
		return nil
	})
}

func TestSocketAbortDiscards(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		if err := s.WriteLine(th.Ctx, "never sent"); err != nil {
			return err
		}
		s.Abort()
		s.Abort()
		if err := s.Close(th.Ctx); err != nil {
			t.Errorf("Close after Abort: %v", err)
		}
		if got, err := peerReadAll(peer); got != "" || err != nil {
			t.Errorf("peer read %q, %v after Abort", got, err)
		}
		wantForm(t, s, "#<active IPv4 stream socket, closed")
		return nil
	})
}

func TestSocketCloseToResetPeer(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		if err := resetPeer(s, peer); err != nil {
			return err
		}
		if err := s.WriteLine(th.Ctx, "to nobody"); err != nil {
			return err
		}
		if err := s.Close(th.Ctx); !errors.Is(err, Hangup) && !errors.Is(err, ConnectionReset) {
			t.Errorf("Close to a reset peer: %v, want HANGUP or a reset", err)
		}
		if err := s.Close(th.Ctx); err != nil {
			t.Errorf("second Close: %v", err)
		}
		wantForm(t, s, "#<active IPv4 stream socket, closed")
		return nil
	})
}

func TestSocketShutdownWrite(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		if err := s.WriteLine(th.Ctx, "last words"); err != nil {
			return err
		}
		if err := s.ShutdownWrite(th.Ctx); err != nil {
			return err
		}
		if got, err := peerReadAll(peer); got != "last words\r\n" || err != nil {
			t.Errorf("peer read %q, %v; want the line then end-of-file", got, err)
		}
		if _, err := peer.Write([]byte("still heard\n")); err != nil {
			return err
		}
		if line, err := s.ReadLine(th.Ctx); line != "still heard" || err != nil {
			t.Errorf("after ShutdownWrite we read %q, %v", line, err)
		}
		return s.Close(th.Ctx)
	})
}
