package repl

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ionetsh/ionetsh/netex/loadgen"
)

// clearLine returns a terminal's cursor to the start of the line and
// erases it.
const clearLine = "\r\x1b[K"

// bench runs a benchmark plan, step by step: each target at each client
// count, the load in a child process.
type bench struct {
	plan     benchPlan
	targets  []benchTarget
	colour   bool
	progress func(string) // writes to a terminal; nil for none
	child    loadgen.Child
}

// run runs every step, then writes the report (tables, notes, chart) to
// out and the CSV, if asked. An interrupt ends the run after the step in
// progress reports what it measured; the report is still written and
// errInterrupted returned.
func (b *bench) run(ctx context.Context, out io.Writer) error {
	var rows []loadgen.Row
	printed := map[*Session]int64{}
	total, n := len(b.targets)*len(b.plan.clients), 0
	var runErr error
steps:
	for _, t := range b.targets {
		for _, clients := range b.plan.clients {
			n++
			row, lines, err := b.step(ctx, t, clients, fmt.Sprintf("%d/%d", n, total))
			if t.s != nil {
				printed[t.s] += lines
			}
			if err != nil {
				runErr = err
				break steps
			}
			rows = append(rows, row)
			if ctx.Err() != nil {
				break steps
			}
		}
	}
	b.report(out, rows, printed)
	switch {
	case runErr != nil:
		return runErr
	case len(rows) > 0 && b.plan.csv != "":
		if err := writeCSVFile(b.plan.csv, rows); err != nil {
			return err
		}
		fmt.Fprintf(out, "raw figures written to %s\n", b.plan.csv)
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	return nil
}

// step runs one target at one client count, with the target's own lines
// muted, and measures this process's CPU time while the load runs.
func (b *bench) step(ctx context.Context, t benchTarget, clients int, label string) (loadgen.Row, int64, error) {
	cfg := b.plan.step
	cfg.Addr, cfg.Mode, cfg.Clients = t.addr, t.mode, clients
	unmute := func() int64 { return 0 }
	if t.s != nil {
		unmute = t.s.benchMute()
	}
	var cpu0 time.Duration
	started := false
	show := b.progressLine(label, t, cfg)
	res, err := b.child.Run(ctx, cfg, func(ev loadgen.Event) {
		if ev.Kind == "start" {
			cpu0, _ = loadgen.ProcessCPU()
			started = true
		}
		show(ev)
	})
	cpu1, cpuErr := loadgen.ProcessCPU()
	if b.progress != nil {
		b.progress(clearLine)
	}
	if t.s != nil {
		// The load has closed its connections: let the target print
		// what it says of them while it is still muted.
		waitCalm(time.Second, t.s.idle)
	}
	lines := unmute()
	row := loadgen.Row{Target: t.name, Result: res, CPU: cpu1 - cpu0, HasCPU: t.s != nil && started && cpuErr == nil}
	return row, lines, err
}

// progressLine returns the function that shows a step's progress events
// as one line rewritten in place: the step, the elapsed time and the
// rate since the last event.
func (b *bench) progressLine(label string, t benchTarget, cfg loadgen.Config) func(loadgen.Event) {
	if b.progress == nil {
		return func(loadgen.Event) {}
	}
	of := ""
	if cfg.Rounds == 0 {
		of = " of " + cfg.Duration.String()
	}
	var last loadgen.Event
	return func(ev loadgen.Event) {
		msg := "opening idle connections"
		if ev.Kind == "progress" {
			rate := 0.0
			if dt := ev.Elapsed - last.Elapsed; dt > 0 {
				rate = float64(ev.Ops-last.Ops) / dt.Seconds()
			}
			last = ev
			msg = fmt.Sprintf("%.1fs%s, %s %s", ev.Elapsed.Seconds(), of, loadgen.FormatRate(rate), t.mode.Unit())
		} else if ev.Kind == "start" {
			msg = "starting"
		}
		b.progress(fmt.Sprintf("%sbench %s: %s, %s: %s", clearLine, label, t.name, loadgen.Clients(cfg.Clients), msg))
	}
}

// report writes the tables, what the target sessions printed meanwhile,
// and the chart.
func (b *bench) report(out io.Writer, rows []loadgen.Row, printed map[*Session]int64) {
	if len(rows) > 0 {
		loadgen.WriteTable(out, rows)
	}
	seen := map[*Session]bool{}
	for _, t := range b.targets {
		if t.s == nil || seen[t.s] {
			continue
		}
		seen[t.s] = true
		if n := printed[t.s]; n > 0 {
			fmt.Fprintf(out, "%s printed %d lines during the run, counted, not shown (log %s shows the last ones)\n", t.name, n, t.name)
		}
		if t.s.Ended() {
			fmt.Fprintf(out, "%s ended during the run (%s); log %s shows why\n", t.name, t.s.State(), t.name)
		}
	}
	if len(rows) > 0 {
		fmt.Fprintf(out, "\n%s", loadgen.Chart(rows, b.colour))
	}
}

// writeCSVFile writes the rows' raw figures to the file at path.
func writeCSVFile(path string, rows []loadgen.Row) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cannot write the csv: %v", err)
	}
	if err := loadgen.WriteCSV(f, rows); err != nil {
		f.Close()
		return fmt.Errorf("cannot write the csv: %v", err)
	}
	return f.Close()
}
