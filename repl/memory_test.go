package repl

import (
	"io"
	"runtime"
	"testing"

	"github.com/ionetsh/ionetsh/netex"
)

// chatty is an example that prints n numbered lines and returns T.
func chatty(n int) *netex.Example {
	return &netex.Example{Name: "chatty", Role: netex.Client, Run: func(t *netex.Thread) (bool, error) {
		for i := 0; i < n; i++ {
			t.Printf("line %d of a chatty session, padded to look like a server's diagnostic\n", i)
		}
		return true, nil
	}}
}

// printMillion runs a session that prints lines lines through a live
// shell writing to io.Discard, and returns the memory the process got
// from the OS (runtime Sys, which tracks resident memory for a Go
// program) and the number of lines the transcript kept.
func printMillion(tb testing.TB, lines int) (sysMiB float64, kept int) {
	sh := newShell(io.Discard, io.Discard, true, false)
	s, err := sh.startSession("chatty", chatty(lines), netex.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	<-s.ended
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	kept = len(s.log.Last(0))
	sh.Close()
	return float64(ms.Sys) / (1 << 20), kept
}

// TestMillionLinesBoundedMemory checks that the transcript bound holds
// the shell's memory under 64 MiB while a session prints a million
// lines.
func TestMillionLinesBoundedMemory(t *testing.T) {
	const lines = 1000000
	sys, kept := printMillion(t, lines)
	if sys >= 64 {
		t.Fatalf("memory from the OS %.1f MiB after %d lines, want < 64", sys, lines)
	}
	if kept != 10000 {
		t.Fatalf("transcript kept %d lines, want 10000", kept)
	}
	t.Logf("%d lines: %.1f MiB from the OS", lines, sys)
}

// BenchmarkMillionLines reports the memory figure for the issue: run it
// with go test -run '^$' -bench MillionLines -benchtime 1x ./repl.
func BenchmarkMillionLines(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sys, _ := printMillion(b, 1000000)
		b.ReportMetric(sys, "MiB-sys")
	}
}
