package repl

import (
	"regexp"
	"strings"
	"testing"
)

func TestTraceHexMaxAndLog(t *testing.T) {
	leakCheck(t)
	ts := newTestShell(t)
	ts.run("run ex5-server --port 0 --bind 127.0.0.1")
	ts.run("trace ex5-server on --hex --max 4")
	ts.run("connect ex5-server")
	ts.run("send ex4-client hello")
	out := ts.run("log ex5-server")
	head := regexp.MustCompile(`(?m)^\[ex5-server\] trace fd \d+ ` + reAddr + ` ([<>]) ` + reAddr + ` 7 bytes \(3 more bytes cut; --max 4\)\n\[ex5-server\] trace   0000  68 65 6c 6c {38} hell$`)
	m := head.FindAllStringSubmatch(out, -1)
	if len(m) != 2 || m[0][1] != "<" || m[1][1] != ">" {
		t.Fatalf("want a cut hex dump of hello\\r\\n in, then out, in log:\n%s", out)
	}
	s, _ := ts.sh.session("ex5-server")
	traces := 0
	for _, l := range s.log.Last(0) {
		if l.Trace != strings.HasPrefix(l.Text, traceMark) {
			t.Errorf("line %q: Trace flag %v", l.Text, l.Trace)
		}
		if l.Trace {
			traces++
		}
	}
	tr, _ := ts.sh.transcript()
	if traces != 4 || strings.Count(tr, "[ex5-server] trace ") != 4 {
		t.Fatalf("want 4 trace lines in the log and the transcript, got %d:\n%s", traces, tr)
	}
	for _, bad := range []string{"trace", "trace ex5-server maybe", "trace ex5-server --max 0", "trace nobody"} {
		if err := ts.sh.Exec(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
