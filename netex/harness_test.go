package netex

import (
	"context"
	"github.com/ionetsh/ionetsh/internal/leaktest"
	"github.com/ionetsh/ionetsh/internal/linetest"
	"github.com/ionetsh/ionetsh/internal/nettest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testTimeout bounds every wait in these tests.
const testTimeout = nettest.Timeout

// output collects what a Run prints, line by line, and lets a test wait
// for a line.
type output struct{ *linetest.Recorder }

func newOutput() *output { return &output{linetest.New()} }

// waitFor waits until a line matching pattern has been printed and
// returns its index.
func (o *output) waitFor(t testing.TB, pattern string) int {
	t.Helper()
	return o.WaitCount(t, pattern, 1, testTimeout)
}

// matchLines asserts that got matches the patterns one for one, in order.
// In a pattern, {H:P} stands for an address and port (and {H/P} for one
// printed with a slash), {ID} for an identity token, {TIME} for a daytime
// line and {N} for a number; everything else is literal.
func matchLines(t testing.TB, got []string, patterns ...string) {
	t.Helper()
	if len(got) != len(patterns) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(patterns), strings.Join(got, "\n"))
	}
	for i, p := range patterns {
		if !linePattern(p).MatchString(got[i]) {
			t.Fatalf("line %d = %q, want pattern %q; all lines:\n%s", i, got[i], p, strings.Join(got, "\n"))
		}
	}
}

// linePattern compiles a matchLines pattern into an anchored regexp.
func linePattern(p string) *regexp.Regexp { return nettest.Pattern(p) }

// start runs the named example with loopback defaults and stops it when
// the test ends, if it is still running.
func start(t testing.TB, name string, cfg Config) (*Run, *output) {
	t.Helper()
	ex, ok := Lookup(name)
	if !ok {
		t.Fatalf("no example %q", name)
	}
	out := newOutput()
	cfg.Out = out
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1"
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	r, err := Start(context.Background(), ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r, out
}

// startServer runs a server on an ephemeral loopback port and waits until
// it listens, returning the port.
func startServer(t testing.TB, name string) (*Run, *output, int) {
	t.Helper()
	r, out := start(t, name, Config{Port: 0})
	select {
	case <-r.Listening():
	case <-time.After(testTimeout):
		t.Fatalf("%s did not listen", name)
	}
	a, ok := r.Addr()
	if !ok {
		t.Fatalf("%s ended without listening: %v\n%s", name, r.Result(), strings.Join(out.Lines(), "\n"))
	}
	return r, out, int(a.Port())
}

// wait waits for r to end and returns its result.
func wait(t testing.TB, r *Run) Result {
	t.Helper()
	select {
	case <-r.Done():
		return r.Result()
	case <-time.After(testTimeout):
		t.Fatalf("%s did not end", r.Example().Name)
		return Result{}
	}
}

// leakCheck checks that the test leaves no goroutine and no fd behind.
func leakCheck(t testing.TB) { leaktest.Check(t) }

// openFDs returns how many fds the process has open.
func openFDs(t testing.TB) int { return leaktest.OpenFDs(t) }

func TestPatternTokens(t *testing.T) {
	matchLines(t, []string{"Got a connection from 127.0.0.1:4242!", "#<THREAD \"X\" RUNNING {1002000103}>"},
		"Got a connection from {H:P}!", `#<THREAD "X" RUNNING {ID}>`)
	if linePattern("a {H:P}").MatchString("a 1.2.3.4") {
		t.Fatal("{H:P} matched an address without a port")
	}
	if !linePattern("{H:P} {H:P} {H/P}").MatchString("::1:4242 ::ffff:127.0.0.1:59556 ::/9999") {
		t.Fatal("{H:P} or {H/P} did not match IPv6 forms")
	}
	if linePattern("{H:P}").MatchString("::1:") {
		t.Fatal("{H:P} matched an IPv6 address without a port")
	}
	if linePattern("RUNNING {N}").MatchString("RU3NI3G 4") {
		t.Fatal("a literal N was taken for a number")
	}
}
