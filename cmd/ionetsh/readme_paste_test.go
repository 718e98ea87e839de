package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/labtest"
)

// readmeEvent is one step of a README recipe, in the order the README
// shows it.
type readmeEvent struct {
	kind   byte   // 'c' a command line, 't' a line typed to an attached client, 'z' Ctrl-Z, 'a' an attach notice, 'o' a session line shown
	client string // the client of 't', 'z' and 'a'
	text   string
}

// readmeRecipe is a README recipe that a reader pastes at the prompt.
type readmeRecipe struct {
	line   int // where its block starts in README.md
	events []readmeEvent
}

// readmeBlock is one fenced code block of README.md.
type readmeBlock struct {
	line  int
	lines []string
}

// readmeBlocks returns the fenced code blocks of the README at path.
func readmeBlocks(t *testing.T, path string) []readmeBlock {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []readmeBlock
	var cur *readmeBlock
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "```") && cur == nil:
			cur = &readmeBlock{line: i + 1}
		case strings.HasPrefix(l, "```"):
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	return blocks
}

// readmeCommands returns the command names of the README's help block.
func readmeCommands(blocks []readmeBlock) map[string]bool {
	names := map[string]bool{}
	re := regexp.MustCompile(`^  ([a-z]+)\b`)
	for _, b := range blocks {
		if len(b.lines) == 0 || !strings.HasPrefix(b.lines[0], "Commands (") {
			continue
		}
		for _, l := range b.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				names[m[1]] = true
			}
		}
	}
	return names
}

var (
	clientLine = regexp.MustCompile(`^([\w./-]+)> (.*)$`)
	attachLine = regexp.MustCompile(`^\(attached to ([\w./-]+):`)
)

// transcriptEvents reads a block of `ionet> CMD` lines and their output.
func transcriptEvents(lines []string) []readmeEvent {
	var evs []readmeEvent
	for _, l := range lines {
		m, a := clientLine.FindStringSubmatch(l), attachLine.FindStringSubmatch(l)
		switch {
		case m != nil && m[1] == "ionet":
			evs = append(evs, readmeEvent{kind: 'c', text: m[2]})
		case m != nil && m[2] == "^Z":
			evs = append(evs, readmeEvent{kind: 'z', client: m[1]})
		case m != nil:
			evs = append(evs, readmeEvent{kind: 't', client: m[1], text: m[2]})
		case a != nil:
			evs = append(evs, readmeEvent{kind: 'a', client: a[1]})
		case strings.HasPrefix(l, "["):
			evs = append(evs, readmeEvent{kind: 'o', text: l})
		}
	}
	return evs
}

// commandsOf returns a block's command lines, without comments, or nil
// if a line is not a shell command.
func commandsOf(lines []string, names map[string]bool) []string {
	var cmds []string
	for _, l := range lines {
		l, _, _ = strings.Cut(l, "#")
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if !names[strings.Fields(l)[0]] {
			return nil
		}
		cmds = append(cmds, l)
	}
	return cmds
}

// readmeRecipes returns every recipe of the README: each transcript (the
// `ionet> ` lines are the recipe), and each block of commands, with the
// session lines of the transcript that follows it if that transcript
// shows the same commands, or its last ones.
func readmeRecipes(t *testing.T, path string) []readmeRecipe {
	blocks := readmeBlocks(t, path)
	names := readmeCommands(blocks)
	var rs []readmeRecipe
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		evs := transcriptEvents(b.lines)
		cmds := commandsOf(b.lines, names)
		if len(cmds) > 0 {
			evs = nil
			for _, l := range b.lines {
				evs = append(evs, readmeEvent{kind: 'c', text: l})
			}
			if i+1 < len(blocks) {
				next := transcriptEvents(blocks[i+1].lines)
				var shown []string
				for _, e := range next {
					if e.kind == 'c' {
						shown = append(shown, strings.TrimSpace(strings.Split(e.text, "#")[0]))
					}
				}
				if len(shown) > 0 && strings.HasSuffix("\n"+strings.Join(cmds, "\n"), "\n"+strings.Join(shown, "\n")) {
					for _, e := range next {
						if e.kind == 'o' {
							evs = append(evs, e)
						}
					}
					i++
				}
			}
		}
		if len(evs) > 0 && evs[0].kind == 'c' {
			rs = append(rs, readmeRecipe{line: b.line, events: evs})
		}
	}
	return rs
}

// fixedPorts maps the fixed ports a recipe names (99NN: a server's
// --port, or a client's HOST:PORT where that server or nobody listens)
// to free ephemeral ports, the same one for each mention, so that the
// test binds no fixed port.
type fixedPorts map[string]string

var fixedPort = regexp.MustCompile(`\b99\d\d\b`)

// replace returns cmd with its fixed ports mapped.
func (m fixedPorts) replace(t *testing.T, cmd string) string {
	return fixedPort.ReplaceAllStringFunc(cmd, func(p string) string {
		if m[p] == "" {
			l, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			m[p] = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
			l.Close()
		}
		return m[p]
	})
}

// TestReadmePaste pastes every recipe of the README at the interactive
// prompt of a fresh shell (with set port 0 and set bind 127.0.0.1 from
// an init file), all its lines at once as a paste is, and checks that no
// command fails, the shell comes back to a clean prompt and every
// session line the README shows is printed (numbers, addresses, times
// and ids aside). Where a transcript shows typing at an attached client,
// the commands up to the one that attaches are pasted, the client's
// lines typed, and the rest pasted after Ctrl-Z. A bench runs 100ms a
// step instead of 3s, and a fixed port is replaced by a free one.
func TestReadmePaste(t *testing.T) {
	rs := readmeRecipes(t, "../../README.md")
	if len(rs) < 10 {
		t.Fatalf("found %d recipes in README.md, want at least 10", len(rs))
	}
	binary(t) // before t.Chdir: it builds "."
	cfg := t.TempDir()
	os.MkdirAll(filepath.Join(cfg, "ionetsh"), 0o755)
	initText := "set port 0\nset bind 127.0.0.1\n"
	if err := os.WriteFile(filepath.Join(cfg, "ionetsh", "init"), []byte(initText), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // bench --csv writes here
	for _, r := range rs {
		t.Run("line"+strconv.Itoa(r.line), func(t *testing.T) {
			pasteRecipe(t, r, cfg)
		})
	}
}

// pasteRecipe runs one recipe in a fresh shell, on a screen wide enough
// that no session line of the README wraps (an unhandled condition in a
// thread runs to about 200 columns).
func pasteRecipe(t *testing.T, r readmeRecipe, cfg string) {
	s := startScreenSize(t, nil, 320, 400, []string{"XDG_CONFIG_HOME=" + cfg}, "--no-color")
	s.waitFor(`(?m)^ionet>$`)
	var pending, typed, shown, after []string
	quit, ports := false, fixedPorts{}
	flush := func() {
		if len(pending) > 0 {
			s.typeKeys(strings.Join(pending, "\r") + "\r")
			typed = append(typed, pending...)
			pending = nil
		}
	}
	for _, e := range r.events {
		switch e.kind {
		case 'c':
			if strings.HasPrefix(e.text, "bench ") {
				e.text += " --duration 100ms"
			}
			e.text = ports.replace(t, e.text)
			quit = quit || e.text == "quit"
			if !quit && strings.TrimSpace(e.text) != "" {
				pending = append(pending, e.text)
			}
		case 'a':
			flush()
			s.waitWithin(`(?m)^`+regexp.QuoteMeta(e.client)+`> ?$`, 30*time.Second)
		case 't', 'z':
			s.waitLines(shown)
			if e.kind == 't' {
				s.typeKeys(e.text + "\r")
				break
			}
			s.typeKeys("\x1a")
			s.waitFor(`\(detached from ` + regexp.QuoteMeta(e.client))
		case 'o':
			if quit {
				after = append(after, e.text)
			} else {
				shown = append(shown, e.text)
			}
		}
	}
	flush()
	s.waitPrompt(typed)
	s.noErrors(r)
	s.waitLines(shown)
	s.typeKeys("quit\r")
	s.waitExit()
	s.waitLines(after)
	s.noErrors(r)
}

// failedLine matches what the shell prints when a command fails.
var failedLine = regexp.MustCompile(`(?m)^(error: |ionetsh: |interrupted$).*`)

// noErrors fails the test if the screen shows a failed command.
func (s *screen) noErrors(r readmeRecipe) {
	s.t.Helper()
	if l := failedLine.FindString(s.text()); l != "" {
		s.t.Fatalf("README line %d: a pasted command failed: %q; screen:\n%s", r.line, l, s.text())
	}
}

// waitPrompt waits until the screen shows cmds's last line read at the
// prompt as often as cmds holds it, then an empty prompt: the last
// command has finished. A bench of a backlog-5 server can stall a
// second a connection, hence the long deadline.
func (s *screen) waitPrompt(cmds []string) {
	s.t.Helper()
	last := cmds[len(cmds)-1]
	n := 0
	for _, c := range cmds {
		if c == last {
			n++
		}
	}
	echo := regexp.MustCompile(`(?m)^ionet> ` + regexp.QuoteMeta(last) + `$`)
	s.waitUntil("a clean prompt after "+last, time.Minute, func(txt string) bool {
		return len(echo.FindAllString(txt, -1)) >= n && strings.HasSuffix(txt, "\nionet>")
	})
}

// waitLines waits until the screen shows every line, numbers aside. A
// line may follow a prompt on the same row: on a loaded machine a
// session line can be written after readline draws a prompt and before
// it reads, which the shell holds off for at most 100ms
// (terminal.waitPrompt, chzyer/readline issue #220).
func (s *screen) waitLines(lines []string) {
	s.t.Helper()
	for _, l := range lines {
		re := strings.Replace(labtest.LineRE(l).String(), "(?m)^", "(?m)^(?:ionet> )?", 1)
		s.waitWithin(re, 30*time.Second)
	}
}
