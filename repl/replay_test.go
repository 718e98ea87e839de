package repl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/outtest"
)

// uptime matches the UPTIME column of sessions, which is down to timing.
var uptime = regexp.MustCompile(`(?m)\d+(\.\d+)?(ms|s)$`)

// TestReplayTwiceSame replays the same saved demo ten times: the
// normalised output (commands, their output and the sessions' lines) is
// the same every time.
func TestReplayTwiceSame(t *testing.T) {
	leakCheck(t)
	path := filepath.Join(t.TempDir(), "demo.ion")
	if err := os.WriteFile(path, []byte(issueScript+"sessions\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := ""
	for i := 0; i < 10; i++ {
		var out, errs bytes.Buffer
		if code := Main([]string{"--replay", path, "--pace", "0"}, strings.NewReader(""), &out, &errs, nil); code != 0 {
			t.Fatalf("status %d: %s", code, errs.String())
		}
		got := outtest.Normalize(out.String())
		got = uptime.ReplaceAllString(got, "UPTIME")
		if i == 0 {
			first = got
		} else if got != first {
			t.Fatalf("replay %d differs:\n--- first\n%s--- now\n%s", i+1, first, got)
		}
	}
}

// TestReplayOptionsNeedReplay checks that --pace, --step and
// --then-interactive without --replay are usage errors.
func TestReplayOptionsNeedReplay(t *testing.T) {
	for _, args := range [][]string{{"--pace", "2", "-c", "help"}, {"--step", "-c", "help"}, {"--then-interactive", "-c", "help"}} {
		var out, errs bytes.Buffer
		if code := Main(args, strings.NewReader(""), &out, &errs, nil); code != 2 || !strings.Contains(errs.String(), "works only with --replay FILE") {
			t.Fatalf("%v: status %d, stderr %q", args, code, errs.String())
		}
	}
}

// TestSave checks that save confirms with the number of commands, will
// not overwrite a file without --force, and that save --transcript
// holds command output and errors, not only session lines.
func TestSave(t *testing.T) {
	leakCheck(t)
	dir := t.TempDir()
	demo, trans := filepath.Join(dir, "demo.ion"), filepath.Join(dir, "demo.txt")
	var out, errs bytes.Buffer
	sh := newShell(&out, &errs, false, false)
	defer sh.Close()
	for _, c := range []string{"run ex1-server --port 0 --bind 127.0.0.1", "sessions", "explain ex1-client"} {
		if err := sh.Exec(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := sh.Exec("stop nosuch"); err == nil {
		t.Fatal("stop nosuch worked")
	} else {
		sh.errorf("error: %v\n", err)
	}
	if err := sh.Exec("save " + demo); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "saved 3 commands to "+demo+"\n") {
		t.Fatalf("no confirmation: %q", out.String())
	}
	if err := sh.Exec("save " + demo); err == nil || !strings.Contains(err.Error(), "already exists; save --force") {
		t.Fatalf("overwrote without --force: %v", err)
	}
	if err := sh.Exec("save --force " + demo); err != nil {
		t.Fatal(err)
	}
	if err := sh.Exec("save --transcript " + trans); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(trans)
	for _, want := range []string{"ionet> sessions\n", "NAME        EXAMPLE", "ex1-client (daytime client", `error: no session named "nosuch"`, "[ex1-server] Listening on"} {
		if !strings.Contains(string(data), want) {
			t.Fatalf("transcript lacks %q:\n%s", want, data)
		}
	}
}

// TestScriptSignal passes SIGINT in on the signal channel while a script
// waits in sleep: the script stops, the session's cleanup prints, and
// the status is 130. The script's input stays open meanwhile.
func TestScriptSignal(t *testing.T) {
	leakCheck(t)
	in, feed := io.Pipe()
	defer feed.Close()
	var out, errs lockedBuffer
	sigs := make(chan os.Signal, 1)
	done := make(chan int)
	go func() { done <- runScriptWith(in, scriptOptions{echo: true, sigs: sigs}, &out, &errs) }()
	feed.Write([]byte("run ex1-server --port 0 --bind 127.0.0.1\nsleep 60s\n"))
	out.waitContains(t, "ionet> sleep 60s\n")
	sigs <- os.Interrupt
	select {
	case code := <-done:
		if code != 130 || !strings.HasSuffix(out.String(), "[ex1-server] stopped\n") {
			t.Fatalf("status %d, output:\n%s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the script did not stop")
	}
	feed.Close()
}
