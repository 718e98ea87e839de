package repl

import (
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/outtest"
)

// normalize blanks what changes between runs.
func normalize(s string) string { return outtest.Normalize(s) }

// issueScript is the example script of the shell issue, with the server
// kept on loopback.
const issueScript = `run ex5-server --port 0 --bind 127.0.0.1
connect ex5-server
send ex4-client hello
send ex4-client quit
expect ex5-server 'Closing connection to'
stop all
`

// TestScriptSameEveryRun runs the issue's script 20 times: every run
// must exit 0 and print the same lines in the same order.
func TestScriptSameEveryRun(t *testing.T) {
	leakCheck(t)
	var first string
	for i := 0; i < 20; i++ {
		out, errs, code := script(t, issueScript)
		if code != 0 || errs != "" {
			t.Fatalf("run %d: status %d, stderr %q\n%s", i, code, errs, out)
		}
		got := normalize(out)
		if i == 0 {
			first = got
			continue
		}
		if got != first {
			t.Fatalf("run %d differs from run 0:\n--- run 0\n%s--- run %d\n%s", i, first, i, got)
		}
	}
	want := []string{
		"[ex5-server] Listening on socket bound to: ADDR",
		"[ex4-client] Connected to server ADDR from my local connection at ADDR!",
		"[ex5-server] Read line from ADDR: hello",
		"[ex4-client] hello",
		"[ex5-server] Closing connection to ADDR!",
		"[ex4-client] quit",
		"[ex4-client] Client Exited.",
		"[ex4-client] stopped",
		"[ex5-server] Destroying any active client threads....",
		"[ex5-server] stopped",
	}
	at := 0
	for _, line := range strings.Split(first, "\n") {
		if at < len(want) && line == want[at] {
			at++
		}
	}
	if at < len(want) {
		t.Fatalf("output lacks %q (in order); output:\n%s", want[at], first)
	}
}
