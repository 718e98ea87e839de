package repl

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestRunReusesEndedName: run after stop takes the name again, replacing
// the ended session and its transcript, and says so.
func TestRunReusesEndedName(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex1-server --port 0 --bind 127.0.0.1
stop ex1-server
run ex1-server --port 0 --bind 127.0.0.1
log ex1-server
sessions
`)
	if code != 0 {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "(replacing ended session ex1-server)\n") {
		t.Fatalf("no replacing notice:\n%s", out)
	}
	if strings.Contains(out, "ex1-server-2") {
		t.Fatalf("a new name was made up:\n%s", out)
	}
	rows := regexp.MustCompile(`(?m)^ex1-server\s+ex1-server\s+listening\s`).FindAllString(out, -1)
	if len(rows) != 1 || strings.Count(out, "\nNAME ") != 1 {
		t.Fatalf("want one live ex1-server row:\n%s", out)
	}
	// The log shows only the new session's lines: no "stopped" from the old one.
	logPart := out[strings.LastIndex(out, "(replacing"):strings.Index(out, "NAME ")]
	if strings.Count(logPart, "Created socket") != 2 || strings.Contains(logPart, "] stopped") {
		t.Fatalf("transcript not replaced (want the start lines printed once and logged once):\n%s", logPart)
	}
}

// TestEndedSessionErrors: a command that needs a live session says the
// named one has ended, how and when, and names a live one of the same
// example; "no session named" lists live sessions only.
func TestEndedSessionErrors(t *testing.T) {
	leakCheck(t)
	_, errs, code := script(t, `
run ex5-server --port 0 --bind 127.0.0.1
run ex5-server --port 0 --bind 127.0.0.1
stop ex5-server
connect ex5-server
stop ex5-server
threads ex5-server
send nosuch hi
send ex5-servr hi
`)
	if code != 1 {
		t.Fatalf("status %d", code)
	}
	re := `ex5-server has ended \(stopped [0-9.]+m?s ago\); ex5-server-2 is live`
	for _, want := range []string{
		`line 5: ` + re, `line 6: ` + re, `line 7: ` + re,
		`line 8: no session named "nosuch" \(live sessions: ex5-server-2\)`,
		`line 9: no session named "ex5-servr"; did you mean "ex5-server"\? \(live sessions: ex5-server-2\)`,
	} {
		if !regexp.MustCompile(`(?m)^ionetsh: ` + want + `$`).MatchString(errs) {
			t.Errorf("stderr lacks /%s/:\n%s", want, errs)
		}
	}
}

// TestSessionNames: names are one word of letters, digits, -, _, . and /.
func TestSessionNames(t *testing.T) {
	leakCheck(t)
	for _, bad := range []string{"'a b'", "'x;y'", "all", "exited", "a:b", "'é'"} {
		_, errs, code := script(t, "run ex1-server --port 0 --bind 127.0.0.1 --name "+bad+"\n")
		if code != 1 || !strings.Contains(errs, "session name") {
			t.Errorf("--name %s: status %d, stderr %q", bad, code, errs)
		}
	}
	out, errs, code := script(t, "run ex1-server --port 0 --bind 127.0.0.1 --name L/1.a_b-c\nsessions\n")
	if code != 0 || !strings.Contains(out, "\nL/1.a_b-c ") {
		t.Fatalf("status %d, stderr %q, out:\n%s", code, errs, out)
	}
}

// TestSuggestions: did-you-mean for commands, examples and session names,
// and nothing odd for very short input.
func TestSuggestions(t *testing.T) {
	cases := []struct{ cmd, want string }{
		{"hlep", `unknown command "hlep"; did you mean "help"? (help lists commands)`},
		{"h", `unknown command "h"; did you mean "help"? (help lists commands)`},
		{"x", `unknown command "x" (help lists commands)`},
		{"zz", `unknown command "zz" (help lists commands)`},
		{"run ex1-sever", `unknown example "ex1-sever"; did you mean "ex1-server"? examples: ex1-client,`},
		{"run zz-server", `unknown example "zz-server"; examples: ex1-client,`},
		{"explain ex5a-clint", `unknown example "ex5a-clint"; did you mean "ex5a-client"? examples:`},
		{"explain ex5-client", `unknown example "ex5-client"; examples:`},
		{"help stpo", `unknown command "stpo"; did you mean "stop"?`},
	}
	for _, tc := range cases {
		_, errs, code := script(t, tc.cmd+"\n")
		if code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: status %d, stderr %q, want %q", tc.cmd, code, errs, tc.want)
		}
	}
	out, errs, code := script(t, "?\n")
	if code != 0 || !strings.Contains(out, "help [COMMAND]") {
		t.Errorf("?: status %d, stderr %q, out %q", code, errs, out)
	}
}

// TestConnectForms: connect HOST PORT and connect :PORT reach a server;
// connect SERVER picks the lowest-numbered client that pairs; an unknown
// client is an unknown example.
func TestConnectForms(t *testing.T) {
	leakCheck(t)
	addr := echoServer(t)
	port := addr[strings.LastIndex(addr, ":")+1:]
	out, errs, code := script(t, fmt.Sprintf(`
connect 127.0.0.1 %s --name a
eof a
wait a
connect :%s --name b
eof b
wait b
run ex4-server --port 0 --bind 127.0.0.1
connect ex4-server
wait ex1-client
connect ex4-server zz-client
`, port, port))
	if code != 1 {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	for _, want := range []string{"[a] Connected to 127.0.0.1:" + port, "[b] Connected to 127.0.0.1:" + port, "[ex1-client] => T"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	want := `ionetsh: line 11: unknown example "zz-client"; clients for ex4-server: ex1-client, ex2-client, ex3-client, ex9-client, or raw` + "\n"
	if errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
}
