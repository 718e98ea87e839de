package repl

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRawResetEx5(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("run ex5-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("connect srv raw --name c")
	s.do("send c hello")
	s.do("reset c")
	s.do("expect srv 'connection reset by peer'")
	out := s.since()
	p := localPort(t, out, "c")
	// The thread's cleanup asks for the peer's name, which a reset has
	// made unknown (spec §6): it dies of SOCKET-NOT-CONNECTED-ERROR.
	wantLines(t, out,
		`\[srv\] Read line from 127\.0\.0\.1:`+p+`: hello`,
		`\[srv\] Client 127\.0\.0\.1:`+p+`: connection reset by peer\.`,
		`\[srv\] Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "PROCESS-EX5-CLIENT-THREAD" RUNNING \{[0-9A-F]+\}>: `+
			`#<SOCKET-NOT-CONNECTED-ERROR 107 :ENOTCONN "Transport endpoint is not connected", FD: \d+>`)
	if strings.Contains(out, "Closing connection to") {
		t.Fatalf("the cleanup printed its Closing line after a reset:\n%s", out)
	}
	wantLines(t, out, `\[c\] hello`, `\[c\] Reset the connection \(RST sent\)\.`, `\[c\] => T`)
	s.fails("reset c", "c: the connection has ended")
}

func TestRawShutdownEx7(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("run ex7-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("connect srv raw --name c --detach")
	s.do("pause c")
	for _, l := range []string{"one", "two", "three"} {
		s.do("send c " + l)
	}
	s.do("shutdown c")
	s.do("resume c")
	s.do("wait c")
	out := s.since()
	p := localPort(t, out, "c")
	wantLines(t, out,
		`\[srv\] Read from 127\.0\.0\.1:`+p+`: three`,
		`\[srv\] Client 127\.0\.0\.1:`+p+` produced end-of-file on a read\.`,
		`\[srv\] Closing connection to 127\.0\.0\.1:`+p)
	wantLines(t, out, `\[c\] Paused: not reading from the socket\.`,
		`\[c\] Shut down the write side \(FIN sent\); still reading\.`,
		`\[c\] Resumed: 17 bytes were waiting\.`,
		`\[c\] one`, `\[c\] two`, `\[c\] three`,
		`\[c\] Server closed the connection\.`, `\[c\] => T`)
}

// TestRawPauseEx8 pauses a raw client echoing through ex8: lines sent
// meanwhile wait in the socket and are shown on resume; a flood backs up
// through ex8 and stalls until resume.
func TestRawPauseEx8(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("run ex8-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("connect srv raw --name c")
	s.do("pause c")
	s.do("send c alpha")
	s.do("send c beta")
	out := s.since()
	if strings.Contains(out, "[c] alpha") {
		t.Fatalf("a paused peer showed what it received:\n%s", out)
	}
	s.do("resume c")
	wantLines(t, s.since(), `\[c\] Resumed: 13 bytes were waiting\.`, `\[c\] alpha`, `\[c\] beta`)
	s.do("mute srv")
	s.do("pause c")
	s.do("flood c 8MiB --line --detach")
	s.fails("expect c 'Flood: done' 300ms", "no matching line")
	s.do("threads srv")
	// ex8's buffer for c is full: it waits to write and no longer reads.
	wantLines(t, s.since(), `  fd \d+: read`, `  fd \d+: write`)
	s.do("log srv")
	if held := ex8Held(s.since()); held != 16384 {
		t.Fatalf("ex8 holds %d bytes read and not written, want its whole 16384-byte buffer", held)
	}
	s.do("resume c")
	s.do("expect c 'Flood: done: 8388608 bytes'")
	s.do("send c end")
	s.do("expect c '^end$'")
	out = s.since()
	wantLines(t, out, `\[c\] Resumed: \d+ bytes were waiting\.`, `\[c\] Flood: done: 8388608 bytes .*`,
		`\[c\] \(\d+ bytes received since the flood began, counted and not shown\)`, `\[c\] end`)
}

// ex8Held returns how many bytes ex8's Read and Wrote lines in log say
// it has read and not yet written.
func ex8Held(log string) int {
	held := 0
	for _, m := range regexp.MustCompile(`(?m)^\[srv\] (Read|Wrote) (\d+) bytes`).FindAllStringSubmatch(log, -1) {
		n, _ := strconv.Atoi(m[2])
		if m[1] == "Wrote" {
			n = -n
		}
		held += n
	}
	return held
}

// TestRawSendExactBytes checks with a plain Go listener that send -x,
// send -n and send put exactly their bytes on the wire.
func TestRawSendExactBytes(t *testing.T) {
	leakCheck(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		defer l.Close()
		c, err := l.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		b, _ := io.ReadAll(c)
		got <- b
	}()
	s := newStepper(t)
	s.do("connect " + l.Addr().String() + " --name c")
	s.do("send -x c ff fe 68 69 0d 0a 00")
	s.do("send -n c ab")
	s.do("send c 'cd ef'")
	s.do("shutdown c")
	s.fails("send -x c zz", "send -x wants hex bytes")
	want := []byte("\xff\xfehi\r\n\x00abcd ef\r\n")
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("the server got %q, want %q", b, want)
	}
	s.do("wait c")
	wantLines(t, s.since(), `\[c\] Shut down the write side \(FIN sent\); still reading\.`,
		`\[c\] Server closed the connection\.`, `\[c\] => T`)
}

// TestRawCountAndGlob starts four connections at once and closes them
// all with one glob.
func TestRawCountAndGlob(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("run ex5-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("connect srv raw --name c --count 4")
	s.do("sessions")
	out := s.since()
	for _, n := range []string{"c-1", "c-2", "c-3", "c-4"} {
		wantLines(t, out, n+`\s+raw\s+running\s+-\s+1\s+.*`)
	}
	if n := strings.Count(out, "A thread is handling the connection"); n != 4 {
		t.Fatalf("ex5 handled %d connections, want 4:\n%s", n, out)
	}
	s.do("send c-[12] hi")
	s.do("close c-*")
	out = s.since()
	if n := strings.Count(out, "[srv] Read line from"); n != 2 {
		t.Fatalf("ex5 read %d lines, want 2:\n%s", n, out)
	}
	if n := strings.Count(out, "closed connection for a read."); n != 4 {
		t.Fatalf("ex5 saw %d closes, want 4:\n%s", n, out)
	}
	if n := strings.Count(out, "] Closed the connection."); n != 4 {
		t.Fatalf("%d peers closed, want 4:\n%s", n, out)
	}
	s.fails("close c-*", `no live raw connection matches "c-*"`)
	// Names of ended sessions are taken again, as run and connect do.
	s.do("connect srv raw --name c --count 2")
	out = s.since()
	for _, n := range []string{"c-1", "c-2"} {
		if !strings.Contains(out, "(replacing ended session "+n+")") {
			t.Fatalf("connect --count 2 did not replace ended %s:\n%s", n, out)
		}
	}
	s.fails("connect srv raw --name c --count 2", `session name "c-1" is taken`)
}

// TestRawVerbsRefuseExamples checks the verbs' errors for example sessions.
func TestRawVerbsRefuseExamples(t *testing.T) {
	leakCheck(t)
	s := newStepper(t)
	s.do("run ex5-server --port 0 --bind 127.0.0.1 --name srv")
	s.do("connect srv --name cli")
	for _, v := range []string{"pause", "resume", "shutdown", "reset", "close"} {
		s.fails(v+" cli", `session "cli" runs ex4-client, an example: `+v+` works on raw sessions`)
	}
	s.fails("flood srv 1MiB", `session "srv" runs ex5-server, an example: flood works on raw sessions`)
	s.fails("send -x cli 41", `session "cli" runs ex4-client, an example: send -x works on raw sessions`)
	s.fails("flood cli lots", `bad size "lots"`)
}
