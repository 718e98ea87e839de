package repl

import (
	"bufio"
	"bytes"
	"net"
	"regexp"
	"strings"
	"testing"
)

// script runs text as a script and returns stdout, stderr and the status.
func script(t *testing.T, text string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runScript(strings.NewReader(text), false, false, &out, &errb)
	return out.String(), errb.String(), code
}

// matchOutput asserts that out's lines match patterns one for one.
// Patterns are regular expressions anchored at both ends.
func matchOutput(t *testing.T, out string, patterns ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(patterns) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(patterns), out)
	}
	for i, p := range patterns {
		if !regexp.MustCompile("^" + p + "$").MatchString(lines[i]) {
			t.Fatalf("line %d = %q, want /%s/; output:\n%s", i, lines[i], p, out)
		}
	}
}

const (
	reID   = `\{[0-9A-F]+\}`
	reAddr = `127\.0\.0\.1:\d+`
	reTime = `\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{1,2}:\d{1,2}`
)

func TestScriptDaytimePair(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
# a one-shot server and one client
run ex1-server --port 0 --bind 127.0.0.1
connect ex1-server ex1-client
wait ex1-client
wait ex1-server
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	matchOutput(t, out,
		`\[ex1-server\] Created socket: #<passive IPv4 stream socket, unbound `+reID+`>\[fd=\d+\]`,
		`\[ex1-server\] Bound socket: #<passive IPv4 stream socket bound to 127\.0\.0\.1/\d+ `+reID+`>`,
		`\[ex1-server\] Listening on socket bound to: `+reAddr,
		`\[ex1-server\] Waiting to accept a connection...`,
		`\[ex1-server\] Got a connection from `+reAddr+`!`,
		`\[ex1-server\] Sending the time...Sent!`,
		`\[ex1-server\] => T`,
		`\[ex1-client\] Connected to server `+reAddr+` via my local connection at `+reAddr+`!`,
		`\[ex1-client\] `+reTime,
		`\[ex1-client\] => T`)
}

func TestScriptStopsSessionsAtEnd(t *testing.T) {
	leakCheck(t)
	out, _, code := script(t, "run ex1-server --port 0 --bind 127.0.0.1\nrun ex1-server --port 0 --bind 127.0.0.1\n")
	if code != 0 {
		t.Fatalf("status %d", code)
	}
	second := strings.Index(out, "[ex1-server-2] stopped")
	first := strings.Index(out, "[ex1-server] stopped")
	if first < 0 || second < 0 || second > first {
		t.Fatalf("want ex1-server-2 stopped before ex1-server:\n%s", out)
	}
}

func TestScriptExpect(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex1-server --port 0 --bind 127.0.0.1
expect ex1-server 'Listening on'
expect ex1-server 'Waiting to accept'
expect ex1-server 'Listening on' 100ms
`)
	if code != 1 || !strings.Contains(errs, `line 5: expect ex1-server "Listening on": no matching line within 100ms`) {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "[ex1-server] Waiting to accept a connection...") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestScriptRawConnect(t *testing.T) {
	leakCheck(t)
	addr := echoServer(t)
	out, errs, code := script(t, "connect "+addr+"\nsend raw hello world\nexpect raw '^hello world$'\neof raw\nwait raw\n")
	if code != 0 {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	matchOutput(t, out,
		`\[raw\] Connected to `+reAddr+` from `+reAddr,
		`\[raw\] hello world`,
		`\[raw\] Shut down the write side \(FIN sent\); still reading.`,
		`\[raw\] Server closed the connection.`,
		`\[raw\] => T`)
}

// echoServer is a plain Go line echo server on loopback that closes a
// connection after its client's end of input.
func echoServer(t *testing.T) string {
	t.Helper()
	return serveLoopback(t, func(c net.Conn) {
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			c.Write([]byte(sc.Text() + "\r\n"))
		}
	})
}

func TestScriptLispFormAndNames(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, "(run-ex1-server :port 0 :bind 127.0.0.1)\nrun ex1-server --port=0 --bind 127.0.0.1\nrun ex1-server --name mine --port 0 --bind 127.0.0.1\nsessions\n")
	if code != 0 {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	for _, want := range []string{"ex1-server ", "ex1-server-2 ", "mine "} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `\s+ex1-server\s+listening\s+127\.0\.0\.1:\d+\s+0\s`).MatchString(out) {
			t.Fatalf("sessions has no row for %q:\n%s", want, out)
		}
	}
}

// TestEx6StallFromTheShell is the ex6 lesson driven from the shell: a raw
// client sends half a line with send -n, and an ex4-client's line is not
// echoed until the raw client ends its line. Proving that the echo does
// not come needs a bounded wait: the 300ms expect is meant to fail.
func TestEx6StallFromTheShell(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex6-server --port 0 --bind 127.0.0.1 --name srv
connect srv raw --name r
connect srv ex4-client --name cli
send -n r half a li
send cli hello
expect cli '^hello$' 300ms
send r ne
expect cli '^hello$'
expect srv 'Read .*: hello'
send -n cli oops
`)
	if code != 1 || strings.Count(errs, "ionetsh: ") != 2 ||
		!strings.Contains(errs, "line 7: expect cli \"^hello$\": no matching line within 300ms") ||
		!strings.Contains(errs, "\n  [cli] Connected to server 127.0.0.1:") ||
		!strings.Contains(errs, "line 11: send -n is for raw connect sessions; ex4-client reads whole lines") {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	for _, want := range []string{"[srv] Read ", ": half a line\n", "[r] half a line\n", "[cli] hello\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}
