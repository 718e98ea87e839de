package repl

import (
	"fmt"
	"strings"
)

// Command is one entry of the shell's command table. Help and completion
// are generated from the table.
type Command struct {
	Name    string
	Aliases []string
	Args    string // usage of the arguments, e.g. "NAME [TIMEOUT]"
	Summary string
	Run     func(sh *Shell, args []string) error
	// Complete returns candidates for the word after args; nil for none.
	Complete func(sh *Shell, args []string) []string
}

// commands returns the command table, in the order help lists it.
func commands() []Command {
	return []Command{
		{Name: "run", Args: "EXAMPLE [--name N] [--host H] [--port P] [--bind ADDR]", Summary: "start a session running an example; for a server, return once it listens", Run: cmdRun, Complete: completeRun},
		{Name: "connect", Args: "SERVER [CLIENT|raw] [--name N] | HOST:PORT [--name N]", Summary: "start a client against a server session; raw, or HOST:PORT, is a line client for talking by hand", Run: cmdConnect, Complete: completeConnect},
		{Name: "stop", Args: "NAME... | all", Summary: "interrupt sessions; their cleanup runs and prints, then [NAME] stopped", Run: cmdStop, Complete: completeSessionsAll},
		{Name: "sessions", Aliases: []string{"ps"}, Summary: "list sessions: name, example, state, address, connections, uptime", Run: cmdSessions},
		{Name: "threads", Args: "[NAME]", Summary: "list live threads (and event-base handlers) of every session or one", Run: cmdThreads, Complete: completeSessions},
		{Name: "send", Args: "[-n] NAME TEXT...", Summary: "write TEXT as one line to a session's standard input (-n: no newline, raw clients only)", Run: cmdSend, Complete: completeSessions},
		{Name: "eof", Args: "NAME", Summary: "close a session's standard input", Run: cmdEOF, Complete: completeSessions},
		{Name: "fg", Args: "NAME", Summary: "attach the terminal to a session that reads standard input (interactive only)", Run: cmdFg, Complete: completeSessions},
		{Name: "wait", Args: "NAME [TIMEOUT]", Summary: "wait until a session has ended (default timeout 10s)", Run: cmdWait, Complete: completeSessions},
		{Name: "expect", Args: "NAME REGEX [TIMEOUT]", Summary: "wait until a session prints a line matching REGEX since the last expect (default 10s)", Run: cmdExpect, Complete: completeSessions},
		{Name: "sleep", Args: "DURATION", Summary: "pause, e.g. sleep 200ms", Run: cmdSleep},
		{Name: "bench", Args: benchArgs, Summary: benchSummary, Run: cmdBench, Complete: completeSessions},
		{Name: "examples", Summary: "list the fourteen examples: role, protocol, design, I/O, peers, summary", Run: cmdExamples},
		{Name: "explain", Args: "EXAMPLE", Summary: "what an example shows and what to try with it", Run: cmdExplain, Complete: completeExamples},
		{Name: "set", Args: "host H | port P | color on|off", Summary: "set defaults for later commands", Run: cmdSet, Complete: completeSet},
		{Name: "log", Args: "NAME [N] [--time]", Summary: "show the last N lines a session printed (all kept lines by default), even after it ended", Run: cmdLog, Complete: completeSessions},
		{Name: "mute", Args: "NAME...", Summary: "stop showing a session's lines; they are still recorded", Run: cmdMute, Complete: completeSessions},
		{Name: "unmute", Args: "NAME...", Summary: "show a muted session's lines again", Run: cmdUnmute, Complete: completeSessions},
		{Name: "forget", Args: "NAME | exited", Summary: "remove an ended session and its transcript, or all ended ones", Run: cmdForget, Complete: completeForget},
		{Name: "history", Args: "[N]", Summary: "list the last N commands typed at the prompt, numbered", Run: cmdHistory},
		{Name: "save", Args: "FILE | --transcript FILE", Summary: "save this shell's commands as a script, or everything shown, with times", Run: cmdSave},
		{Name: "help", Args: "[COMMAND]", Summary: "list commands, or describe one", Run: cmdHelp, Complete: completeCommands},
		{Name: "quit", Aliases: []string{"exit"}, Summary: "stop all sessions (cleanup printed) and exit", Run: cmdQuit},
	}
}

// lookupCommand finds a command by name or alias.
func lookupCommand(name string) (Command, bool) {
	for _, c := range commands() {
		if c.Name == name || contains(c.Aliases, name) {
			return c, true
		}
	}
	return Command{}, false
}

// commandNames returns every name and alias.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.Name)
		names = append(names, c.Aliases...)
	}
	return names
}

// unknownCommand is the error for a command that does not exist,
// suggesting the closest one.
func unknownCommand(name string) error {
	best, bestD := "", 1<<30
	for _, n := range commandNames() {
		if d := distance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if bestD <= max(2, len(name)/2) {
		return fmt.Errorf("unknown command %q; did you mean %q? (help lists commands)", name, best)
	}
	return fmt.Errorf("unknown command %q (help lists commands)", name)
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// usage is a command's one-line synopsis.
func (c Command) usage() string {
	return strings.TrimSpace(c.Name + " " + c.Args)
}

func cmdHelp(sh *Shell, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: help [COMMAND]")
	}
	if len(args) == 1 {
		c, ok := lookupCommand(args[0])
		if !ok {
			return unknownCommand(args[0])
		}
		sh.printf("%s\n  %s\n", c.usage(), c.Summary)
		if len(c.Aliases) > 0 {
			sh.printf("  also: %s\n", strings.Join(c.Aliases, ", "))
		}
		return nil
	}
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-58s %s\n", c.usage(), c.Summary)
	}
	sh.printf("Commands:\n%s", b.String())
	return nil
}

func cmdQuit(sh *Shell, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("usage: quit")
	}
	return errQuit
}
