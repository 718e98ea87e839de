package repl

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/ionetsh/ionetsh/internal/visible"
	"github.com/ionetsh/ionetsh/netex"
)

// standaloneUsage is the one-line synopsis of ionetsh run.
const standaloneUsage = "usage: ionetsh run NAME [--host H] [--port P] [--bind ADDR] [--backlog N]"

// errReported is a parse error the flag package has already printed.
var errReported = errors.New("reported")

// standaloneRun is what ionetsh run was asked to run.
type standaloneRun struct {
	ex  *netex.Example
	cfg netex.Config
}

// Standalone runs one example in the foreground (ionetsh run NAME ...),
// as an ordinary process. args are the words after "run": the example's
// name and the options --host H (clients; default localhost), --port P
// (default 9999), --bind ADDR (servers; default 0.0.0.0) and --backlog N
// (servers; default the tutorial's 5), also written --port=P. A port must be 1-65535, except that a server takes
// 0 for an ephemeral port (its Listening line shows the real one). An
// option that does not apply to the example's role is an error.
//
// stdin is the example's standard input, for the examples that read
// it; its lines go to stdout. SIGINT and SIGTERM stop the example as the
// shell's stop does: its cleanup runs and prints.
//
// On return the example's value is printed on its own line, T or NIL,
// and the exit status is 0. After a stop by signal no value is printed
// (the example did not return one) and the status is still 0, since the
// stop is the ordinary way to end a server. An unhandled condition is
// printed to stderr as the debugger's first line, with status 1. A bad
// command line is one line on stderr, with status 2; -h prints the
// usage on stdout, with status 0.
//
// Everything printed is made visible (package visible): lines are
// printed whole, but no byte from a peer reaches the terminal raw.
func Standalone(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stdout, stderr = visible.NewWriter(stdout), visible.NewWriter(stderr)
	run, err := parseStandalone(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, standaloneUsage)
		return 0
	case errors.Is(err, errReported):
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "ionetsh run: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	return runForeground(ctx, run, stdin, stdout, stderr)
}

// parseStandalone reads ionetsh run's arguments. The name may come
// before, after or between the options. The flag package prints its own
// errors to stderr, as one line (cut short if it quotes a long
// argument); they come back as errReported.
func parseStandalone(args []string, stderr io.Writer) (standaloneRun, error) {
	args, exOpts, err := standaloneExampleFlags(args)
	if err != nil {
		return standaloneRun{}, err
	}
	fs := flag.NewFlagSet("ionetsh run", flag.ContinueOnError)
	fs.SetOutput(shortLines{stderr})
	fs.Usage = func() {}
	host := fs.String("host", netex.DefaultHost, "the host a client connects to")
	port := fs.String("port", strconv.Itoa(netex.DefaultPort), "the port to connect to or listen on")
	bind := fs.String("bind", "0.0.0.0", "the address a server binds to")
	backlog := fs.String("backlog", strconv.Itoa(netex.DefaultBacklog), "a server's listen backlog")
	var names []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return standaloneRun{}, err
		} else if err != nil {
			return standaloneRun{}, errReported
		}
		if fs.NArg() == 0 {
			break
		}
		names, args = append(names, fs.Arg(0)), fs.Args()[1:]
	}
	var targets []string
	if len(names) > 1 {
		if ex, ok := netex.Lookup(names[0]); ok {
			if _, takes := ex.FindFlag("target"); takes {
				names, targets = names[:1], names[1:]
			}
		}
	}
	ex, err := standaloneExample(names)
	if err != nil {
		return standaloneRun{}, err
	}
	if err := positionalTargets(ex, targets, &exOpts); err != nil {
		return standaloneRun{}, err
	}
	if err := checkRoleOptions(fs, ex); err != nil {
		return standaloneRun{}, err
	}
	cfg, err := standaloneConfig(ex, *host, *port, *bind)
	cfg.Opts = exOpts
	if err == nil {
		cfg.Backlog, err = parseBacklog(*backlog)
	}
	return standaloneRun{ex: ex, cfg: cfg}, err
}

// standaloneExample finds the one example named on the command line.
func standaloneExample(names []string) (*netex.Example, error) {
	switch {
	case len(names) == 0:
		return nil, fmt.Errorf("missing example name; valid names: %s", exampleNames())
	case len(names) > 1:
		return nil, fmt.Errorf("unexpected argument %s after %s", visible.Quote(names[1]), visible.Quote(names[0]))
	}
	ex, ok := netex.Lookup(names[0])
	if !ok {
		return nil, fmt.Errorf("unknown example %s; valid names: %s", visible.Quote(names[0]), exampleNames())
	}
	return ex, nil
}

// checkRoleOptions rejects --bind for a client and --host for a server.
func checkRoleOptions(fs *flag.FlagSet, ex *netex.Example) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch {
		case f.Name == "bind" && ex.Role == netex.Client:
			err = fmt.Errorf("--bind is for servers; %s is a client (use --host)", ex.Name)
		case f.Name == "host" && ex.Role == netex.Server:
			err = fmt.Errorf("--host is for clients; %s is a server (use --bind)", ex.Name)
		case f.Name == "backlog" && ex.Role == netex.Client:
			err = fmt.Errorf("--backlog is for servers; %s is a client", ex.Name)
		}
	})
	return err
}

// standaloneConfig checks the option values and makes the Run's Config.
func standaloneConfig(ex *netex.Example, host, port, bind string) (netex.Config, error) {
	lowest := 1
	if ex.Role == netex.Server {
		lowest = 0
	}
	p, err := parsePort(port, lowest)
	if err != nil {
		return netex.Config{}, err
	}
	ip, err := resolveBind(bind)
	if err != nil {
		return netex.Config{}, err
	}
	if host == "" {
		return netex.Config{}, errors.New("empty host")
	}
	return netex.Config{Host: host, Port: p, Bind: ip}, nil
}

// runForeground runs the example until it returns or ctx ends, then
// reports how it ended and returns the exit status.
func runForeground(ctx context.Context, run standaloneRun, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg := run.cfg
	cfg.Out = stdout
	if run.ex.ReadsStdin {
		pipe := netex.NewStdinPipe()
		go pipe.Feed(stdin)
		cfg.Stdin = pipe
	}
	r, err := netex.Start(ctx, run.ex, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "ionetsh run: %v\n", err)
		return 2
	}
	<-r.Done()
	return reportResult(r.Result(), stdout, stderr)
}

// reportResult prints how a Run ended and returns the exit status.
func reportResult(res netex.Result, stdout, stderr io.Writer) int {
	switch {
	case res.Err != nil:
		for _, l := range unhandledLines(res.Err) {
			fmt.Fprintln(stderr, l)
		}
		var p *netex.PanicError
		if errors.As(res.Err, &p) {
			fmt.Fprint(stderr, p.Stack)
		}
		return 1
	case res.Stopped:
		return 0
	}
	fmt.Fprintln(stdout, res.Lisp())
	return 0
}

// shortLines writes each line written to it cut to 200 bytes (see
// visible.Cut), for messages that quote an argument of any length.
type shortLines struct{ w io.Writer }

func (s shortLines) Write(p []byte) (int, error) {
	for _, l := range strings.SplitAfter(string(p), "\n") {
		nl := strings.HasSuffix(l, "\n")
		l = visible.Cut(strings.TrimSuffix(l, "\n"), 200)
		if nl {
			l += "\n"
		}
		if _, err := io.WriteString(s.w, l); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
