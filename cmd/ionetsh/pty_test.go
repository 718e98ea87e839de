package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hinshun/vt10x"
)

// ptyRuns is how many times the interactive test repeats: it must pass
// every time.
const ptyRuns = 50

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds ionetsh once for the tests that drive the real program.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ionetsh-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ionetsh")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// screen is ionetsh running in a pseudo-terminal, rendered by a vt100
// emulator so that tests assert on what a person would see.
type screen struct {
	t    *testing.T
	cmd  *exec.Cmd
	pty  *os.File
	term vt10x.Terminal

	mu      sync.Mutex
	raw     []byte // every byte the program wrote to the terminal
	changed chan struct{}
	exited  chan error
}

func startScreen(t *testing.T, args ...string) *screen {
	t.Helper()
	return startScreenOut(t, nil, append([]string{"--no-color"}, args...)...)
}

// startScreenOut starts ionetsh on a terminal with stdout sent to out
// instead, unless out is nil.
func startScreenOut(t *testing.T, out *os.File, args ...string) *screen {
	t.Helper()
	return startScreenWith(t, out, 120, nil, args...)
}

// startScreenTerm starts ionetsh on a terminal of type term (the TERM
// variable), with stdout sent to out instead, unless out is nil.
func startScreenTerm(t *testing.T, term string, out *os.File, args ...string) *screen {
	t.Helper()
	return startScreenWith(t, out, 120, []string{"TERM=" + term}, args...)
}

// pump feeds the program's output to the emulator.
func (s *screen) pump() {
	buf := make([]byte, 4096)
	for {
		n, err := s.pty.Read(buf)
		s.mu.Lock()
		s.term.Write(buf[:n])
		s.raw = append(s.raw, buf[:n]...)
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// text returns the rendered screen, without trailing blanks.
func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return trimScreen(s.term.String())
}

func trimScreen(txt string) string {
	lines := strings.Split(txt, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// waitFor waits until the screen matches pattern.
func (s *screen) waitFor(pattern string) string {
	s.t.Helper()
	return s.waitWithin(pattern, 10*time.Second)
}

// waitWithin waits at most d until the screen matches pattern.
func (s *screen) waitWithin(pattern string, d time.Duration) string {
	s.t.Helper()
	re := regexp.MustCompile(pattern)
	var got string
	s.waitUntil(pattern, d, func(txt string) bool {
		m := re.FindStringSubmatch(txt)
		if m != nil {
			got = strings.Join(m[1:], " ")
		}
		return m != nil
	})
	return got
}

// waitUntil waits at most d until ok is true of the screen; what says
// what it waits for.
func (s *screen) waitUntil(what string, d time.Duration, ok func(screen string) bool) {
	s.t.Helper()
	deadline := time.After(d)
	for {
		s.mu.Lock()
		ch := s.changed
		txt := trimScreen(s.term.String())
		s.mu.Unlock()
		if ok(txt) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			s.mu.Lock()
			raw := s.raw[max(len(s.raw)-600, 0):]
			s.mu.Unlock()
			s.t.Fatalf("screen never matched %q; screen:\n%s\nlast bytes written: %q", what, txt, raw)
		}
	}
}

func (s *screen) typeKeys(keys string) {
	s.t.Helper()
	if _, err := io.WriteString(s.pty, keys); err != nil {
		s.t.Fatal(err)
	}
}

// lastLine returns the last non-blank line of the screen.
func (s *screen) lastLine() string {
	lines := strings.Split(s.text(), "\n")
	return lines[len(lines)-1]
}

func TestInteractive(t *testing.T) {
	for i := 0; i < ptyRuns; i++ {
		if !t.Run(strconv.Itoa(i), interactiveOnce) {
			return
		}
	}
}

// interactiveOnce checks what a person at the prompt relies on: output
// from a background server arrives above a half-typed command without
// disturbing it, Ctrl-C clears the line and does not exit, and Ctrl-D at
// an empty prompt stops every session and exits.
func interactiveOnce(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex1-server --port 0 --bind 127.0.0.1\r")
	port := s.waitFor(`Listening on socket bound to: 127\.0\.0\.1:(\d+)`)
	s.waitFor(`Waiting to accept a connection\.\.\.\s*\nionet>$`)
	s.typeKeys("sess")
	s.waitFor(`(?m)^ionet> sess$`)

	c, err := net.Dial("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, c)
	c.Close()
	s.waitFor(`\[ex1-server\] => T`)
	s.waitFor(`(?m)^ionet> sess$`)
	if got := s.lastLine(); got != "ionet> sess" {
		t.Fatalf("typed text disturbed: last line %q; screen:\n%s", got, s.text())
	}
	s.typeKeys("ions\r")
	s.waitFor(`(?m)^ex1-server\s+ex1-server\s+exited T\s+-\s+0\s`)

	s.typeKeys("run ex1-server --port 0 --bind 127.0.0.1 --name two\r")
	s.waitFor(`\[two\] Waiting to accept a connection\.\.\.\s*\nionet>$`)
	s.typeKeys("half typed\x03")
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("\x04")
	select {
	case err := <-s.exited:
		if err != nil {
			t.Fatalf("exit: %v; screen:\n%s", err, s.text())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Ctrl-D did not exit; screen:\n%s", s.text())
	}
	s.waitFor(`\[two\] stopped`)
	var exitErr *exec.ExitError
	if errors.As(<-closedErr(s), &exitErr) {
		t.Fatal(exitErr)
	}
}

// closedErr returns an already-closed channel of nil, for symmetry in
// error checks once the process has exited.
func closedErr(s *screen) chan error {
	ch := make(chan error, 1)
	ch <- nil
	return ch
}
