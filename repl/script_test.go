package repl

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// feeder drives a script the way coproc does: it writes one command and
// reads the output it brings before writing the next.
type feeder struct {
	t     *testing.T
	in    *io.PipeWriter
	lines chan string
	done  chan int
	errb  bytes.Buffer
}

func newFeeder(t *testing.T) *feeder {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	f := &feeder{t: t, in: inW, lines: make(chan string, 100), done: make(chan int, 1)}
	go func() {
		code := runScriptWith(inR, scriptOptions{}, outW, &f.errb)
		outW.Close()
		f.done <- code
	}()
	go func() {
		defer close(f.lines)
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			f.lines <- sc.Text()
		}
	}()
	return f
}

// send writes a command and waits, with a deadline, for an output line
// containing want, without writing anything more meanwhile.
func (f *feeder) send(cmd, want string) {
	f.t.Helper()
	if cmd != "" {
		if _, err := io.WriteString(f.in, cmd+"\n"); err != nil {
			f.t.Fatal(err)
		}
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-f.lines:
			if !ok {
				f.t.Fatalf("after %q: output ended before %q", cmd, want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			f.t.Fatalf("after %q: no line containing %q within 10s", cmd, want)
		}
	}
}

// end closes the script's input and returns its status.
func (f *feeder) end() int {
	f.in.Close()
	for range f.lines {
	}
	return <-f.done
}

// TestSettleAfterWithFeedingPipe: each command's output arrives before
// the next command is written, and a line a session prints later, while
// the shell waits for input, arrives on its own.
func TestSettleAfterWithFeedingPipe(t *testing.T) {
	leakCheck(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c
		}
	}()
	f := newFeeder(t)
	f.send("run ex5-server --port 0 --bind 127.0.0.1", "[ex5-server] Waiting to accept a connection...")
	f.send("connect ex5-server", "[ex4-client] Connected to server")
	f.send("send ex4-client hello", "[ex4-client] hello")
	f.send("connect "+l.Addr().String()+" --name r", "[r] Connected to")
	c := <-accepted
	defer c.Close()
	if _, err := io.WriteString(c, "late news\r\n"); err != nil {
		t.Fatal(err)
	}
	f.send("", "[r] late news")
	c.Close()
	f.send("", "[r] Server closed the connection.")
	if code := f.end(); code != 0 {
		t.Fatalf("status %d, stderr %q", code, f.errb.String())
	}
}

// TestWaitOutcomes: wait succeeds for exited T and stopped, fails for a
// failed session; bare numbers are seconds for every duration.
func TestWaitOutcomes(t *testing.T) {
	leakCheck(t)
	_, errs, code := script(t, `
run ex4-server --port 0 --bind 127.0.0.1
connect ex4-server
wait ex1-client 5
sleep 0.01
stop ex4-server
wait ex4-server 0.5
run ex1-client --port 1 --name bad
wait bad 5
wait ex4-server forever
`)
	want := "ionetsh: line 9: bad failed: Unhandled SOCKET-CONNECTION-REFUSED-ERROR: "
	if code != 1 || !strings.HasPrefix(errs, want) || strings.Count(errs, "ionetsh: ") != 2 ||
		!strings.Contains(errs, `line 10: bad timeout "forever": want seconds or a duration such as 5, 5s or 500ms`) {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
}

// TestExpectTimeoutShowsLastLines: a failed expect shows the last five
// lines the session printed.
func TestExpectTimeoutShowsLastLines(t *testing.T) {
	leakCheck(t)
	_, errs, code := script(t, `
run ex4-server --port 0 --bind 127.0.0.1
connect ex4-server
wait ex1-client
expect ex4-server 'no such line' 0.2
`)
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if code != 1 || len(lines) != 6 ||
		lines[0] != `ionetsh: line 5: expect ex4-server "no such line": no matching line within 200ms; the last lines ex4-server printed:` {
		t.Fatalf("status %d, stderr:\n%s", code, errs)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "  [ex4-server] ") {
			t.Fatalf("line %q is not a session line; stderr:\n%s", l, errs)
		}
	}
	if !strings.Contains(lines[5], "Closing connection to") && !strings.Contains(lines[5], "Waiting to accept") {
		t.Fatalf("last line %q is not the server's last line", lines[5])
	}
}

// TestErrexit: set errexit on, and -e, stop the script at the first
// failed command; cleanups still run and the status is 1.
func TestErrexit(t *testing.T) {
	leakCheck(t)
	body := "run ex4-server --port 0 --bind 127.0.0.1\nnosuch\nhelp quit\n"
	runs := map[string]func() (string, string, int){
		"set errexit on": func() (string, string, int) { return script(t, "set errexit on\n"+body) },
		"-e": func() (string, string, int) {
			var out, errb bytes.Buffer
			code := Main([]string{"-e"}, strings.NewReader(body), &out, &errb, nil)
			return out.String(), errb.String(), code
		},
	}
	for name, run := range runs {
		out, errs, code := run()
		if code != 1 || strings.Contains(out, "quit\n") || !strings.Contains(out, "[ex4-server] stopped") ||
			!strings.Contains(errs, "unknown command \"nosuch\"") || !strings.Contains(errs, "(errexit)") {
			t.Errorf("%s: status %d, stderr %q, out:\n%s", name, code, errs, out)
		}
	}
}

// TestSessionsMutedAndFrozenUptime: sessions shows a MUTED column, and an
// ended session's uptime stops at its end.
func TestSessionsMutedAndFrozenUptime(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex4-server --port 0 --bind 127.0.0.1 --name a
run ex4-server --port 0 --bind 127.0.0.1 --name b
mute a
stop b
sessions
sleep 0.3
sessions
`)
	if code != 0 {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "NAME  EXAMPLE     STATE      ADDRESS") || !strings.Contains(out, "MUTED  UPTIME") {
		t.Fatalf("header:\n%s", out)
	}
	rowA := regexp.MustCompile(`(?m)^a\s+ex4-server\s+listening\s+\S+\s+0\s+muted\s+\S+$`)
	rowB := regexp.MustCompile(`(?m)^b\s+ex4-server\s+stopped\s+-\s+0\s+-\s+(\S+)$`)
	bs := rowB.FindAllStringSubmatch(out, -1)
	if len(rowA.FindAllString(out, -1)) != 2 || len(bs) != 2 {
		t.Fatalf("rows:\n%s", out)
	}
	if bs[0][1] != bs[1][1] {
		t.Fatalf("b's uptime went on after it stopped: %s then %s", bs[0][1], bs[1][1])
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"5": 5 * time.Second, "0.5": 500 * time.Millisecond, "250ms": 250 * time.Millisecond, "1m": time.Minute} {
		if d, err := parseDuration(in); err != nil || d != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, d, err, want)
		}
	}
	for _, in := range []string{"", "five", "NaN", "Inf", "1e300"} {
		if d, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) = %v, want an error", in, d)
		}
	}
}
