package netex

import (
	"runtime"
	"sync"
	"testing"

	"github.com/ionetsh/ionetsh/internal/benchload"
	"golang.org/x/sys/unix"
)

// BenchmarkBatchFloor sets ex7's design, stripped of everything but its
// system calls, beside the baseline: one thread, epoll, reads of at most
// 4096 bytes (IOLib's buffer) each sent on before the next read, so no
// send is over 4096 bytes (ex7's high-water mark); no line parsing and no
// diagnostics. What it reaches bounds what ex7 can reach; issue 9 asks
// 0.5× the baseline of ex7's batch. Both listen with benchBacklog (5).
//
//	go test -run '^$' -bench 'BatchFloor' -benchtime 2s -count 3 ./netex
func BenchmarkBatchFloor(b *testing.B) {
	for _, name := range []string{"go-net", "epoll-4k"} {
		b.Run(name+"/clients=10", func(b *testing.B) {
			addr := ""
			if name == "go-net" {
				addr = startGoEcho(b)
			} else {
				addr = startFloorEcho(b)
			}
			measureLoad(b, addr, "batch", 10, "lines")
		})
	}
}

// floorConn is a connection of the floor server: buf[off:n] waits to be
// sent; mask is what epoll watches for it.
type floorConn struct {
	buf    [4096]byte
	off, n int
	mask   uint32
}

// startFloorEcho starts the single-threaded epoll echo server on a
// loopback port and returns its address; the benchmark's cleanup stops
// it and closes every descriptor.
func startFloorEcho(b *testing.B) string {
	lfd, addr := benchload.ListenFD(b, benchBacklog)
	if err := unix.SetNonblock(lfd, true); err != nil {
		b.Fatal(err)
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
	var wg sync.WaitGroup
	wg.Go(func() { floorLoop(ep, lfd, stop) })
	b.Cleanup(func() {
		unix.Write(stop, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		wg.Wait()
		for _, fd := range []int{lfd, stop, ep} {
			unix.Close(fd)
		}
	})
	return addr
}

// floorLoop is the floor server's event loop, on a thread of its own.
func floorLoop(ep, lfd, stop int) {
	runtime.LockOSThread()
	conns := map[int]*floorConn{}
	defer func() {
		for fd := range conns {
			unix.Close(fd)
		}
	}()
	events := make([]unix.EpollEvent, 128)
	for {
		n, err := unix.EpollWait(ep, events, -1)
		if err == unix.EINTR {
			continue
		}
		for _, ev := range events[:n] {
			switch fd := int(ev.Fd); fd {
			case stop:
				return
			case lfd:
				floorAccept(ep, lfd, conns)
			default:
				if !floorServe(ep, fd, conns[fd]) {
					unix.Close(fd)
					delete(conns, fd)
				}
			}
		}
	}
}

// floorAccept accepts every connection waiting.
func floorAccept(ep, lfd int, conns map[int]*floorConn) {
	for {
		fd, _, err := unix.Accept4(lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err != nil {
			return
		}
		conns[fd] = &floorConn{mask: unix.EPOLLIN}
		unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)})
	}
}

// floorServe sends what waits, then reads and sends until the socket has
// nothing more or takes nothing more. It reports whether c stays open.
func floorServe(ep, fd int, c *floorConn) bool {
	for {
		for c.off < c.n {
			w, err := unix.Write(fd, c.buf[c.off:c.n])
			if err == unix.EAGAIN {
				return floorWatch(ep, fd, c, unix.EPOLLOUT)
			}
			if err != nil {
				return false
			}
			c.off += w
		}
		r, err := unix.Read(fd, c.buf[:])
		if err == unix.EAGAIN {
			return floorWatch(ep, fd, c, unix.EPOLLIN)
		}
		if err != nil || r == 0 {
			return false
		}
		c.off, c.n = 0, r
	}
}

// floorWatch makes epoll watch fd for mask, unless it already does.
func floorWatch(ep, fd int, c *floorConn, mask uint32) bool {
	if c.mask != mask {
		c.mask = mask
		unix.EpollCtl(ep, unix.EPOLL_CTL_MOD, fd, &unix.EpollEvent{Events: mask, Fd: int32(fd)})
	}
	return true
}
