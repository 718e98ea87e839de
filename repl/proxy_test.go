package repl

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/netex/toxproxy"
)

// TestScriptProxy drives a proxy from the shell: ex4-client talks to
// ex5-server through it, a latency toxic is added, listed and removed,
// a limit-data toxic cuts the connection, and stop all leaves nothing.
func TestScriptProxy(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex5-server --port 0 --bind 127.0.0.1
proxy ex5-server --name p --bind 127.0.0.1
connect p
expect p '^#1 accepted from 127\.0\.0\.1:\d+, forwarding via'
send ex4-client hello
expect ex4-client '^hello$'
toxic p add latency 100ms --down
toxic p list
send ex4-client slow
expect ex4-client '^slow$'
expect p '^#1 downstream: latency: holding each chunk 100ms ± 0s$'
toxic p remove latency
toxic p add limit-data 3B --up
send ex4-client abcdef
expect p '^#1 upstream: limit_data: 3 bytes passed; closing both sides$'
expect p '^#1 closed \(limit_data 3 bytes\); 16 bytes up, 13 bytes down$'
stop all
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, want := range []string{
		"[p] Listening on 127.0.0.1:",
		"[ex4-client] Connected to server 127.0.0.1:",
		"[p] toxic latency on downstream: latency=100ms jitter=0s added\n",
		"NAME         TYPE        STREAM      TOXICITY  ATTRIBUTES\nlatency      latency     downstream  1         latency=100ms jitter=0s\n",
		"[p] toxic latency removed\n",
		"[ex5-server] Read line from 127.0.0.1:",
		"[p] stopped\n",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestScriptProxyRaw checks that a proxy to HOST:PORT gets a raw client,
// and that reset-peer reaches that client as a reset.
func TestScriptProxyRaw(t *testing.T) {
	leakCheck(t)
	addr := echoServer(t)
	out, errs, code := script(t, "proxy "+addr+` --name q --bind 127.0.0.1
connect q
send raw one
expect raw '^one$'
toxic q add reset-peer --after 10ms
send raw two
expect q '^#1 closed \(reset_peer\)'
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, want := range []string{"[raw] Connected to 127.0.0.1:", "[raw] one\n",
		"[q] #1 downstream: reset_peer: data arrived; resetting both sides in 10ms\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestToxicArgs parses the toxic lines.
func TestToxicArgs(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		line string
		want toxproxy.Toxic
	}{
		{"slicer --size 1 --delay 20ms", toxproxy.Toxic{Name: "slicer", Type: "slicer", AverageSize: 1, Delay: 20 * ms}},
		{"latency 200ms --jitter 50ms --down", toxproxy.Toxic{Name: "latency", Type: "latency", Latency: 200 * ms, Jitter: 50 * ms}},
		{"bandwidth 1KB/s", toxproxy.Toxic{Name: "bandwidth", Type: "bandwidth", Rate: 1}},
		{"bandwidth --rate 2MB/s --up", toxproxy.Toxic{Name: "bandwidth", Type: "bandwidth", Rate: 2000, Stream: toxproxy.Upstream}},
		{"reset-peer --after 2s", toxproxy.Toxic{Name: "reset_peer", Type: "reset_peer", Timeout: 2000 * ms}},
		{"reset_peer --timeout 500", toxproxy.Toxic{Name: "reset_peer", Type: "reset_peer", Timeout: 500 * ms}},
		{"timeout 0", toxproxy.Toxic{Name: "timeout", Type: "timeout"}},
		{"limit-data 100B", toxproxy.Toxic{Name: "limit_data", Type: "limit_data", Bytes: 100}},
		{"limit-data 1KiB --name cut --up", toxproxy.Toxic{Name: "cut", Type: "limit_data", Bytes: 1024, Stream: toxproxy.Upstream}},
		{"slow-close 1s", toxproxy.Toxic{Name: "slow_close", Type: "slow_close", Delay: time.Second}},
	}
	for _, tc := range cases {
		words, _ := tokenize(tc.line)
		got, err := parseToxic(words)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
	for line, want := range map[string]string{
		"lag 1s":               `unknown toxic "lag"; toxics: latency, bandwidth, slicer, reset-peer, timeout, limit-data, slow-close`,
		"bandwidth 500B/s":     `bad rate "500B/s"`,
		"latency 1s 2s":        `latency takes one value (its latency)`,
		"slicer --size 0":      `slicer: average size must be at least 1 byte`,
		"timeout --jitter 1ms": `unknown option --jitter`,
	} {
		words, _ := tokenize(line)
		if _, err := parseToxic(words); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", line, err, want)
		}
	}
}

// TestProxyErrors checks the one-line errors of proxy and toxic.
func TestProxyErrors(t *testing.T) {
	leakCheck(t)
	_, errs, code := script(t, `
proxy ex5-server
run ex5-server --port 0 --bind 127.0.0.1
toxic ex5-server add latency 1s
proxy ex5-server --name p --bind 127.0.0.1
toxic p add latency 1s
toxic p add latency 2s
toxic p remove slicer
toxic p frob
`)
	for _, want := range []string{
		`line 2: no session named "ex5-server"; start it first (run ex5-server) or give HOST:PORT`,
		`line 4: session "ex5-server" runs ex5-server, not a proxy (start one with proxy SERVER)`,
		`line 7: a toxic named latency exists; remove it first, or give another --name`,
		`line 8: no toxic named slicer (toxics: latency)`,
		`line 9: unknown toxic action "frob"`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code != 1 || strings.Count(errs, "\n") != 5 {
		t.Fatalf("status %d, stderr:\n%s", code, errs)
	}
}

func TestProxyCompletion(t *testing.T) {
	leakCheck(t)
	var out strings.Builder
	sh := newShell(&out, &out, false, false)
	defer sh.Close()
	for _, cmd := range []string{"run ex5-server --port 0 --bind 127.0.0.1", "proxy ex5-server --name p --bind 127.0.0.1", "toxic p add latency 1ms"} {
		if err := sh.Exec(cmd); err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
	}
	c := completer{sh}
	for line, want := range map[string]string{
		"prox":                    "y ",
		"proxy ex5":               "-server ",
		"toxic ":                  "p ",
		"toxic p re":              "move ",
		"toxic p remove la":       "tency ",
		"toxic p add reset":       "-peer ",
		"toxic p add slicer --si": "ze ",
	} {
		got, _ := c.Do([]rune(line), len([]rune(line)))
		found := false
		for _, g := range got {
			found = found || string(g) == want
		}
		if !found {
			t.Errorf("complete %q = %q, want %q among them", line, got, want)
		}
	}
}

// TestReadmeProxyRecipe runs the README's proxy recipe and checks the
// faults it shows.
func TestReadmeProxyRecipe(t *testing.T) {
	leakCheck(t)
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(readme), "## Fault-injecting proxy\n")
	_, block, ok2 := strings.Cut(sec, "\n```\n")
	recipe, _, ok3 := strings.Cut(block, "```\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README has no proxy recipe")
	}
	out, errs, code := script(t, recipe)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, re := range []string{
		`\[p\] #1 downstream: latency: holding each chunk 500ms ± 0s\n`,
		`\[c1\] ` + reTime + `\n\[c1\] => T\n`,
		`\[p\] #2 closed \(limit_data 0 bytes\); 0 bytes up, 0 bytes down\n`,
		`\[c2\] Got end-of-file. Server closed connection!\n`,
		`\[c3\] Unhandled SOCKET-CONNECTION-RESET-ERROR: .*"Connection reset by peer"`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Fatalf("output lacks /%s/:\n%s", re, out)
		}
	}
}

// TestScriptProxyStopWhileHeld stops a proxy while a toxic holds data on
// an open connection: the connection is closed, the client sees the end,
// and nothing is left behind.
func TestScriptProxyStopWhileHeld(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex5-server --port 0 --bind 127.0.0.1
proxy ex5-server --name p --bind 127.0.0.1
toxic p add timeout 0 --up
connect p
send ex4-client lost
expect p '^#1 upstream: timeout: holding data, never closing$'
stop p
expect ex4-client 'Got end-of-file. Server closed connection on read!'
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, want := range []string{"[p] #1 closed (proxy stopped); 0 bytes up, 0 bytes down\n[p] stopped\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Read line from") {
		t.Fatalf("the timeout toxic let a line through:\n%s", out)
	}
}

// TestScriptProxyHalfClose checks that ex5b-client's half-close passes
// through a proxy: ex7-server sees end-of-file, and every echo comes back.
func TestScriptProxyHalfClose(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex7-server --port 0 --bind 127.0.0.1
proxy ex7-server --name p --bind 127.0.0.1
connect p
send ex5b-client one
send ex5b-client two
eof ex5b-client
wait ex5b-client
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, want := range []string{"produced end-of-file on a read.\n",
		"[ex5b-client] one\n", "[ex5b-client] two\n", "[ex5b-client] make-ex5b-str-cli-read: server closed connection on read!\n",
		"[p] #1 closed (both sides closed); 10 bytes up, 10 bytes down\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}
