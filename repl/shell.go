package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/netex/toxproxy"
	"github.com/ionetsh/ionetsh/repl/visible"
)

// errQuit is returned by quit and exit to end the shell.
var errQuit = errors.New("quit")

// errInterrupted is returned by a blocking command cancelled by Ctrl-C
// (Shell.Interrupt).
var errInterrupted = errors.New("interrupted")

// Shell holds the sessions and settings of one ionetsh shell. Commands
// run one at a time; sessions run in the background and print through
// the shell's printer.
type Shell struct {
	pr     *printer
	errw   io.Writer
	colour atomic.Bool         // session labels are coloured; set color changes it
	shown  *history.Transcript // command output and errors, for save --transcript
	dumb   bool                // the terminal cannot show colour (TERM=dumb)
	tty    bool                // output goes to a terminal: bench shows a progress line
	host   string
	port   int
	// bind is the default bind address for servers ("" is the
	// example's own, 0.0.0.0); errexit stops a script at the first
	// failed command.
	bind    string
	errexit bool
	backlog int // servers' listen backlog; 0 is the tutorial's 5
	// family is what host names resolve to (set family): IPv4, as in
	// the tutorial, or IPv6.
	family netex.Family
	// heap is the heap budget of new sessions, in bytes (0: netex's
	// default), set with set heap.
	heap int64
	// width is the output's width in columns, 0 when not a terminal.
	width func() int
	keep  keepLimits // transcript bounds for new sessions (set log-lines, log-bytes)

	// attach, set in interactive mode, gives the terminal to a session
	// that reads standard input.
	attach func(s *Session)
	// keys, set in interactive mode, gives watch the terminal's keys.
	keys func() keySource

	// store is the persistent command history; nil when it is off.
	store *history.Store
	begun time.Time

	// cmdCtx is the context of the command now running: a blocking
	// command (wait, expect, sleep, flood, bench) returns when it ends.
	// Ctrl-C at the prompt cancels it; see commandContext.
	cmdCtx    context.Context
	cmdCancel context.CancelFunc
	halted    bool // Halt was called: every command is interrupted
	soon      bool // InterruptSoon found no command: the next one is

	mu       sync.Mutex
	sessions []*Session                         // in start order
	started  int                                // sessions ever started, for colours
	cmds     []record                           // commands run so far, for save
	proxies  map[*netex.Example]*toxproxy.Proxy // running proxies, by session example
}

// record is a command the shell ran, when, and whether it worked.
type record struct {
	time time.Time
	text string
	ok   bool
}

// newShell returns a shell printing to out (live: as lines arrive;
// otherwise at the points where a session's output is settled) and
// reporting errors to errw.
func newShell(out, errw io.Writer, live, colour bool) *Shell {
	sh := &Shell{pr: newPrinter(out, live), errw: errw, host: netex.DefaultHost, port: netex.DefaultPort,
		keep: defaultKeep, begun: time.Now(), width: terminalWidth(out),
		shown: history.NewTranscript(history.DefaultTranscriptLines)}
	sh.colour.Store(colour)
	return sh
}

// Exec runs one command line. It returns errQuit for quit and exit.
func (sh *Shell) Exec(line string) error {
	if l, ok := lispForm(line); ok {
		line = l
	}
	words, err := tokenize(line)
	if err != nil || len(words) == 0 {
		return err
	}
	cmd, ok := lookupCommand(words[0])
	if !ok {
		return unknownCommand(words[0])
	}
	at := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	sh.mu.Lock()
	sh.cmdCtx, sh.cmdCancel = ctx, cancel
	if sh.halted || sh.soon {
		cancel()
	}
	sh.soon = false
	sh.mu.Unlock()
	sh.recordAll() // what sessions printed is shown before the command's output
	err = cmd.Run(sh, words[1:])
	sh.recordAll() // and what they printed meanwhile before its result
	sh.mu.Lock()
	sh.cmdCtx, sh.cmdCancel = nil, nil
	sh.mu.Unlock()
	cancel()
	sh.remember(at, strings.TrimSpace(line), err == nil || errors.Is(err, errQuit))
	return err
}

// commandContext returns the context of the command now running, which
// ends when the command is interrupted; outside a command it never ends.
func (sh *Shell) commandContext() context.Context {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.cmdCtx == nil {
		return context.Background()
	}
	return sh.cmdCtx
}

// Interrupt cancels the command now running, if any, and reports whether
// there was one. Sessions are untouched.
func (sh *Shell) Interrupt() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.cmdCancel == nil {
		return false
	}
	sh.cmdCancel()
	return true
}

// remember records a command for save and save --transcript.
func (sh *Shell) remember(at time.Time, text string, ok bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.cmds = append(sh.cmds, record{time: at, text: text, ok: ok})
}

// session finds a session by name.
func (sh *Shell) session(name string) (*Session, error) {
	if s := sh.find(name); s != nil {
		return s, nil
	}
	return nil, sh.noSession(name)
}

// find returns the session called name, or nil.
func (sh *Shell) find(name string) *Session {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, s := range sh.sessions {
		if s.name == name {
			return s
		}
	}
	return nil
}

// list returns the sessions in start order.
func (sh *Shell) list() []*Session {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]*Session(nil), sh.sessions...)
}

// startSession starts ex as a session called name. A session of that
// name that has ended is replaced, transcript and all.
func (sh *Shell) startSession(name string, ex *netex.Example, cfg netex.Config) (*Session, error) {
	return sh.startRawSession(name, ex, cfg, nil)
}

// startRawSession starts ex as a session called name; raw, if not nil,
// is the raw client or listener that ex runs. A session of that name
// that has ended is replaced, transcript and all.
func (sh *Shell) startRawSession(name string, ex *netex.Example, cfg netex.Config, raw *rawSession, opts ...func(*Session)) (*Session, error) {
	old, err := sh.claimName(name)
	if err != nil {
		return nil, err
	}
	if old != nil {
		old.flush()
		sh.printf("(replacing ended session %s)\n", visible.String(name))
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	s := &Session{name: name, ex: ex, log: history.NewTranscriptBounded(sh.keep.lines, sh.keep.bytes),
		label: sh.newLabel(visible.String(name)), pr: sh.pr, live: sh.pr.live, ended: make(chan struct{}), raw: raw}
	s.q.init()
	for _, o := range opts {
		o(s)
	}
	if cfg.Heap == 0 {
		cfg.Heap = sh.heap
	}
	if ex.ReadsStdin {
		s.stdin = netex.NewStdinPipe()
		cfg.Stdin = s.stdin
	}
	cfg.Out = s
	run, err := netex.Start(context.Background(), ex, cfg)
	if err != nil {
		return nil, err
	}
	s.run = run
	sh.started++
	if old != nil {
		sh.sessions = slices.DeleteFunc(sh.sessions, func(o *Session) bool { return o == old })
	}
	sh.sessions = append(sh.sessions, s)
	go s.watch()
	go s.notePort()
	return s, nil
}

// stop stops s, which prints its cleanup and then "stopped".
func (sh *Shell) stop(s *Session) {
	s.run.Stop()
	<-s.ended
	s.flush()
}

// stopAll stops every live session in reverse start order and prints
// what each printed.
func (sh *Shell) stopAll() {
	ss := sh.list()
	for i := len(ss) - 1; i >= 0; i-- {
		if !ss[i].Ended() {
			sh.stop(ss[i])
		}
		ss[i].flush()
	}
}

// settleLimit bounds how long a script waits for its sessions to come
// to rest before the next command.
const settleLimit = 2 * time.Second

// settle waits, up to settleLimit, until every session is at rest, seen
// at rest three times in a row a moment apart (loopback data written by
// one session may take that moment to reach another's socket), and then
// prints in start order what each session printed. Script mode does
// this before and after each command, so a script's output does not
// depend on timing.
func (sh *Shell) settle() {
	sh.calm(settleLimit)
	for _, s := range sh.list() {
		s.flush()
	}
}

// calm waits, up to limit, until every session is at rest, seen at rest
// three times in a row a moment apart.
func (sh *Shell) calm(limit time.Duration) { waitCalm(limit, sh.allIdle) }

// waitCalm waits, up to limit, until idle has held three times in a row
// a moment apart.
func waitCalm(limit time.Duration, idle func() bool) {
	deadline := time.Now().Add(limit)
	for calm := 0; calm < 3 && time.Now().Before(deadline); {
		if idle() {
			calm++
		} else {
			calm = 0
		}
		time.Sleep(200 * time.Microsecond)
	}
}

func (sh *Shell) allIdle() bool {
	for _, s := range sh.list() {
		if !s.idle() {
			return false
		}
	}
	return true
}

// Close stops all sessions and flushes all output.
func (sh *Shell) Close() {
	sh.stopAll()
	sh.pr.close()
}

// unknownExample is the error for a name no example has.
func unknownExample(name string) error {
	if s := didYouMean(name, netex.Names()); s != "" {
		return fmt.Errorf("unknown example %s%s examples: %s", visible.Quote(name), s, exampleNames())
	}
	return fmt.Errorf("unknown example %s; examples: %s", visible.Quote(name), exampleNames())
}

// exampleNames lists the examples, for error messages.
func exampleNames() string { return strings.Join(netex.Names(), ", ") }
