package benchload

import (
	"bufio"
	"net"
	"os"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// GoEcho starts the baseline: a plain Go echo server with one goroutine
// per connection, line by line, on a loopback port with the given listen
// backlog. It returns the address and stops when tb ends.
func GoEcho(tb testing.TB, backlog int) string {
	tb.Helper()
	l := listenBacklog(tb, backlog)
	var wg sync.WaitGroup
	tb.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { echoLines(c) })
		}
	})
	return l.Addr().String()
}

// listenBacklog listens on a loopback port with the given backlog, which
// net.Listen does not let a caller choose.
func listenBacklog(tb testing.TB, backlog int) net.Listener {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		tb.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "listener")
	defer f.Close()
	sa := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	if err := unix.Bind(fd, sa); err != nil {
		tb.Fatal(err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		tb.Fatal(err)
	}
	l, err := net.FileListener(f)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// echoLines echoes c's lines until c ends, flushing whenever it has read
// all that had arrived.
func echoLines(c net.Conn) {
	defer c.Close()
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
