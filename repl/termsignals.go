package repl

import "os"

// watchSignals handles the signals the program receives until the
// returned function is called. SIGINT cancels the running command (or,
// with plain input, is Ctrl-C at the prompt); SIGTERM and SIGHUP end
// the shell, which stops every session, printing its cleanup.
func (t *terminal) watchSignals(sigs <-chan os.Signal) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case sig := <-sigs:
				t.onSignal(sig)
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (t *terminal) onSignal(sig os.Signal) {
	switch {
	case sig == os.Interrupt && t.plain != nil:
		if !t.sh.Interrupt() {
			t.plain.interrupt() // Ctrl-C at the prompt
		}
		return
	case sig == os.Interrupt:
		// With readline, the terminal sends SIGINT only while a
		// command is about to run, runs, or has just run.
		t.sh.InterruptSoon()
		return
	}
	t.mu.Lock()
	t.caught = sig
	t.mu.Unlock()
	t.sh.Halt()
	t.closeEditor()
}

// signalled returns the signal that is ending the shell, if any.
func (t *terminal) signalled() os.Signal {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.caught
}
