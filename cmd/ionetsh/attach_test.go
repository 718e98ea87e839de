package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/outtest"
)

// waitExit waits for the program to exit with status 0.
func (s *screen) waitExit() {
	s.t.Helper()
	select {
	case err := <-s.exited:
		if err != nil {
			s.t.Fatalf("exit: %v; screen:\n%s", err, s.text())
		}
	case <-time.After(10 * time.Second):
		s.t.Fatalf("did not exit; screen:\n%s", s.text())
	}
}

// TestAttachRecordReplay drives a client attached to the terminal (typed
// lines go to it, Ctrl-Z detaches, fg reattaches, Ctrl-D sends it
// end-of-file), saves the session as a script and a transcript, checks
// that typed commands persist in the history file and come back with
// Up, and replays the script at --pace 0: each session prints what it
// printed the first time, apart from addresses, times and ids.
func TestAttachRecordReplay(t *testing.T) {
	dir := t.TempDir()
	hist, demo, trans := filepath.Join(dir, "history"), filepath.Join(dir, "demo.ion"), filepath.Join(dir, "demo.txt")
	s := startScreen(t, "--history", hist)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex5-server --port 0 --bind 127.0.0.1\r")
	s.waitFor(`\[ex5-server\] Waiting to accept a connection\.\.\.\s*\nionet>$`)
	s.typeKeys("connect ex5-server\r")
	s.waitFor(`(?m)^ex4-client>$`)
	s.typeKeys("hello\r")
	s.waitFor(`(?m)^\[ex4-client\] hello$`)
	s.typeKeys("\x1a")
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("fg ex4-client\r")
	s.waitFor(`(?m)^ex4-client>$`)
	s.typeKeys("quit\r")
	s.waitFor(`\[ex5-server\] Closing connection to`)
	s.waitFor(`(?m)^\[ex4-client\] quit$`)
	s.typeKeys("\x04")
	s.waitFor(`\[ex4-client\] => NIL\s*\nionet>$`)
	s.typeKeys("stop ex5-server\r")
	s.waitFor(`\[ex5-server\] stopped\s*\nionet>$`)
	s.typeKeys("save " + demo + "\r")
	s.waitFor(`(?m)^saved \d+ commands to .*\s*\nionet>$`)
	s.typeKeys("save --transcript " + trans + "\r")
	s.waitFor(`(?m)^saved a transcript of \d+ lines to .*\s*\nionet>$`)
	s.typeKeys("\x04")
	s.waitExit()

	script, _ := os.ReadFile(demo)
	want := "run ex5-server --port 0 --bind 127.0.0.1\nconnect ex5-server\nsend ex4-client hello\nsend ex4-client quit\neof ex4-client\nstop ex5-server\n"
	if got := strings.SplitN(string(script), "\n", 2)[1]; got != want {
		t.Fatalf("saved script:\n%s\nwant:\n%s", got, want)
	}
	checkHistory(t, hist)

	out, err := exec.Command(binary(t), "--replay", demo, "--pace", "0").Output()
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	recorded, _ := os.ReadFile(trans)
	stamp := regexp.MustCompile(`(?m)^\+\d+\.\d+s `)
	if a, b := outtest.BySession(stamp.ReplaceAllString(string(recorded), "")), outtest.BySession(string(out)); a != b {
		t.Fatalf("replay differs from the recording:\n--- recorded\n%s--- replayed\n%s", a, b)
	}
}

// checkHistory checks the history file and that a new shell offers the
// last command on Up.
func checkHistory(t *testing.T, hist string) {
	t.Helper()
	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 6 || lines[0] != "run ex5-server --port 0 --bind 127.0.0.1" || lines[2] != "fg ex4-client" || !strings.HasPrefix(lines[5], "save --transcript ") {
		t.Fatalf("history file:\n%s", data)
	}
	s := startScreen(t, "--history", hist)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("\x1b[A")
	s.waitFor(`(?m)^ionet> save --transcript `)
	s.typeKeys("\x1b[A")
	s.waitFor(`(?m)^ionet> save /`)
	s.typeKeys("\x03\x04")
	s.waitExit()
}

// TestCtrlCStopsAttachedClient checks that Ctrl-C while a client is
// attached stops it exactly like stop: its cleanup prints, then stopped,
// and the prompt comes back.
func TestCtrlCStopsAttachedClient(t *testing.T) {
	s := startAttached(t)
	s.typeKeys("\x03")
	// Other sessions' lines may come between the client's (the server
	// sees the connection close), so only the order is asserted.
	s.waitFor(`(?s)\[ex4-client\] Client Exited\.\n.*\[ex4-client\] stopped\n.*ionet>$`)
	s.typeKeys("quit\r")
	s.waitExit()
}

// TestStdoutNotTerminal runs ionetsh | tee: stdin is a terminal, stdout
// a file. The prompt and line editing go to the terminal (stderr); the
// file gets each typed command as ionet> CMD and then its output,
// without colour, and errors go to the terminal only.
func TestStdoutNotTerminal(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	s := startScreenOut(t, logFile)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("explain ex1-client\r")
	s.waitFor(`(?m)^ionet> explain ex1-client\n(.*\n)*ionet>$`)
	s.typeKeys("stpo all\r")
	s.waitFor(`(?m)^error: unknown command "stpo"; did you mean "stop"\?.*\nionet>$`)
	s.typeKeys("quit\r")
	s.waitExit()
	data, _ := os.ReadFile(logPath)
	want := "ionet> explain ex1-client\nex1-client (daytime client"
	if !strings.HasPrefix(string(data), want) || !strings.HasSuffix(string(data), "\nionet> stpo all\nionet> quit\n") || strings.Contains(string(data), "\x1b") {
		t.Fatalf("stdout is not commands and output: %q", data)
	}
	if strings.Contains(s.text(), "ex1-client (daytime client") {
		t.Fatalf("output went to the terminal too:\n%s", s.text())
	}
}
