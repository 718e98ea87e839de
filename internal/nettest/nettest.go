// Package nettest holds the test helpers that netex and its socket
// packages (iolib, iomux) share: bounded polling, waiting until a call is
// really blocked, interrupting it, free ports, line patterns and a
// goroutine-per-connection server.
package nettest

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Serve accepts connections on l and serves each with serve in a
// goroutine of its own, then closes it. When tb ends, l is closed and
// Serve's cleanup returns once every serve has returned.
func Serve(tb testing.TB, l net.Listener, serve func(c net.Conn)) {
	var wg sync.WaitGroup
	tb.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { serve(c); c.Close() })
		}
	})
}

// Timeout bounds every wait in the tests.
const Timeout = 10 * time.Second

// PollUntil calls cond until it reports true or fails, for at most
// Timeout. It is for conditions no event announces.
func PollUntil(cond func() (bool, error)) error {
	deadline := time.Now().Add(Timeout)
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("condition not met within %v", Timeout)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// WaitStack waits until some goroutine is in the given state (as
// runtime.Stack shows it, e.g. "IO wait" or "syscall") with frame on its
// stack: the way to know that a call is really blocked before it is
// interrupted.
func WaitStack(t testing.TB, state, frame string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	err := PollUntil(func() (bool, error) {
		buf = buf[:runtime.Stack(buf[:cap(buf)], true)]
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "["+state) && strings.Contains(g, frame) {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Errorf("no goroutine in state %q in %s: %v\n%s", state, frame, err, buf)
	}
}

// Interruptible runs op in a new goroutine with a context that is
// cancelled once a goroutine is blocked in state with frame on its stack,
// and returns op's error.
func Interruptible(t testing.TB, state, frame string, op func(ctx context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- op(ctx) }()
	WaitStack(t, state, frame)
	cancel()
	select {
	case err := <-done:
		return err
	case <-time.After(Timeout):
		return fmt.Errorf("%s not interrupted within %v", frame, Timeout)
	}
}

// FreePort returns a loopback port that nothing listens on: it binds an
// ephemeral port and releases it.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// host matches an IPv4 address or an IPv6 one (which has a colon). An
// IPv6 H:P has no brackets, so "::1" alone is also :: with port 1.
const host = `(?:\d+\.\d+\.\d+\.\d+|[0-9a-f]*:[0-9a-f:.]*)`

var patternTokens = strings.NewReplacer(
	`\{H:P\}`, host+`:\d+`,
	`\{H/P\}`, host+`/\d+`,
	`\{ID\}`, `\{[0-9A-F]+\}`,
	`\{TIME\}`, `\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{1,2}:\d{1,2}`,
	`\{N\}`, `\d+`,
)

// Pattern compiles a line pattern into an anchored regexp. In a pattern,
// {H:P} stands for an IPv4 or IPv6 address and port, as IOLib prints them
// (127.0.0.1:9999, ::1:9999; {H/P} for one printed with a slash), {ID} for an identity token, {TIME} for a daytime line and {N}
// for a number; everything else is literal.
func Pattern(p string) *regexp.Regexp {
	return regexp.MustCompile("^" + patternTokens.Replace(regexp.QuoteMeta(p)) + "$")
}

// AcceptPeer listens on an ephemeral IPv4 loopback port, calls dial with
// the port, and returns the connection it accepted: the peer of whatever
// dial connected. The listener is closed again.
func AcceptPeer(dial func(port int) error) (net.Conn, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer l.Close()
	if err := dial(l.Addr().(*net.TCPAddr).Port); err != nil {
		return nil, err
	}
	l.(*net.TCPListener).SetDeadline(time.Now().Add(Timeout))
	return l.Accept()
}

// WaitFD waits until fd has one of events (poll(2) flags) and returns the
// events it has.
func WaitFD(fd int, events int16) (int16, error) {
	pfd := []unix.PollFd{{Fd: int32(fd), Events: events}}
	for {
		n, err := unix.Poll(pfd, int(Timeout/time.Millisecond))
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0:
			return 0, fmt.Errorf("fd %d: no events %#x within %v", fd, events, Timeout)
		}
		return pfd[0].Revents, nil
	}
}

// ResetPeer makes peer close with an RST and waits until fd, its other
// end, has seen it.
func ResetPeer(fd int, peer net.Conn) error {
	peer.(*net.TCPConn).SetLinger(0)
	peer.Close()
	_, err := WaitFD(fd, unix.POLLERR|unix.POLLHUP)
	return err
}
