package repl

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/netex/loadgen"
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
}

const usageText = `usage: ionetsh [--echo] [--no-color] [--history FILE] [-c 'CMD; CMD' | FILE]
       ionetsh --replay FILE [--pace 1.0] [--step]
       ionetsh run NAME [--host H] [--port P] [--bind ADDR]
       ionetsh bench HOST:PORT... [--clients 1,10,50,200] [--duration 3s | --rounds N]
                     [--size 32] [--mode echo|batch|daytime|connect] [--idle N] [--csv FILE]`

// Main is the whole program behind cmd/ionetsh: it takes the arguments
// without the program name and the three standard streams, and returns
// the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "run":
			return Standalone(args[1:], stdin, stdout, stderr)
		case "bench":
			return StandaloneBench(args[1:], stdout, stderr)
		case loadgen.ChildArg:
			return loadgen.ChildMain(stdin, stdout, stderr)
		}
	}
	f, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "ionetsh: %v\n%s\n", err, usageText)
		return 2
	}
	colour := !f.noColor && os.Getenv("NO_COLOR") == ""
	switch {
	case f.replay != "":
		rp := replay{pace: f.pace}
		if f.step {
			rp.step = bufio.NewReader(stdin)
		}
		return runReplay(f.replay, rp, stdout, stderr, colour && isTerminal(stdout))
	case f.command != "":
		return runScript(strings.NewReader(strings.Join(splitCommands(f.command), "\n")), f.echo, colour && isTerminal(stdout), stdout, stderr)
	case f.file != "":
		file, err := os.Open(f.file)
		if err != nil {
			fmt.Fprintf(stderr, "ionetsh: %v\n", err)
			return 2
		}
		defer file.Close()
		return runScript(file, f.echo, colour && isTerminal(stdout), stdout, stderr)
	case isTerminal(stdin):
		return runInteractive(stdin.(*os.File), stdout, stderr, colour, f.historyPath(stderr))
	}
	return runScript(stdin, f.echo, colour && isTerminal(stdout), stdout, stderr)
}

func parseFlags(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("ionetsh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.command, "c", "", "run these commands, separated by ;")
	fs.BoolVar(&f.echo, "echo", false, "print each command as ionet> CMD before running it")
	fs.BoolVar(&f.noColor, "no-color", false, "never colour output")
	fs.Func("history", "command history file; '' turns history off", func(v string) error {
		f.history, f.historySet = v, true
		return nil
	})
	fs.StringVar(&f.replay, "replay", "", "replay a saved script as a paced demo")
	fs.Float64Var(&f.pace, "pace", 1.0, "replay speed factor; 0 is instant")
	fs.BoolVar(&f.step, "step", false, "replay: wait for Enter before each command")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, usageText)
		}
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
		return f, fmt.Errorf("too many arguments: %s", strings.Join(fs.Args(), " "))
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
