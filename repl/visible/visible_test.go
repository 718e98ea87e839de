package visible

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"\x1b]0;pwned\x07\x1b[2J\x1b[31m", `\x1b]0;pwned\x07\x1b[2J\x1b[31m`},
		{"lone\rCR", `lone\rCR`},
		{"crlf\r\n", "crlf\\r\n"},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"cut \xe2\x82 rune", `cut \xe2\x82 rune`},
		{"c1 \u0085 and \u009b", `c1 \xc2\x85 and \xc2\x9b`},
		{"raw c1 \x9b", `raw c1 \x9b`},
		{"héllo €", "héllo €"},
	}
	for _, c := range cases {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestNoControlsLeft checks the rule on every byte value, alone and
// after a valid prefix: what comes out has no byte below 0x20 except
// newline and tab, no DEL, and is valid UTF-8 without C1 controls.
func TestNoControlsLeft(t *testing.T) {
	for b := 0; b < 256; b++ {
		for _, in := range []string{string([]byte{byte(b)}), "x" + string([]byte{byte(b)}) + "y", "\xc2" + string([]byte{byte(b)})} {
			checkVisible(t, in, String(in))
		}
	}
}

func checkVisible(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("String(%q) = %q is not valid UTF-8", in, out)
	}
	for _, r := range out {
		if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f {
			t.Fatalf("String(%q) = %q keeps control %U", in, out, r)
		}
	}
}

func TestCut(t *testing.T) {
	if got := Cut("short", 10); got != "short" {
		t.Fatalf("Cut short = %q", got)
	}
	long := strings.Repeat("a", 5000)
	if got, want := Cut(long, 4096), strings.Repeat("a", 4096)+"… [+904 bytes]"; got != want {
		t.Fatalf("Cut long: got %d bytes ending %q", len(got), got[len(got)-20:])
	}
	// A cut inside a character backs up to its start.
	s := strings.Repeat("a", 4095) + "€" + "tail"
	if got, want := Cut(s, 4096), strings.Repeat("a", 4095)+"… [+7 bytes]"; got != want {
		t.Fatalf("Cut mid-rune: got ...%q, want ...%q", got[4090:], want[4090:])
	}
	// Invalid UTF-8 is cut at n exactly.
	s = strings.Repeat("\x80", 5000)
	if got := Cut(s, 4096); !strings.HasPrefix(got, s[:4096]+"… [+904 bytes]") {
		t.Fatalf("Cut invalid: got %d bytes", len(got))
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("abc"); got != `"abc"` {
		t.Fatalf("Quote short = %s", got)
	}
	if got := Quote("a\x1b[2Jb"); got != `"a\x1b[2Jb"` {
		t.Fatalf("Quote escape = %s", got)
	}
	long := strings.Repeat("é", 600000)
	got := Quote(long)
	if want := `"` + strings.Repeat("é", QuoteLimit) + `…"`; got != want {
		t.Fatalf("Quote long = %d bytes, want %q", len(got), want)
	}
	if got := Quote(strings.Repeat("x", QuoteLimit)); got != `"`+strings.Repeat("x", QuoteLimit)+`"` {
		t.Fatalf("Quote at limit = %s", got)
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	in := "Read line from 127.0.0.1:5: \x1b[31mred\x07\n"
	n, err := w.Write([]byte(in))
	if err != nil || n != len(in) {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(in))
	}
	if got, want := b.String(), "Read line from 127.0.0.1:5: \\x1b[31mred\\x07\n"; got != want {
		t.Fatalf("wrote %q, want %q", got, want)
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;pwned\x07", "\xff\r\n\t", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkVisible(t, s, String(s))
		checkVisible(t, s, Quote(s))
	})
}

// TestAppendCut checks that AppendCut and CutLen agree with Cut, for
// short, long, mid-character and invalid UTF-8 lines.
func TestAppendCut(t *testing.T) {
	for _, s := range []string{"", "short", strings.Repeat("a", 10), strings.Repeat("a", 11),
		strings.Repeat("a", 9) + "€tail", strings.Repeat("\x80", 40), "ab\xe2\x82"} {
		want := Cut(s, 10)
		if got := string(AppendCut([]byte("pre"), []byte(s), 10)); got != "pre"+want {
			t.Errorf("AppendCut(%q) = %q, want %q", s, got, "pre"+want)
		}
		if got := CutLen([]byte(s), 10); got != len(want) {
			t.Errorf("CutLen(%q) = %d, want %d", s, got, len(want))
		}
	}
}
