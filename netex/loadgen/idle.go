package loadgen

import (
	"context"
	"net"
	"sync"

	"golang.org/x/sys/unix"
)

// idleDialers is how many idle connections are opened at once.
const idleDialers = 64

// openIdle opens cfg.Idle connections and returns those that opened.
// It stops early if ctx ends.
func openIdle(ctx context.Context, cfg Config) []net.Conn {
	if cfg.Idle == 0 {
		return nil
	}
	d := net.Dialer{Timeout: cfg.Timeout}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	next := make(chan struct{})
	for range min(idleDialers, cfg.Idle) {
		wg.Go(func() {
			for range next {
				c, err := d.DialContext(ctx, "tcp", cfg.Addr)
				if err != nil {
					continue
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		})
	}
	for range cfg.Idle {
		if ctx.Err() != nil {
			break
		}
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	return conns
}

// countOpen counts the connections the server has not closed: a peek
// that would block means open, end-of-file or an error means closed.
func countOpen(conns []net.Conn) int {
	n := 0
	buf := make([]byte, 1)
	for _, c := range conns {
		rc, err := c.(*net.TCPConn).SyscallConn()
		if err != nil {
			continue
		}
		open := false
		rc.Read(func(fd uintptr) bool {
			k, _, err := unix.Recvfrom(int(fd), buf, unix.MSG_PEEK|unix.MSG_DONTWAIT)
			open = err == unix.EAGAIN || (err == nil && k > 0)
			return true
		})
		if open {
			n++
		}
	}
	return n
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}
