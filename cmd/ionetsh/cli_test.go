package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
)

// startScreenWith starts ionetsh on a terminal cols wide, with env added
// to the environment and stdout sent to out unless out is nil.
func startScreenWith(t *testing.T, out *os.File, cols int, env []string, args ...string) *screen {
	t.Helper()
	return startScreenSize(t, out, cols, 40, env, args...)
}

// startScreenSize starts ionetsh on a terminal cols wide and rows high,
// with env added to the environment and stdout sent to out unless out is
// nil.
func startScreenSize(t *testing.T, out *os.File, cols, rows int, env []string, args ...string) *screen {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--history", ""}, args...)...)
	if out != nil {
		cmd.Stdout = out
	}
	cmd.Env = append(append(os.Environ(), "TERM=xterm"), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatal(err)
	}
	s := &screen{t: t, cmd: cmd, pty: f, changed: make(chan struct{}), exited: make(chan error, 1)}
	s.term = vt10x.New(vt10x.WithSize(cols, rows), vt10x.WithWriter(f))
	go s.pump()
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		f.Close()
	})
	return s
}

// TestBannerInitAndWrapAt80 starts the shell on an 80-column terminal
// with an init file: the banner comes first, the init file's settings
// hold at the prompt (its bad line reported with its place), and help
// and explain wrap at word boundaries within the width.
func TestBannerInitAndWrapAt80(t *testing.T) {
	cfg := t.TempDir()
	os.MkdirAll(filepath.Join(cfg, "ionetsh"), 0o755)
	initFile := filepath.Join(cfg, "ionetsh", "init")
	if err := os.WriteFile(initFile, []byte("# workshop defaults\nset bind localhost\nset port 0\nbogus\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startScreenWith(t, nil, 80, []string{"XDG_CONFIG_HOME=" + cfg}, "--no-color")
	s.waitFor(`^ionetsh \S+: type help, examples or explain ex1-server; Ctrl-D quits\n`)
	s.waitFor(`(?m)^ionetsh: ` + regexp.QuoteMeta(initFile) + `:4: unknown\s+command "bogus"`)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex1-server\r")
	s.waitFor(`Listening on socket bound to: 127\.0\.0\.1:\d+\n`)
	if strings.Contains(s.text(), "127.0.0.1:9999") {
		t.Fatalf("set port 0 from the init file did not hold:\n%s", s.text())
	}
	s.typeKeys("explain ex6-server\r")
	s.waitFor(`(?m)^      stop all\nionet>$`) // the end of explain's Boundary cases
	s.typeKeys("help\r")
	s.waitFor(`(?m)^  quit                    stop all sessions \(cleanup printed\) and exit\nionet>$`)
	for _, l := range strings.Split(s.text(), "\n") {
		if len(l) >= 80 {
			t.Errorf("a line fills the 80 columns (the terminal wrapped it, not ionetsh): %q", l)
		}
	}
	s.typeKeys("\x04")
	select {
	case err := <-s.exited:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Ctrl-D did not exit; screen:\n%s", s.text())
	}
}
