package repl

import (
	"bytes"
	"io"
	"os"
	"sync/atomic"
)

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

// ctrlZEcho writes readline's output, echoing Ctrl-Z as ^Z: readline
// echoes every interrupt as its InterruptPrompt (^C), a setting that is
// not safe to change while it runs.
type ctrlZEcho struct {
	w     io.Writer
	ctrlZ *atomic.Bool
}

func (c ctrlZEcho) Write(p []byte) (int, error) {
	i := bytes.LastIndex(p, []byte("^C\n"))
	if i < 0 || !c.ctrlZ.CompareAndSwap(true, false) {
		return c.w.Write(p)
	}
	q := append([]byte(nil), p...)
	q[i+1] = 'Z'
	if _, err := c.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}
