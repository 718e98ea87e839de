package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// waitQuiet waits until the shell has put the terminal in its quiet
// state, which it does while a command runs: echo off and Ctrl-C a
// signal (readline, reading a line, turns signals off). A key typed now
// is not read as the command's line.
func (s *screen) waitQuiet() {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tio := s.termios()
		if tio.Lflag&unix.ECHO == 0 && tio.Lflag&unix.ISIG != 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the terminal never went quiet; screen:\n%s", s.text())
		}
		time.Sleep(time.Millisecond)
	}
}

// waitRaw waits until the program has written text to the terminal
// since the test started.
func (s *screen) waitRaw(text string) {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		ch, found := s.changed, bytes.Contains(s.raw, []byte(text))
		s.mu.Unlock()
		if found {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			s.t.Fatalf("never written: %q; screen:\n%s", text, s.text())
		}
	}
}

// termios returns the terminal settings of the program's side of the
// pseudo-terminal.
func (s *screen) termios() *unix.Termios {
	s.t.Helper()
	n, err := unix.IoctlGetInt(int(s.pty.Fd()), unix.TIOCGPTN)
	if err != nil {
		s.t.Fatal(err)
	}
	f, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	defer f.Close()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		s.t.Fatal(err)
	}
	return tio
}

// startAttached starts ionetsh, runs ex5-server and connects an
// ex4-client to it, attached to the terminal.
func startAttached(t *testing.T) *screen {
	t.Helper()
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex5-server --port 0 --bind 127.0.0.1\r")
	s.waitFor(`\[ex5-server\] Waiting to accept a connection\.\.\.\s*\nionet>$`)
	s.typeKeys("connect ex5-server\r")
	s.waitFor(`(?m)^ex4-client>$`)
	return s
}

// eofAndQuit ends the attached ex4-client with Ctrl-D, then quits.
func (s *screen) eofAndQuit() {
	s.t.Helper()
	s.typeKeys("\x04")
	s.waitFor(`\[ex4-client\] => NIL\n(.*\n)*ionet>$`)
	s.typeKeys("quit\r")
	s.waitExit()
}

// waitStatus waits for the program to exit and returns its status.
func (s *screen) waitStatus() int {
	s.t.Helper()
	select {
	case err := <-s.exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(10 * time.Second):
		s.t.Fatalf("did not exit; screen:\n%s", s.text())
		return -1
	}
}

// TestCtrlCInterruptsCommand checks that Ctrl-C during sleep and wait
// cancels only that command: interrupted, the prompt back with a clean
// line, and the session still alive. Keys typed meanwhile are dropped,
// as a shell drops type-ahead on Ctrl-C; Ctrl-Z and Ctrl-\ typed during
// a command neither suspend nor kill the shell.
func TestCtrlCInterruptsCommand(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex1-server --port 0 --bind 127.0.0.1\r")
	s.waitFor(`Waiting to accept a connection\.\.\.\s*\nionet>$`)
	for _, cmd := range []string{"sleep 60s", "wait ex1-server 60s"} {
		s.typeKeys(cmd)
		s.waitFor(`(?m)^ionet> ` + cmd + `$`)
		s.typeKeys("\r")
		s.waitRaw(cmd + "\r\n")
		s.waitQuiet()
		s.typeKeys("junk\x1a\x1c") // Ctrl-Z and Ctrl-\ must not suspend or kill it
		s.typeKeys("\x03")
		s.waitFor(`(?m)^ionet> ` + cmd + `\ninterrupted\nionet>$`)
		s.typeKeys("sess")
		s.waitFor(`(?m)^ionet> sess$`)
		if txt := s.text(); strings.Contains(txt, "junk") || strings.Contains(txt, "^C") {
			t.Fatalf("stray keys on the screen:\n%s", txt)
		}
		s.typeKeys("ions\r")
		s.waitFor(`(?m)^ex1-server\s+ex1-server\s+listening\s+127\.0\.0\.1:\d+\s.*\nionet>$`)
	}
	s.typeKeys("\x03")
	s.waitFor(`(?m)^ionet> \^C\n\(use quit or Ctrl-D to leave\)\nionet>$`)
	s.typeKeys("\x03")
	s.waitFor(`(?m)^\(use quit or Ctrl-D to leave\)\nionet> \^C\nionet>$`)
	s.typeKeys("quit\r")
	s.waitFor(`\[ex1-server\] stopped`)
	s.waitExit()
}

// TestCtrlZShowsCtrlZ checks that Ctrl-Z at an attached client echoes
// ^Z and says how to attach again; and that the client has its own
// history and no command completion, while the prompt keeps the
// shell's history.
func TestCtrlZAndClientHistory(t *testing.T) {
	s := startAttached(t)
	s.typeKeys("alpha\r")
	s.waitFor(`(?m)^\[ex4-client\] alpha\n`)
	s.typeKeys("beta\r")
	s.waitFor(`(?m)^\[ex4-client\] beta\n(.*\n)*ex4-client>$`)
	s.typeKeys("he\tX")
	s.waitFor(`\nex4-client> heX$`)
	s.typeKeys("\x7f\x7f\x7f\x1b[A")
	s.waitFor(`\nex4-client> beta$`)
	s.typeKeys("\x1b[A")
	s.waitFor(`\nex4-client> alpha$`)
	s.typeKeys("\x1a")
	s.waitFor(`(?m)^ex4-client> alpha\^Z\n\(detached from ex4-client; fg ex4-client attaches it again\)\nionet>$`)
	if strings.Contains(s.text(), "^C") {
		t.Fatalf("Ctrl-Z echoed as ^C:\n%s", s.text())
	}
	s.typeKeys("\x1b[A")
	s.waitFor(`\nionet> connect ex5-server$`)
	s.typeKeys("\x1b[A")
	s.waitFor(`\nionet> run ex5-server --port 0 --bind 127\.0\.0\.1$`)
	s.typeKeys("\x01\x0b")
	s.waitFor(`\nionet>$`)
	s.typeKeys("fg ex4-client\r")
	s.waitFor(`\nex4-client>$`)
	s.typeKeys("\x1b[A")
	s.waitFor(`\nex4-client> beta$`)
	s.typeKeys("\r")
	s.waitFor(`(?m)^\[ex4-client\] beta\n(.*\n)*\[ex4-client\] beta\n(.*\n)*ex4-client>$`)
	s.eofAndQuit()
}

// TestPasteDoesNotAttach pastes a block whose second line starts a
// client that reads standard input: the client must not swallow the
// rest of the block, so it is left detached and the later lines run as
// commands.
func TestPasteDoesNotAttach(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex5-server --port 0 --bind 127.0.0.1\rconnect ex5-server\rsend ex4-client hello\rsessions\r")
	s.waitFor(`\(ex4-client not attached: more input follows; fg ex4-client attaches it\)`)
	s.waitFor(`(?m)^\[ex4-client\] hello$`)
	s.waitFor(`(?m)^ex4-client\s+ex4-client\s+running\s`)
	s.waitFor(`\nionet>$`)
	s.typeKeys("fg ex4-client\r")
	s.waitFor(`(?m)^ex4-client>$`)
	s.eofAndQuit()
}

// TestDumbTerminal checks that with TERM=dumb the shell writes no
// escape sequence at all, even with colour not turned off: plain
// prompts and lines, Ctrl-C at the prompt still hints, Ctrl-Z and Enter
// detach a client.
func TestDumbTerminal(t *testing.T) {
	s := startScreenTerm(t, "dumb", nil)
	s.waitFor(`(?m)^ionet>`)
	s.typeKeys("run ex1-server --port 0 --bind 127.0.0.1\r")
	s.waitFor(`\[ex1-server\] Waiting to accept a connection\.\.\.`)
	s.typeKeys("sessions\r")
	s.waitFor(`(?m)^ex1-server\s+ex1-server\s+listening`)
	s.typeKeys("stpo\r")
	s.waitFor(`error: unknown command "stpo"`)
	s.typeKeys("set color on\r")
	s.waitFor(`error: this terminal \(TERM=dumb\) shows no colour`)
	s.typeKeys("\x03")
	s.waitFor(`\(use quit or Ctrl-D to leave\)`)
	s.typeKeys("connect ex1-server raw --name r\r")
	s.waitFor(`(?m)^r>$`)
	s.typeKeys("\x1a\r")
	s.waitFor(`\(detached from r; fg r attaches it again\)`)
	s.typeKeys("stop r\r")
	s.waitFor(`\[r\] stopped`)
	s.typeKeys("quit\r")
	s.waitExit()
	s.mu.Lock()
	raw := append([]byte(nil), s.raw...)
	s.mu.Unlock()
	if i := bytes.IndexByte(raw, 0x1b); i >= 0 {
		t.Fatalf("escape sequence on a dumb terminal at byte %d: %q", i, raw[max(i-40, 0):min(i+40, len(raw))])
	}
}

// TestSIGTERMCleanup checks that SIGTERM and SIGHUP (the terminal
// closing) at an attached client stop every session, printing its
// cleanup, restore the terminal and exit with 128 plus the signal.
func TestSIGTERMCleanup(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { signalCleanup(t, sig) })
	}
}

func signalCleanup(t *testing.T, sig syscall.Signal) {
	s := startAttached(t)
	s.cmd.Process.Signal(sig)
	if code := s.waitStatus(); code != 128+int(sig) {
		t.Fatalf("status %d; screen:\n%s", code, s.text())
	}
	s.waitFor(`(?s)\[ex4-client\] Client Exited\.\n.*\[ex4-client\] stopped\n.*\[ex5-server\] stopped`)
	if tio := s.termios(); tio.Lflag&(unix.ECHO|unix.ICANON) != unix.ECHO|unix.ICANON {
		t.Fatalf("terminal not restored: lflag %#x", s.termios().Lflag)
	}
}

// TestScriptSIGINT checks that SIGINT stops a script during a blocking
// command: every session's cleanup runs and prints, status 130.
func TestScriptSIGINT(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.ion")
	os.WriteFile(path, []byte("run ex5-server --port 0 --bind 127.0.0.1\nconnect ex5-server\nsleep 60s\nsessions\n"), 0o644)
	cmd := exec.Command(binary(t), path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var got bytes.Buffer
	buf := make([]byte, 4096)
	for !strings.Contains(got.String(), "[ex4-client] Connected") {
		n, err := out.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("%v; output:\n%s", err, got.String())
		}
	}
	cmd.Process.Signal(os.Interrupt)
	rest, _ := io.ReadAll(out)
	got.Write(rest)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want status 130; output:\n%s", err, got.String())
	}
	for _, want := range []string{"[ex4-client] Client Exited.\n", "[ex4-client] stopped\n", "[ex5-server] Destroying any active client threads....\n", "[ex5-server] stopped\n"} {
		if !strings.Contains(got.String(), want) {
			t.Fatalf("no %q in:\n%s", want, got.String())
		}
	}
	if strings.Contains(got.String(), "NAME ") {
		t.Fatalf("the script went on after SIGINT:\n%s", got.String())
	}
}
