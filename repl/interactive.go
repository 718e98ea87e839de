package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chzyer/readline"
	"golang.org/x/sys/unix"
)

const prompt = "ionet> "

// hintGap is how long after a Ctrl-C at an empty prompt another one
// prints nothing.
const hintGap = 2 * time.Second

// lineEditor reads the lines typed at the prompt: readline, or plain
// line input on a terminal that cannot redraw.
type lineEditor interface {
	Readline() (string, error)
	SetPrompt(string)
	Refresh()
	Close() error
}

// terminal is the interactive shell's state: how lines are read, and
// the session, if any, that the terminal is attached to.
type terminal struct {
	sh      *Shell
	ed      lineEditor
	rl      *readline.Instance // nil with plain input
	cfg     *readline.Config
	in      *readline.CancelableStdin
	lines   *lineReader
	plain   *plainEditor // nil with readline
	fd      int
	term    io.Writer // where the prompt and editing go
	tee     bool      // stdout is not the terminal: typed commands are echoed to it
	restore func()    // gives the terminal back its settings

	lastCtrlC time.Time

	inReadline atomic.Bool // the loop is in Readline
	echoZ      atomic.Bool // the interrupt readline is echoing is a Ctrl-Z

	mu        sync.Mutex
	typed     string                // keys that ended a watch, to start the next line
	hist      []string              // the shell's own command history
	clientHis map[*Session][]string // lines typed to each attached client
	histFor   *Session              // whose history readline is to hold
	histReady bool                  // histFor is set
	histDirty bool                  // readline's history is to be replaced
	attached  *Session
	ctrlZ     bool
	caught    os.Signal // SIGTERM or SIGHUP: the shell is ending
}

// runInteractive runs the shell at a terminal, with sh (from a replay
// handing over) or a new shell. If stdout is not a terminal, the prompt
// and line editing go to stderr and stdout gets only output, each typed
// command echoed before its output as ionet> CMD. The status is 0, or
// 128 plus the signal that ended the shell.
func runInteractive(e env, sh *Shell, colour bool, historyPath string) int {
	stdin := e.stdin.(*os.File)
	t := &terminal{fd: int(stdin.Fd()), term: e.stdout, clientHis: map[*Session][]string{}}
	if !isTerminal(e.stdout) {
		t.term, t.tee, colour = e.stderr, true, false
	}
	if dumbTerminal() {
		colour = false
	}
	handover := sh != nil // from a replay: no banner, no init file
	if sh == nil {
		sh = newShell(e.stdout, e.stderr, true, colour)
	}
	t.sh = sh
	sh.dumb = dumbTerminal()
	if err := t.openEditor(stdin); err != nil {
		fmt.Fprintf(e.stderr, "ionetsh: %v\n", err)
		return 1
	}
	out := e.stdout
	if t.rl != nil && !t.tee {
		out = t.rl.Stdout()
	}
	sh.goLive(out)
	if t.rl != nil {
		sh.pr.setGate(t.waitPrompt)
	}
	sh.store = historyStore(historyPath, func(w string) { fmt.Fprintf(e.stderr, "ionetsh: %s\n", w) })
	t.hist = sh.store.Entries()
	sh.attach = t.attach
	sh.tty = !t.tee && t.plain == nil // a dumb terminal gets no progress line
	if t.rl != nil && !t.tee {
		sh.keys = t.keySource(stdin)
	}
	stop := t.watchSignals(e.sigs)
	if !handover {
		sh.greet(t.term, initPath())
	}
	t.loop()
	stop()
	sh.Close()
	t.closeEditor()
	if sig, ok := t.signalled().(syscall.Signal); ok {
		return 128 + int(sig)
	}
	return 0
}

// openEditor sets up readline, or plain input when the terminal cannot
// redraw.
func (t *terminal) openEditor(stdin *os.File) error {
	if dumbTerminal() {
		t.plain = newPlainEditor(stdin, t.term)
		t.plain.SetPrompt(prompt)
		t.ed = t.plain
		t.restore = adjustTerminal(t.fd, func(*unix.Termios) {})
		return nil
	}
	// readline closes only its own wrapper around Stdin, so the
	// cancellable reader is closed here, or Close would wait for a key.
	t.in = readline.NewCancelableStdin(stdin)
	t.lines = &lineReader{r: t.in}
	t.cfg = &readline.Config{
		Prompt:                 prompt,
		Stdin:                  t.lines,
		Stdout:                 ctrlZEcho{t.term, &t.echoZ},
		Stderr:                 t.term,
		AutoComplete:           termCompleter{t},
		InterruptPrompt:        "^C",
		EOFPrompt:              "",
		FuncFilterInputRune:    t.filterRune,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
	}
	rl, err := readline.NewEx(t.cfg)
	if err != nil {
		t.in.Close()
		return err
	}
	t.rl, t.ed = rl, rl
	// Between lines the terminal stays quiet: keys pressed while a
	// command runs (or as its output arrives) are not echoed and wait
	// for the next prompt, and Ctrl-C is SIGINT. Line buffering is off
	// too: in canonical mode the terminal itself would take a Ctrl-D
	// pressed just before readline reads as end-of-file and drop it,
	// where readline must see it as the key that quits. readline saves
	// and restores this state around each line.
	t.restore = quietTerminal(t.fd, true)
	return nil
}

// closeEditor restores the terminal.
func (t *terminal) closeEditor() {
	if t.in != nil {
		t.in.Close()
	}
	t.ed.Close()
	if t.restore != nil {
		t.restore()
	}
}

// filterRune turns Ctrl-Z into an interrupt marked as a detach, echoed
// as ^Z, instead of readline's suspend.
func (t *terminal) filterRune(r rune) (rune, bool) {
	t.applyHistory()
	t.echoZ.Store(false)
	if r == readline.CharTab && t.attachedNow() != nil {
		return r, false // no completion for a client's input
	}
	if r == readline.CharCtrlZ {
		t.mu.Lock()
		t.ctrlZ = true
		t.mu.Unlock()
		t.echoZ.Store(true)
		return readline.CharInterrupt, true
	}
	return r, true
}

// loop reads lines until quit, exit, Ctrl-D at an empty prompt or a
// signal that ends the shell. Before each prompt it waits until the
// printer has written what the last command (or Ctrl-C, Ctrl-Z, Ctrl-D)
// printed: a write that lands as Readline starts can leave the prompt
// missing (chzyer/readline issue #220).
func (t *terminal) loop() {
	for t.signalled() == nil {
		t.sh.pr.sync()
		t.useHistory()
		t.inReadline.Store(true)
		line, err := t.readOne()
		t.inReadline.Store(false)
		t.mu.Lock()
		s, ctrlZ := t.attached, t.ctrlZ
		t.ctrlZ = false
		t.mu.Unlock()
		if t.plain != nil && line == "\x1a" { // Ctrl-Z, Enter: a dumb terminal's detach
			line, err, ctrlZ = "", readline.ErrInterrupt, true
		}
		switch {
		case t.signalled() != nil:
			return
		case errors.Is(err, readline.ErrInterrupt):
			t.interrupt(s, line, ctrlZ)
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
			t.clientHistory(s, line)
		default:
			t.addHistory(line)
			if t.exec(line) {
				return
			}
		}
	}
}

// exec runs a command line and reports whether the shell should end.
// While it runs, Ctrl-C cancels it.
func (t *terminal) exec(line string) bool {
	if t.tee && strings.TrimSpace(line) != "" {
		t.sh.pr.write([]byte(prompt + line + "\n"))
	}
	t.sh.ClearInterrupt()
	err := t.sh.Exec(line)
	t.sh.ClearInterrupt()
	switch {
	case errors.Is(err, errQuit):
		return true
	case errors.Is(err, errInterrupted):
		t.sh.errorf("interrupted\n")
	case err != nil:
		t.sh.errorf("%s", wrap(fmt.Sprintf("error: %v\n", err), t.sh.width(), 2))
	}
	return false
}

// interrupt handles Ctrl-C (stop the attached session, or clear the
// line, with a hint at an empty prompt) and Ctrl-Z (detach).
func (t *terminal) interrupt(s *Session, line string, ctrlZ bool) {
	if s == nil {
		if !ctrlZ && line == "" {
			t.hint()
		}
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

// hint answers Ctrl-C at an empty prompt, unless the last one was less
// than hintGap ago.
func (t *terminal) hint() {
	now := time.Now()
	if now.Sub(t.lastCtrlC) >= hintGap {
		t.sh.pr.sync()
		io.WriteString(t.term, "(use quit or Ctrl-D to leave)\n")
	}
	t.lastCtrlC = now
}

// readOne reads the next line: with readline, started with the keys that
// ended a watch, if any.
func (t *terminal) readOne() (string, error) {
	if t.rl != nil {
		return t.readLine()
	}
	return t.ed.Readline()
}
