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

// Case is one row of issue 9's Goals table: a server under a workload.
type Case struct {
	Mode   string // echo or batch
	Server string // the example's name
}

// Cases are the Goals table's rows, in its order.
var Cases = []Case{
	{"echo", "ex5-server"}, {"echo", "ex7-server"}, {"echo", "ex8-server"},
	{"batch", "ex7-server"}, {"batch", "ex8-server"},
}

// Name is the case's sub-benchmark name, MODE/SERVER.
func (c Case) Name() string { return c.Mode + "/" + c.Server }

// workload is a mode's clients, the operations of one slice, and the
// name of an operation.
type workload struct {
	clients, slice int
	unit           string
}

// workloads: echo is 50 ping-pong clients, 100 round trips each per
// slice (tens of milliseconds: short, so that a run holds many rounds);
// batch is issue 9's whole batch, 10 clients sending 100,000 lines each
// and half-closing.
var workloads = map[string]workload{
	"echo":  {clients: 50, slice: 50 * 100, unit: "roundtrip"},
	"batch": {clients: 10, slice: 10 * 100_000, unit: "line"},
}

// orders are the slices of a round, by server (0 the baseline, 1 the
// subject), for even and odd rounds: each is symmetric, so that a steady
// drift in the machine's load costs both servers alike within a round,
// and they alternate which server goes first.
var orders = [2][]int{{0, 1, 1, 0}, {1, 0, 0, 1}}

// Pair measures a subject server against the baseline, both at their
// addresses and both running in this process, under the case's workload
// from a load child (Start's args). After a short warm-up of each, it
// runs b.N rounds of four slices, two on each server (orders); the
// servers share every swing in the machine's load longer than a round.
// It reports, as medians of the rounds' ratios, cpu-ratio (the subject's
// CPU per operation over the baseline's) and rate-ratio (the subject's
// operations per second over the baseline's), and over all slices each
// server's CPU µs, allocations and rate per operation (the subject's
// plain, the baseline's prefixed base-). ns/op is the time of a round.
func Pair(b *testing.B, c Case, base, subject string, args ...string) {
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
