package netex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ionetsh/ionetsh/netex/iolib"
)

// DefaultHost and DefaultPort are the tutorial's *host* and *port*;
// DefaultBacklog is the listen backlog its servers use, small enough that
// clients queue up and are refused, which is one of its lessons.
const (
	DefaultHost    = "localhost"
	DefaultPort    = 9999
	DefaultBacklog = 5
)

// LineSource is an example's standard input. ReadLine returns io.EOF at
// the end of input and ctx's error once ctx ends.
type LineSource interface {
	ReadLine(ctx context.Context) (string, error)
}

// Config is what a caller gives an example to run with.
type Config struct {
	Host string // clients connect to it; "" means DefaultHost
	Port int    // used as given: 0 makes a server take an ephemeral port
	// Bind is the address servers bind to, IPv4 or IPv6; "" means
	// 0.0.0.0, or :: (dual stack) when Family is IPv6.
	Bind string
	// Family is the preferred address family: IPv4 (the zero value)
	// resolves host names to their first IPv4 address, as the tutorial
	// does; IPv6 to their first IPv6 address, if any.
	Family Family
	Out    io.Writer  // receives whole lines, one or more per Write
	Stdin  LineSource // nil means standard input is at end-of-file
	// Opts are the options of the examples beyond the tutorial.
	Opts ExampleOptions
	// Backlog is a server's listen backlog; 0 means DefaultBacklog, the
	// tutorial's 5.
	Backlog int
	// Heap is the session's heap budget for buffered input, in bytes: a
	// read that would hold more of unended lines is a
	// HEAP-EXHAUSTED-ERROR. 0 means DefaultHeap (64 MiB).
	Heap int64
}

// DefaultHeap is the heap budget of a session whose Config.Heap is 0.
const DefaultHeap = iolib.DefaultHeap

// Result is how a Run ended.
type Result struct {
	Value   bool  // the example's return value, T or NIL
	Err     error // an unhandled condition or a *PanicError; nil if none
	Stopped bool  // the Run was stopped before the example returned
}

// Lisp shows the return value as a Lisp REPL prints it.
func (r Result) Lisp() string {
	if r.Value {
		return "T"
	}
	return "NIL"
}

// Run is one running example.
type Run struct {
	ex      *Example
	env     *Env
	main    *Thread
	started time.Time

	trace atomic.Pointer[TraceFunc] // nil: not tracing

	outMu sync.Mutex
	out   io.Writer
	batch *outBatch // for an *os.File out; nil otherwise

	mu       sync.Mutex
	addr     netip.AddrPort
	listened bool
	listenCh chan struct{}
	done     chan struct{}
	res      Result
}

// Start runs ex in the background. Cancelling ctx stops it as Stop does.
func Start(ctx context.Context, ex *Example, cfg Config) (*Run, error) {
	bind := netip.IPv4Unspecified()
	if cfg.Family == IPv6 {
		bind = netip.IPv6Unspecified()
	}
	if cfg.Bind != "" {
		a, err := netip.ParseAddr(cfg.Bind)
		if err != nil {
			return nil, fmt.Errorf("bind address %q is not an IP address", cfg.Bind)
		}
		bind = a
	}
	if cfg.Host == "" {
		cfg.Host = DefaultHost
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	r := &Run{ex: ex, out: cfg.Out, started: time.Now(), listenCh: make(chan struct{}), done: make(chan struct{})}
	if f, ok := cfg.Out.(*os.File); ok {
		r.batch = newOutBatch(f)
	}
	if cfg.Backlog <= 0 {
		cfg.Backlog = DefaultBacklog
	}
	r.env = &Env{Host: cfg.Host, Port: cfg.Port, Bind: bind, Family: cfg.Family, Backlog: cfg.Backlog, Stdin: cfg.Stdin, Opts: cfg.Opts, Heap: iolib.NewBudget(cfg.Heap), run: r}
	var val bool
	var err error
	r.main = r.env.start("run-"+ex.Name, ctx, func(t *Thread) {
		defer func() {
			if p := recover(); p != nil {
				err = panicError(p)
			}
		}()
		val, err = ex.Run(t)
	})
	go func() {
		<-r.main.done
		r.env.teardown()
		stopped := errors.Is(err, Interrupted)
		if stopped {
			err = nil
		}
		r.mu.Lock()
		r.res = Result{Value: val, Err: err, Stopped: stopped}
		r.mu.Unlock()
		r.markListening(netip.AddrPort{}, false)
		if r.batch != nil {
			r.batch.close()
		}
		close(r.done)
	}()
	return r, nil
}

// Example returns the example being run.
func (r *Run) Example() *Example { return r.ex }

// Started returns when the Run began.
func (r *Run) Started() time.Time { return r.started }

// Done is closed when the example has ended and everything it opened is
// closed.
func (r *Run) Done() <-chan struct{} { return r.done }

// Result returns how the Run ended. It is valid once Done is closed.
func (r *Run) Result() Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.res
}

// Stop interrupts the example and returns once its cleanup has run and
// printed and nothing it opened remains.
func (r *Run) Stop() {
	r.main.cancel()
	<-r.done
}

// Listening is closed once a server listens, or once the Run ends.
func (r *Run) Listening() <-chan struct{} { return r.listenCh }

// Addr returns the address a server listens on, and whether it listens.
func (r *Run) Addr() (netip.AddrPort, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr, r.listened && r.addr.IsValid()
}

func (r *Run) markListening(a netip.AddrPort, ok bool) {
	r.mu.Lock()
	if r.listened {
		r.mu.Unlock()
		return
	}
	r.listened = true
	if ok {
		r.addr = a
	}
	r.mu.Unlock()
	if r.batch != nil {
		// What the server has printed so far is out before anyone
		// learns that it listens, as when every line was written at once.
		r.batch.sync()
	}
	close(r.listenCh)
}

// ThreadWriter is implemented by a Config.Out that wants to know which
// thread printed each line: seq is the thread's start order in the Run,
// 0 for the main thread. The Run calls WriteThread from the printing
// threads at once, without a lock of its own: it must be safe for
// concurrent use, and keep each thread's calls in order.
type ThreadWriter interface {
	WriteThread(seq int, p []byte)
}

// ThreadAppender is implemented by a ThreadWriter that lets a thread
// append whole lines to it in place, under its lock: fill appends them.
// It returns false, without calling fill, when it cannot take them; the
// lines then go to WriteThread.
type ThreadAppender interface {
	AppendThread(seq int, fill func(buf []byte) []byte) bool
}

// appendLines lets fill append whole lines printed by thread seq straight
// to the Run's batch (a Run printing to a file) or to its ThreadAppender,
// and reports whether it did.
func (r *Run) appendLines(seq int, fill func(buf []byte) []byte) bool {
	if r.batch != nil {
		return r.batch.appendLines(fill)
	}
	if ta, ok := r.out.(ThreadAppender); ok {
		return ta.AppendThread(seq, fill)
	}
	return false
}

// emit sends whole lines to the caller's writer. A file gets them
// through the Run's batch (see outBatch); a ThreadWriter by WriteThread,
// which does its own locking; any other writer one Write at a time, at
// once.
func (r *Run) emit(seq int, p []byte) {
	if r.batch != nil {
		r.batch.add(p)
		return
	}
	if tw, ok := r.out.(ThreadWriter); ok {
		tw.WriteThread(seq, p)
		return
	}
	r.outMu.Lock()
	defer r.outMu.Unlock()
	r.out.Write(p)
}

// Threads returns the print forms of the example's live threads, its main
// thread first.
func (r *Run) Threads() []string { return r.env.threadNames() }

// Handlers lists the descriptors registered in the example's event bases
// and the events each has a handler for.
func (r *Run) Handlers() []FDHandlers { return r.env.handlers() }

// Conns returns how many of the example's active sockets (its
// connections, and a client's socket while it connects) are open.
func (r *Run) Conns() int { return r.env.conns() }
