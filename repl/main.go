package repl

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// flags are the shell's command-line options.
type flags struct {
	command string // -c
	echo    bool
	noColor bool
	file    string
}

const usageText = `usage: ionetsh [--echo] [--no-color] [-c 'CMD; CMD' | FILE]
       ionetsh run NAME [--host H] [--port P] [--bind ADDR]`

// Main is the whole program behind cmd/ionetsh: it takes the arguments
// without the program name and the three standard streams, and returns
// the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "run" {
		return Standalone(args[1:], stdin, stdout, stderr)
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
		return runInteractive(stdin.(*os.File), stdout, stderr, colour)
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
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, usageText)
		}
		return f, err
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
