package repl

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sockRow is one row of a sockets table, by column name.
type sockRow map[string]string

// parseSockets reads every sockets table in out into rows, cutting each
// line at the header's column offsets; a blank SESSION is the row
// above's.
func parseSockets(t *testing.T, out string) []sockRow {
	t.Helper()
	var rows []sockRow
	var cols []string
	var starts []int
	session := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "SESSION ") {
			cols, starts = strings.Fields(strings.Replace(l, "BYTES IN/OUT", "BYTES_IN/OUT", 1)), nil
			for i, c := range cols {
				cols[i] = strings.Replace(c, "_", " ", 1)
			}
			for _, loc := range regexp.MustCompile(`\S+( IN/OUT)?`).FindAllStringIndex(l, -1) {
				starts = append(starts, loc[0])
			}
			continue
		}
		if cols == nil || l == "" || strings.HasPrefix(l, "[") || strings.HasPrefix(l, "-- ") {
			cols = nil
			continue
		}
		r := sockRow{}
		for i, c := range cols {
			end := len(l)
			if i+1 < len(starts) {
				end = min(starts[i+1], len(l))
			}
			if starts[i] < len(l) {
				r[c] = strings.TrimSpace(l[starts[i]:end])
			}
		}
		if r["SESSION"] == "" {
			r["SESSION"] = session
		}
		session = r["SESSION"]
		rows = append(rows, r)
	}
	return rows
}

// find returns the rows of session with role and state ("" matches any).
func find(rows []sockRow, session, role, state string) []sockRow {
	var out []sockRow
	for _, r := range rows {
		if r["SESSION"] == session && (role == "" || r["ROLE"] == role) && (state == "" || r["STATE"] == state) {
			out = append(out, r)
		}
	}
	return out
}

// num reads a numeric column, failing the test if it is not a number.
func num(t *testing.T, r sockRow, col string) int {
	t.Helper()
	n, err := strconv.Atoi(r[col])
	if err != nil {
		t.Fatalf("column %s = %q, want a number; row %v", col, r[col], r)
	}
	return n
}

// testShell is a script-mode shell whose output the test reads between
// commands.
type testShell struct {
	t   *testing.T
	sh  *Shell
	out bytes.Buffer
}

func newTestShell(t *testing.T) *testShell {
	ts := &testShell{t: t}
	ts.sh = newShell(&ts.out, &ts.out, false, false)
	t.Cleanup(ts.sh.Close)
	return ts
}

// run settles the sessions, runs line and returns what it printed,
// failing the test if the command fails.
func (ts *testShell) run(line string) string {
	ts.t.Helper()
	ts.sh.settle()
	ts.out.Reset()
	if err := ts.sh.Exec(line); err != nil {
		ts.t.Fatalf("%s: %v\n%s", line, err, ts.out.String())
	}
	return ts.out.String()
}

func TestSocketsListenerBacklog(t *testing.T) {
	leakCheck(t)
	ts := newTestShell(t)
	ts.run("run ex2-server --port 0 --bind 127.0.0.1")
	out := ts.run("sockets ex2-server")
	rows := find(parseSockets(t, out), "ex2-server", "listen", "LISTEN")
	if len(rows) != 1 || rows[0]["RECV-Q"] != "0" || rows[0]["SEND-Q"] != "5" || rows[0]["PEER"] != "-" ||
		rows[0]["APP-BUF"] != "-" || rows[0]["RTT"] != "-" || rows[0]["BYTES IN/OUT"] != "-" {
		t.Fatalf("want one listener with RECV-Q 0, SEND-Q (backlog) 5 and no figures the kernel does not give:\n%s", out)
	}
}

func TestSocketsAcceptQueueWhileStalled(t *testing.T) {
	leakCheck(t)
	ts := newTestShell(t)
	ts.run("run ex6-server --port 0 --bind 127.0.0.1")
	ts.run("connect ex6-server raw --name stall")
	ts.run("send -n stall half a li")
	for i := 1; i <= 6; i++ {
		ts.run("connect ex6-server raw --name q" + strconv.Itoa(i))
	}
	out := ts.run("sockets ex6-server --all")
	rows := parseSockets(t, out)
	l := find(rows, "ex6-server", "listen", "LISTEN")
	if len(l) != 1 || l[0]["RECV-Q"] != "6" || l[0]["SEND-Q"] != "5" {
		t.Fatalf("want the listener's accept queue at 6 with backlog 5:\n%s", out)
	}
	if q := find(rows, "ex6-server", "queued", "ESTABLISHED"); len(q) != 6 {
		t.Fatalf("want 6 queued connections no fd holds yet, got %d:\n%s", len(q), out)
	}
	if c := find(rows, "ex6-server", "conn", "ESTABLISHED"); len(c) != 1 || c[0]["RECV-Q"] != "0" || c[0]["APP-BUF"] != "9" {
		t.Fatalf("want the stalling client's connection with its 9 bytes (half a li) in the line reader:\n%s", out)
	}
}

func TestSocketsCloseWaitBeforeNextLine(t *testing.T) {
	leakCheck(t)
	ts := newTestShell(t)
	ts.run("run ex5-server --port 0 --bind 127.0.0.1")
	ts.run("connect ex5-server")
	ts.run("send ex4-client quit")
	ts.run("expect ex5-server 'Closing connection to'")
	out := ts.run("sockets ex4-client")
	rows := find(parseSockets(t, out), "ex4-client", "conn", "")
	if len(rows) != 1 || rows[0]["STATE"] != "CLOSE_WAIT" {
		t.Fatalf("want ex4-client's socket in CLOSE_WAIT before its next line:\n%s", out)
	}
}

func TestSocketsTimeWaitAfterStop(t *testing.T) {
	leakCheck(t)
	ts := newTestShell(t)
	ts.run("run ex2-server --port 0 --bind 127.0.0.1")
	// Raw clients read until the server closes, so ex2 closes first;
	// they close once stopped.
	for _, r := range []string{"r1", "r2"} {
		ts.run("connect ex2-server raw --name " + r)
		ts.run("expect " + r + " 'Server closed the connection'")
		ts.run("stop " + r)
	}
	ts.run("stop ex2-server")
	out := ts.run("sockets --all")
	s, _ := ts.sh.session("ex2-server")
	port := ":" + strconv.Itoa(int(s.listenPort()))
	n := 0
	for _, r := range find(parseSockets(t, out), "ex2-server", "closed", "TIME_WAIT") {
		if strings.HasSuffix(r["LOCAL"], port) {
			n++
			if r["FD"] != "-" || r["RECV-Q"] != "-" || r["SEND-Q"] != "-" || r["APP-BUF"] != "-" {
				t.Fatalf("TIME_WAIT row %v: want no fd and no queues:\n%s", r, out)
			}
		}
	}
	if n < 2 {
		t.Fatalf("want at least 2 TIME_WAIT entries with ex2-server's port %s as local port:\n%s", port, out)
	}
}
