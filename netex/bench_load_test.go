package netex

import (
	"os"
	"testing"

	"github.com/ionetsh/ionetsh/internal/benchload"
)

// The benchmarks' load runs in a child process (internal/benchload): the
// test binary run again with benchload.Env set, which makes
// TestBenchLoadChild the load. The parent measures its own CPU time and
// allocations over the slices of work the child runs.

// childArgs make the test binary, run again, the load child.
var childArgs = []string{"-test.run=^TestBenchLoadChild$", "-test.count=1"}

// measureLoad runs a child doing b.N operations of mode (echo or batch)
// over clients connections to addr, and reports the rate as unit per
// second, this process's CPU time per operation and its allocations.
func measureLoad(b *testing.B, addr, mode string, clients int, unit string) {
	measureIdleLoad(b, addr, mode, clients, unit, 0, nil)
}

// measureIdleLoad is measureLoad with idle connections opened first and
// held during the run. Once the child has made them all, ready (if not
// nil) is called before the measured loop.
func measureIdleLoad(b *testing.B, addr, mode string, clients int, unit string, idle int, ready func()) {
	child := benchload.Start(b, benchload.Task{Mode: mode, Clients: clients, Idle: idle, Addrs: []string{addr}}, childArgs...)
	if ready != nil {
		ready()
	}
	b.ReportAllocs()
	b.ResetTimer()
	s := child.Slice(b, 0, b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit+"/s")
	b.ReportMetric(float64(s.CPU.Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
}

// TestBenchLoadChild is the benchmarks' load when run as their child; run
// otherwise, it does nothing.
func TestBenchLoadChild(t *testing.T) {
	if !benchload.IsChild() {
		return
	}
	if err := benchload.ChildMain(os.Stdin, os.Stdout); err != nil {
		t.Fatal(err)
	}
}
