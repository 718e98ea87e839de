package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/repl/visible"
)

// maxScriptLine is the longest script line run; a longer one is an
// error for that line only.
const maxScriptLine = 1 << 20

// scriptOptions are the command-line choices that shape a script run.
type scriptOptions struct {
	echo    bool // print each command as ionet> CMD
	colour  bool
	errexit bool // stop at the first failed command (-e)
	// sigs brings SIGINT, SIGTERM and SIGHUP: the first stops the
	// script, every session's cleanup runs and prints, and the status
	// is 128 plus the signal's number.
	sigs <-chan os.Signal
}

// runScript runs commands read line by line from r: no prompt, # starts
// a comment, and at the end every live session is stopped in reverse
// start order. The status is 1 if any command failed.
func runScript(r io.Reader, echo, colour bool, stdout, stderr io.Writer) int {
	return runScriptWith(r, scriptOptions{echo: echo, colour: colour}, stdout, stderr)
}

// runScriptWith is runScript with every option. After each command the
// shell settles and prints what the sessions printed, so a program that
// feeds one command and reads the answer sees it without sending more;
// while it waits for the next line, each session's later lines are
// printed as soon as that session comes to rest.
func runScriptWith(r io.Reader, o scriptOptions, stdout, stderr io.Writer) int {
	errWidth := terminalWidth(stderr) // errors wrap only on a terminal
	stderr = visible.NewWriter(stderr)
	sh := newShell(stdout, stderr, false, o.colour)
	sh.errexit = o.errexit
	done := make(chan struct{})
	defer close(done)
	lines := readScriptLines(r, done)
	stopped := make(chan struct{})
	stopSignals := haltOnSignal(sh, o.sigs, stopped)
	failed := false
	for {
		l, ok := sh.nextLine(lines, stopped)
		if !ok || sh.stopping() {
			break
		}
		if l.err != nil {
			fmt.Fprintf(stderr, "ionetsh: reading commands: %v\n", l.err)
			failed = true
			break
		}
		sh.settle()
		var err error
		if l.long > 0 {
			err = fmt.Errorf("line too long (%d bytes, at most %d); skipped", l.long, maxScriptLine)
		} else {
			if o.echo {
				sh.printf("ionet> %s\n", l.text)
			}
			err = sh.Exec(l.text)
			sh.settle()
		}
		if errors.Is(err, errQuit) {
			break
		}
		if err != nil {
			fmt.Fprint(stderr, wrap(fmt.Sprintf("ionetsh: line %d: %v\n", l.n, err), errWidth(), 2))
			failed = true
			if sh.errexit {
				fmt.Fprintf(stderr, "ionetsh: stopping at line %d (errexit)\n", l.n)
				break
			}
		}
	}
	sh.Close()
	return exitStatus(stopSignals(), failed)
}

// scriptLine is one command of a script and its line number, or the
// error that ended reading.
type scriptLine struct {
	n    int
	text string
	long int64 // the length of a line too long to run, else 0
	err  error
}

// readScriptLines sends r's commands, without blank lines and comments,
// until r ends or done is closed.
func readScriptLines(r io.Reader, done <-chan struct{}) <-chan scriptLine {
	ch := make(chan scriptLine)
	send := func(l scriptLine) bool {
		select {
		case ch <- l:
			return true
		case <-done:
			return false
		}
	}
	go func() {
		defer close(ch)
		br := bufio.NewReaderSize(r, 64<<10)
		for n := 1; ; n++ {
			text, long, err := readScriptLine(br)
			line := strings.TrimSpace(strings.TrimSuffix(text, "\r"))
			if long > 0 || line != "" && !strings.HasPrefix(line, "#") {
				if !send(scriptLine{n: n, text: line, long: long}) {
					return
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					send(scriptLine{err: err})
				}
				return
			}
		}
	}()
	return ch
}

// restPoll is how often a script waiting for its next line looks at
// sessions that have lines not yet printed; with none, it looks less
// and less often, down to once every idlePoll.
const (
	restPoll = 2 * time.Millisecond
	idlePoll = 50 * time.Millisecond
)

// nextLine waits for the script's next line. Meanwhile each session
// that printed something is flushed once it is seen at rest three polls
// in a row, or once its oldest unprinted line has waited settleLimit.
func (sh *Shell) nextLine(lines <-chan scriptLine, stopped <-chan struct{}) (scriptLine, bool) {
	select {
	case l, ok := <-lines:
		return l, ok
	case <-stopped:
		return scriptLine{}, false
	default:
	}
	poll := restPoll
	timer := time.NewTimer(poll)
	defer timer.Stop()
	calm := map[*Session]int{}
	since := map[*Session]time.Time{}
	for {
		select {
		case l, ok := <-lines:
			return l, ok
		case <-stopped:
			return scriptLine{}, false
		case now := <-timer.C:
			busy := false
			for _, s := range sh.list() {
				busy = sh.flushIfRested(s, now, calm, since) || busy
			}
			if poll = min(poll*2, idlePoll); busy {
				poll = restPoll
			}
			timer.Reset(poll)
		}
	}
}

// flushIfRested is one poll of nextLine for session s. It reports
// whether s still has lines waiting to be printed.
func (sh *Shell) flushIfRested(s *Session, now time.Time, calm map[*Session]int, since map[*Session]time.Time) bool {
	if !s.pending() {
		delete(calm, s)
		delete(since, s)
		return false
	}
	if _, ok := since[s]; !ok {
		since[s] = now
	}
	if s.idle() {
		calm[s]++
	} else {
		calm[s] = 0
	}
	if calm[s] >= 3 || now.Sub(since[s]) >= settleLimit {
		s.flush()
		delete(calm, s)
		delete(since, s)
		return false
	}
	return true
}

// readScriptLine reads one line without its newline. A line longer
// than maxScriptLine is read to its end and thrown away: it comes back
// as "" with its length in long. err is io.EOF after the last line
// (text may still hold that line if it had no newline).
func readScriptLine(br *bufio.Reader) (text string, long int64, err error) {
	var b []byte
	var n int64
	for {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if n <= maxScriptLine+1 {
			b = append(b, chunk...)
		} else {
			b = nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			n--
		}
		if n > maxScriptLine {
			return "", n, err
		}
		return strings.TrimSuffix(string(b), "\n"), 0, err
	}
}
