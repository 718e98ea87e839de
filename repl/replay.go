package repl

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/ionetsh/ionetsh/repl/visible"
)

// Replay pacing at --pace 1: how long each typed character and the pause
// after each command take.
const (
	typeDelay  = 40 * time.Millisecond
	afterDelay = 600 * time.Millisecond
)

// stepHint is shown beside the next command when stepping.
const stepHint = "Enter/Space/PgDn/→ next · b back · s skip · q stop"

// replay runs a saved script the way a presenter would: each command is
// typed out at a prompt, and the sessions' output is printed settled
// after it, as in a script, so two replays show the same lines in the
// same order. With step, each command waits for a key.
type replay struct {
	pace float64
	step bool
	then bool   // hand the live sessions to the prompt at the end
	hist string // history file for the prompt after

	sh       *Shell
	e        env
	fancy    bool // stdout is a terminal that can redraw
	keys     *keyReader
	attached string // the client a rehearsal had attached, shown as typing at its prompt
	stop     chan struct{}
	caught   os.Signal
}

// replayLine is a command of a script and its line number.
type replayLine struct {
	n    int
	text string
}

func parseScript(data []byte) []replayLine {
	var cmds []replayLine
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line != "" && !strings.HasPrefix(line, "#") {
			cmds = append(cmds, replayLine{n + 1, line})
		}
	}
	return cmds
}

func runReplay(path string, rp replay, e env, colour bool) int {
	e.stderr = visible.NewWriter(e.stderr)
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "ionetsh: %v\n", err)
		return 2
	}
	rp.e, rp.stop = e, make(chan struct{})
	rp.fancy = isTerminal(e.stdout) && !dumbTerminal()
	rp.sh = newShell(e.stdout, e.stderr, false, colour)
	rp.sh.attach = rp.noteAttach
	in, term := e.stdin.(*os.File)
	term = term && isTerminal(in)
	if rp.keys, err = newKeyReader(e.stdin, term); err != nil {
		fmt.Fprintf(e.stderr, "ionetsh: %v\n", err)
		return 1
	}
	restore := func() {}
	if term {
		restore = quietTerminal(int(in.Fd()), rp.step)
	}
	stopWatch := rp.watchSignals()
	failed := rp.run(parseScript(data))
	stopWatch()
	if rp.caught != nil || rp.keys.quit {
		rp.sh.printf("(replay stopped)\n")
	}
	restore()
	rp.keys.close()
	if term && rp.caught != os.Interrupt && rp.caught != nil {
		term = false // SIGTERM or SIGHUP: the shell ends
	}
	if rp.then && !term && rp.caught == nil {
		fmt.Fprintf(e.stderr, "ionetsh: --then-interactive: standard input is not a terminal, so the replay ends here\n")
	}
	if term && (rp.then || rp.caught == os.Interrupt || rp.keys.quit) {
		rp.sh.resume()
		return runInteractive(e, rp.sh, colour, rp.hist)
	}
	rp.sh.Close()
	return exitStatus(rp.caught, failed)
}

// run replays cmds and reports whether any failed.
func (rp *replay) run(cmds []replayLine) bool {
	failed := false
	for i := 0; i < len(cmds) && !rp.stopped(); {
		c := cmds[i]
		p, shown := rp.display(c.text)
		if rp.step {
			switch rp.ask(p, shown) {
			case keyQuit:
				return failed
			case keyBack:
				i = max(i-1, 0)
				continue
			case keySkip:
				i++
				continue
			}
		}
		rp.sh.pr.typed(p, shown, rp.scale(typeDelay))
		rp.track(c.text)
		err := rp.sh.Exec(c.text)
		rp.sh.settle()
		if errors.Is(err, errQuit) {
			break
		}
		if err != nil && !(errors.Is(err, errInterrupted) && rp.stopped()) {
			fmt.Fprintf(rp.e.stderr, "ionetsh: line %d: %v\n", c.n, err)
			failed = true
		}
		rp.pause(rp.scale(afterDelay))
		i++
	}
	return failed
}

// ask shows the next command dimmed with the keys' hint, and waits for
// a key.
func (rp *replay) ask(p, shown string) key {
	if rp.fancy {
		faint := color.New(color.Faint)
		if rp.sh.colour.Load() {
			faint.EnableColor()
		} else {
			faint.DisableColor()
		}
		rp.sh.pr.put([]byte(p + faint.Sprint(visible.String(shown)) + "   " + faint.Sprint("("+stepHint+")")))
	}
	k := rp.keys.next(rp.stop)
	if rp.fancy {
		rp.sh.pr.put([]byte("\r\x1b[K"))
	}
	return k
}

// display returns the prompt and text to show for a command: a send to
// the client the rehearsal had attached is shown as typing at its
// prompt, as it was typed.
func (rp *replay) display(line string) (string, string) {
	if a := rp.attached; a != "" {
		if rest, ok := strings.CutPrefix(line, "send "+a+" "); ok {
			return a + "> ", rest
		}
		if line == "eof "+a {
			return a + "> ", "^D"
		}
	}
	return prompt, line
}

// track follows what the rehearsal's terminal was attached to: any
// other command than typing to the attached client means it detached.
func (rp *replay) track(line string) {
	if a := rp.attached; a != "" && !strings.HasPrefix(line, "send "+a+" ") {
		rp.attached = ""
	}
}

// noteAttach stands for attaching the terminal in the rehearsal.
func (rp *replay) noteAttach(s *Session) {
	rp.attached = s.name
	rp.sh.printf("%s", attachNotice(s.name))
}

// watchSignals stops the replay at a signal: SIGINT stops the replay
// (on a terminal the shell goes on at the prompt), SIGTERM and SIGHUP
// the shell. The returned function stops watching.
func (rp *replay) watchSignals() (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case sig := <-rp.e.sigs:
			rp.caught = sig
			rp.sh.Halt()
			close(rp.stop)
			rp.keys.wake()
		case <-done:
		}
	}()
	return func() { close(done); <-finished }
}

func (rp *replay) stopped() bool {
	select {
	case <-rp.stop:
		return true
	default:
		return rp.sh.stopping()
	}
}

// pause waits d, or until the replay is stopped.
func (rp *replay) pause(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-rp.stop:
	}
}

// scale applies the pace to a delay.
func (rp *replay) scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * rp.pace)
}
