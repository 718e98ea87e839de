package repl

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/netex/loadgen"
	"github.com/ionetsh/ionetsh/repl/visible"
	"github.com/mattn/go-isatty"
)

// flags are the shell's command-line options.
type flags struct {
	command    string // -c
	echo       bool
	noColor    bool
	file       string
	history    string
	historySet bool
	replay     string
	pace       float64
	step       bool
	errexit    bool // -e
	version    bool
	then       bool // --then-interactive
}

// env is what the program runs with: its standard streams and the
// signals it receives (nil when nobody passes them on).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	sigs           <-chan os.Signal
}

const usageText = `usage: ionetsh [-e] [--echo] [--no-color] [--history FILE] [-c 'CMD; CMD' | FILE]
       ionetsh --replay FILE [--pace 1.0] [--step] [--then-interactive]
       ionetsh run NAME [--host H] [--port P] [--bind ADDR] [--heap SIZE]
       ionetsh bench HOST:PORT... [--clients 1,10,50,200] [--duration 3s | --rounds N]
                     [--size 32] [--mode echo|batch|daytime|connect] [--idle N] [--csv FILE]
       ionetsh help [COMMAND] | examples | explain EXAMPLE | completion SHELL
       ionetsh --help for more`

// Main is the whole program behind cmd/ionetsh: it takes the arguments
// without the program name, the three standard streams and the channel
// on which the program's SIGINT, SIGTERM and SIGHUP arrive (nil if
// none), and returns the exit status.
//
// At start the soft limit on open files is raised to the hard limit
// (sessions --verbose shows both).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, sigs <-chan os.Signal) int {
	if err := raiseFileLimit(); err != nil {
		fmt.Fprintf(stderr, "ionetsh: cannot raise the open-file limit: %v\n", err)
	}
	if len(args) > 0 {
		switch args[0] {
		case "run":
			return Standalone(args[1:], stdin, stdout, stderr)
		case "bench":
			return StandaloneBench(args[1:], stdout, stderr)
		case loadgen.ChildArg:
			return loadgen.ChildMain(stdin, stdout, stderr)
		case "help", "examples", "explain":
			return subcommand(args, stdout, stderr)
		case "completion":
			return printCompletion(args[1:], stdout, stderr)
		}
	}
	f, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, newFlagSet(&flags{}))
			return 0
		}
		fmt.Fprintf(visible.NewWriter(stderr), "ionetsh: %v\n%s\n", err, usageText)
		return 2
	}
	if f.version {
		fmt.Fprintf(stdout, "ionetsh %s\n", Version())
		return 0
	}
	colour := !f.noColor && os.Getenv("NO_COLOR") == ""
	so := scriptOptions{echo: f.echo, colour: colour && isTerminal(stdout), errexit: f.errexit, sigs: sigs}
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, sigs: sigs}
	switch {
	case f.replay != "":
		rp := replay{pace: f.pace, step: f.step, then: f.then, hist: f.historyPath(stderr)}
		return runReplay(f.replay, rp, e, colour && isTerminal(stdout) && !dumbTerminal())
	case f.command != "":
		return runScriptWith(strings.NewReader(strings.Join(splitCommands(f.command), "\n")), so, stdout, stderr)
	case f.file != "":
		file, err := os.Open(f.file)
		if err != nil {
			fmt.Fprintf(visible.NewWriter(stderr), "ionetsh: %v\n", err)
			return 2
		}
		defer file.Close()
		return runScriptWith(file, so, stdout, stderr)
	case isTerminal(stdin):
		return runInteractive(e, nil, colour, f.historyPath(stderr))
	}
	return runScriptWith(stdin, so, stdout, stderr)
}

// newFlagSet defines the command-line flags, stored in f.
func newFlagSet(f *flags) *flag.FlagSet {
	fs := flag.NewFlagSet("ionetsh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.command, "c", "", "run these `CMDS`, separated by ;")
	fs.BoolVar(&f.errexit, "e", false, "stop a script at the first command that fails (set errexit on)")
	fs.BoolVar(&f.echo, "echo", false, "print each command as ionet> CMD before running it")
	fs.BoolVar(&f.noColor, "no-color", false, "never colour output")
	fs.Func("history", "command history `FILE`; '' turns history off (default ~/.local/state/ionetsh/history)", func(v string) error {
		f.history, f.historySet = v, true
		return nil
	})
	fs.StringVar(&f.replay, "replay", "", "replay a saved script `FILE` as a paced demo")
	fs.Float64Var(&f.pace, "pace", 1.0, "replay speed `factor`; 0 is instant")
	fs.BoolVar(&f.step, "step", false, "replay: wait for a key before each command (Enter, Space, PgDn, Right)")
	fs.BoolVar(&f.then, "then-interactive", false, "replay: hand the live sessions to the prompt at the end")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	return fs
}

func parseFlags(args []string) (flags, error) {
	var f flags
	fs := newFlagSet(&f)
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if err := replayOnly(fs, f.replay != ""); err != nil {
		return f, err
	}
	if f.pace < 0 {
		return f, fmt.Errorf("--pace must be 0 or more, not %v", f.pace)
	}
	if f.replay != "" && (f.command != "" || fs.NArg() > 0) {
		return f, fmt.Errorf("--replay takes no other script")
	}
	switch fs.NArg() {
	case 0:
	case 1:
		if f.command != "" {
			return f, fmt.Errorf("give either -c or a FILE, not both")
		}
		f.file = fs.Arg(0)
	default:
		return f, fmt.Errorf("too many arguments: %s", visible.Quote(strings.Join(fs.Args(), " ")))
	}
	return f, nil
}

// isTerminal reports whether v is a terminal file.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// historyPath is the command history file to use: --history's value, or
// the default place; "" means off.
func (f flags) historyPath(stderr io.Writer) string {
	if f.historySet {
		return f.history
	}
	p, err := history.DefaultPath()
	if err != nil {
		fmt.Fprintf(stderr, "ionetsh: no history: %v\n", err)
		return ""
	}
	return p
}

// replayOnly rejects the replay options without --replay.
func replayOnly(fs *flag.FlagSet, replaying bool) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "pace", "step", "then-interactive":
			if !replaying && err == nil {
				err = fmt.Errorf("--%s works only with --replay FILE", fl.Name)
			}
		}
	})
	return err
}
