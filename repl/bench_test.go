package repl

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/leaktest"
)

// faultyEcho is a test double: an echo server whose change may corrupt
// or drop bytes of the n-th line of a connection.
func faultyEcho(t *testing.T, change func(n int, line []byte) []byte) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for n := 0; ; n++ {
					line, err := br.ReadBytes('\n')
					if err != nil {
						return
					}
					c.Write(change(n, line))
				}
			})
		}
	})
	return l.Addr().String()
}

// benchRow matches a table row for n clients with no errors: clients,
// rate, four latencies, connect, stalls, errors 0, CPU per op.
func benchRow(n int, cpu string) string {
	return `(?m)^ +` + strconv.Itoa(n) + ` +[0-9.]+[kM]? +(\S+ +){4}\S+/\S+ +\d+ +0 +` + cpu + `$`
}

func TestBenchEveryModeHasTableAndChart(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex3-server --port 0 --bind 127.0.0.1
run ex5-server --port 0 --bind 127.0.0.1
run ex8-server --port 0 --bind 127.0.0.1
bench ex3-server --clients 1,2 --rounds 5
bench ex5-server --clients 1,2 --rounds 20
bench ex8-server --clients 1,2 --rounds 300 --mode batch
bench ex8-server --clients 1,2 --rounds 3 --mode connect
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, want := range []string{
		`(?m)^ex3-server: daytime, 5 rounds per client$`,
		`(?m)^ex5-server: echo, 32-byte lines, 20 rounds per client$`,
		`(?m)^ex8-server: batch, 32-byte lines, 300 rounds per client; latency is per batch$`,
		`(?m)^ex8-server: connect, 3 rounds per client$`,
		`(?m)^connections/s \(daytime\) by clients$`, `(?m)^round trips/s \(echo\) by clients$`,
		`(?m)^lines/s \(batch\) by clients$`, `(?m)^connections/s \(connect\) by clients$`,
		`(?m)^ +└┬─+┬$`, `(?m)^ +1 +2$`, `(?m)^  \* ex8-server$`,
		benchRow(1, `[0-9.]+µs`), benchRow(2, `[0-9.]+µs`),
		`ex5-server printed \d+ lines during the run, counted, not shown`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks /%s/", want)
		}
	}
	if strings.Contains(out, "Read line from") || strings.Contains(out, "lines dropped") || strings.Contains(out, "errors:") {
		t.Errorf("the targets' lines or errors were shown:\n%s", out)
	}
	if strings.ContainsAny(out, "\r\x1b") {
		t.Errorf("a script got a progress line or colour:\n%q", out)
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestBenchCountsWrongEchoesAsErrors(t *testing.T) {
	leakCheck(t)
	corrupt := faultyEcho(t, func(n int, line []byte) []byte {
		if n == 3 {
			line[5] ^= 0x20
		}
		return line
	})
	drop := faultyEcho(t, func(n int, line []byte) []byte {
		if n == 3 {
			return append(line[:5], line[6:]...)
		}
		return line
	})
	for _, addr := range []string{corrupt, drop} {
		out, errs, code := script(t, "bench "+addr+" --clients 1,2 --rounds 6")
		if code != 0 || errs != "" {
			t.Fatalf("status %d, stderr %q", code, errs)
		}
		// Each client's fourth line is wrong: the connection is counted
		// as an error and the client does its last two rounds on a new one.
		for _, want := range []string{`(?m)^  at 1 client: errors: wrong echo 1$`, `(?m)^  at 2 clients: errors: wrong echo 2$`,
			`(?m)^ +1 +\S+ +(\S+ +){4}\S+ +\d+ +1 +-$`} {
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("%s: output lacks /%s/:\n%s", addr, want, out)
			}
		}
	}
}

func TestBenchInterruptLeavesNothingBehind(t *testing.T) {
	leakCheck(t)
	progress := make(chan struct{}, 1)
	var out syncBuffer
	out.onWrite = func(p []byte) {
		if bytes.Contains(p, []byte("round trips/s")) {
			select {
			case progress <- struct{}{}:
			default:
			}
		}
	}
	sh := newShell(&out, &out, true, false)
	sh.tty = true
	if err := sh.Exec("run ex5-server --port 0 --bind 127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sh.Exec("bench ex5-server --clients 3 --duration 10m") }()
	select {
	case <-progress:
	case <-time.After(standaloneTimeout):
		t.Fatal("no progress line")
	}
	sh.Interrupt()
	select {
	case err := <-done:
		if !errors.Is(err, errInterrupted) {
			t.Fatalf("bench returned %v, want interrupted", err)
		}
	case <-time.After(standaloneTimeout):
		t.Fatal("bench did not return after the interrupt")
	}
	if c := leaktest.Children(); c != "" {
		t.Errorf("child processes left: %s", c)
	}
	sh.Close()
	got := out.String()
	for _, want := range []string{`(?m)^ +3 +[0-9.]+k? +`, `(?m)^  at 3 clients: interrupted after \d`, `bench 1/1: ex5-server, 3 clients: `} {
		if !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("output lacks /%s/:\n%s", want, got)
		}
	}
}

// syncBuffer is a goroutine-safe buffer that reports each write.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	onWrite func([]byte)
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	if s.onWrite != nil {
		s.onWrite(p)
	}
	return len(p), nil
}

func (s *syncBuffer) setOnWrite(f func([]byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onWrite = f
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestBenchCSVParses(t *testing.T) {
	leakCheck(t)
	path := filepath.Join(t.TempDir(), "bench.csv")
	out, errs, code := script(t, `
run ex5-server --port 0 --bind 127.0.0.1
run ex4-server --port 0 --bind 127.0.0.1
bench ex5-server ex4-server --clients 1,3 --rounds 10 --csv `+path)
	if code != 0 || errs != "" || !strings.Contains(out, "raw figures written to "+path) {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 5 {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, want := range []struct {
		target, mode string
		clients, ops int
	}{{"ex5-server", "echo", 1, 10}, {"ex5-server", "echo", 3, 30}, {"ex4-server", "daytime", 1, 10}, {"ex4-server", "daytime", 3, 30}} {
		r := recs[i+1]
		if r[col["target"]] != want.target || r[col["mode"]] != want.mode || r[col["clients"]] != strconv.Itoa(want.clients) ||
			r[col["ops"]] != strconv.Itoa(want.ops) || r[col["errors"]] != "0" {
			t.Errorf("row %d = %v, want %+v", i+1, r, want)
		}
		if v, err := strconv.ParseFloat(r[col["cpu_us_per_op"]], 64); err != nil || v <= 0 {
			t.Errorf("row %d: cpu_us_per_op %q", i+1, r[col["cpu_us_per_op"]])
		}
	}
}

func TestBenchIdleHoldsConnections(t *testing.T) {
	leakCheck(t)
	var out syncBuffer
	sh := newShell(&out, &out, true, false)
	sh.tty = true
	if err := sh.Exec("run ex5-server --port 0 --bind 127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	srv, _ := sh.session("ex5-server")
	var most int
	var mu sync.Mutex
	out.setOnWrite(func(p []byte) {
		if bytes.Contains(p, []byte("round trips/s")) {
			mu.Lock()
			most = max(most, srv.run.Conns())
			mu.Unlock()
		}
	})
	if err := sh.Exec("bench ex5-server --clients 2 --duration 600ms --idle 30"); err != nil {
		t.Fatal(err)
	}
	sh.Close()
	mu.Lock()
	defer mu.Unlock()
	if most < 32 {
		t.Errorf("the server had at most %d connections during the run, want 30 idle and 2 active", most)
	}
	if !strings.Contains(out.String(), "at 2 clients: idle connections: 30 of 30 opened, 30 still open at the end") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestBenchRefusals(t *testing.T) {
	leakCheck(t)
	for _, tc := range []struct{ cmds, want string }{
		{"run ex1-server --port 0 --bind 127.0.0.1\nbench ex1-server", "ex1-server serves one client and returns, so it cannot be benchmarked"},
		{"bench nosuch", `no session named "nosuch"`},
		{"bench", "usage: bench TARGET..."},
		{"bench 127.0.0.1:1 --duration 1s --rounds 3", "give --duration or --rounds, not both"},
		{"bench 127.0.0.1:1 --mode fast", `unknown mode "fast"`},
		{"bench 127.0.0.1:1 --clients 1,x", `bad --clients "1,x"`},
		{"bench 127.0.0.1:1 --size 1", "size must be 2 or more"},
	} {
		_, errs, code := script(t, tc.cmds)
		if code != 1 || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want one line with %q", tc.cmds, code, errs, tc.want)
		}
	}
}

func TestStandaloneBench(t *testing.T) {
	leakCheck(t)
	addr := faultyEcho(t, func(_ int, line []byte) []byte { return line })
	var out, errb bytes.Buffer
	code := StandaloneBench([]string{addr, "--clients", "1,2", "--rounds", "20"}, &out, &errb)
	if code != 0 || errb.Len() != 0 || !regexp.MustCompile(benchRow(2, "-")).MatchString(out.String()) ||
		strings.Contains(out.String(), "\x1b") {
		t.Fatalf("status %d, stderr %q, stdout:\n%s", code, errb.String(), out.String())
	}
	out.Reset()
	errb.Reset()
	if code := StandaloneBench([]string{"ex5-server"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), `bad target "ex5-server"`) {
		t.Fatalf("status %d, stderr %q", code, errb.String())
	}
}
