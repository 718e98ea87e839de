package repl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/outtest"
)

func TestLogAfterExit(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex1-server --port 0 --bind 127.0.0.1 --name srv
connect srv ex1-client --name cli
wait srv
log srv 2
log srv 1 --time
log cli 99
`)
	if code != 0 {
		t.Fatalf("status %d: %s", code, errs)
	}
	i := strings.Index(out, "[srv] => T\n")
	tail := out[i+len("[srv] => T\n"):]
	matchOutput(t, tail,
		`\[cli\] Connected to server .*`,
		`\[cli\] `+reTime,
		`\[cli\] => T`,
		`\[srv\] Sending the time...Sent!`,
		`\[srv\] => T`,
		`\+\d+\.\d{3}s \[srv\] => T`,
		`\[cli\] Connected to server .*`,
		`\[cli\] `+reTime,
		`\[cli\] => T`)
}

func TestMuteHidesButRecords(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex1-server --port 0 --bind 127.0.0.1 --name srv
mute srv
connect srv ex1-client --name cli
wait srv
unmute srv
log srv 1
`)
	if code != 0 {
		t.Fatalf("status %d: %s", code, errs)
	}
	if strings.Contains(out, "[srv] Got a connection") {
		t.Fatalf("a muted line was shown:\n%s", out)
	}
	if !strings.HasSuffix(out, "[srv] => T\n") || !strings.Contains(out, "[cli] => T") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestForget(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex1-server --port 0 --bind 127.0.0.1 --name srv
forget srv
run ex1-client --port 1 --name gone
wait gone
forget exited
sessions
`)
	if code != 1 || !strings.Contains(errs, `line 3: session "srv" is still listening; stop it first`) {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	if !regexp.MustCompile(`(?m)^srv\s+ex1-server\s+listening`).MatchString(out) || regexp.MustCompile(`(?m)^gone\s`).MatchString(out) {
		t.Fatalf("sessions after forget:\n%s", out)
	}
}

func TestHistoryOffInScripts(t *testing.T) {
	_, errs, code := script(t, "history\n")
	if code != 1 || !strings.Contains(errs, "history is kept only at an interactive prompt") {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
}

// TestSaveAndRerun saves a script's commands, runs the saved script, and
// compares the two runs' output.
func TestSaveAndRerun(t *testing.T) {
	leakCheck(t)
	dir := t.TempDir()
	saved, trans := filepath.Join(dir, "demo.ion"), filepath.Join(dir, "demo.txt")
	text := issueScript + "bogus-command\nhelp\nsave " + saved + "\nsave --transcript " + trans + "\n"
	out1, _, code := script(t, text)
	if code != 1 {
		t.Fatalf("status %d", code)
	}
	body, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "bogus") || strings.Contains(string(body), "save ") || strings.Contains(string(body), "help") {
		t.Fatalf("saved script keeps failed or shell-only commands:\n%s", body)
	}
	var out2, errs2 bytes.Buffer
	f, _ := os.Open(saved)
	defer f.Close()
	if code := runScript(f, false, false, &out2, &errs2); code != 0 {
		t.Fatalf("saved script: status %d: %s", code, errs2.String())
	}
	if normalize(out2.String()) != normalize(strings.Split(out1, "Commands (")[0]) {
		t.Fatalf("rerun differs:\n--- first\n%s--- rerun\n%s", out1, out2.String())
	}
	tr, _ := os.ReadFile(trans)
	for _, want := range []string{`(?m)^\+\d+\.\d{3}s ionet> run ex5-server`, `(?m)^\+\d+\.\d{3}s \[ex4-client\] hello$`, `(?m)^\+\d+\.\d{3}s \[ex5-server\] stopped$`} {
		if !regexp.MustCompile(want).Match(tr) {
			t.Fatalf("transcript lacks /%s/:\n%s", want, tr)
		}
	}
}

// TestReplay replays a script at pace 0: each command is shown typed at
// a prompt (lines sent to the client it attached as typing at the
// client's prompt), and the sessions print what the script run printed,
// settled, in the same order.
func TestReplay(t *testing.T) {
	leakCheck(t)
	path := filepath.Join(t.TempDir(), "demo.ion")
	if err := os.WriteFile(path, []byte(issueScript), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if code := Main([]string{"--replay", path, "--pace", "0"}, strings.NewReader(""), &out, &errs, nil); code != 0 {
		t.Fatalf("status %d: %s", code, errs.String())
	}
	want, _, _ := script(t, issueScript)
	if got := sessionLines(out.String()); got != sessionLines(want) {
		t.Fatalf("replay's session output differs:\n--- script\n%s--- replay\n%s", sessionLines(want), got)
	}
	if !strings.Contains(out.String(), "ionet> connect ex5-server\n") || !strings.Contains(out.String(), "\nex4-client> hello\n") {
		t.Fatalf("commands not shown:\n%s", out.String())
	}
}

// sessionLines returns the normalised "[NAME] text" lines of out, in
// order.
func sessionLines(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(outtest.Normalize(out), "\n") {
		if strings.HasPrefix(l, "[") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitContains waits, bounded, until b holds s.
func (b *lockedBuffer) waitContains(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("output never held %q:\n%s", s, b.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestReplayStep checks that --step shows each command only after Enter.
func TestReplayStep(t *testing.T) {
	leakCheck(t)
	path := filepath.Join(t.TempDir(), "demo.ion")
	os.WriteFile(path, []byte("explain ex1-client\nexplain ex2-client\n"), 0o644)
	in, feed := io.Pipe()
	var out, errs lockedBuffer
	done := make(chan int)
	go func() { done <- Main([]string{"--replay", path, "--pace", "0", "--step"}, in, &out, &errs, nil) }()
	feed.Write([]byte("\n"))
	out.waitContains(t, "ionet> explain ex1-client\n")
	if strings.Contains(out.String(), "explain ex2-client") {
		t.Fatalf("the second command ran before Enter:\n%s", out.String())
	}
	feed.Write([]byte("\n"))
	out.waitContains(t, "ionet> explain ex2-client\n")
	feed.Close()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("status %d: %s", code, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("replay did not end")
	}
}
