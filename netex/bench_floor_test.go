package netex

import (
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/benchload"
	"golang.org/x/sys/unix"
)

// The floor is ex7's and ex8's design stripped of everything but its
// system calls: one thread, level-triggered epoll, reads of at most 4096
// bytes (IOLib's buffer) each sent on before the next read, so no send
// is over 4096 bytes (ex7's high-water mark); once a read that did not
// fill the buffer is sent, back to epoll, as ex8 does; no line parsing,
// no handlers and no diagnostics. Its row of BenchmarkVsBaseline bounds
// what a single-threaded epoll server reaches on this machine. It waits
// as floorOpts say (bench_floor_variants_test.go); the zero value blocks
// in epoll_wait on a locked thread.

// floorConn is a connection of the floor server: buf[off:n] waits to be
// sent; mask is what epoll watches for it.
type floorConn struct {
	buf    [4096]byte
	off, n int
	mask   uint32
}

// floorServer is the floor's state, owned by its loop.
type floorServer struct {
	opts          floorOpts
	ep, lfd, stop int
	rc            syscall.RawConn // the epoll fd in Go's poller, with opts.netpoll
	conns         map[int]*floorConn
}

// startFloorEcho starts the floor server on a loopback port with the
// given backlog and returns its address; the benchmark's cleanup stops
// it and closes every descriptor.
func startFloorEcho(b *testing.B, backlog int, opts floorOpts) string {
	lfd, addr := benchload.ListenFD(b, backlog)
	b.Cleanup(func() { unix.Close(lfd) })
	if err := unix.SetNonblock(lfd, true); err != nil {
		b.Fatal(err)
	}
	if opts.busy > 0 { // accepted sockets inherit it
		if err := unix.SetsockoptInt(lfd, unix.SOL_SOCKET, unix.SO_BUSY_POLL, opts.busy); err != nil {
			b.Skipf("SO_BUSY_POLL: %v", err)
		}
	}
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		b.Fatal(err)
	}
	stop, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		b.Fatal(err)
	}
	for _, fd := range []int{lfd, stop} {
		unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)})
	}
	s := &floorServer{opts: opts, ep: ep, lfd: lfd, stop: stop, conns: map[int]*floorConn{}}
	closeEp := func() { unix.Close(ep) }
	if opts.netpoll {
		unix.SetNonblock(ep, true)
		f := os.NewFile(uintptr(ep), "epoll")
		closeEp = func() { f.Close() }
		if s.rc, err = f.SyscallConn(); err != nil {
			b.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	ready := make(chan error, 1)
	wg.Go(func() { s.loop(ready) })
	b.Cleanup(func() {
		unix.Write(stop, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		wg.Wait()
		unix.Close(stop)
		closeEp()
	})
	if err := <-ready; err != nil {
		b.Skip(err)
	}
	return addr
}

// loop is the floor server's event loop. It sends on ready whether the
// thread took opts; if not, the loop ends. Unless it parks in Go's
// poller, it keeps its thread locked and never unlocks it, so the thread
// ends with the loop, and its nice value and slice with it.
func (s *floorServer) loop(ready chan<- error) {
	var err error
	if !s.opts.netpoll {
		runtime.LockOSThread()
		err = s.opts.setThread()
	}
	ready <- err
	if err != nil {
		return
	}
	defer func() {
		for fd := range s.conns {
			unix.Close(fd)
		}
	}()
	events := make([]unix.EpollEvent, 128)
	for {
		n := s.wait(events)
		for _, ev := range events[:n] {
			switch fd := int(ev.Fd); fd {
			case s.stop:
				return
			case s.lfd:
				s.accept()
			default:
				if !s.serve(fd, s.conns[fd]) {
					unix.Close(fd)
					delete(s.conns, fd)
				}
			}
		}
	}
}

// wait returns the count of events ready: at once if some are, else
// after polling for opts.spin, then blocking as opts say.
func (s *floorServer) wait(events []unix.EpollEvent) int {
	if n, _ := unix.EpollWait(s.ep, events, 0); n > 0 {
		return n
	}
	if s.opts.spin > 0 {
		end := time.Now().Add(s.opts.spin)
		for time.Now().Before(end) {
			if n, _ := unix.EpollWait(s.ep, events, 0); n > 0 {
				return n
			}
		}
	}
	if !s.opts.netpoll {
		n, _ := unix.EpollWait(s.ep, events, -1)
		return max(n, 0)
	}
	var n int
	s.rc.Read(func(fd uintptr) bool {
		n, _ = unix.EpollWait(int(fd), events, 0)
		return n > 0
	})
	return max(n, 0)
}

// accept accepts every connection waiting.
func (s *floorServer) accept() {
	for {
		fd, _, err := unix.Accept4(s.lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err != nil {
			return
		}
		s.conns[fd] = &floorConn{mask: unix.EPOLLIN}
		unix.EpollCtl(s.ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)})
	}
}

// serve sends what waits, then reads and sends until the socket has
// nothing more or takes nothing more (without opts.reread, until a read
// that did not fill the buffer has been sent). It reports whether c
// stays open.
func (s *floorServer) serve(fd int, c *floorConn) bool {
	for {
		for c.off < c.n {
			w, err := unix.Write(fd, c.buf[c.off:c.n])
			if err == unix.EAGAIN {
				return s.watch(fd, c, unix.EPOLLOUT)
			}
			if err != nil {
				return false
			}
			c.off += w
		}
		if !s.opts.reread && c.n > 0 && c.n < len(c.buf) {
			c.n = 0
			return s.watch(fd, c, unix.EPOLLIN)
		}
		r, err := unix.Read(fd, c.buf[:])
		if err == unix.EAGAIN {
			return s.watch(fd, c, unix.EPOLLIN)
		}
		if err != nil || r == 0 {
			return false
		}
		c.off, c.n = 0, r
	}
}

// watch makes epoll watch fd for mask, unless it already does.
func (s *floorServer) watch(fd int, c *floorConn, mask uint32) bool {
	if c.mask != mask {
		c.mask = mask
		unix.EpollCtl(s.ep, unix.EPOLL_CTL_MOD, fd, &unix.EpollEvent{Events: mask, Fd: int32(fd)})
	}
	return true
}
