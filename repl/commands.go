package repl

import (
	"fmt"
	"strings"

	"github.com/ionetsh/ionetsh/repl/visible"
)

// Command is one entry of the shell's command table. Help, the
// completion of the shell and of its command line, and the README's
// command list are generated from the table.
type Command struct {
	Name    string
	Aliases []string
	Args    string // usage of the arguments, e.g. "NAME [TIMEOUT]"
	Summary string
	// Options describes each option and optional argument in Args.
	Options []Option
	// Examples are real command lines, shown by help COMMAND.
	Examples []string
	// Details is more to say in help COMMAND, e.g. the keys that work.
	Details string
	Run     func(sh *Shell, args []string) error
	// Complete returns candidates for the word after args; nil for none.
	Complete func(sh *Shell, args []string) []string
}

// Option is one option or optional argument of a command.
type Option struct {
	Name    string // as in Args: "--port P", "TIMEOUT", "-n"
	Default string // "" when it has none
	Help    string
}

// Options shared by run and connect.
var (
	optName    = Option{Name: "--name N", Default: "the example's name; NAME-2, NAME-3... while that one is live", Help: "the session's name: one word of letters, digits, - _ . /"}
	optHost    = Option{Name: "--host H", Default: "localhost, or what set host says", Help: "clients: the host to connect to"}
	optPort    = Option{Name: "--port P", Default: "9999, or what set port says", Help: "the port to listen on (0: any free one) or connect to"}
	optBind    = Option{Name: "--bind ADDR", Default: "0.0.0.0, or what set bind says", Help: "servers: the address to bind; a name such as localhost is resolved"}
	optBacklog = Option{Name: "--backlog N", Default: "5 (the tutorial's), or what set backlog says", Help: "servers: the listen backlog; a large one for comparisons under load"}
	optWait    = Option{Name: "TIMEOUT", Default: "10s", Help: "how long to wait; seconds (5) or a duration (500ms)"}
)

// commands returns the command table, in the order help lists it.
func commands() []Command {
	return []Command{
		{Name: "run", Args: "EXAMPLE [--name N] [--host H] [--port P] [--bind ADDR] [--backlog N] [--heap SIZE] [--ipv6]", Summary: "start a session running an example; for a server, return once it listens",
			Options:  []Option{optName, optHost, optPort, optBind, optBacklog, {Name: "--ipv6", Default: "set family (ipv4)", Help: "host names resolve to IPv6, and a server with no --bind binds :: (dual stack)"}, {Name: "--heap SIZE", Default: "set heap (64MiB)", Help: "the session's heap budget for buffered input: a longer line is a HEAP-EXHAUSTED-ERROR"}},
			Examples: []string{"run ex4-server --port 0 --bind 127.0.0.1", "run ex1-client --port 9999 --name c1", "run ex7-server --port 0 --heap 1MiB"},
			Details:  "The tutorial's forms work too: run ex4-server :port 9999, and (run-ex4-server :port 9999). A name an ended session had is taken again, replacing it. " + beyondRunHelp(),
			Run:      cmdRun, Complete: completeRun},
		{Name: "connect", Args: "SERVER [CLIENT|raw] [--name N] [--host H] [--ipv6] [--count N] [--detach] [--raw] | HOST:PORT | HOST PORT | :PORT", Summary: "start a client against a server session or a listener; raw, or an address, is a raw client steered by hand",
			Options: []Option{{Name: "CLIENT", Default: "the lowest-numbered client that pairs (ex1-client for daytime)", Help: "the client example to run, or raw"}, optName,
				{Name: "--host", Default: "the server's address", Help: "the host to dial instead, e.g. ::1 for a server bound to ::"},
				{Name: "--ipv6", Default: "set family (ipv4)", Help: "a host name resolves to its IPv6 address"},
				{Name: "--count", Default: "1", Help: "start N clients at once, named NAME-1..NAME-N"},
				{Name: "--detach", Default: "off", Help: "do not attach the terminal; the prompt stays"},
				{Name: "--raw", Default: "off", Help: "show what a raw client receives as it is, escape codes and all, instead of made visible"}},
			Examples: []string{"connect ex5-server", "connect ex6-server raw --name r --detach", "connect 127.0.0.1 9999", "connect ex2-server raw --count 6 --name c"},
			Details:  "A client that reads standard input is attached to the terminal: Ctrl-D sends it end-of-file, Ctrl-C stops it, Ctrl-Z detaches. It is attached only when no further input is waiting: a client started by a pasted block stays detached, so the rest of the block runs as commands (fg NAME attaches it afterwards). A client beyond the tutorial takes its own options here as with run: connect ex11-server --drop 50% (ex11-client: --drop, --connect, --timeout, --retries).",
			Run:      cmdConnect, Complete: completeConnect},
		{Name: "bench", Args: "TARGET... [--clients 1,10,50,200] [--duration 3s | --rounds N] [--size 32] [--mode echo|batch|daytime|connect] [--idle N] [--csv FILE]", Summary: benchSummary,
			Options: []Option{{Name: "TARGET", Default: "none", Help: "a server session, or HOST:PORT"},
				{Name: "--clients", Default: "1,10,50,200", Help: "the client counts to step through"},
				{Name: "--duration", Default: "3s", Help: "how long each step runs"}, {Name: "--rounds", Default: "off", Help: "run each client this many operations instead of for a duration"},
				{Name: "--size", Default: "32", Help: "bytes per echoed line"},
				{Name: "--mode", Default: "from the server's protocol: daytime or echo", Help: "echo (round trips), batch (send all, half-close), daytime (connections), connect (set-up only)"},
				{Name: "--idle", Default: "0", Help: "idle connections to open first and hold during the run (C10K)"},
				{Name: "--csv", Default: "none", Help: "write the raw figures to FILE"}},
			Examples: []string{"bench ex5-server ex8-server --clients 1,10,50", "bench ex8-server --mode batch --clients 10 --rounds 100000", "bench 127.0.0.1:9999 --mode daytime"},
			Details:  "The load runs in a child process; the shell's own CPU time during a step, per operation, is the servers' cost. Ctrl-C ends the run and reports what was measured.",
			Run:      cmdBench, Complete: completeSessions},
		{Name: "proxy", Args: "SERVER|HOST:PORT [--name N] [--port P] [--bind ADDR]", Summary: "start a fault-injecting proxy session in front of a server; connect to it as to the server",
			Options:  []Option{optName, {Name: "--port", Default: "0 (a free port)", Help: "the port the proxy listens on"}, optBind},
			Examples: []string{"proxy ex6-server --name p", "proxy 127.0.0.1:9999 --name p --port 7000"},
			Details:  "connect PROXY picks the client for the target's protocol, as connect SERVER does. toxic PROXY ... adds faults live.",
			Run:      cmdProxy, Complete: completeProxy},
		{Name: "toxic", Args: "PROXY add TYPE [VALUE] [--jitter D] [--size N] [--delay D] [--after D] [--up|--down] [--toxicity F] | list | remove NAME", Summary: "add, list or remove a proxy's toxics: latency, bandwidth, slicer, reset-peer, timeout, limit-data, slow-close",
			Options: []Option{{Name: "--jitter", Default: "0", Help: "latency: random extra delay, up to this much"}, {Name: "--size", Default: "1", Help: "slicer: average segment size in bytes"},
				{Name: "--delay", Default: "0", Help: "slicer: pause between segments"}, {Name: "--after", Default: "0", Help: "reset-peer: how long after data arrives to reset"},
				{Name: "--down", Default: "on", Help: "apply to data from the server to the client (toxiproxy's downstream)"}, {Name: "--up", Default: "off", Help: "apply to data from the client to the server"},
				{Name: "--toxicity", Default: "1", Help: "the chance, 0 to 1, that the toxic applies to a connection; decided once per connection"}},
			Examples: []string{"toxic p add latency 200ms --jitter 50ms --down", "toxic p add slicer --size 1 --delay 20ms", "toxic p add bandwidth 1KB/s", "toxic p add reset-peer --after 2s", "toxic p add timeout 0", "toxic p add limit-data 100B", "toxic p add latency 1s --toxicity 0.5", "toxic p list", "toxic p remove slicer"},
			Details:  "Names and parameters are Shopify toxiproxy's; reset_peer and reset-peer are both accepted. Removing a toxic acts at once: data it holds (a latency or bandwidth wait, a timeout) goes on, in order.",
			Run:      cmdToxic, Complete: completeToxic},
		{Name: "stop", Args: "NAME... | all", Summary: "interrupt sessions; their cleanup runs and prints, then [NAME] stopped",
			Examples: []string{"stop ex4-server", "stop all"}, Run: cmdStop, Complete: completeSessionsAll},
		{Name: "sessions", Aliases: []string{"ps"}, Args: "[--verbose]", Summary: "list sessions: name, example, state, address, connections, muted, uptime",
			Options:  []Option{{Name: "--verbose", Default: "off", Help: "also show the file-descriptor limits and what each transcript keeps"}},
			Examples: []string{"sessions", "sessions --verbose"}, Run: cmdSessions},
		{Name: "threads", Args: "[NAME]", Summary: "list live threads (and event-base handlers) of every session or one",
			Options:  []Option{{Name: "NAME", Default: "every live session", Help: "the session to show"}},
			Examples: []string{"threads", "threads ex5-server"}, Run: cmdThreads, Complete: completeSessions},
		{Name: "send", Args: "[-n|-x|--urgent] NAME TEXT...", Summary: "write TEXT as one line to a session's standard input, or a raw connection (raw only: -n no newline, -x bytes in hex)",
			Options: []Option{{Name: "-n", Default: "off", Help: "send no newline (raw sessions only)"}, {Name: "-x", Default: "off", Help: "TEXT is bytes in hex, sent as they are (raw sessions only)"},
				{Name: "--urgent", Default: "off", Help: "ex10-client only: TEXT is one byte, sent as TCP urgent data (the line !X)"}},
			Examples: []string{"send ex4-client hello", "send -n r half a li", "send -x c ff fe 68 69 0d 0a", "send --urgent ex10-client X"},
			Details:  sendHelp, Run: cmdSend, Complete: completeSend},
		{Name: "listen", Args: "[PORT] [--name N] [--bind ADDR]", Summary: "a raw listener (ncat -l): accepted connections are N/1, N/2...; N alone means the last one",
			Options:  []Option{{Name: "PORT", Default: "the shell's port (set port)", Help: "the port to listen on; 0 takes a free one"}, optName, optBind},
			Examples: []string{"listen 0 --name L", "listen 7000 --bind 127.0.0.1"},
			Details:  listenHelp + " " + rawHelp, Run: cmdListen, Complete: completeListen},
		{Name: "flood", Args: "NAME SIZE [--line] [--detach] | NAME stop", Summary: "send SIZE bytes (64MiB, 1GiB) on raw connections, as 64-byte lines with --line; waits until the peer took them (Ctrl-C stops) unless --detach",
			Options:  []Option{{Name: "--line", Default: "off", Help: "send 64-byte lines ending in CRLF instead of bytes with no newline"}, {Name: "--detach", Default: "off", Help: "return at once; flood NAME stop ends it"}},
			Examples: []string{"flood c 64MiB", "flood c 1GiB --detach", "flood c stop"},
			Details:  floodHelp + " " + rawHelp, Run: cmdFlood, Complete: completeFlood},
		{Name: "pause", Args: "NAME", Summary: "stop reading a raw connection, so the peer's writes back up",
			Examples: []string{"pause c"}, Details: rawHelp, Run: verbCommand("pause"), Complete: completeRaw},
		{Name: "resume", Args: "NAME", Summary: "read a paused raw connection again; what arrived meanwhile is shown",
			Examples: []string{"resume c"}, Details: rawHelp, Run: verbCommand("resume"), Complete: completeRaw},
		{Name: "shutdown", Args: "NAME", Summary: "half-close a raw connection (FIN); it reads on until the peer closes",
			Examples: []string{"shutdown c"}, Details: rawHelp, Run: verbCommand("shutdown"), Complete: completeRaw},
		{Name: "reset", Args: "NAME", Summary: "abort a raw connection (SO_LINGER 0): the peer sees RST",
			Examples: []string{"reset c", "reset c-*"}, Details: rawHelp, Run: verbCommand("reset"), Complete: completeRaw},
		{Name: "close", Args: "NAME", Summary: "close a raw connection in order (FIN)",
			Examples: []string{"close L", "close L/2"}, Details: rawHelp, Run: verbCommand("close"), Complete: completeRaw},
		{Name: "eof", Args: "NAME", Summary: "close a session's standard input",
			Examples: []string{"eof ex5b-client"}, Run: cmdEOF, Complete: completeSessions},
		{Name: "fg", Args: "NAME", Summary: "attach the terminal to a session that reads standard input (interactive only)",
			Examples: []string{"fg ex4-client"},
			Details:  "While attached, each line typed goes to the session. Ctrl-D sends it end-of-file, Ctrl-C stops it, and Ctrl-Z detaches, leaving it running; fg attaches it again.",
			Run:      cmdFg, Complete: completeSessions},
		{Name: "wait", Args: "NAME [TIMEOUT]", Summary: "wait until a session has ended; fails if it failed (an unhandled condition)",
			Options:  []Option{optWait},
			Examples: []string{"wait ex1-client", "wait ex1-client 5"}, Run: cmdWait, Complete: completeSessions},
		{Name: "expect", Args: "NAME REGEX [TIMEOUT]", Summary: "wait until a session prints a line matching REGEX since the last expect; on timeout show its last lines",
			Options:  []Option{optWait},
			Examples: []string{"expect ex5-server 'Closing connection to'", "expect ex4-client '^hello$' 2"}, Run: cmdExpect, Complete: completeSessions},
		{Name: "sockets", Args: "[NAME...] [--all]", Summary: "the sessions' sockets: fd, role, addresses, TCP state, kernel queues, app buffers, bytes, RTT; --all adds kernel-only ones on their ports",
			Options:  []Option{{Name: "--all", Default: "off", Help: "also show kernel sockets on the sessions' ports that no session holds (accept queue, TIME_WAIT, outside peers)"}},
			Examples: []string{"sockets", "sockets ex8-server --all"}, Run: cmdSockets, Complete: completeSessions},
		{Name: "watch", Args: "sockets [NAME...] [--all] [--every 500ms] [--count N]", Summary: "the sockets table redrawn in place until a key (in scripts: --count N snapshots)",
			Options:  []Option{{Name: "--all", Default: "off", Help: "as sockets --all"}, {Name: "--every", Default: "500ms", Help: "time between snapshots"}, {Name: "--count", Default: "until a key (interactive); required in scripts", Help: "how many snapshots"}},
			Examples: []string{"watch sockets ex2-server", "watch sockets ex8-server --every 1s --count 3"}, Run: cmdWatch, Complete: completeWatch},
		{Name: "trace", Args: "NAME [on|off] [--hex] [--max 256]", Summary: "show the bytes a session's sockets send and receive, socat -v style, as its trace lines",
			Options:  []Option{{Name: "--hex", Default: "off", Help: "a hex dump instead of text"}, {Name: "--max", Default: "256", Help: "bytes shown per event; the rest is counted"}},
			Examples: []string{"trace ex5-server", "trace ex8-server on --hex --max 64", "trace ex5-server off"}, Run: cmdTrace, Complete: completeSessions},
		{Name: "sleep", Args: "DURATION", Summary: "pause, e.g. sleep 200ms or sleep 2 (seconds)",
			Examples: []string{"sleep 0.5", "sleep 200ms"}, Run: cmdSleep},
		{Name: "examples", Summary: "list the fourteen examples, then those beyond the tutorial: role, protocol, design, I/O, peers, summary",
			Examples: []string{"examples"}, Run: cmdExamples},
		{Name: "explain", Args: "EXAMPLE", Summary: "what an example shows and what to try with it",
			Examples: []string{"explain ex1-server", "explain ex6-server"}, Run: cmdExplain, Complete: completeExamples},
		{Name: "set", Args: setUsage(), Summary: "list the settings, or change one for later commands",
			Options:  settingOptions(),
			Examples: []string{"set", "set bind 127.0.0.1", "set port 0"}, Run: cmdSet, Complete: completeSet},
		{Name: "log", Args: "NAME [N] [--time]", Summary: "show the last N lines a session printed (all kept lines by default), even after it ended",
			Options:  []Option{{Name: "N", Default: "every kept line (up to 10,000)", Help: "how many lines"}, {Name: "--time", Default: "off", Help: "show when each line came, from the session's start"}},
			Examples: []string{"log ex8-server 20 --time", "log ex1-client"}, Run: cmdLog, Complete: completeSessions},
		{Name: "mute", Args: "NAME...", Summary: "stop showing a session's lines; they are still recorded",
			Examples: []string{"mute ex8-server"}, Run: cmdMute, Complete: completeSessions},
		{Name: "unmute", Args: "NAME...", Summary: "show a muted session's lines again",
			Examples: []string{"unmute ex8-server"}, Run: cmdUnmute, Complete: completeSessions},
		{Name: "forget", Args: "NAME | exited", Summary: "remove an ended session and its transcript, or all ended ones",
			Examples: []string{"forget ex1-client", "forget exited"}, Run: cmdForget, Complete: completeForget},
		{Name: "history", Args: "[N]", Summary: "list the last N commands typed at the prompt, numbered",
			Options:  []Option{{Name: "N", Default: "all kept (up to 1000)", Help: "how many commands"}},
			Examples: []string{"history 20"}, Run: cmdHistory},
		{Name: "save", Args: "[--force] FILE | [--force] --transcript FILE", Summary: "save this shell's commands as a script, or everything shown, with times",
			Options: []Option{{Name: "--transcript", Default: "off", Help: "save everything shown (commands, their output, session lines), with times, instead of a script"},
				{Name: "--force", Default: "off", Help: "replace FILE if it exists"}},
			Examples: []string{"save demo.ion", "save --force --transcript demo.txt"}, Run: cmdSave},
		{Name: "help", Aliases: []string{"?"}, Args: "[COMMAND]", Summary: "list commands, or describe one",
			Examples: []string{"help", "help connect"}, Run: cmdHelp, Complete: completeCommands},
		{Name: "quit", Aliases: []string{"exit"}, Summary: "stop all sessions (cleanup printed) and exit",
			Details:  "Ctrl-D at an empty prompt does the same.",
			Examples: []string{"quit"}, Run: cmdQuit},
	}
}

// settingOptions describes set's settings as options, for help set.
func settingOptions() []Option {
	var out []Option
	for _, s := range settings() {
		out = append(out, Option{Name: s.Name + " " + s.Values, Default: s.Default, Help: s.Help})
	}
	return out
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
	return fmt.Errorf("unknown command %s%s (help lists commands)", visible.Quote(name), didYouMean(name, commandNames()))
}

// distance is the edit distance between a and b, counting a swap of
// two adjacent letters as one edit (optimal string alignment).
func distance(a, b string) int {
	prev, prev2 := make([]int, len(b)+1), make([]int, len(b)+1)
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
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1) // adjacent letters swapped
			}
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}

// usage is a command's one-line synopsis.
func (c Command) usage() string {
	return strings.TrimSpace(c.Name + " " + c.Args)
}

func cmdQuit(sh *Shell, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("usage: quit")
	}
	return errQuit
}
