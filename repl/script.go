package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// runScript runs commands read line by line from r: no prompt, # starts
// a comment, and at the end every live session is stopped in reverse
// start order. The status is 1 if any command failed. A signal on sigs
// (SIGINT, SIGTERM, SIGHUP) stops the script: the running command is
// interrupted, every session's cleanup runs and prints, and the status
// is 128 plus the signal's number.
func runScript(r io.Reader, echo, colour bool, stdout, stderr io.Writer, sigs <-chan os.Signal) int {
	sh := newShell(stdout, stderr, false, colour)
	quit := make(chan struct{})
	defer close(quit)
	lines, readErr := scanLines(r, quit)
	caught := make(chan os.Signal, 1)
	stop := haltOnSignal(sh, sigs, caught)
	failed, ended, sig := runLines(sh, lines, caught, echo)
	if !ended {
		readErr = nil // the reader may still be waiting for input
	}
	if err := readOrNil(readErr); err != nil {
		fmt.Fprintf(stderr, "ionetsh: reading commands: %v\n", err)
		failed = true
	}
	sh.settle()
	sh.Close()
	stop()
	if sig == nil {
		select {
		case sig = <-caught:
		default:
		}
	}
	return exitStatus(sig, failed)
}

// runLines runs the script's lines until they end (ended), quit, or a
// signal arrives on caught (sig). failed says whether a command failed.
func runLines(sh *Shell, lines <-chan string, caught <-chan os.Signal, echo bool) (failed, ended bool, sig os.Signal) {
	for n := 1; ; n++ {
		var text string
		var ok bool
		if sh.stopping() {
			return failed, false, <-caught
		}
		select {
		case text, ok = <-lines:
		case sig = <-caught:
			return failed, false, sig
		}
		if !ok {
			return failed, true, nil
		}
		line := strings.TrimSpace(strings.TrimSuffix(text, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sh.settle()
		if echo {
			sh.pr.write([]byte(prompt + line + "\n"))
		}
		err := sh.Exec(line)
		if errors.Is(err, errQuit) {
			return failed, false, nil
		}
		if err != nil {
			sh.errorf("ionetsh: line %d: %v\n", n, err)
			failed = true
		}
	}
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

// scanLines reads r's lines in the background. The lines channel is
// closed at the end of r; readErr then gets the reading error, or nil.
// Closing quit ends it early, except while it waits for r.
func scanLines(r io.Reader, quit <-chan struct{}) (lines chan string, readErr chan error) {
	lines, readErr = make(chan string), make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-quit:
				readErr <- nil
				return
			}
		}
		readErr <- sc.Err()
	}()
	return lines, readErr
}

// haltOnSignal halts sh at the first signal on sigs and passes it on to
// caught, until the returned function is called.
func haltOnSignal(sh *Shell, sigs <-chan os.Signal, caught chan<- os.Signal) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case sig := <-sigs:
			sh.Halt()
			caught <- sig
		case <-done:
		}
	}()
	return func() { close(done); <-finished }
}

// readOrNil returns what errc holds, or nil for a nil channel.
func readOrNil(errc chan error) error {
	if errc == nil {
		return nil
	}
	return <-errc
}
