package repl

import (
	"os"
	"syscall"
)

// haltOnSignal halts sh at the first signal on sigs and closes stopped.
// The returned function stops watching and returns that signal, or nil.
func haltOnSignal(sh *Shell, sigs <-chan os.Signal, stopped chan struct{}) (stop func() os.Signal) {
	done, finished := make(chan struct{}), make(chan struct{})
	var caught os.Signal
	go func() {
		defer close(finished)
		select {
		case caught = <-sigs:
			sh.Halt()
			close(stopped)
		case <-done:
		}
	}()
	return func() os.Signal { close(done); <-finished; return caught }
}

// exitStatus is 128 plus the signal that stopped the shell, else 1 if a
// command failed, else 0.
func exitStatus(sig os.Signal, failed bool) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	if failed {
		return 1
	}
	return 0
}
