package repl

import (
	"fmt"
	"strconv"

	"github.com/ionetsh/ionetsh/netex"
)

// The listen backlog of the servers a shell or ionetsh run starts: the
// tutorial's 5 unless set backlog N or run --backlog N says otherwise.
// A small backlog is one of the tutorial's lessons (watch sockets shows
// the queue fill); a fair comparison of the designs under many clients
// wants a large one. The kernel caps it at net.core.somaxconn.

// parseBacklog reads a backlog, 1 to 65535.
func parseBacklog(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("bad backlog %q: want a number from 1 to 65535", s)
	}
	return n, nil
}

// shellBacklog is the shell's backlog setting, the tutorial's by default.
func shellBacklog(sh *Shell) int {
	if sh.backlog == 0 {
		return netex.DefaultBacklog
	}
	return sh.backlog
}

func setBacklog(sh *Shell, v string) error {
	n, err := parseBacklog(v)
	if err != nil {
		return err
	}
	sh.backlog = n
	return nil
}
