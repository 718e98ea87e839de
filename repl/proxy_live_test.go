package repl

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// echoScript runs a script with each command echoed as "ionet> CMD", so
// that a test can tell which command's output a line belongs to.
func echoScript(t *testing.T, text string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runScript(strings.NewReader(text), true, false, &out, &errb)
	return out.String(), errb.String(), code
}

// afterCommand returns the output that follows the echo of cmd.
func afterCommand(t *testing.T, out, cmd string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "ionet> "+cmd+"\n")
	if !ok {
		t.Fatalf("no command %q in the output:\n%s", cmd, out)
	}
	return rest
}

// TestScriptSessionsConns checks the CONNS column of sessions through a
// proxy in front of a raw listener: two raw clients connect, so the
// proxy and the listener show 2 and each client 1; once both ends have
// closed, all show 0.
func TestScriptSessionsConns(t *testing.T) {
	leakCheck(t)
	out, errs, code := echoScript(t, `
listen 0 --name L --bind 127.0.0.1
proxy L --name p --bind 127.0.0.1
connect p --name c --count 2 --detach
expect L 'L/2: accepted'
expect p '^#2 accepted'
sessions
close c-*
expect L 'Client closed the connection'
expect L 'Client closed the connection'
close L/*
expect p '^#\d closed \(both sides closed\)'
expect p '^#\d closed \(both sides closed\)'
sessions
stop all
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	first, last, _ := strings.Cut(afterCommand(t, out, "sessions"), "ionet> sessions\n")
	for _, row := range []struct{ text, name, example, conns string }{
		{first, "L", "listen", "2"}, {first, "p", "proxy", "2"}, {first, "c-1", "raw", "1"}, {first, "c-2", "raw", "1"},
		{last, "L", "listen", "0"}, {last, "p", "proxy", "0"}, {last, "c-1", "raw", "0"}, {last, "c-2", "raw", "0"},
	} {
		re := `(?m)^` + regexp.QuoteMeta(row.name) + `\s+` + row.example + `\s+\S+( \S+)?\s+\S+\s+` + row.conns + `\s+-\s`
		if !regexp.MustCompile(re).MatchString(row.text) {
			t.Errorf("sessions lacks %s with %s connections:\n%s", row.name, row.conns, row.text)
		}
	}
}

// TestScriptToxicRemoveReleases holds two lines with timeout 0 on a real
// proxied connection: nothing reaches the listener until the toxic is
// removed, then both lines arrive, in order, once each. Toxicity shows
// in toxic list, and a bad one is a one-line error.
func TestScriptToxicRemoveReleases(t *testing.T) {
	leakCheck(t)
	out, errs, code := echoScript(t, `
listen 0 --name L --bind 127.0.0.1
proxy L --name p --bind 127.0.0.1
toxic p add timeout 0 --up
toxic p add latency 1ms --up --toxicity 0.25 --name lag
toxic p list
connect p --name c --detach
expect L 'L/1: accepted'
send c held
send c second
expect p '^#1 upstream: timeout: holding data, never closing$'
toxic p remove timeout
expect L '^L/1: second$'
toxic p add latency 1s --toxicity 1.5
stop all
`)
	if code != 1 || errs != "ionetsh: line 14: latency --toxicity: bad toxicity \"1.5\": want a number from 0 to 1, the chance that the toxic applies to a connection\n" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	if !strings.Contains(out, "NAME         TYPE        STREAM      TOXICITY  ATTRIBUTES\n"+
		"timeout      timeout     upstream    1         timeout=0s\n"+
		"lag          latency     upstream    0.25      latency=1ms jitter=0s\n") {
		t.Fatalf("toxic list lacks the toxicity:\n%s", out)
	}
	if !regexp.MustCompile(`\[p\] #1: toxic lag \(toxicity 0.25\) (applies|does not apply) to this connection\n`).MatchString(out) {
		t.Fatalf("no toxicity decision for #1:\n%s", out)
	}
	if !strings.Contains(out, "[p] #1 upstream: timeout removed; 14 bytes it held go on\n") {
		t.Fatalf("no release line for the 14 bytes held:\n%s", out)
	}
	before, after, _ := strings.Cut(out, "ionet> toxic p remove timeout\n")
	if strings.Contains(before, "[L] L/1: held") || strings.Contains(before, "[L] L/1: second") {
		t.Fatalf("data passed the timeout toxic before it was removed:\n%s", out)
	}
	if !strings.Contains(after, "[L] L/1: held\n[L] L/1: second\n") || strings.Count(out, "[L] L/1: held") != 1 || strings.Count(out, "[L] L/1: second") != 1 {
		t.Fatalf("after remove, want held then second, once each:\n%s", out)
	}
}
