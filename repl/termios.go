package repl

import (
	"os"

	"golang.org/x/sys/unix"
)

// dumbTerminal reports whether TERM names a terminal that cannot redraw
// a line (TERM=dumb, as in Emacs's shell mode, or no TERM at all): the
// shell then uses plain line input and writes no escape codes.
func dumbTerminal() bool {
	t := os.Getenv("TERM")
	return t == "" || t == "dumb"
}

// quietTerminal turns off echo on the terminal fd, keeping Ctrl-C as
// SIGINT, so that keys pressed while a command runs print nothing stray;
// with keys, it also turns off line buffering, so single keys can be
// read. Ctrl-\ and Ctrl-Z would kill or suspend the whole shell, with
// every session, without cleanup: they become plain keys. It returns
// the function that restores the terminal as it was; on a file that is
// not a terminal both do nothing.
func quietTerminal(fd int, keys bool) (restore func()) {
	return adjustTerminal(fd, func(t *unix.Termios) {
		t.Lflag &^= unix.ECHO
		if keys {
			t.Lflag &^= unix.ICANON
			t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
		}
	})
}

// adjustTerminal applies change, and makes Ctrl-\ and Ctrl-Z plain
// keys, on the terminal fd; it returns the function that restores it.
func adjustTerminal(fd int, change func(*unix.Termios)) (restore func()) {
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return func() {}
	}
	t := *old
	t.Cc[unix.VQUIT], t.Cc[unix.VSUSP] = 0, 0
	change(&t)
	if unix.IoctlSetTermios(fd, unix.TCSETS, &t) != nil {
		return func() {}
	}
	return func() { unix.IoctlSetTermios(fd, unix.TCSETS, old) }
}

// inputPending reports whether the terminal fd has input waiting to be
// read.
func inputPending(fd int) bool {
	n, err := unix.IoctlGetInt(fd, unix.TIOCINQ)
	return err == nil && n > 0
}

// waitReadable waits until fd is readable or stop is; it reports
// whether fd is.
func waitReadable(fd, stop int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(stop), Events: unix.POLLIN}}
	for {
		_, err := unix.Poll(fds, -1)
		if err == unix.EINTR {
			continue
		}
		return err == nil && fds[1].Revents == 0 && fds[0].Revents != 0
	}
}
