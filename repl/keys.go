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
// are read from the terminal's fd directly; printable keys start the
// next line (readLine).
type rawKeys struct {
	fd    int
	t     *terminal
	state *readline.State
}

// readLine reads the next line at the prompt, starting it with the keys
// that ended a watch, if any.
func (t *terminal) readLine() (string, error) {
	t.mu.Lock()
	typed := t.typed
	t.typed = ""
	t.mu.Unlock()
	if typed != "" {
		return t.rl.ReadlineWithDefault(typed)
	}
	return t.rl.Readline()
}

// keySource returns the shell's source of keys for watch on stdin.
func (t *terminal) keySource(stdin *os.File) func() keySource {
	return func() keySource {
		k := &rawKeys{fd: int(stdin.Fd()), t: t}
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
	k.t.mu.Lock()
	k.t.typed = string(buf[:keep])
	k.t.mu.Unlock()
}

func (k *rawKeys) close() {
	if k.state != nil {
		readline.Restore(k.fd, k.state)
	}
}
