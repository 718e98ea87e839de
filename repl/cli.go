package repl

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// usageHead is the start of ionetsh --help: the modes. The flags, each
// with its default, are listed after it from the flag set itself.
const usageHead = `ionetsh: the IOLib network tutorial's clients and servers as live sessions.

usage:
  ionetsh [FLAGS]                    interactive shell (stdin a terminal)
  ionetsh [FLAGS] FILE               run a script file
  ionetsh [FLAGS] -c 'CMD; CMD'      run commands given here
  CMDS | ionetsh [FLAGS]             run commands piped into stdin
  ionetsh --replay FILE [--pace 1.0] [--step]
                                     replay a saved script as a paced demo
  ionetsh run EXAMPLE [--host H] [--port P] [--bind ADDR]
                      [--backlog N] [--heap SIZE] [--ipv6]
                                     run one example in the foreground
  ionetsh bench HOST:PORT... [--clients 1,10,50] [--mode echo|...]
                                     load a server and report (help bench)
  ionetsh help [COMMAND]             the shell's commands, or one of them
  ionetsh examples                   the examples, the tutorial's and beyond
  ionetsh explain EXAMPLE            what an example shows
  ionetsh completion bash|zsh|fish   print a shell completion script
`

// usageTail follows the flags: the environment and files.
const usageTail = `
environment and files:
  NO_COLOR           set to anything: no colour (as --no-color)
  XDG_STATE_HOME     command history in $XDG_STATE_HOME/ionetsh/history
                     (else ~/.local/state/ionetsh/history)
  XDG_CONFIG_HOME    commands in $XDG_CONFIG_HOME/ionetsh/init (else
                     ~/.config/ionetsh/init) run at interactive start

Scripts exit 0 when every command worked and 1 otherwise (bad usage: 2).
Inside the shell, help lists the commands and help COMMAND describes one.
`

// printUsage writes the full usage, flags and defaults included, to w.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	var b strings.Builder
	b.WriteString(usageHead)
	b.WriteString("\nflags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		left := "  -" + f.Name
		if len(f.Name) > 1 {
			left = "  --" + f.Name
		}
		if name != "" {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" {
			help += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		b.WriteString(twoColumns(left, help, 21, defaultColumns-1))
	})
	b.WriteString(usageTail)
	io.WriteString(w, b.String())
}

// Version is ionetsh's version from the build: the module version when
// installed with go install at a version, else the VCS revision the
// binary was built from, else "devel".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

// versionOf is Version for the given build information.
func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	rev = rev[:min(12, len(rev))]
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// banner is the one line the interactive shell starts with.
func banner() string {
	return fmt.Sprintf("ionetsh %s: type help, examples or explain ex1-server; Ctrl-D quits\n", Version())
}

// subcommand runs a shell command (help, examples, explain) from the
// command line, with no sessions, and returns the exit status.
func subcommand(args []string, stdout, stderr io.Writer) int {
	c, _ := lookupCommand(args[0])
	sh := newShell(stdout, stderr, false, false)
	defer sh.Close()
	if err := c.Run(sh, args[1:]); err != nil {
		fmt.Fprintf(stderr, "ionetsh: %v\n", err)
		return 1
	}
	return 0
}

// initPath is the init file: $XDG_CONFIG_HOME/ionetsh/init, else
// ~/.config/ionetsh/init; "" when neither can be found.
func initPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "ionetsh", "init")
}

// greet writes the banner to term, where the prompt goes, and runs the
// init file's commands, as an interactive shell starts: errors are
// printed with the line, and the rest of the file still runs. A missing
// file is no error.
func (sh *Shell) greet(term io.Writer, path string) {
	io.WriteString(term, banner())
	if path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !os.IsNotExist(err) {
			sh.say(fmt.Sprintf("ionetsh: init file: %v\n", err), 2)
		}
		return
	}
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		err := sh.Exec(line)
		if errors.Is(err, errQuit) {
			return
		}
		if err != nil {
			sh.say(fmt.Sprintf("ionetsh: %s:%d: %v\n", path, n+1, err), 2)
		}
	}
}
