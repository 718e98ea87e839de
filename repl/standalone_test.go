package repl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/benchload"
	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/netex/loadgen"
)

// standaloneTimeout bounds every wait in these tests.
const standaloneTimeout = 20 * time.Second

// ionetshBin is the binary built by TestMain for the end-to-end tests.
var ionetshBin string

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == loadgen.ChildArg { // bench's load generator
		os.Exit(loadgen.ChildMain(os.Stdin, os.Stdout, os.Stderr))
	}
	if benchload.IsChild() { // BenchmarkVsBaseline's load
		if benchload.ChildMain(os.Stdin, os.Stdout) != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "ionetsh-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ionetshBin = filepath.Join(dir, "ionetsh")
	build := exec.Command("go", "build", "-o", ionetshBin, "github.com/ionetsh/ionetsh/cmd/ionetsh")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	// The first signal.Notify starts os/signal's receiving goroutine for
	// good; start it now so that leakCheck does not count it.
	_, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	stop()
	code := 1
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building ionetsh:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// runStandalone calls Standalone in-process and returns its status and
// what it printed.
func runStandalone(stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Standalone(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// unusedPort returns a loopback port nobody listens on.
func unusedPort(t *testing.T) int {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// matchAll asserts that got matches the regexps one for one, in order.
func matchAll(t *testing.T, got []string, patterns ...string) {
	t.Helper()
	if len(got) != len(patterns) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(patterns), strings.Join(got, "\n"))
	}
	for i, p := range patterns {
		if !regexp.MustCompile("^" + p + "$").MatchString(got[i]) {
			t.Fatalf("line %d = %q, want /%s/; all lines:\n%s", i, got[i], p, strings.Join(got, "\n"))
		}
	}
}

// Patterns for the lines the examples print.
const (
	hpRE   = `127\.0\.0\.1:\d+`
	timeRE = `\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{1,2}:\d{1,2}`
	idRE   = `\{[0-9A-F]+\}`
)

func TestStandaloneArgErrors(t *testing.T) {
	names := netex.Names()
	cases := []struct {
		args []string
		want []string // substrings of the message
	}{
		{nil, append([]string{"missing example name"}, names...)},
		{[]string{"ex99-client"}, append([]string{`unknown example "ex99-client"`}, names...)},
		{[]string{"ex1-client", "ex2-client"}, []string{`unexpected argument "ex2-client"`}},
		{[]string{"ex1-client", "--port", "abc"}, []string{`"abc"`, "1 to 65535"}},
		{[]string{"ex1-client", "--port=0"}, []string{`"0"`, "1 to 65535"}},
		{[]string{"ex1-server", "--port", "65536"}, []string{`"65536"`, "0 to 65535"}},
		{[]string{"ex1-server", "--port=-1"}, []string{`"-1"`}},
		{[]string{"ex1-server", "--bind", "no.such.host.invalid"}, []string{`bad bind address "no.such.host.invalid"`}},
		{[]string{"ex1-client", "--bind", "127.0.0.1"}, []string{"--bind is for servers"}},
		{[]string{"ex1-server", "--host", "127.0.0.1"}, []string{"--host is for clients"}},
		{[]string{"ex1-client", "--bogus"}, []string{"flag provided but not defined: -bogus"}},
		{[]string{"ex1-client", "--port"}, []string{"flag needs an argument: -port"}},
	}
	for _, c := range cases {
		code, out, errs := runStandalone("", c.args...)
		if code != 2 || out != "" {
			t.Errorf("%q: status %d, stdout %q; want 2 and nothing", c.args, code, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
			t.Errorf("%q: message %q is not one line", c.args, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%q: message %q lacks %q", c.args, errs, w)
			}
		}
	}
}

func TestStandaloneHelp(t *testing.T) {
	code, out, errs := runStandalone("", "-h")
	if code != 0 || out != standaloneUsage+"\n" || errs != "" {
		t.Fatalf("status %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestStandaloneRefused(t *testing.T) {
	leakCheck(t)
	port := unusedPort(t)
	code, out, errs := runStandalone("", "ex3-client", "--port", fmt.Sprint(port))
	want := fmt.Sprintf("Connection refused to 127.0.0.1:%d. Maybe the server isn't running?\nNIL\n", port)
	if code != 0 || out != want || errs != "" {
		t.Fatalf("ex3-client: status %d, stdout %q, stderr %q; want 0 and %q", code, out, errs, want)
	}
	code, out, errs = runStandalone("", "ex1-client", "--host", "127.0.0.1", fmt.Sprintf("--port=%d", port))
	unhandled := `Unhandled SOCKET-CONNECTION-REFUSED-ERROR: #<SOCKET-CONNECTION-REFUSED-ERROR 111 :ECONNREFUSED "Connection refused", FD: \d+>` + "\n"
	if code != 1 || out != "" || !regexp.MustCompile("^"+unhandled+"$").MatchString(errs) {
		t.Fatalf("ex1-client: status %d, stdout %q, stderr %q; want 1 and the unhandled line", code, out, errs)
	}
}

// TestStandaloneClientInProcess runs a client through Standalone against
// a server started with netex, the name given after the options.
func TestStandaloneClientInProcess(t *testing.T) {
	leakCheck(t)
	ex, _ := netex.Lookup("ex2-server")
	srv, err := netex.Start(context.Background(), ex, netex.Config{Port: 0, Bind: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	select {
	case <-srv.Listening():
	case <-time.After(standaloneTimeout):
		t.Fatal("ex2-server did not listen")
	}
	a, ok := srv.Addr()
	if !ok {
		t.Fatalf("ex2-server ended: %+v", srv.Result())
	}
	code, out, errs := runStandalone("", "--host=127.0.0.1", fmt.Sprintf("--port=%d", a.Port()), "EX2-CLIENT")
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	matchAll(t, strings.Split(strings.TrimSuffix(out, "\n"), "\n"),
		fmt.Sprintf(`Connected to server 127\.0\.0\.1:%d from my local connection at %s!`, a.Port(), hpRE), timeRE, "T")
}

// proc is an ionetsh process whose stdout is read line by line.
type proc struct {
	cmd    *exec.Cmd
	lines  chan string // closed at the end of stdout
	seen   []string    // the lines taken from lines so far
	stderr bytes.Buffer
	waited bool
}

// startProc starts the built binary with args and stdin, and kills it
// when the test ends if it is still running.
func startProc(t *testing.T, stdin io.Reader, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(ionetshBin, args...), lines: make(chan string, 1024)}
	p.cmd.Stdin = stdin
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(func() {
		if !p.waited {
			p.cmd.Process.Kill()
			for range p.lines {
			}
			p.cmd.Wait()
		}
	})
	return p
}

// next returns the next line of stdout, and false at its end.
func (p *proc) next(t *testing.T) (string, bool) {
	t.Helper()
	select {
	case l, ok := <-p.lines:
		if ok {
			p.seen = append(p.seen, l)
		}
		return l, ok
	case <-time.After(standaloneTimeout):
		t.Fatalf("%v: no output within %v; so far:\n%s", p.cmd.Args, standaloneTimeout, strings.Join(p.seen, "\n"))
		return "", false
	}
}

// waitLine reads stdout until a line matches pattern and returns the
// submatches.
func (p *proc) waitLine(t *testing.T, pattern string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for {
		l, ok := p.next(t)
		if !ok {
			t.Fatalf("%v: stdout ended without /%s/:\n%s", p.cmd.Args, pattern, strings.Join(p.seen, "\n"))
		}
		if m := re.FindStringSubmatch(l); m != nil {
			return m
		}
	}
}

// wait reads stdout to its end, waits for the process and returns its
// exit status and all its stdout lines.
func (p *proc) wait(t *testing.T) (int, []string) {
	t.Helper()
	for _, ok := p.next(t); ok; _, ok = p.next(t) {
	}
	p.waited = true
	if err := p.cmd.Wait(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return p.cmd.ProcessState.ExitCode(), p.seen
}

// startServerProc runs a server on an ephemeral loopback port and returns
// the process and its port, read off its Listening line.
func startServerProc(t *testing.T, name string) (*proc, string) {
	t.Helper()
	p := startProc(t, nil, "run", name, "--port", "0", "--bind", "127.0.0.1")
	m := p.waitLine(t, `^Listening on socket bound to: 127\.0\.0\.1:(\d+)$`)
	return p, m[1]
}

// interrupt sends SIGINT to a server and checks that it exits 0 with an
// empty stderr, returning all its stdout lines.
func (p *proc) interrupt(t *testing.T) []string {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code, lines := p.wait(t)
	if code != 0 || p.stderr.Len() != 0 {
		t.Fatalf("server exited %d, stderr %q; want 0 and nothing", code, p.stderr.String())
	}
	return lines
}

// prologueRE is the pattern of a server's first three lines on port.
func prologueRE(port string) []string {
	return []string{
		`Created socket: #<passive IPv4 stream socket, unbound ` + idRE + `>\[fd=\d+\]`,
		`Bound socket: #<passive IPv4 stream socket bound to 127\.0\.0\.1/` + port + ` ` + idRE + `>`,
		`Listening on socket bound to: 127\.0\.0\.1:` + port,
	}
}

func TestStandaloneEndToEndDaytime(t *testing.T) {
	srv, port := startServerProc(t, "ex2-server")
	cli := startProc(t, nil, "run", "ex2-client", "--host", "127.0.0.1", "--port", port)
	code, lines := cli.wait(t)
	if code != 0 || cli.stderr.Len() != 0 {
		t.Fatalf("client exited %d, stderr %q", code, cli.stderr.String())
	}
	connected := `Connected to server 127\.0\.0\.1:` + port + ` from my local connection at (` + hpRE + `)!`
	matchAll(t, lines, connected, timeRE, "T")
	from := regexp.MustCompile(connected).FindStringSubmatch(lines[0])[1]
	srv.waitLine(t, `^Sending the time\.\.\.Sent!$`)
	srv.waitLine(t, `^Waiting to accept a connection\.\.\.$`)
	matchAll(t, srv.interrupt(t), append(prologueRE(port),
		`Waiting to accept a connection\.\.\.`, `Got a connection from `+regexp.QuoteMeta(from)+`!`,
		`Sending the time\.\.\.Sent!`, `Waiting to accept a connection\.\.\.`)...)
}

func TestStandaloneEndToEndEcho(t *testing.T) {
	srv, port := startServerProc(t, "ex5-server")
	cli := startProc(t, strings.NewReader("hello\nworld\nquit\n"), "run", "ex4-client", "--host", "127.0.0.1", "--port", port)
	code, lines := cli.wait(t)
	if code != 0 || cli.stderr.Len() != 0 {
		t.Fatalf("client exited %d, stderr %q", code, cli.stderr.String())
	}
	connected := `Connected to server 127\.0\.0\.1:` + port + ` from my local connection at (` + hpRE + `)!`
	matchAll(t, lines, connected, "hello", "world", "quit",
		`Got end-of-file\. Server closed connection on read!`, `Client Exited\.`, "NIL")
	addr := regexp.MustCompile(connected).FindStringSubmatch(lines[0])[1]
	from := regexp.QuoteMeta(addr)
	srv.waitLine(t, `^Closing connection to `+from+`!$`)
	all := srv.interrupt(t)
	var thread, rest []string
	for _, l := range all[3:] {
		if strings.Contains(l, addr) {
			thread = append(thread, l)
		} else {
			rest = append(rest, l)
		}
	}
	matchAll(t, all[:3], prologueRE(port)...)
	matchAll(t, thread, `A thread is handling the connection from `+from+`!`,
		`Read line from `+from+`: hello`, `Wrote line to `+from+`: hello`,
		`Read line from `+from+`: world`, `Wrote line to `+from+`: world`,
		`Read line from `+from+`: quit`, `Wrote line to `+from+`: quit`,
		`Closing connection to `+from+`!`)
	matchAll(t, rest, `Waiting to accept a connection\.\.\.`, `Waiting to accept a connection\.\.\.`,
		`Destroying any active client threads\.\.\.\.`)
}
