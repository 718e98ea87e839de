package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// runScript runs commands read line by line from r: no prompt, # starts
// a comment, and at the end every live session is stopped in reverse
// start order. The status is 1 if any command failed.
func runScript(r io.Reader, echo, colour bool, stdout, stderr io.Writer) int {
	sh := newShell(stdout, stderr, false, colour)
	failed := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sh.settle()
		if echo {
			sh.printf("ionet> %s\n", line)
		}
		err := sh.Exec(line)
		if errors.Is(err, errQuit) {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "ionetsh: line %d: %v\n", n, err)
			failed = true
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "ionetsh: reading commands: %v\n", err)
		failed = true
	}
	sh.settle()
	sh.Close()
	if failed {
		return 1
	}
	return 0
}
