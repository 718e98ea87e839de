package loadgen

import (
	"errors"
	"io"
	"net"
	"os"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Result is what one step measured.
type Result struct {
	Config  Config           `json:"config"`
	Elapsed time.Duration    `json:"elapsed"`
	Ops     int64            `json:"ops"`
	Latency Summary          `json:"latency"`
	Connect Summary          `json:"connect"`
	Stalls  int64            `json:"stalls"`
	Errors  map[string]int64 `json:"errors,omitempty"`
	// IdleOpened is how many idle connections were opened; IdleHeld how
	// many of them were still open at the end.
	IdleOpened  int              `json:"idle_opened"`
	IdleHeld    int              `json:"idle_held"`
	IdleErrors  map[string]int64 `json:"idle_errors,omitempty"`
	Interrupted bool             `json:"interrupted"`
}

// Rate is operations per second.
func (r Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Elapsed.Seconds()
}

// ErrorCount is the number of errors of every condition.
func (r Result) ErrorCount() int64 {
	var n int64
	for _, v := range r.Errors {
		n += v
	}
	return n
}

// Summary is a latency distribution: its percentiles, maximum and count.
type Summary struct {
	Count int64         `json:"count"`
	P50   time.Duration `json:"p50"`
	P90   time.Duration `json:"p90"`
	P99   time.Duration `json:"p99"`
	Max   time.Duration `json:"max"`
}

// The conditions errors are counted under.
const (
	ErrRefused   = "refused"
	ErrReset     = "reset"
	ErrEOF       = "eof"
	ErrTimeout   = "timeout"
	ErrWrongEcho = "wrong echo"
	ErrOther     = "other"
)

// Conditions lists the error conditions in report order.
var Conditions = []string{ErrRefused, ErrReset, ErrEOF, ErrTimeout, ErrWrongEcho, ErrOther}

// errWrongEcho is a reply that is not the line sent (or, for daytime,
// not a line).
var errWrongEcho = errors.New("wrong echo")

// classify names the condition of a network error.
func classify(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, errWrongEcho):
		return ErrWrongEcho
	case errors.Is(err, syscall.ECONNREFUSED):
		return ErrRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return ErrReset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ErrEOF
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	}
	return ErrOther
}

// histMax is the largest latency the histograms track, in microseconds.
const histMax = int64(time.Hour / time.Microsecond)

// recorder collects latencies from every client into one HDR histogram.
// Clients buffer samples (see sampler) and hand them over in batches, so
// the lock is taken once per batch, not once per operation.
type recorder struct {
	mu     sync.Mutex
	h      *hdrhistogram.Histogram
	stalls int64
}

func newRecorder() *recorder {
	return &recorder{h: hdrhistogram.New(1, histMax, 3)}
}

func (r *recorder) add(samples []time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range samples {
		if d >= StallAfter {
			r.stalls++
		}
		us := max(int64(d/time.Microsecond), 1)
		r.h.RecordValue(min(us, histMax))
	}
}

func (r *recorder) summary() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	us := func(q float64) time.Duration { return time.Duration(r.h.ValueAtQuantile(q)) * time.Microsecond }
	return Summary{Count: r.h.TotalCount(), P50: us(50), P90: us(90), P99: us(99),
		Max: time.Duration(r.h.Max()) * time.Microsecond}
}

// sampler is one client's buffer of samples for a recorder.
type sampler struct {
	r   *recorder
	buf []time.Duration
}

func (s *sampler) record(d time.Duration) {
	s.buf = append(s.buf, d)
	if len(s.buf) == cap(s.buf) {
		s.flush()
	}
}

func (s *sampler) flush() {
	if len(s.buf) > 0 {
		s.r.add(s.buf)
		s.buf = s.buf[:0]
	}
}

// errorCounts counts errors by condition, from every client.
type errorCounts struct {
	mu sync.Mutex
	m  map[string]int64
}

func (e *errorCounts) add(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]int64{}
	}
	e.m[classify(err)]++
}

func (e *errorCounts) snapshot() map[string]int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.m) == 0 {
		return nil
	}
	out := make(map[string]int64, len(e.m))
	for k, v := range e.m {
		out[k] = v
	}
	return out
}

// sortedConditions returns the conditions present in m, in report order.
func sortedConditions(m map[string]int64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	rank := func(c string) int {
		for i, x := range Conditions {
			if x == c {
				return i
			}
		}
		return len(Conditions)
	}
	sort.Slice(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}
