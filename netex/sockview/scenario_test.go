package sockview

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// scenario is a set of real loopback sockets in the states the shell's
// lessons show: a listener with a backlog of 5 and two connections
// waiting to be accepted, an accepted connection holding 7 unread bytes,
// a client holding 5 unread bytes, a connection in CLOSE_WAIT and one in
// TIME_WAIT on the listener's port.
type scenario struct {
	port               int
	listener           int
	accepted, client   int // accepted holds "hello\r\n" unread; client holds "world" unread
	closeWait          int
	timeWaitPeer       netip.AddrPort // the client whose server side is in TIME_WAIT
	waiting1, waiting2 int            // clients still in the accept queue
	fds                []int
}

func (s *scenario) sock(t *testing.T) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.fds = append(s.fds, fd)
	return fd
}

func (s *scenario) dial(t *testing.T) int {
	t.Helper()
	fd := s.sock(t)
	if err := unix.Connect(fd, &unix.SockaddrInet4{Port: s.port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	return fd
}

func (s *scenario) accept(t *testing.T) int {
	t.Helper()
	fd, _, err := unix.Accept4(s.listener, unix.SOCK_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	s.fds = append(s.fds, fd)
	return fd
}

func write(t *testing.T, fd int, text string) {
	t.Helper()
	if n, err := unix.Write(fd, []byte(text)); err != nil || n != len(text) {
		t.Fatalf("write %q: %d, %v", text, n, err)
	}
}

// newScenario builds the sockets; they are closed when the test ends.
func newScenario(t *testing.T) *scenario {
	s := &scenario{}
	t.Cleanup(func() {
		for _, fd := range s.fds {
			unix.Close(fd)
		}
	})
	s.listener = s.sock(t)
	if err := unix.Bind(s.listener, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(s.listener, 5); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(s.listener)
	s.port = sa.(*unix.SockaddrInet4).Port

	// TIME_WAIT: the server side closes first, then the client.
	tw := s.dial(t)
	twServer := s.accept(t)
	sa, _ = unix.Getsockname(tw)
	s.timeWaitPeer = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(sa.(*unix.SockaddrInet4).Port))
	unix.Close(twServer)
	waitState(t, tw, "CLOSE_WAIT")
	unix.Close(tw)

	s.client = s.dial(t)
	s.accepted = s.accept(t)
	write(t, s.client, "hello\r\n")
	write(t, s.accepted, "world")

	cw := s.dial(t)
	s.closeWait = s.accept(t)
	unix.Shutdown(cw, unix.SHUT_WR)
	waitState(t, s.closeWait, "CLOSE_WAIT")

	s.waiting1, s.waiting2 = s.dial(t), s.dial(t)
	waitQueue(t, s.accepted, unix.SIOCINQ, 7)
	waitQueue(t, s.client, unix.SIOCINQ, 5)
	return s
}

// waitState waits, at most 5 s, for the peer's FIN on fd (poll's
// POLLRDHUP) and then checks that fd's TCP state is want.
func waitState(t *testing.T, fd int, want string) {
	t.Helper()
	pollFor(t, fd, unix.POLLRDHUP)
	if k, err := Owned(fd); err != nil || k.State != want {
		t.Fatalf("fd %d: state %q, want %q (%v)", fd, k.State, want, err)
	}
}

// waitQueue waits, at most 5 s, for fd to be readable and then checks
// that an ioctl queue of fd reads want.
func waitQueue(t *testing.T, fd int, req uint, want int) {
	t.Helper()
	pollFor(t, fd, unix.POLLIN)
	if n, err := unix.IoctlGetInt(fd, req); err != nil || n != want {
		t.Fatalf("fd %d: queue %d, want %d (%v)", fd, n, want, err)
	}
}

// pollFor waits, at most 5 s, until fd has one of events.
func pollFor(t *testing.T, fd int, events int16) {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
	if n, err := unix.Poll(fds, 5000); n != 1 || err != nil {
		t.Fatalf("fd %d: no event %#x within 5s (%v)", fd, events, err)
	}
}
