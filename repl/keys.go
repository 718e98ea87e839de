package repl

import (
	"context"
	"os"
	"time"

	"github.com/chzyer/readline"
	"golang.org/x/sys/unix"
)

// rawKeys reads single keys from the terminal while a watch runs. The
// readline instance is not reading then (a command runs), so the keys
// are read from the terminal's fd directly; a printable key is handed
// back to readline as the start of the next line.
type rawKeys struct {
	fd    int
	rl    *readline.Instance
	state *readline.State
}

// keySource returns the shell's source of keys for watch on stdin.
func (t *terminal) keySource(stdin *os.File) func() keySource {
	return func() keySource {
		k := &rawKeys{fd: int(stdin.Fd()), rl: t.rl}
		k.state, _ = readline.MakeRaw(k.fd)
		return k
	}
}

// pollSlice bounds one wait for a key, so an interrupt is noticed.
const pollSlice = 100 * time.Millisecond

func (k *rawKeys) wait(ctx context.Context, d time.Duration) bool {
	end := time.Now().Add(d)
	for ctx.Err() == nil {
		left := time.Until(end)
		if left <= 0 {
			return false
		}
		fds := []unix.PollFd{{Fd: int32(k.fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(min(left, pollSlice)/time.Millisecond)+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n > 0 && fds[0].Revents&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0 {
			return true
		}
		if n > 0 {
			k.take()
			return true
		}
	}
	return false
}

// take reads the pending key bytes; printable ones start the next line.
func (k *rawKeys) take() {
	buf := make([]byte, 64)
	n, err := unix.Read(k.fd, buf)
	if err != nil || n <= 0 {
		return
	}
	keep := 0
	for keep < n && buf[keep] >= 0x20 && buf[keep] < 0x7f {
		keep++
	}
	if keep > 0 {
		k.rl.WriteStdin(buf[:keep])
	}
}

func (k *rawKeys) close() {
	if k.state != nil {
		readline.Restore(k.fd, k.state)
	}
}
