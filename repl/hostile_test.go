package repl

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/peertest"
	"github.com/ionetsh/ionetsh/netex"
)

// hostile is what a hostile peer sends: set the window title, clear the
// screen, turn the text red; then bytes that are not UTF-8, a lone CR, a
// C1 CSI and DEL.
const hostile = peertest.Hostile

const hostileExtra = "\xff\xfe|a\rb|\u009b31m|\x7f"

// checkNoControls fails if out holds a byte below 0x20 other than
// newline and tab, DEL, or a C1 control.
func checkNoControls(t *testing.T, what, out string) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if c := out[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			t.Fatalf("%s: byte %#x at %d: %q", what, c, i, out[max(0, i-40):min(len(out), i+40)])
		}
	}
	if strings.ContainsAny(out, "\u0080\u0085\u009b") {
		t.Fatalf("%s: a C1 control reached the output", what)
	}
	if !bytes.Equal([]byte(out), []byte(strings.ToValidUTF8(out, "\ufffd"))) {
		t.Fatalf("%s: output is not valid UTF-8", what)
	}
}

// startServerSession runs a server example in a direct (script-mode)
// shell and returns its address.
func startServerSession(t testing.TB, sh *Shell, example, name string) string {
	t.Helper()
	if err := sh.Exec(fmt.Sprintf("run %s --port 0 --bind 127.0.0.1 --name %s", example, name)); err != nil {
		t.Fatal(err)
	}
	s, err := sh.session(name)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := s.run.Addr()
	if !ok {
		t.Fatalf("%s is not listening", name)
	}
	return a.String()
}

// TestScriptHostilePeer sends escape sequences through ex5, ex6 and ex7
// from a raw peer, with the shell in script mode: the echo on the wire is
// byte-exact, and stdout holds no control byte other than newline and
// tab, with the escapes shown as text.
func TestScriptHostilePeer(t *testing.T) {
	leakCheck(t)
	var out bytes.Buffer
	sh := newShell(&out, io.Discard, false, false)
	t.Cleanup(sh.Close)
	line := hostile + hostileExtra
	for _, ex := range []string{"ex5-server", "ex6-server", "ex7-server"} {
		if err := peertest.Echo(startServerSession(t, sh, ex, ex), line); err != nil {
			t.Fatal(err)
		}
	}
	sh.settle()
	file := filepath.Join(t.TempDir(), "transcript.txt")
	for _, cmd := range []string{"log ex6-server", "save --transcript " + file} {
		if err := sh.Exec(cmd); err != nil {
			t.Fatal(err)
		}
	}
	sh.Close()
	got := out.String()
	checkNoControls(t, "stdout", got)
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	checkNoControls(t, "save --transcript", string(saved))
	if n := strings.Count(string(saved), `\x1b]0;pwned\x07`); n < 6 {
		t.Fatalf("the transcript shows the escapes as text %d times, want 6 (read and wrote, three servers):\n%s", n, saved)
	}
	shown := `\x1b]0;pwned\x07\x1b[2J\x1b[31m\xff\xfe|a\rb|\xc2\x9b31m|\x7f`
	for _, ex := range []string{"ex5-server", "ex6-server", "ex7-server"} {
		re := regexp.MustCompile(`(?m)^\[` + ex + `\] Read .*: ` + regexp.QuoteMeta(shown) + `$`)
		if !re.MatchString(got) {
			t.Fatalf("no line of %s shows the escapes as text:\n%s", ex, got)
		}
	}
}

// TestScriptHostileRawClient drives the same bytes from a raw client:
// connect shows what it receives made visible, and connect --raw shows
// it as received.
func TestScriptHostileRawClient(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex5-server --port 0 --bind 127.0.0.1 --name srv
connect srv raw --name safe
connect srv raw --name asis --raw
send safe `+hostile+`
send asis `+hostile+`
expect asis pwned
stop safe asis srv
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "[safe] \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31m\n") {
		t.Fatalf("the raw client's line is not shown as text:\n%q", out)
	}
	if !strings.Contains(out, "[asis] "+hostile+"\n") {
		t.Fatalf("connect --raw did not show the bytes as received:\n%q", out)
	}
	rest := strings.ReplaceAll(out, "[asis] "+hostile+"\n", "")
	checkNoControls(t, "stdout without the --raw line", rest)
}

// TestHostileSessionName checks that a session name holding control
// characters is shown made visible, in its lines and in sessions.
func TestHostileSessionName(t *testing.T) {
	leakCheck(t)
	_, errs, code := script(t, "run ex1-server --port 0 --bind 127.0.0.1 --name '\x1b[31mevil\x07'\nsessions\nstop all\n")
	if code != 1 || !strings.Contains(errs, `bad session name "\x1b[31mevil\a"`) {
		t.Fatalf("status %d, stderr %q; want the name refused, shown as text", code, errs)
	}
	checkNoControls(t, "stderr", errs)
}

// maxErrorBytes bounds an error line about a huge argument: its quote of
// at most 80 characters made visible, and the list of the twenty
// examples' names that an unknown example's error gives.
const maxErrorBytes = 480

// TestErrorQuoting checks that an error message quotes at most 80
// characters of an argument, made visible, and that the script goes on.
func TestErrorQuoting(t *testing.T) {
	huge := strings.Repeat("\x1b[2J", 150000) // 600 KB
	for _, cmd := range []string{"explain " + huge, huge, "sleep " + huge, "run ex1-server --" + huge + " 1",
		"set log-bytes " + huge, "set color '" + huge + "'", "connect " + huge + ":1"} {
		out, errs, code := script(t, cmd+"\nhelp quit\n")
		if code != 1 || strings.Count(errs, "\n") != 1 || len(errs) > maxErrorBytes {
			t.Fatalf("%.20q...: status %d, stderr %d bytes: %.400q", cmd, code, len(errs), errs)
		}
		checkNoControls(t, "stderr", errs)
		if !strings.Contains(errs, "…") {
			t.Fatalf("%.20q...: the quoted argument is not marked cut: %q", cmd, errs)
		}
		if !strings.Contains(out, "quit\n") {
			t.Fatalf("%.20q...: the script did not go on: %q", cmd, out)
		}
	}
}

// TestScriptLongLine checks that a script line over 1 MiB is an error for
// that line only: the lines after it run, numbered as in the file.
func TestScriptLongLine(t *testing.T) {
	long := "explain " + strings.Repeat("x", 2<<20)
	out, errs, code := script(t, "help quit\n"+long+"\nhelp sleep\n"+long)
	if code != 1 {
		t.Fatalf("status %d, want 1", code)
	}
	want := fmt.Sprintf("ionetsh: line 2: line too long (%d bytes, at most %d); skipped\n", len(long), maxScriptLine)
	want += fmt.Sprintf("ionetsh: line 4: line too long (%d bytes, at most %d); skipped\n", len(long), maxScriptLine)
	if errs != want {
		t.Fatalf("stderr %q, want %q", errs, want)
	}
	if !strings.Contains(out, "quit\n") || !strings.Contains(out, "sleep DURATION\n") {
		t.Fatalf("the lines around the long one did not run: %q", out)
	}
	// A line of exactly the limit still runs.
	ok := "#" + strings.Repeat("x", maxScriptLine-1)
	if _, errs, code := script(t, ok+"\nhelp quit\n"); code != 0 || errs != "" {
		t.Fatalf("a %d-byte line: status %d, stderr %q", len(ok), code, errs)
	}
}

// printer is an example printing the given lines and returning T.
func printing(lines ...string) *netex.Example {
	return &netex.Example{Name: "printing", Role: netex.Client, Run: func(t *netex.Thread) (bool, error) {
		for _, l := range lines {
			t.Printf("%s\n", l)
		}
		return true, nil
	}}
}

// TestLongLineCut checks that a line over 4 KiB is kept and shown as its
// first 4 KiB and "… [+N bytes]", in the live display and in log.
func TestLongLineCut(t *testing.T) {
	leakCheck(t)
	var out bytes.Buffer
	sh := newShell(&out, io.Discard, true, false)
	long := strings.Repeat("0123456789", 1000)
	s, err := sh.startSession("p", printing(long), netex.Config{})
	if err != nil {
		t.Fatal(err)
	}
	<-s.ended
	if err := sh.Exec("log p"); err != nil {
		t.Fatal(err)
	}
	sh.Close()
	want := "[p] " + long[:4096] + "… [+5904 bytes]\n"
	if n := strings.Count(out.String(), want); n != 2 {
		t.Fatalf("the cut line appears %d times, want 2 (live and log):\n%.300q", n, out.String())
	}
}

// TestTranscriptBytesSetting checks set log-bytes: a session's kept text
// stays within it, dropped lines are counted and shown by log and
// sessions --verbose, and set shows the bounds.
func TestTranscriptBytesSetting(t *testing.T) {
	leakCheck(t)
	var out bytes.Buffer
	sh := newShell(&out, io.Discard, false, false)
	if err := sh.Exec("set log-bytes 64KiB"); err != nil {
		t.Fatal(err)
	}
	lines := make([]string, 2000)
	for i := range lines {
		lines[i] = fmt.Sprintf("%099d", i) // 99 bytes
	}
	s, err := sh.startSession("p", printing(lines...), netex.Config{})
	if err != nil {
		t.Fatal(err)
	}
	<-s.ended
	n, size := s.log.Size()
	if size > 64<<10 || size < 64<<10-99 || s.log.Dropped() != int64(2001-n) {
		t.Fatalf("kept %d lines, %d bytes, %d dropped; want as many lines as fit in 64 KiB, the rest dropped", n, size, s.log.Dropped())
	}
	out.Reset()
	for _, cmd := range []string{"log p 1", "log p", "sessions --verbose", "set"} {
		if err := sh.Exec(cmd); err != nil {
			t.Fatal(err)
		}
	}
	sh.Close()
	for _, want := range []string{fmt.Sprintf("[p] (%d older lines dropped)", 2001-n), "each keeps at most 10000 lines and 64KiB",
		fmt.Sprintf("p: %d lines, %dB kept, %d dropped", n, size, 2001-n), "log-bytes  64KiB ", "log-lines  10000 ", "file descriptors: "} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Count(out.String(), "older lines dropped") != 1 {
		t.Fatalf("log p 1 should not report dropped lines:\n%s", out.String())
	}
}

// TestStandaloneHostilePeer runs ex5-server standalone: a peer's escape
// sequences are printed as text, and a line over 4 KiB is printed whole
// (standalone mode does not cut lines).
func TestStandaloneHostilePeer(t *testing.T) {
	srv, port := startServerProc(t, "ex5-server")
	long := strings.Repeat("y", 10000)
	c, err := net.Dial("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	for _, l := range []string{hostile + hostileExtra, long} {
		if _, err := io.WriteString(c, l+"\n"); err != nil {
			t.Fatal(err)
		}
		if echo, err := r.ReadString('\n'); err != nil || echo != l+"\r\n" {
			t.Fatalf("echo %.40q, %v: the wire must stay byte-exact", echo, err)
		}
	}
	srv.waitLine(t, `^Wrote line to [0-9.:]+: `+long+`$`)
	all := strings.Join(srv.interrupt(t), "\n")
	checkNoControls(t, "stdout", all)
	if !strings.Contains(all, `: \x1b]0;pwned\x07\x1b[2J\x1b[31m\xff\xfe|a\rb|\xc2\x9b31m|\x7f`) {
		t.Fatalf("the escapes are not shown as text:\n%s", all)
	}
}

// TestStandaloneErrorQuoting checks that ionetsh run's errors about a
// huge argument stay short and visible.
func TestStandaloneErrorQuoting(t *testing.T) {
	huge := strings.Repeat("\x1b[2J", 150000)
	for _, args := range [][]string{{huge}, {"-" + huge}, {"ex5-server", "--port", huge}, {"ex1-client", huge}} {
		code, out, errs := runStandalone("", args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || len(errs) > maxErrorBytes {
			t.Fatalf("%.20q: status %d, stdout %.40q, stderr %d bytes: %.400q", args, code, out, len(errs), errs)
		}
		checkNoControls(t, "stderr", errs)
	}
}
