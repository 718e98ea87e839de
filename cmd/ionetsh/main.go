// Command ionetsh is the IOLib tutorial's network playground: a shell that
// runs the tutorial's clients and servers as live named sessions.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/ionetsh/ionetsh/repl"
)

func main() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	os.Exit(repl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, sigs))
}
