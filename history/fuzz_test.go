package history

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoad writes any bytes as a history file and opens it. A file
// holding NUL bytes or invalid UTF-8 is set aside, untouched, as
// PATH.corrupt and the history starts empty; any other file gives its
// non-blank lines (CR before the newline dropped, consecutive repeats
// once), the last limit of them. Nothing panics, and an Add after the
// load is saved and comes back on the next Open.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{"", "run ex1-server\n", "a\nb\r\nb\n\n  \nc", "torn", "nul\x00\n", "bad \xff\n",
		"help\nhelp\nsessions\n", strings.Repeat("x\ny\n", 20), "\r\n\r\n", "é ✓\n"} {
		f.Add([]byte(s), 3)
	}
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		limit = 1 + abs(limit)%8
		path := filepath.Join(t.TempDir(), "history")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, limit)
		got := s.Entries()
		if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
			aside, rerr := os.ReadFile(path + ".corrupt")
			if len(got) != 0 || err == nil || rerr != nil || !bytes.Equal(aside, data) {
				t.Fatalf("corrupt file: entries %q, warning %v, set aside %v", got, err, rerr)
			}
			return
		}
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if want := expectEntries(string(data), limit); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("entries %q, want %q", got, want)
		}
		if _, err := s.Add("fuzz-added"); err != nil {
			t.Fatalf("Add: %v", err)
		}
		again, err := Open(path, limit)
		if e := again.Entries(); err != nil || len(e) == 0 || e[len(e)-1] != "fuzz-added" {
			t.Fatalf("after Add and Open: %q, %v", e, err)
		}
	})
}

// expectEntries is what loading data should give, worked out plainly.
func expectEntries(data string, limit int) []string {
	var out []string
	for _, l := range strings.Split(data, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if strings.TrimSpace(l) == "" || len(out) > 0 && out[len(out)-1] == l {
			continue
		}
		out = append(out, l)
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
