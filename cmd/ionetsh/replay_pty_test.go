package main

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplayKeys steps through a replay with the keys a presentation
// clicker sends (Space, Right, Page Down) and b, s, q: each command is
// shown first with the keys' hint, runs on a key, and q hands the live
// shell to the prompt.
func TestReplayKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.ion")
	os.WriteFile(path, []byte("explain ex1-client\nexplain ex2-client\nexplain ex3-client\nexplain ex4-client\n"), 0o644)
	s := startScreen(t, "--replay", path, "--pace", "0", "--step")
	hint := ` +\(Enter/Space/PgDn/→ next · b back · s skip · q stop\)$`
	s.waitFor(`(?m)^ionet> explain ex1-client` + hint)
	s.typeKeys(" ")
	s.waitFor(`(?m)^ionet> explain ex1-client\nex1-client \(daytime client(.*\n)*ionet> explain ex2-client` + hint)
	s.typeKeys("\x1b[C")
	s.waitFor(`(?m)^ionet> explain ex2-client\nex2-client \((.*\n)*ionet> explain ex3-client` + hint)
	s.typeKeys("\x1b[6~")
	s.waitFor(`(?m)^ionet> explain ex3-client\nex3-client \((.*\n)*ionet> explain ex4-client` + hint)
	s.typeKeys("b")
	s.waitFor(`(?m)^ionet> explain ex3-client` + hint)
	s.typeKeys("s")
	s.waitFor(`(?m)^ionet> explain ex3-client\n(.*\n)*ionet> explain ex4-client` + hint)
	s.typeKeys("q")
	s.waitFor(`(?m)^ionet>$`)
	txt := s.text()
	if strings.Contains(txt, "ex4-client (") || strings.Contains(txt, "[C") || strings.Contains(txt, "~") {
		t.Fatalf("skipped command ran or keys echoed:\n%s", txt)
	}
	s.typeKeys("\x04")
	s.waitExit()
}

// TestThenInteractive checks that --then-interactive hands the replay's
// live sessions to the prompt, where their output is live.
func TestThenInteractive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.ion")
	os.WriteFile(path, []byte("run ex1-server --port 0 --bind 127.0.0.1\n"), 0o644)
	s := startScreen(t, "--replay", path, "--pace", "0", "--then-interactive")
	port := s.waitFor(`Listening on socket bound to: 127\.0\.0\.1:(\d+)`)
	s.waitFor(`Waiting to accept a connection\.\.\.\s*\nionet>$`)
	c, err := net.Dial("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, c)
	c.Close()
	s.waitFor(`\[ex1-server\] => T\s*\nionet>$`)
	s.typeKeys("sessions\r")
	s.waitFor(`(?m)^ex1-server\s+ex1-server\s+exited T\s`)
	s.typeKeys("\x04")
	s.waitExit()
}

// TestCtrlCStopsReplay checks that Ctrl-C during a replay's blocking
// command stops the replay, not the shell: the prompt comes back with
// the replay's sessions alive, and the rest of the script is not run.
func TestCtrlCStopsReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.ion")
	os.WriteFile(path, []byte("run ex1-server --port 0 --bind 127.0.0.1\nsleep 60s\nexplain ex1-client\n"), 0o644)
	s := startScreen(t, "--replay", path, "--pace", "0")
	s.waitFor(`(?m)^ionet> sleep 60s$`)
	s.waitQuiet()
	s.typeKeys("\x03")
	s.waitFor(`(?m)^\(replay stopped\)\nionet>$`)
	s.typeKeys("sessions\r")
	s.waitFor(`(?m)^ex1-server\s+ex1-server\s+listening\s`)
	if strings.Contains(s.text(), "ex1-client (") {
		t.Fatalf("the replay went on after Ctrl-C:\n%s", s.text())
	}
	s.typeKeys("\x04")
	s.waitFor(`\[ex1-server\] stopped`)
	s.waitExit()
}
