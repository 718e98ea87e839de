package iomux

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/ionetsh/ionetsh/internal/leaktest"
	"github.com/ionetsh/ionetsh/internal/nettest"
	"github.com/ionetsh/ionetsh/netex/iolib"
)

// The socket layer's names, as the tests use them.
type (
	Socket    = iolib.Socket
	Condition = iolib.Condition
)

const (
	Hangup      = iolib.Hangup
	Interrupted = iolib.Interrupted
)

// testTimeout bounds every wait in these tests.
const testTimeout = nettest.Timeout

// Thread is what a test body runs as: a context for its blocking calls
// and an Env that makes sockets and event bases.
type Thread struct {
	Ctx context.Context
	Env testEnv
}

// testEnv makes untracked sockets and event bases.
type testEnv struct{}

// MakeSocket makes a socket with no owner.
func (testEnv) MakeSocket(passive bool) (*Socket, error) {
	return iolib.MakeSocket(nil, iolib.Options{Passive: passive})
}

// NewEventBase makes an event base with no close hook.
func (testEnv) NewEventBase(exitWhenEmpty bool) (*EventBase, error) {
	return New(exitWhenEmpty, nil)
}

// inRun runs body with a Thread whose context ends afterwards, and fails
// the test if body returned an error.
func inRun(t testing.TB, body func(th *Thread) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := body(&Thread{Ctx: ctx}); err != nil {
		t.Fatal(err)
	}
}

// pairTest runs body with a socket s accepted from a plain Go peer on
// loopback. Both are closed afterwards.
func pairTest(t *testing.T, dial bool, body func(th *Thread, s *Socket, peer net.Conn) error) {
	t.Helper()
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		s, peer, err := acceptPair(th)
		if err != nil {
			return err
		}
		defer peer.Close()
		defer s.Abort()
		return body(th, s, peer)
	})
}

// acceptPair accepts a plain Go client on a listener that it closes again.
func acceptPair(th *Thread) (*Socket, net.Conn, error) {
	l, err := th.Env.MakeSocket(true)
	if err != nil {
		return nil, nil, err
	}
	defer l.Abort()
	if err := l.Bind(netip.MustParseAddr("127.0.0.1"), 0); err != nil {
		return nil, nil, err
	}
	if err := l.Listen(5); err != nil {
		return nil, nil, err
	}
	peer, err := net.Dial("tcp4", iolib.HostPort(l.LocalAddr()))
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

// waitFD waits until fd has one of events (poll(2) flags).
func waitFD(fd int, events int16) (int16, error) { return nettest.WaitFD(fd, events) }

// resetPeer makes peer close with an RST and waits until s has seen it.
func resetPeer(s *Socket, peer net.Conn) error { return nettest.ResetPeer(s.FD(), peer) }

// leakCheck checks that the test leaves no goroutine and no fd behind.
func leakCheck(t testing.TB) { leaktest.Check(t) }

// openFDs returns how many fds the process has open.
func openFDs(t testing.TB) int { return leaktest.OpenFDs(t) }

// interruptible runs op with a context that is cancelled once op is
// blocked in state with frame on its stack, and returns op's error.
func interruptible(t testing.TB, state, frame string, op func(ctx context.Context) error) error {
	t.Helper()
	return nettest.Interruptible(t, state, frame, op)
}

// waitStack waits until some goroutine is blocked in state in frame.
func waitStack(t testing.TB, state, frame string) {
	t.Helper()
	nettest.WaitStack(t, state, frame)
}
