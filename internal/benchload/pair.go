package benchload

import (
	"slices"
	"testing"
	"time"
)

// Backlog is the listen backlog of both servers of every pair: larger
// than any client count here, so that no connect waits on a full accept
// queue (issue 9 §2.4: fair comparisons use a large backlog). The
// connections are made outside the measured slices in any case.
const Backlog = 128

// Case is a row of a paired benchmark: a server (an example's name, or
// another name the start func knows) under a workload (echo or batch).
type Case struct{ Mode, Server string }

// Goals are the rows of issue 9's Goals table, in its order.
var Goals = []Case{
	{"echo", "ex5-server"}, {"echo", "ex7-server"}, {"echo", "ex8-server"},
	{"batch", "ex7-server"}, {"batch", "ex8-server"},
}

// VsBaseline measures every row of issue 9's Goals table against the
// baseline in one run, as sub-benchmarks named MODE/SERVER: echo/ex5-server,
// echo/ex7-server, echo/ex8-server, batch/ex7-server and batch/ex8-server.
// It is Pairs of Goals.
func VsBaseline(b *testing.B, start func(b *testing.B, server string) (addr string), args ...string) {
	Pairs(b, Goals, start, args...)
}

// Pairs measures each case against the baseline, as a sub-benchmark
// named MODE/SERVER. For each it starts the baseline (GoEcho) and, with
// start, the subject, both in this process and listening with Backlog,
// and a load child (Start, with args) connected to both.
//
// The work comes in slices, and a slice is on one server: echo is 50
// clients of 32-byte ping-pong round trips, 5,000 round trips a slice
// (tens of milliseconds, so that a run holds many rounds); batch is
// issue 9's whole batch, 10 clients sending 100,000 32-byte lines each
// and half-closing, a batch a slice. After a short warm-up of each
// server, b.N rounds of four slices follow, two on each server, in the
// orders of orders; the servers share every swing in the machine's load
// longer than a round, and a steady drift costs both alike within one.
//
// It reports, as medians of the rounds' ratios, cpu-ratio (the subject's
// CPU time per operation over the baseline's, from getrusage of this
// process over each slice) and rate-ratio (the subject's operations per
// second over the baseline's); and over all slices each server's CPU µs,
// allocations and rate per operation (the subject's plain, the
// baseline's prefixed base-). ns/op is the time of a round.
func Pairs(b *testing.B, cases []Case, start func(b *testing.B, server string) (addr string), args ...string) {
	for _, c := range cases {
		b.Run(c.Mode+"/"+c.Server, func(b *testing.B) {
			pair(b, c, GoEcho(b, Backlog), start(b, c.Server), args...)
		})
	}
}

// workload is a mode's clients, the operations of one slice, and the
// name of an operation.
type workload struct {
	clients, slice int
	unit           string
}

// workloads are the modes' workloads, as VsBaseline says.
var workloads = map[string]workload{
	"echo":  {clients: 50, slice: 50 * 100, unit: "roundtrip"},
	"batch": {clients: 10, slice: 10 * 100_000, unit: "line"},
}

// orders are the slices of a round, by server (0 the baseline, 1 the
// subject), for even and odd rounds: symmetric, and alternating which
// server goes first.
var orders = [2][]int{{0, 1, 1, 0}, {1, 0, 0, 1}}

// pair measures the subject at its address against the baseline at
// base, under c's workload, as VsBaseline says.
func pair(b *testing.B, c Case, base, subject string, args ...string) {
	w := workloads[c.Mode]
	child := Start(b, Task{Mode: c.Mode, Clients: w.clients, Addrs: []string{base, subject}}, args...)
	warm := min(w.slice, w.clients*100)
	child.Slice(b, 0, warm)
	child.Slice(b, 1, warm)
	var sums [2]Sample
	cpuRatios, rateRatios := make([]float64, 0, b.N), make([]float64, 0, b.N)
	b.ResetTimer()
	for k := range b.N {
		var s [2]Sample
		for _, i := range orders[k%2] {
			one := child.Slice(b, i, w.slice)
			s[i], sums[i] = add(s[i], one), add(sums[i], one)
		}
		cpuRatios = append(cpuRatios, float64(s[1].CPU)/float64(s[0].CPU))
		rateRatios = append(rateRatios, float64(s[0].Wall)/float64(s[1].Wall))
	}
	b.StopTimer()
	b.ReportMetric(median(cpuRatios), "cpu-ratio")
	b.ReportMetric(median(rateRatios), "rate-ratio")
	for i, prefix := range []string{"base-", ""} {
		s := sums[i]
		b.ReportMetric(float64(s.CPU)/float64(time.Microsecond)/float64(s.Ops), prefix+"cpu-µs/"+w.unit)
		b.ReportMetric(float64(s.Allocs)/float64(s.Ops), prefix+"allocs/"+w.unit)
		b.ReportMetric(float64(s.Ops)/s.Wall.Seconds(), prefix+w.unit+"s/s")
	}
}

func add(a, b Sample) Sample {
	return Sample{Ops: a.Ops + b.Ops, Wall: a.Wall + b.Wall, CPU: a.CPU + b.CPU, Allocs: a.Allocs + b.Allocs}
}

// median returns the median of xs (the mean of the middle two for an
// even count), sorting xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
