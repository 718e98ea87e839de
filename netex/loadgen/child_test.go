package loadgen

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/leaktest"
)

func TestChildRunsAStep(t *testing.T) {
	leaktest.Check(t)
	srv := newServer(t, echo(same))
	var kinds []string
	res, err := Child{}.Run(context.Background(), config(srv.addr(), Echo, 4, 100), func(ev Event) { kinds = append(kinds, ev.Kind) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Ops != 400 || len(res.Errors) != 0 || len(kinds) == 0 || kinds[0] != "start" {
		t.Fatalf("ops %d errors %v events %v; want 400 ops, no errors, start first", res.Ops, res.Errors, kinds)
	}
	if c := leaktest.Children(); c != "" {
		t.Fatalf("child processes left: %s", c)
	}
}

func TestChildInterruptReportsWhatWasMeasured(t *testing.T) {
	leaktest.Check(t)
	srv := newServer(t, echo(same))
	cfg := config(srv.addr(), Echo, 4, 0)
	cfg.Duration = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	res, err := Child{}.Run(ctx, cfg, func(ev Event) {
		if ev.Kind == "progress" && ev.Ops > 0 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Ops == 0 || len(res.Errors) != 0 || time.Since(start) > 30*time.Second {
		t.Fatalf("interrupted %v ops %d errors %v after %s", res.Interrupted, res.Ops, res.Errors, time.Since(start))
	}
	if c := leaktest.Children(); c != "" {
		t.Fatalf("child processes left: %s", c)
	}
}

func TestChildReportsABadCommand(t *testing.T) {
	leaktest.Check(t)
	_, err := Child{Command: []string{"/bin/sh", "-c", "echo boom >&2; exit 3"}}.Run(context.Background(), config("127.0.0.1:1", Echo, 1, 1), nil)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the child's message", err)
	}
}

func TestReportTableChartAndCSV(t *testing.T) {
	leaktest.Check(t)
	srv, day := newServer(t, echo(same)), newServer(t, daytime)
	var rows []Row
	for _, target := range []string{"a", "b"} {
		for _, n := range []int{1, 4} {
			rows = append(rows, Row{Target: target, Result: Run(context.Background(), config(srv.addr(), Echo, n, 50), nil),
				CPU: time.Millisecond, HasCPU: target == "a"})
		}
	}
	rows = append(rows, Row{Target: "d", Result: Run(context.Background(), config(day.addr(), Daytime, 2, 5), nil)})
	var tab bytes.Buffer
	WriteTable(&tab, rows)
	for _, want := range []string{"a: echo, 32-byte lines", "b: echo", "d: daytime", "clients", "cpu/op"} {
		if !strings.Contains(tab.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tab.String())
		}
	}
	chart := Chart(rows, false)
	if !strings.Contains(chart, "round trips/s (echo) by clients") || !strings.Contains(chart, "* a   o b") ||
		!strings.Contains(chart, "connections/s (daytime) by clients: no chart") || strings.Contains(chart, "\x1b[") {
		t.Errorf("chart:\n%s", chart)
	}
	for _, l := range strings.Split(chart, "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("chart line of %d columns: %q", n, l)
		}
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(recs) != 6 || len(recs[0]) != len(recs[1]) || recs[1][0] != "a" || recs[1][6] != "50" || recs[5][23] != "" {
		t.Fatalf("csv %v: %v", err, recs)
	}
}
