package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// standaloneBenchUsage is the synopsis of ionetsh bench.
const standaloneBenchUsage = "usage: ionetsh bench HOST:PORT... " + benchOptions

// StandaloneBench is ionetsh bench HOST:PORT... : the shell's bench for
// any echo or daytime server, such as one run with ionetsh run. args are
// the words after "bench". The mode defaults to echo. SIGINT and SIGTERM
// end the run after reporting what was measured. The report goes to
// stdout, with a progress line when stdout is a terminal.
//
// The exit status is 0 after a complete run, 1 if the run failed or was
// interrupted, and 2 for a bad command line (one line on stderr).
func StandaloneBench(args []string, stdout, stderr io.Writer) int {
	p, err := parseBench(args)
	var targets []benchTarget
	for i := 0; err == nil && i < len(p.targets); i++ {
		var t benchTarget
		t, err = addrTarget(p.targets[i], p.mode)
		targets = append(targets, t)
	}
	switch {
	case errors.Is(err, errBenchUsage):
		fmt.Fprintln(stderr, standaloneBenchUsage)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "ionetsh bench: %v\n", err)
		return 2
	}
	tty := isTerminal(stdout)
	b := bench{plan: p, targets: targets, colour: tty && os.Getenv("NO_COLOR") == ""}
	if tty {
		b.progress = func(s string) { io.WriteString(stdout, s) }
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = b.run(ctx, stdout)
	switch {
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(stderr, "ionetsh bench: interrupted")
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "ionetsh bench: %v\n", err)
		return 1
	}
	return 0
}
