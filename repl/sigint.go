package repl

import (
	"os"
	"os/signal"
)

// interruptOnSigint turns SIGINT into Shell.Interrupt for as long as the
// interactive shell runs. While a command runs, readline has the
// terminal out of raw mode, so Ctrl-C arrives as SIGINT: it cancels the
// command (wait, expect, sleep, flood) instead of killing the shell. At
// the prompt Ctrl-C is a key that readline handles. It returns a
// function that stops the forwarding.
func interruptOnSigint(sh *Shell) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				sh.Interrupt()
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}
