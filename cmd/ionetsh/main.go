// Command ionetsh is the IOLib tutorial's network playground: a shell that
// runs the tutorial's clients and servers as live named sessions.
package main

import (
	"os"

	"github.com/ionetsh/ionetsh/repl"
)

func main() {
	os.Exit(repl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
