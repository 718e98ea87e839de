package repl

import (
	"bytes"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
)

// TestCommandTable walks the table: every command has a summary and a
// Run, appears in help, and its completer (if any) answers without
// panicking. TestHelpPages walks each command's own page.
func TestCommandTable(t *testing.T) {
	out, _, code := script(t, "help\n")
	if code != 0 {
		t.Fatalf("help failed: %d", code)
	}
	sh := newShell(&bytes.Buffer{}, &bytes.Buffer{}, false, false)
	defer sh.Close()
	seen := map[string]bool{}
	for _, c := range commands() {
		if c.Summary == "" || c.Run == nil {
			t.Errorf("%s: missing summary or Run", c.Name)
		}
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if seen[n] {
				t.Errorf("name %q used twice", n)
			}
			seen[n] = true
		}
		if !strings.Contains(squash(out), squash(c.usage())) || !strings.Contains(squash(out), squash(c.Summary)) {
			t.Errorf("help does not list %q", c.usage())
		}
		if c.Complete != nil {
			c.Complete(sh, nil)
			c.Complete(sh, []string{"x"})
		}
	}
}

func TestCompletion(t *testing.T) {
	sh := newShell(&bytes.Buffer{}, &bytes.Buffer{}, false, false)
	defer sh.Close()
	c := completer{sh}
	cases := []struct {
		line string
		want string // one of the completions, as a suffix
	}{
		{"con", "nect "},
		{"run ex5", "-server "},
		{"run ex5", "a-client "},
		{"explain ex8-s", "erver "},
		{"set co", "lor "},
		{"set color o", "n "},
		{"help exp", "lain "},
		{"stop a", "ll "},
	}
	for _, tc := range cases {
		got, _ := c.Do([]rune(tc.line), len([]rune(tc.line)))
		found := false
		for _, g := range got {
			found = found || string(g) == tc.want
		}
		if !found {
			t.Errorf("complete %q = %q, want %q among them", tc.line, got, tc.want)
		}
	}
}

// TestErrors checks that each kind of bad input gives a one-line error
// that says what would be right, fails the script, and does not end it.
func TestErrors(t *testing.T) {
	cases := []struct{ cmd, want string }{
		{"sesions", `unknown command "sesions"; did you mean "sessions"?`},
		{"xyzzyplugh", `unknown command "xyzzyplugh" (help lists commands)`},
		{"run zz-server", `unknown example "zz-server"; examples: ex1-client, ex2-client`},
		{"run ex1-server --port 70000", `bad port "70000": want a number from 0 to 65535`},
		{"run ex1-client --port 0", `bad port "0": want a number from 1 to 65535`},
		{"run ex1-server --port abc", `bad port "abc"`},
		{"run ex1-server --bind nowhere", `bad bind address "nowhere"`},
		{"run ex1-server --colour red", `unknown option --colour`},
		{"run ex1-client --bind 127.0.0.1", `--bind is for servers; ex1-client is a client (use --host)`},
		{"run ex1-server --host localhost", `--host is for clients; ex1-server is a server (use --bind)`},
		{"run", `usage: run EXAMPLE`},
		{"stop nosuch", `no session named "nosuch" (no live sessions)`},
		{"stop", `usage: stop NAME... | stop all`},
		{"send nosuch hi", `no session named "nosuch"`},
		{"eof nosuch", `no session named "nosuch"`},
		{"fg nosuch", `fg works only at an interactive prompt`},
		{"wait nosuch", `no session named "nosuch"`},
		{"expect nosuch x", `no session named "nosuch"`},
		{"threads nosuch", `no session named "nosuch"`},
		{"sleep forever", `bad duration "forever"`},
		{"explain nothing", `unknown example "nothing"`},
		{"set port 99999", `bad port "99999"`},
		{"set color purple", `set color takes on or off, not "purple"`},
		{"run ex1-client --backlog 9", `--backlog is for servers; ex1-client is a client`},
		{"run ex5-server --backlog 0", `bad backlog "0": want a number from 1 to 65535`},
		{"set backlog many", `bad backlog "many"`},
		{"set speed 3", `unknown setting "speed"; settings: host, port, bind, backlog, color, log-lines, log-bytes, errexit`},
		{"connect nosuch", `no session named "nosuch"`},
		{"connect 127.0.0.1:0", `bad port "0": want a number from 1 to 65535`},
		{"help nosuch", `unknown command "nosuch"`},
		{"send 'unterminated", `unterminated ' quote`},
	}
	for _, tc := range cases {
		out, errs, code := script(t, tc.cmd+"\nhelp quit\n")
		if code != 1 {
			t.Errorf("%s: status %d, want 1", tc.cmd, code)
		}
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: stderr %q, want one line containing %q", tc.cmd, errs, tc.want)
		}
		if !strings.Contains(out, "quit\n") {
			t.Errorf("%s: the script did not go on after the error: %q", tc.cmd, out)
		}
	}
}

func TestSessionErrors(t *testing.T) {
	leakCheck(t)
	_, errs, code := script(t, `
run ex1-server --port 0 --bind 127.0.0.1 --name srv
run ex1-server --port 0 --bind 127.0.0.1 --name srv
send srv hello
connect srv ex4-client
run ex1-client --port 1 --name cli
wait cli
connect cli
`)
	if code != 1 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		`line 3: session name "srv" is taken`,
		`line 4: session "srv" (ex1-server) does not read standard input`,
		`line 5: ex4-client does not speak ex1-server's protocol (daytime); use one of: ex1-client, ex2-client, ex3-client, ex9-client, or raw`,
		`line 7: cli failed: Unhandled SOCKET-CONNECTION-REFUSED-ERROR`,
		`line 8: cli has ended (failed `,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

func TestThreadsListsMainThread(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, "run ex1-server --port 0 --bind 127.0.0.1\nthreads\n")
	if code != 0 {
		t.Fatalf("status %d: %s", code, errs)
	}
	if !strings.Contains(out, "ex1-server:\n  #<THREAD \"RUN-EX1-SERVER\" RUNNING {") {
		t.Fatalf("threads output:\n%s", out)
	}
}

func TestAddressInUseFailsRun(t *testing.T) {
	leakCheck(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	out, errs, code := script(t, fmt.Sprintf("run ex1-server --port %d --bind 127.0.0.1\nsessions\n", port))
	if code != 1 || !strings.Contains(errs, "line 1: ex1-server did not start listening (failed)") {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "[ex1-server] Unhandled SOCKET-ADDRESS-IN-USE-ERROR: #<SOCKET-ADDRESS-IN-USE-ERROR 98 :EADDRINUSE \"Address already in use\", FD: ") ||
		!regexp.MustCompile(`ex1-server\s+ex1-server\s+failed\s+-\s+0`).MatchString(out) {
		t.Fatalf("output:\n%s", out)
	}
}
