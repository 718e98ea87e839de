package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/chzyer/readline"
	"github.com/ionetsh/ionetsh/internal/visible"
)

const prompt = "ionet> "

// terminal is the interactive shell's state: the readline instance and
// the session, if any, that the terminal is attached to.
type terminal struct {
	sh *Shell
	rl *readline.Instance

	mu       sync.Mutex
	attached *Session
	ctrlZ    bool
	typed    string // keys that ended a watch, to start the next line
}

// runInteractive runs the readline shell on a terminal. If stdout is not
// a terminal, the prompt and line editing go to stderr and stdout gets
// only output.
func runInteractive(stdin *os.File, stdout, stderr io.Writer, colour bool, historyPath string) int {
	term := stdout
	if !isTerminal(stdout) {
		term, colour = stderr, false
	}
	t := &terminal{}
	t.sh = newShell(stdout, stderr, true, colour)
	t.sh.tty = term == stdout
	// readline closes only its own wrapper around Stdin, so the
	// cancellable reader is closed here, or Close would wait for a key.
	in := readline.NewCancelableStdin(stdin)
	defer in.Close()
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 prompt,
		Stdin:                  in,
		Stdout:                 term,
		Stderr:                 stderr,
		AutoComplete:           completer{t.sh},
		InterruptPrompt:        "^C",
		EOFPrompt:              "",
		FuncFilterInputRune:    t.filterRune,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
	})
	if err != nil {
		fmt.Fprintf(stderr, "ionetsh: %v\n", err)
		return 1
	}
	t.rl = rl
	defer func() {
		in.Close()
		rl.Close()
	}()
	t.sh.store = historyStore(historyPath, func(w string) { fmt.Fprintf(stderr, "ionetsh: %s\n", w) })
	for _, e := range t.sh.store.Entries() {
		rl.SaveHistory(e)
	}
	if term == stdout {
		t.sh.pr.setWriter(rl.Stdout())
	}
	t.sh.attach = t.attach
	if term == stdout {
		t.sh.keys = t.keySource(stdin)
	}
	stopSignals := t.closeOnSignal()
	defer stopSignals()
	t.sh.greet(rl.Stdout(), initPath())
	defer interruptOnSigint(t.sh)()
	t.loop()
	t.sh.Close()
	return 0
}

// closeOnSignal ends the shell cleanly on SIGTERM or SIGHUP, so that the
// terminal is restored and sessions are stopped.
func (t *terminal) closeOnSignal() func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			t.rl.Close()
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// filterRune turns Ctrl-Z into an interrupt marked as a detach, instead
// of readline's suspend.
func (t *terminal) filterRune(r rune) (rune, bool) {
	if r == readline.CharCtrlZ {
		t.mu.Lock()
		t.ctrlZ = true
		t.mu.Unlock()
		return readline.CharInterrupt, true
	}
	return r, true
}

// loop reads lines until quit, exit or Ctrl-D at an empty prompt.
// Before each prompt it waits until the printer has written what the
// last command (or Ctrl-C, Ctrl-Z, Ctrl-D) printed: a write that lands
// as Readline starts can leave the prompt missing (chzyer/readline
// issue #220).
func (t *terminal) loop() {
	for {
		t.sh.pr.sync()
		line, err := t.readLine()
		t.mu.Lock()
		s, ctrlZ := t.attached, t.ctrlZ
		t.ctrlZ = false
		t.mu.Unlock()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			t.interrupt(s, ctrlZ)
		case err != nil: // io.EOF: Ctrl-D, or the terminal closed
			if s == nil {
				return
			}
			s.stdin.Close()
			t.sh.remember(time.Now(), "eof "+s.name, true)
			t.detach(s)
		case s != nil:
			s.stdin.Send(line)
			t.sh.remember(time.Now(), "send "+s.name+" "+line, true)
		default:
			t.addHistory(line)
			if t.exec(line) {
				return
			}
		}
	}
}

// exec runs a command line and reports whether the shell should end.
func (t *terminal) exec(line string) bool {
	err := t.sh.Exec(line)
	if errors.Is(err, errQuit) {
		return true
	}
	if err != nil {
		t.sh.say(fmt.Sprintf("error: %v\n", err), 2)
	}
	return false
}

// interrupt handles Ctrl-C (stop the attached session, or clear the line)
// and Ctrl-Z (detach).
func (t *terminal) interrupt(s *Session, ctrlZ bool) {
	if s == nil {
		return
	}
	t.detach(s)
	if ctrlZ {
		t.sh.printf("(detached from %s; fg %s attaches it again)\n", s.name, s.name)
		return
	}
	t.sh.remember(time.Now(), "stop "+s.name, true)
	t.sh.stop(s)
}

// addHistory stores a typed command in the persistent history and in
// readline's, for Up, Down and Ctrl-R.
func (t *terminal) addHistory(line string) {
	stored, err := t.sh.store.Add(line)
	if err != nil {
		t.sh.printf("ionetsh: %v\n", err)
	}
	if stored {
		t.rl.SaveHistory(line)
	}
}

// attach gives the terminal to s until it ends, Ctrl-Z or Ctrl-D.
func (t *terminal) attach(s *Session) {
	t.mu.Lock()
	t.attached = s
	t.mu.Unlock()
	t.rl.SetPrompt(visible.String(visible.Short(s.name)) + "> ")
	t.sh.printf("(attached to %s: Ctrl-D sends end-of-file, Ctrl-C stops it, Ctrl-Z detaches)\n", s.name)
	go func() {
		<-s.ended
		if t.detach(s) {
			t.rl.Refresh()
		}
	}()
}

// detach returns the terminal to the prompt if s is attached.
func (t *terminal) detach(s *Session) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.attached != s {
		return false
	}
	t.attached = nil
	t.rl.SetPrompt(prompt)
	return true
}
