package netex

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ionetsh/ionetsh/netex/iolib"
)

// Thread is a named goroutine of an example, the Go form of a Bordeaux
// thread. Its Ctx ends when the thread is destroyed (or, for an example's
// main thread, when the Run is stopped); every blocking socket, standard
// input and dispatch call made with Ctx is then interrupted, so the
// thread's deferred cleanup runs and prints.
type Thread struct {
	// Ctx is the thread's context; pass it to every blocking call.
	Ctx context.Context
	// Out is where the thread prints. It is line-buffered: whole lines
	// reach the Run's output, a partial line waits for its end.
	Out io.Writer
	// Env is the example's environment: its settings and its resources.
	Env *Env

	name   string
	id     string
	seq    int // start order within the Run, the main thread first
	cancel context.CancelFunc
	done   chan struct{}
	out    *lineWriter
	wait   atomic.Pointer[waitState] // what the thread is blocked on
	unwait func()                    // clears wait
}

// Printf prints to the thread's output.
func (t *Thread) Printf(format string, args ...any) {
	fmt.Fprintf(t.Out, format, args...)
}

// printLine prints the parts and a newline: Printf with only %s verbs,
// for the lines a server prints per request, without fmt's cost.
func (t *Thread) printLine(parts ...string) { t.out.writeLine(parts, -1, 0) }

// printCount is printLine with n in decimal between before and the rest,
// e.g. printCount("Read ", n, " bytes from ", who).
func (t *Thread) printCount(before string, n int, rest ...string) {
	parts := make([]string, 0, 4)
	parts = append(append(parts, before), rest...)
	t.out.writeLine(parts, 1, n)
}

// Name returns the thread's name, upper-cased as SBCL prints it.
func (t *Thread) Name() string { return t.name }

// String prints the thread as SBCL does, e.g.
// #<THREAD "PROCESS-EX4-CLIENT-THREAD" RUNNING {1002000103}>.
func (t *Thread) String() string {
	state := "RUNNING"
	if !t.Alive() {
		state = "FINISHED"
	}
	return fmt.Sprintf("#<THREAD %q %s %s>", t.name, state, t.id)
}

// Alive reports whether the thread is still running.
func (t *Thread) Alive() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}

// Done is closed when the thread has finished, cleanup included.
func (t *Thread) Done() <-chan struct{} { return t.done }

// Destroy interrupts the thread and waits until its cleanup has run. It
// is the Go form of SBCL's destroy-thread: whatever the thread is
// blocked in returns an Interrupted condition.
func (t *Thread) Destroy() {
	t.cancel()
	<-t.done
}

// start runs body as a new thread whose context derives from parent.
func (e *Env) start(name string, parent context.Context, body func(t *Thread)) *Thread {
	ctx, cancel := context.WithCancel(parent)
	t := &Thread{Env: e, name: strings.ToUpper(name), id: e.nextID(), cancel: cancel, done: make(chan struct{})}
	t.unwait = func() { t.wait.Store(nil) }
	t.Ctx = iolib.WithWaiter(ctx, (*threadWaiter)(t))
	t.out = &lineWriter{emit: func(p []byte) { e.run.emit(t.seq, p) },
		direct: func(fill func([]byte) []byte) bool { return e.run.appendLines(t.seq, fill) }}
	t.Out = t.out
	e.addThread(t)
	go func() {
		defer close(t.done)
		defer e.removeThread(t)
		defer t.out.flush()
		defer cancel()
		body(t)
	}()
	return t
}

// Spawn starts fn as a new named thread of the example. The thread lives
// until fn returns or it is destroyed; a panic in it is printed and ends
// only that thread.
func (e *Env) Spawn(name string, fn func(t *Thread)) *Thread {
	return e.start(name, context.Background(), func(t *Thread) {
		defer func() {
			if p := recover(); p != nil {
				t.out.flush()
				t.Printf("Unhandled panic in %s: %v\n", t, p)
			}
		}()
		fn(t)
	})
}

// lineWriter holds back a partial line until its end arrives, so that
// lines from different threads never mix.
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	emit func([]byte)
	// direct, when not nil, appends whole lines in place past the
	// writer (Run.appendLines); false means it could not.
	direct func(fill func([]byte) []byte) bool
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	w.emitLines()
	return len(p), nil
}

// appendLines lets fill append whole lines to what the writer holds,
// under its lock, and emits them as Write would: a thread that prints a
// run of lines (ex7's handlers) builds them in place. With no partial
// line held, they go straight to the Run's batch or its ThreadAppender
// when it has one (direct). fill must not print.
func (w *lineWriter) appendLines(fill func(buf []byte) []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 && w.direct != nil && w.direct(fill) {
		return
	}
	w.buf = fill(w.buf)
	w.emitLines()
}

// writeLine writes the parts and a newline, with num in decimal before
// parts[numAt] (numAt < 0: no number). A line written while no partial
// line is held is emitted as it stands, without a search for its end.
func (w *lineWriter) writeLine(parts []string, numAt, num int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	whole := len(w.buf) == 0
	for i, p := range parts {
		if i == numAt {
			w.buf = strconv.AppendInt(w.buf, int64(num), 10)
		}
		w.buf = append(w.buf, p...)
	}
	if numAt == len(parts) {
		w.buf = strconv.AppendInt(w.buf, int64(num), 10)
	}
	w.buf = append(w.buf, '\n')
	if whole {
		w.emit(w.buf)
		w.buf = w.buf[:0]
		return
	}
	w.emitLines()
}

// emitLines emits the whole lines held, keeping a partial last line.
func (w *lineWriter) emitLines() {
	if i := bytes.LastIndexByte(w.buf, '\n'); i >= 0 {
		w.emit(w.buf[:i+1])
		w.buf = append(w.buf[:0], w.buf[i+1:]...)
	}
}

// flush emits a pending partial line, ended as a Lisp fresh-line would.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.emit(append(w.buf, '\n'))
		w.buf = w.buf[:0]
	}
}

func panicError(p any) *PanicError {
	return &PanicError{Value: p, Stack: string(debug.Stack())}
}
