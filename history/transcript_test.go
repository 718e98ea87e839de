package history

import (
	"fmt"
	"strings"
	"testing"
)

// TestTranscriptLineBound checks the line bound: the last lines are
// kept, older ones counted as dropped, and indexes stay absolute.
func TestTranscriptLineBound(t *testing.T) {
	tr := NewTranscript(100)
	for i := 0; i < 250; i++ {
		tr.Append(fmt.Sprint(i))
	}
	lines := tr.Last(0)
	if len(lines) != 100 || lines[0].Text != "150" || lines[99].Text != "249" {
		t.Fatalf("kept %d lines, %q..%q; want 100, 150..249", len(lines), lines[0].Text, lines[len(lines)-1].Text)
	}
	if d := tr.Dropped(); d != 150 {
		t.Fatalf("dropped %d, want 150", d)
	}
	got, first := tr.Since(240)
	if first != 240 || len(got) != 10 || got[0].Text != "240" {
		t.Fatalf("Since(240) = %d lines from %d", len(got), first)
	}
}

// TestTranscriptByteBound checks the byte bound: text kept never exceeds
// it, the oldest lines go first and are counted as dropped, and a line
// longer than the bound is still kept on its own.
func TestTranscriptByteBound(t *testing.T) {
	tr := NewTranscriptBounded(10000, 1000)
	line := strings.Repeat("x", 99)
	for i := 0; i < 50; i++ {
		tr.Append(fmt.Sprintf("%s%d", line, i%10)) // 100 bytes each
		if _, b := tr.Size(); b > 1000 {
			t.Fatalf("after %d lines %d bytes kept, bound 1000", i+1, b)
		}
	}
	n, b := tr.Size()
	if n != 10 || b != 1000 || tr.Dropped() != 40 {
		t.Fatalf("kept %d lines, %d bytes, dropped %d; want 10, 1000, 40", n, b, tr.Dropped())
	}
	if first := tr.Last(0)[0].Text; !strings.HasSuffix(first, "0") {
		t.Fatalf("oldest kept line ends %q, want line 40", first[len(first)-1:])
	}
	tr.Append(strings.Repeat("y", 5000))
	if n, b := tr.Size(); n != 1 || b != 5000 || tr.Dropped() != 50 {
		t.Fatalf("after a 5000-byte line: %d lines, %d bytes, %d dropped; want 1, 5000, 50", n, b, tr.Dropped())
	}
	tr.Append("short")
	if n, _ := tr.Size(); n != 1 || tr.Last(0)[0].Text != "short" {
		t.Fatalf("the long line was not dropped for the next one: %d lines", n)
	}
}

// TestTranscriptSetLimits checks that lowering the bounds drops the
// oldest lines at once, and raising them lets more be kept.
func TestTranscriptSetLimits(t *testing.T) {
	tr := NewTranscriptBounded(100, 1<<20)
	for i := 0; i < 100; i++ {
		tr.Append(fmt.Sprintf("%04d", i))
	}
	tr.SetLimits(10, 1<<20)
	if n, _ := tr.Size(); n != 10 || tr.Last(0)[0].Text != "0090" {
		t.Fatalf("after SetLimits(10): %d lines from %q", n, tr.Last(0)[0].Text)
	}
	tr.SetLimits(100, 20)
	if n, b := tr.Size(); n != 5 || b != 20 {
		t.Fatalf("after SetLimits(100, 20): %d lines, %d bytes; want 5, 20", n, b)
	}
	tr.SetLimits(1000, 1<<20)
	for i := 0; i < 500; i++ {
		tr.Append("abcd")
	}
	if n, _ := tr.Size(); n != 505 {
		t.Fatalf("after raising the bounds: %d lines, want 505", n)
	}
	if l, b := tr.Limits(); l != 1000 || b != 1<<20 {
		t.Fatalf("Limits = %d, %d", l, b)
	}
}
