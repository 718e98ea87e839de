package repl

import (
	"strings"
	"testing"
)

// TestListenerCloseEx3 plays a daytime server that closes before sending
// the time: ex3-client reports end-of-file.
func TestListenerCloseEx3(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("listen 0 --name L --bind 127.0.0.1")
	s.do("run ex3-client --host 127.0.0.1 --port " + s.port("L") + " --name cl")
	s.do("close L")
	s.do("wait cl")
	out := s.since()
	wantLines(t, out, `\[L\] Listening on 127\.0\.0\.1:\d+`,
		`\[L\] L/1: accepted a connection from 127\.0\.0\.1:\d+`,
		`\[L\] L/1: Closed the connection\.`)
	wantLines(t, out, `\[cl\] Connected to server 127\.0\.0\.1:\d+ from my local connection at 127\.0\.0\.1:\d+!`,
		`\[cl\] Got end-of-file\. Server closed connection!`, `\[cl\] => NIL`)
	s.fails("close L", "L/1: the connection has ended")
}

// TestListenerSendBytesEx3 sends ex3-client a line that is not UTF-8.
func TestListenerSendBytesEx3(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("listen 0 --name L --bind 127.0.0.1")
	s.do("run ex3-client --host 127.0.0.1 --port " + s.port("L") + " --name cl")
	s.do("send -x L ff fe 0d 0a")
	s.do("wait cl")
	s.do("sessions")
	out := s.since()
	if !strings.Contains(out, `[cl] \xff\xfe`+"\n") {
		t.Fatalf("ex3-client did not print the two bytes, made visible:\n%q", out)
	}
	wantLines(t, out, `\[cl\] => T`)
	wantLines(t, out, `\[L\] L/1: Client closed the connection\.`)
	wantLines(t, out, `L\s+listen\s+listening\s+127\.0\.0\.1:\d+\s+1\s.*`)
	s.do("close L/1")
	wantLines(t, s.since(), `\[L\] L/1: Closed the connection\.`)
}

// TestListenerResetEx4 resets ex4-client's server while the client waits
// for its echo, and steers two connections by their names.
func TestListenerResetEx4(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("listen 0 --name L --bind 127.0.0.1")
	p := s.port("L")
	s.do("run ex4-client --host 127.0.0.1 --port " + p + " --name one")
	s.do("run ex4-client --host 127.0.0.1 --port " + p + " --name two")
	s.do("send one hello")
	s.do("send L/1 hello")
	s.do("send two bye")
	out := s.since()
	wantLines(t, out, `\[L\] L/1: hello`, `\[L\] L/2: bye`)
	wantLines(t, out, `\[one\] hello`)
	if strings.Contains(out, "[two] bye") {
		t.Fatalf("two got an echo nobody sent:\n%s", out)
	}
	s.do("reset L")
	s.do("wait two")
	out = s.since()
	wantLines(t, out, `\[L\] L/2: Reset the connection \(RST sent\)\.`)
	wantLines(t, out, `\[two\] Got connection reset\. Server went away!.*`, `\[two\] => NIL`)
	if strings.Contains(out, "[one]") {
		t.Fatalf("reset L touched L/1:\n%s", out)
	}
	s.fails("pause L/3", `listener "L" has no connection "L/3"`)
}

// TestListenerLeavesNothing stops a listener with connections, raw
// clients and a flood in progress.
func TestListenerLeavesNothing(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("listen 0 --name L --bind 127.0.0.1")
	s.do("connect 127.0.0.1:" + s.port("L") + " --name c --count 3")
	s.do("pause L/*")
	s.do("pause c-*")
	s.do("flood c-2 64MiB --detach")
	s.do("flood L 1MiB --line --detach")
	s.do("stop all")
	out := s.since()
	wantLines(t, out, `\[L\] L/1: accepted a connection from .*`, `\[L\] L/3: accepted a connection from .*`,
		`\[L\] L/3: Flood: sending 1\.0 MiB as 64-byte lines\.`, `\[L\] L/3: Flood: stopped after \d+ bytes .*`, `\[L\] stopped`)
	wantLines(t, out, `\[c-2\] Flood: stopped after \d+ bytes .*`, `\[c-2\] stopped`)
}

// TestRawCompletion checks that the raw verbs complete raw names only,
// and connect to a listener completes clients.
func TestRawCompletion(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("run ex5-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("listen 0 --name L --bind 127.0.0.1")
	s.do("connect L raw --name c --detach")
	s.since()
	complete := func(line string) []string {
		got, _ := completer{s.sh}.Do([]rune(line), len([]rune(line)))
		var words []string
		for _, g := range got {
			words = append(words, strings.TrimSpace(string(g)))
		}
		return words
	}
	if got := strings.Join(complete("reset "), " "); got != "L L/1 c" {
		t.Fatalf("reset completes %q, want L L/1 c", got)
	}
	if got := strings.Join(complete("flood c "), " "); !strings.Contains(got, "stop") || !strings.Contains(got, "64MiB") {
		t.Fatalf("flood c completes %q", got)
	}
	if got := strings.Join(complete("connect L ex"), " "); got != "1-client 2-client 3-client 4-client 5a-client 5b-client 9-client 10-client 11-client" {
		t.Fatalf("connect L ex completes %q, want every client", got)
	}
}
