package repl

import (
	"fmt"
	"io"
)

// Main is the whole program behind cmd/ionetsh: it takes the arguments
// without the program name and the three standard streams, and returns
// the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "run" {
		return Standalone(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintln(stderr, "ionetsh: the shell is not built yet; use: ionetsh run NAME")
	return 2
}
