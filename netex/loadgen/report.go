package loadgen

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one step's result as the report shows it: the target's name
// and, when the target runs in the measuring process, its CPU time.
type Row struct {
	Target string
	Result Result
	CPU    time.Duration
	HasCPU bool
}

// CPUPerOp is the target's CPU time per operation, if known.
func (r Row) CPUPerOp() (time.Duration, bool) {
	if !r.HasCPU || r.Result.Ops == 0 {
		return 0, false
	}
	return r.CPU / time.Duration(r.Result.Ops), true
}

// WriteTable writes one table per target, a row per client count, in
// the order the rows came, followed by the errors of any row by
// condition.
func WriteTable(w io.Writer, rows []Row) {
	for i, group := range groupByTarget(rows) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		r0 := group[0].Result
		fmt.Fprintf(w, "%s: %s, %s\n", group[0].Target, r0.Config.Mode, describe(r0.Config))
		tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "  clients\trate/s\tp50\tp90\tp99\tmax\tconnect p50/max\tstalls\terrors\tcpu/op\t")
		for _, r := range group {
			res := r.Result
			cpu := "-"
			if d, ok := r.CPUPerOp(); ok {
				cpu = fmtCPU(d)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s/%s\t%d\t%d\t%s\t\n", res.Config.Clients, FormatRate(res.Rate()),
				fmtDur(res.Latency.P50), fmtDur(res.Latency.P90), fmtDur(res.Latency.P99), fmtDur(res.Latency.Max),
				fmtDur(res.Connect.P50), fmtDur(res.Connect.Max), res.Stalls, res.ErrorCount(), cpu)
		}
		tw.Flush()
		for _, r := range group {
			writeNotes(w, r.Result)
		}
	}
}

// describe says what a step measured, for a table's heading.
func describe(c Config) string {
	var parts []string
	if c.Mode == Echo || c.Mode == Batch {
		parts = append(parts, fmt.Sprintf("%d-byte lines", c.Size))
	}
	if c.Rounds > 0 {
		parts = append(parts, fmt.Sprintf("%d rounds per client", c.Rounds))
	} else {
		parts = append(parts, c.Duration.String()+" per step")
	}
	if c.Idle > 0 {
		parts = append(parts, fmt.Sprintf("%d idle connections", c.Idle))
	}
	s := strings.Join(parts, ", ")
	if c.Mode == Batch {
		s += "; latency is per batch"
	}
	return s
}

// writeNotes writes a step's errors by condition, idle connections and
// interruption, if any, one line each.
func writeNotes(w io.Writer, r Result) {
	at := "  at " + Clients(r.Config.Clients) + ":"
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "%s errors: %s\n", at, byCondition(r.Errors))
	}
	if r.Config.Idle > 0 {
		failed := ""
		if len(r.IdleErrors) > 0 {
			failed = " (failed: " + byCondition(r.IdleErrors) + ")"
		}
		fmt.Fprintf(w, "%s idle connections: %d of %d opened%s, %d still open at the end\n", at, r.IdleOpened, r.Config.Idle, failed, r.IdleHeld)
	}
	if r.Interrupted {
		fmt.Fprintf(w, "%s interrupted after %s\n", at, r.Elapsed.Round(time.Millisecond))
	}
}

// Clients says "1 client" or "N clients".
func Clients(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}

// byCondition lists error counts by condition, e.g. "reset 2, eof 1".
func byCondition(m map[string]int64) string {
	var parts []string
	for _, c := range sortedConditions(m) {
		parts = append(parts, fmt.Sprintf("%s %d", c, m[c]))
	}
	return strings.Join(parts, ", ")
}

// groupByTarget splits rows into runs of the same target.
func groupByTarget(rows []Row) [][]Row {
	var out [][]Row
	for i, r := range rows {
		if i == 0 || rows[i-1].Target != r.Target || rows[i-1].Result.Config.Mode != r.Result.Config.Mode {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r)
	}
	return out
}

// fmtDur formats a latency in 3 or 4 significant characters.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d/time.Microsecond)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < 999500*time.Microsecond:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// fmtCPU formats a CPU time per operation in microseconds, to three
// significant digits.
func fmtCPU(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	if us < 10 {
		return fmt.Sprintf("%.2fµs", us)
	}
	return fmt.Sprintf("%.1fµs", us)
}

// FormatRate formats a rate with k or M for thousands or millions.
func FormatRate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.2fM", r/1e6)
	case r >= 1e4:
		return fmt.Sprintf("%.1fk", r/1e3)
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.1f", r)
}

// csvHeader names the CSV columns; durations are in microseconds.
var csvHeader = []string{"target", "mode", "clients", "size", "rounds", "seconds", "ops", "rate",
	"p50_us", "p90_us", "p99_us", "max_us", "connects", "connect_p50_us", "connect_max_us", "stalls",
	"errors", "err_refused", "err_reset", "err_eof", "err_timeout", "err_wrong_echo", "err_other",
	"cpu_us_per_op", "idle", "idle_opened", "idle_held", "interrupted"}

// WriteCSV writes every row's raw figures, one line each, after a header.
// A CPU figure that is not known is empty.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	us := func(d time.Duration) string { return strconv.FormatInt(int64(d/time.Microsecond), 10) }
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, r := range rows {
		res, c := r.Result, r.Result.Config
		cpu := ""
		if d, ok := r.CPUPerOp(); ok {
			cpu = strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', 3, 64)
		}
		rec := []string{r.Target, string(c.Mode), strconv.Itoa(c.Clients), strconv.Itoa(c.Size), strconv.Itoa(c.Rounds),
			strconv.FormatFloat(res.Elapsed.Seconds(), 'f', 3, 64), n(res.Ops), strconv.FormatFloat(res.Rate(), 'f', 1, 64),
			us(res.Latency.P50), us(res.Latency.P90), us(res.Latency.P99), us(res.Latency.Max),
			n(res.Connect.Count), us(res.Connect.P50), us(res.Connect.Max), n(res.Stalls), n(res.ErrorCount())}
		for _, cond := range Conditions {
			rec = append(rec, n(res.Errors[cond]))
		}
		rec = append(rec, cpu, strconv.Itoa(c.Idle), strconv.Itoa(res.IdleOpened), strconv.Itoa(res.IdleHeld),
			strconv.FormatBool(res.Interrupted))
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
