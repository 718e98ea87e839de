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

// TestAppendLinesAsAppendLine checks that AppendLines records as one
// AppendLine per line would, and that lines it is told were skipped are
// counted and dropped with every older line.
func TestAppendLinesAsAppendLine(t *testing.T) {
	one, batch := NewTranscriptBounded(5, 40), NewTranscriptBounded(5, 40)
	var ls []Line
	for i := range 12 {
		l := Line{Text: strings.Repeat("x", i%4*5) + fmt.Sprint(i), Source: i % 3}
		one.AppendLine(l)
		ls = append(ls, l)
	}
	batch.AppendLine(Line{Text: "older"})
	batch.AppendLines(1, ls[:4]) // "older" and one skipped line
	batch.AppendLines(0, ls[4:])
	sameTranscript(t, one, batch, 14)
	// ls[8:] fills the bounds (ls[7] would not fit): the 8 before it
	// may be skipped.
	skip := NewTranscriptBounded(5, 40)
	skip.AppendLine(Line{Text: "older"})
	skip.AppendLines(8, ls[8:])
	sameTranscript(t, one, skip, 13)
	ch := skip.Changed()
	skip.AppendLines(2, nil)
	select {
	case <-ch:
	default:
		t.Fatal("skipped lines alone did not signal Changed")
	}
	if n, _ := skip.Size(); n != 0 || skip.Total() != 15 {
		t.Fatalf("after skipping 2: %d kept, total %d; want 0 kept, total 15", n, skip.Total())
	}
}

// sameTranscript fails unless b keeps what a keeps and has seen total
// lines.
func sameTranscript(t *testing.T, a, b *Transcript, total int64) {
	t.Helper()
	if b.Total() != total {
		t.Fatalf("total %d, want %d", b.Total(), total)
	}
	al, bl := a.Last(0), b.Last(0)
	if len(al) != len(bl) {
		t.Fatalf("kept %d lines, want %d", len(bl), len(al))
	}
	for i := range al {
		if al[i] != bl[i] {
			t.Fatalf("line %d: %+v, want %+v", i, bl[i], al[i])
		}
	}
	_, ab := a.Size()
	if _, bb := b.Size(); ab != bb {
		t.Fatalf("kept %d bytes, want %d", bb, ab)
	}
}
