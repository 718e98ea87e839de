package repl

import (
	"fmt"
	"io"
)

// Standalone runs one example in the foreground (ionetsh run NAME ...).
func Standalone(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ionetsh run: not built yet")
	return 2
}
