package repl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/netex"
)

// TestPanicIsContained runs an example that panics beside a live server:
// the panic is reported as the session's end, the session is marked
// failed, and the shell and the other session carry on.
func TestPanicIsContained(t *testing.T) {
	leakCheck(t)
	var out, errs bytes.Buffer
	sh := newShell(&out, &errs, false, false)
	if err := sh.Exec("run ex1-server --port 0 --bind 127.0.0.1 --name srv"); err != nil {
		t.Fatal(err)
	}
	bad := &netex.Example{Name: "bad", Role: netex.Client, Run: func(t *netex.Thread) (bool, error) {
		t.Printf("about to fail\n")
		var m map[string]int
		m["boom"]++
		return true, nil
	}}
	s, err := sh.startSession("bad", bad, netex.Config{})
	if err != nil {
		t.Fatal(err)
	}
	<-s.ended
	if err := sh.Exec("connect srv ex1-client --name cli"); err != nil {
		t.Fatalf("the shell did not carry on: %v", err)
	}
	if err := sh.Exec("wait cli"); err != nil {
		t.Fatal(err)
	}
	if s.State() != "failed" {
		t.Fatalf("state %q, want failed", s.State())
	}
	sh.settle()
	sh.Close()
	got := out.String()
	for _, want := range []string{"[bad] about to fail\n", "[bad] Unhandled panic: assignment to entry in nil map\n", "[cli] => T\n", "[srv] => T\n"} {
		if !strings.Contains(got, want) {
			t.Fatalf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestColour checks the colour decision: never for a writer that is not
// a terminal, never with NO_COLOR or --no-color, and set color on turns
// the session labels' colour on.
func TestColour(t *testing.T) {
	leakCheck(t)
	var out, errs bytes.Buffer
	if code := Main([]string{"-c", "run ex1-server --port 0 --bind 127.0.0.1"}, strings.NewReader(""), &out, &errs, nil); code != 0 {
		t.Fatalf("status %d: %s", code, errs.String())
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Fatalf("colour written to a non-terminal: %q", out.String())
	}
	out.Reset()
	Main([]string{"-c", "set color on; run ex1-server --port 0 --bind 127.0.0.1"}, strings.NewReader(""), &out, &errs, nil)
	if !strings.Contains(out.String(), "\x1b[1;38;5;33m[ex1-server]\x1b[0m Created socket") {
		t.Fatalf("set color on gave no colour: %q", out.String())
	}
}
