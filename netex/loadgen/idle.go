package loadgen

import (
	"bufio"
	"context"
	"net"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// idleDialers is how many idle connections are opened at once: few
// enough that a listen backlog of 5 is rarely overrun.
const idleDialers = 8

// idleTimeoutFactor stretches the timeout for opening an idle connection
// and having its greeting echoed: thousands of connects against a short
// listen backlog have requests dropped and retried by the kernel after 1,
// 3 and 7 seconds, which is slow but not a failure.
const idleTimeoutFactor = 3

// openIdle opens cfg.Idle connections and returns those that opened
// (for an echo server, those it echoed a line on), counting the failures
// in errs. It stops early if ctx ends.
func openIdle(ctx context.Context, cfg Config, errs *errorCounts) []net.Conn {
	if cfg.Idle == 0 {
		return nil
	}
	d := net.Dialer{Timeout: idleTimeoutFactor * cfg.Timeout}
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
				if err == nil {
					if err = greet(c, cfg); err != nil {
						c.Close()
					}
				}
				if err != nil {
					if ctx.Err() == nil {
						errs.add(err)
					}
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

// greet makes sure an echo server has accepted an idle connection, not
// merely the kernel: one line must come back. A connection in the listen
// queue would otherwise count as held.
func greet(c net.Conn, cfg Config) error {
	if cfg.Mode != Echo && cfg.Mode != Batch {
		return nil
	}
	line := make([]byte, cfg.Size)
	fill(line, 0, 0)
	c.SetDeadline(time.Now().Add(idleTimeoutFactor * cfg.Timeout))
	defer c.SetDeadline(time.Time{})
	if _, err := c.Write(line); err != nil {
		return err
	}
	got, err := readLine(bufio.NewReaderSize(c, max(cfg.Size+1, 64)))
	if err == nil && !sameLine(got, line) {
		err = errWrongEcho
	}
	return err
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
