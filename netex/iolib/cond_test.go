package iolib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestConditionPrintForms(t *testing.T) {
	for _, c := range []struct {
		cond *Condition
		want string
	}{
		{&Condition{Kind: ConnectionRefused, Errno: unix.ECONNREFUSED, FD: 3},
			`#<SOCKET-CONNECTION-REFUSED-ERROR 111 :ECONNREFUSED "Connection refused", FD: 3>`},
		{&Condition{Kind: WouldBlock, Errno: unix.EAGAIN, FD: 7},
			`#<EWOULDBLOCK 11 :EWOULDBLOCK "Resource temporarily unavailable", FD: 7>`},
		{&Condition{Kind: BrokenPipe, Errno: unix.EPIPE, FD: 4},
			`#<EPIPE 32 :EPIPE "Broken pipe", FD: 4>`},
		{&Condition{Kind: Hangup, Errno: unix.EPIPE, FD: 4},
			`#<HANGUP 32 :EPIPE "Broken pipe", FD: 4>`},
		{&Condition{Kind: ConnectionReset, Errno: unix.ECONNRESET, FD: 5},
			`#<SOCKET-CONNECTION-RESET-ERROR 104 :ECONNRESET "Connection reset by peer", FD: 5>`},
		{&Condition{Kind: AddressInUse, Errno: unix.EADDRINUSE, FD: 3},
			`#<SOCKET-ADDRESS-IN-USE-ERROR 98 :EADDRINUSE "Address already in use", FD: 3>`},
		{&Condition{Kind: EndOfFile, FD: 3}, `#<END-OF-FILE FD: 3>`},
		{&Condition{Kind: EndOfFile, FD: -1}, `#<END-OF-FILE>`},
		{&Condition{Kind: Interrupted, FD: -1}, `#<INTERACTIVE-INTERRUPT>`},
		{&Condition{Kind: ResolverError, FD: -1, Msg: "nowhere.invalid"}, `#<RESOLVER-NO-NAME-ERROR nowhere.invalid>`},
	} {
		if got := c.cond.Error(); got != c.want {
			t.Errorf("%v prints as %s, want %s", c.cond.Kind, got, c.want)
		}
	}
	if got := Kind(99).String(); got != "CONDITION-99" {
		t.Errorf("an unknown kind prints as %q", got)
	}
}

func TestConditionKindsAndErrorsIs(t *testing.T) {
	for errno, kind := range map[unix.Errno]Kind{
		unix.ECONNRESET:   ConnectionReset,
		unix.ECONNREFUSED: ConnectionRefused,
		unix.EADDRINUSE:   AddressInUse,
		unix.EPIPE:        Hangup,
		unix.EAGAIN:       WouldBlock,
		unix.EBADF:        SocketError,
	} {
		err := fmt.Errorf("wrapped: %w", condErr(errno, 9))
		var c *Condition
		if !errors.Is(err, kind) || !errors.As(err, &c) || c.Errno != errno || c.FD != 9 {
			t.Errorf("condErr(%v) = %v, want kind %v on fd 9", errno, err, kind)
		}
		if other := kind%Interrupted + 1; errors.Is(err, other) {
			t.Errorf("condErr(%v) is also %v", errno, other)
		}
	}
	plain := errors.New("not a syscall error")
	if condErr(plain, 3) != plain {
		t.Error("condErr changed an error that has no errno")
	}
}

// socketForm matches any socket's print form.
var socketForm = regexp.MustCompile(`^#<(passive|active) IPv4 stream socket.* \{[0-9A-F]+\}>$`)

// wantInterrupted checks that err is an Interrupted condition on s and
// that s can still be printed and closed without a flush or an error.
func wantInterrupted(t testing.TB, s *Socket, err error, what string) {
	t.Helper()
	var c *Condition
	if !errors.Is(err, Interrupted) || !errors.As(err, &c) || c.FD != s.FD() {
		t.Errorf("%s: %v, want an Interrupted condition on fd %d", what, err, s.FD())
	}
	if !socketForm.MatchString(s.String()) {
		t.Errorf("%s: the socket prints as %q", what, s.String())
	}
	if err := s.Close(context.Background()); err != nil {
		t.Errorf("%s: Close after the interruption: %v", what, err)
	}
}

func TestInterruptAccept(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		l, err := testListener(th, 5)
		if err != nil {
			return err
		}
		err = interruptible(t, "IO wait", "(*Socket).Accept", func(ctx context.Context) error {
			_, err := l.Accept(ctx)
			return err
		})
		wantInterrupted(t, l, err, "Accept")
		return nil
	})
}

func TestInterruptReadLine(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		err := interruptible(t, "IO wait", "(*Socket).ReadLine", func(ctx context.Context) error {
			_, err := s.ReadLine(ctx)
			return err
		})
		if err := s.WriteLine(context.Background(), "unflushed"); err != nil {
			t.Errorf("WriteLine into the buffer after an interruption: %v", err)
		}
		wantInterrupted(t, s, err, "ReadLine")
		if got, err := peerReadAll(peer); got != "" || err != nil {
			t.Errorf("peer read %q, %v: Close after an interruption flushed", got, err)
		}
		return nil
	})
}

func TestInterruptBlockedWrite(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		unix.SetsockoptInt(s.FD(), unix.SOL_SOCKET, unix.SO_SNDBUF, 4096)
		line := string(make([]byte, 1024))
		err := interruptible(t, "IO wait", "(*Socket).FinishOutput", func(ctx context.Context) error {
			for i := 0; i < 1<<16; i++ { // 64 MiB at most: the peer never reads
				if err := s.WriteLine(ctx, line); err != nil {
					return err
				}
				if err := s.FinishOutput(ctx); err != nil {
					return err
				}
			}
			return io.ErrShortWrite
		})
		wantInterrupted(t, s, err, "FinishOutput")
		return nil
	})
}

func TestInterruptConnect(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		l, err := testListener(th, 0)
		if err != nil {
			return err
		}
		defer l.Abort()
		// A backlog of 0 holds one connection; with it queued the
		// kernel drops further SYNs, so the next connect hangs.
		first, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		defer first.Abort()
		port := int(l.LocalAddr().Port())
		if err := first.Connect(th.Ctx, "127.0.0.1", port); err != nil {
			return err
		}
		if err := waitAcceptQueue(l.FD(), 1); err != nil {
			return err
		}
		s, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		err = interruptible(t, "IO wait", "(*Socket).Connect", func(ctx context.Context) error {
			return s.Connect(ctx, "127.0.0.1", port)
		})
		wantInterrupted(t, s, err, "Connect")
		wantForm(t, s, "#<active IPv4 stream socket, closed")
		return nil
	})
}

// waitAcceptQueue waits until n connections wait in listening socket fd's
// accept queue (TCP_INFO reports the queue length of a listener as its
// unacked count).
func waitAcceptQueue(fd, n int) error {
	return pollUntil(func() (bool, error) {
		info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
		return err == nil && int(info.Unacked) >= n, err
	})
}

func TestSocketRawIO(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		buf := make([]byte, 64)
		n, err := s.ReceiveInto(buf)
		var c *Condition
		if !errors.Is(err, WouldBlock) || !errors.As(err, &c) || c.Errno != unix.EAGAIN || c.FD != s.FD() || n != 0 {
			t.Errorf("ReceiveInto on an idle socket: %d, %v; want EWOULDBLOCK", n, err)
		}
		if n, err := s.SendFrom([]byte("raw")); n != 3 || err != nil {
			t.Errorf("SendFrom: %d, %v", n, err)
		}
		// The peer reads what we sent, lest its close be a reset.
		peer.SetReadDeadline(time.Now().Add(testTimeout))
		if _, err := io.ReadFull(peer, buf[:3]); err != nil || string(buf[:3]) != "raw" {
			t.Errorf("peer read %q, %v", buf[:3], err)
		}
		peer.Write([]byte("data"))
		peer.Close()
		if _, err := waitFD(s.FD(), unix.POLLRDHUP); err != nil {
			return err
		}
		if n, err := s.ReceiveInto(buf); string(buf[:n]) != "data" || err != nil {
			t.Errorf("ReceiveInto: %q, %v", buf[:n], err)
		}
		if n, err := s.ReceiveInto(buf); !errors.Is(err, EndOfFile) || n != 0 {
			t.Errorf("ReceiveInto from a closed peer: %d, %v; want END-OF-FILE", n, err)
		}
		return s.Close(th.Ctx)
	})
}

func TestSocketSendFromResetPeer(t *testing.T) {
	pairTest(t, true, func(th *Thread, s *Socket, peer net.Conn) error {
		if err := resetPeer(s, peer); err != nil {
			return err
		}
		for i := 0; ; i++ {
			_, err := s.SendFrom([]byte("x"))
			if errors.Is(err, BrokenPipe) || errors.Is(err, ConnectionReset) {
				break
			}
			if err != nil || i == 100 {
				t.Errorf("SendFrom to a reset peer, try %d: %v; want EPIPE or a reset", i, err)
				break
			}
		}
		s.Abort()
		return nil
	})
}
