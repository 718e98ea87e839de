package repl

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/history"
)

// printf prints command output through the printer, and keeps it for
// save --transcript.
func (sh *Shell) printf(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	sh.pr.write([]byte(text))
	sh.note(text)
}

// errorf writes a message to stderr, after the output queued before it,
// and keeps it for save --transcript.
func (sh *Shell) errorf(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	sh.pr.sync()
	io.WriteString(sh.errw, text)
	sh.note(text)
}

// note keeps the lines of text, as the shell showed them, for save
// --transcript.
func (sh *Shell) note(text string) {
	now := time.Now()
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		sh.shown.AppendLine(history.Line{Time: now, Text: l})
	}
}

// Halt interrupts the command now running and every later one: the
// shell is ending (a signal), and only its cleanup is left to do.
func (sh *Shell) Halt() {
	sh.mu.Lock()
	sh.halted = true
	sh.mu.Unlock()
	sh.Interrupt()
}

// goLive makes a shell that printed settled output (a replay) print
// live to w from now on, as the interactive prompt needs; a live shell
// just changes its writer.
func (sh *Shell) goLive(w io.Writer) {
	if sh.pr.live {
		sh.pr.setWriter(w)
		return
	}
	sh.settle()
	pr := newPrinter(w, true)
	for _, s := range sh.list() {
		s.mu.Lock()
		s.drainLocked()
		s.pr, s.live, s.shown = pr, true, s.log.Total()
		s.mu.Unlock()
	}
	sh.pr.close()
	sh.pr = pr
}

// resume undoes Halt, for a replay stopped by Ctrl-C that hands its
// sessions to the prompt.
func (sh *Shell) resume() {
	sh.mu.Lock()
	sh.halted = false
	sh.mu.Unlock()
}

// attachNotice is what the shell says when a client gets the terminal.
func attachNotice(name string) string {
	return fmt.Sprintf("(attached to %s: Ctrl-D sends end-of-file, Ctrl-C stops it, Ctrl-Z detaches)\n", name)
}

// InterruptSoon cancels the command now running or, between the moment
// a command line is read and the command starts, the next one. A Ctrl-C
// typed as a command starts must not be lost. ClearInterrupt forgets
// it.
func (sh *Shell) InterruptSoon() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.cmdCancel != nil {
		sh.cmdCancel()
		return
	}
	sh.soon = true
}

// ClearInterrupt forgets an InterruptSoon that found no command.
func (sh *Shell) ClearInterrupt() {
	sh.mu.Lock()
	sh.soon = false
	sh.mu.Unlock()
}

// stopping reports whether Halt was called.
func (sh *Shell) stopping() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.halted
}
