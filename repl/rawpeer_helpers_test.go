package repl

import (
	"bytes"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/nettest"
)

// stepper drives a shell as a script does (settle, then the command),
// one command at a time, so that a test can look between commands.
type stepper struct {
	t    testing.TB
	sh   *Shell
	out  bytes.Buffer
	errb bytes.Buffer
	seen int // output already returned by since
}

func newStepper(t testing.TB) *stepper {
	s := &stepper{t: t}
	s.sh = newShell(&s.out, &s.errb, false, false)
	t.Cleanup(s.sh.Close)
	return s
}

// do runs line, failing the test if it fails.
func (s *stepper) do(line string) {
	s.t.Helper()
	if err := s.exec(line); err != nil {
		s.t.Fatalf("%s: %v\noutput:\n%s", line, err, s.out.String())
	}
}

// fails runs line and checks that it fails with an error containing want.
func (s *stepper) fails(line, want string) {
	s.t.Helper()
	err := s.exec(line)
	if err == nil || !strings.Contains(err.Error(), want) {
		s.t.Fatalf("%s: error %v, want one containing %q", line, err, want)
	}
}

func (s *stepper) exec(line string) error {
	s.sh.settle()
	s.sh.printf("ionet> %s\n", line)
	return s.sh.Exec(line)
}

// since settles and returns the output printed since the last call.
func (s *stepper) since() string {
	s.sh.settle()
	all := s.out.String()
	out := all[s.seen:]
	s.seen = len(all)
	return out
}

// port returns the port a server or listener session listens on.
func (s *stepper) port(name string) string {
	s.t.Helper()
	ses, err := s.sh.session(name)
	if err != nil {
		s.t.Fatal(err)
	}
	a, ok := ses.run.Addr()
	if !ok {
		s.t.Fatalf("%s does not listen", name)
	}
	return strconv.Itoa(int(a.Port()))
}

// wantLines checks that out has lines matching patterns, in that order
// (other lines may come between). Patterns are anchored regexps.
func wantLines(t *testing.T, out string, patterns ...string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	i := 0
	for _, p := range patterns {
		re := regexp.MustCompile("^" + p + "$")
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			t.Fatalf("no line /%s/ (in order); output:\n%s", p, out)
		}
		i++
	}
}

// localPort returns the local port a raw client printed on connecting.
func localPort(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`\[` + regexp.QuoteMeta(name) + `\] Connected to \S+ from 127\.0\.0\.1:(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("%s did not print its connection:\n%s", name, out)
	}
	return m[1]
}

// serveLoopback runs a server on an ephemeral loopback port that serves
// each connection with serve in a goroutine of its own, then closes it,
// and returns its address. The server stops with the test, once every
// connection's serve has returned.
func serveLoopback(tb testing.TB, serve func(c net.Conn)) string {
	tb.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	nettest.Serve(tb, l, serve)
	return l.Addr().String()
}
