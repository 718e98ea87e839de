package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hinshun/vt10x"
	"github.com/ionetsh/ionetsh/internal/peertest"
)

// hostile sets the window title, clears the screen and turns text red.
const hostile = peertest.Hostile

// TestEmulatorSeesHostileBytes is the control for TestPtyHostilePeer:
// the emulator does act on these bytes when they reach it raw, so the
// screen staying intact there means ionetsh made them visible.
func TestEmulatorSeesHostileBytes(t *testing.T) {
	term := vt10x.New(vt10x.WithSize(40, 5))
	term.Write([]byte("keep me\r\n" + hostile + "red"))
	if term.Title() != "pwned" || strings.Contains(term.String(), "keep me") {
		t.Fatalf("raw bytes: title %q, screen %q; the emulator should have acted on them", term.Title(), term.String())
	}
	if c := term.Cursor(); term.Cell(c.X-1, c.Y).FG == vt10x.DefaultFG {
		t.Fatalf("raw bytes: text after ESC[31m is not red")
	}
}

// TestPtyHostilePeer sends the escape sequences from a raw peer through
// ex5, ex6 and ex7 into the interactive shell on a pseudo-terminal: the
// rendered screen keeps its title, its contents and its colours, and
// shows the sequences as text.
func TestPtyHostilePeer(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	title0 := s.term.Title()
	ports := map[string]string{}
	for _, ex := range []string{"ex5-server", "ex6-server", "ex7-server"} {
		s.typeKeys("run " + ex + " --port 0 --bind 127.0.0.1\r")
		ports[ex] = s.waitFor(`\[` + ex + `\] Listening on socket bound to: 127\.0\.0\.1:(\d+)`)
		s.waitFor(`(?m)^ionet>$`)
	}
	for _, ex := range []string{"ex5-server", "ex6-server", "ex7-server"} {
		if err := peertest.Echo("127.0.0.1:"+ports[ex], hostile); err != nil {
			t.Fatal(err)
		}
		s.waitFor(`\[` + ex + `\] Read [^\n]*: ` + regexp.QuoteMeta(`\x1b]0;pwned\x07\x1b[2J\x1b[31m`) + `\s*\n`)
	}
	s.typeKeys("sessions\r")
	s.waitFor(`(?m)^ex7-server\s+ex7-server\s+listening`)
	txt := s.text()
	if !strings.Contains(txt, "ionet> run ex5-server --port 0") {
		t.Fatalf("the screen was cleared: the first command is gone:\n%s", txt)
	}
	s.mu.Lock()
	title := s.term.Title()
	cols, rows := s.term.Size()
	var coloured []string
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			if g := s.term.Cell(x, y); g.FG != vt10x.DefaultFG || g.BG != vt10x.DefaultBG {
				coloured = append(coloured, string(g.Char))
			}
		}
	}
	s.mu.Unlock()
	if title != title0 {
		t.Fatalf("the title changed from %q to %q", title0, title)
	}
	if len(coloured) > 0 {
		t.Fatalf("%d cells are coloured (%q...); with --no-color none should be:\n%s", len(coloured), strings.Join(coloured[:min(20, len(coloured))], ""), txt)
	}
	s.typeKeys("\x04")
	s.waitExit()
}
