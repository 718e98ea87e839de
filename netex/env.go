package netex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"sync"
)

// Env is an example's environment: the settings it was started with and
// a record of every socket, event base and thread it has made, so that
// its Run can list them and, at the end, close whatever is left.
type Env struct {
	Host  string     // the host clients connect to
	Port  int        // the port clients connect to and servers listen on
	Bind  netip.Addr // the address servers bind to
	Stdin LineSource // standard input; nil is always at end-of-file

	run *Run

	mu      sync.Mutex
	ids     uint64
	sockets map[*Socket]struct{}
	bases   map[*EventBase]struct{}
	threads []*Thread
	started int // threads ever started
}

// nextID returns a new identity token, upper-case hex as SBCL prints
// object addresses. Tokens are deterministic within one Run.
func (e *Env) nextID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ids++
	return fmt.Sprintf("{%X}", 0x1002000003+e.ids<<8)
}

// ReadStdin reads a line of standard input. The end of input is an
// END-OF-FILE condition, as Lisp's read-line signals.
func (e *Env) ReadStdin(ctx context.Context) (string, error) {
	line, _, err := e.ReadStdinChunk(ctx)
	return line, err
}

// chunkSource is a LineSource that can also tell text sent without a
// newline from a line, as StdinPipe can.
type chunkSource interface {
	ReadChunk(ctx context.Context) (string, bool, error)
}

// ReadStdinChunk reads the next text of standard input and whether a
// newline ended it (always true unless the source is a StdinPipe given
// text with SendPartial). Ends are as for ReadStdin.
func (e *Env) ReadStdinChunk(ctx context.Context) (string, bool, error) {
	if ctx.Err() != nil {
		return "", false, &Condition{Kind: Interrupted, FD: 0}
	}
	if e.Stdin == nil {
		return "", false, &Condition{Kind: EndOfFile, FD: 0}
	}
	done := waiting(ctx, stdinReady(e.Stdin))
	var text string
	newline, err := true, error(nil)
	if cs, ok := e.Stdin.(chunkSource); ok {
		text, newline, err = cs.ReadChunk(ctx)
	} else {
		text, err = e.Stdin.ReadLine(ctx)
	}
	done()
	switch {
	case err == nil:
		return text, newline, nil
	case ctx.Err() != nil:
		return "", false, &Condition{Kind: Interrupted, FD: 0}
	case errors.Is(err, io.EOF):
		return "", false, &Condition{Kind: EndOfFile, FD: 0}
	}
	return "", false, err
}

func (e *Env) track(s *Socket) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sockets == nil {
		e.sockets = make(map[*Socket]struct{})
	}
	e.sockets[s] = struct{}{}
}

func (e *Env) untrack(s *Socket) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.sockets, s)
}

func (e *Env) trackBase(b *EventBase, on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.bases == nil {
		e.bases = make(map[*EventBase]struct{})
	}
	if on {
		e.bases[b] = struct{}{}
	} else {
		delete(e.bases, b)
	}
}

func (e *Env) addThread(t *Thread) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t.seq = e.started
	e.started++
	e.threads = append(e.threads, t)
}

func (e *Env) removeThread(t *Thread) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, x := range e.threads {
		if x == t {
			e.threads = append(e.threads[:i], e.threads[i+1:]...)
			return
		}
	}
}

func (e *Env) threadNames() []string {
	e.mu.Lock()
	ts := append([]*Thread(nil), e.threads...)
	e.mu.Unlock()
	names := make([]string, 0, len(ts))
	for _, t := range ts {
		names = append(names, t.String())
	}
	return names
}

func (e *Env) conns() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for s := range e.sockets {
		if !s.passive {
			n++
		}
	}
	return n
}

func (e *Env) listening(a netip.AddrPort) { e.run.markListening(a, true) }

// teardown runs after the example's main thread has returned: it destroys
// threads still alive (their cleanups print), then closes every event
// base and socket left open.
func (e *Env) teardown() {
	e.mu.Lock()
	ts := append([]*Thread(nil), e.threads...)
	e.mu.Unlock()
	for _, t := range ts {
		t.Destroy()
	}
	e.mu.Lock()
	bases := make([]*EventBase, 0, len(e.bases))
	for b := range e.bases {
		bases = append(bases, b)
	}
	socks := make([]*Socket, 0, len(e.sockets))
	for s := range e.sockets {
		socks = append(socks, s)
	}
	e.mu.Unlock()
	for _, b := range bases {
		b.Close()
	}
	for _, s := range socks {
		s.Abort()
	}
}

// FDHandlers is one descriptor registered in an event base and the events
// it has handlers for.
type FDHandlers struct {
	FD     int
	Events []Event
}

func (e *Env) handlers() []FDHandlers {
	e.mu.Lock()
	bases := make([]*EventBase, 0, len(e.bases))
	for b := range e.bases {
		bases = append(bases, b)
	}
	e.mu.Unlock()
	var all []FDHandlers
	for _, b := range bases {
		all = append(all, b.FDs()...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].FD < all[j].FD })
	return all
}
