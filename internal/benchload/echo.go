package benchload

import (
	"bufio"
	"net"
	"net/netip"
	"os"
	"testing"

	"github.com/ionetsh/ionetsh/internal/nettest"
	"golang.org/x/sys/unix"
)

// GoEcho starts the baseline: a plain Go echo server with one goroutine
// per connection, line by line, on a loopback port with the given listen
// backlog. It returns the address and stops when tb ends.
func GoEcho(tb testing.TB, backlog int) string {
	tb.Helper()
	l := listenBacklog(tb, backlog)
	nettest.Serve(tb, l, echoLines)
	return l.Addr().String()
}

// listenBacklog listens on a loopback port with the given backlog, which
// net.Listen does not let a caller choose.
func listenBacklog(tb testing.TB, backlog int) net.Listener {
	fd, _ := ListenFD(tb, backlog)
	f := os.NewFile(uintptr(fd), "listener")
	defer f.Close()
	l, err := net.FileListener(f)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// ListenFD makes a TCP socket listening on a loopback port with the
// given backlog and returns its fd, which the caller closes, and its
// address.
func ListenFD(tb testing.TB, backlog int) (int, string) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		unix.Close(fd)
		tb.Fatal(err)
	}
	sa, err := unix.Getsockname(fd)
	if err == nil {
		err = unix.Listen(fd, backlog)
	}
	if err != nil {
		unix.Close(fd)
		tb.Fatal(err)
	}
	port := uint16(sa.(*unix.SockaddrInet4).Port)
	return fd, netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port).String()
}

// echoLines echoes c's lines until c ends, flushing whenever it has read
// all that had arrived.
func echoLines(c net.Conn) {
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	for {
		line, err := r.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			w.Flush()
			return
		}
		w.Write(line)
		if r.Buffered() == 0 && w.Flush() != nil {
			return
		}
	}
}
