package netex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"sync"

	"github.com/ionetsh/ionetsh/netex/iolib"
	"github.com/ionetsh/ionetsh/netex/iomux"
)

// Env is an example's environment: the settings it was started with and
// a record of every socket, event base and thread it has made, so that
// its Run can list them and, at the end, close whatever is left.
type Env struct {
	Host   string     // the host clients connect to
	Port   int        // the port clients connect to and servers listen on
	Bind   netip.Addr // the address servers bind to
	Family Family     // the family a host name is resolved for
	Stdin  LineSource // standard input; nil is always at end-of-file
	Opts   ExampleOptions
	// Backlog is the listen backlog of a server's passive socket.
	Backlog int

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

// MakeSocket creates an unbound passive or an unconnected active stream
// socket. The Env tracks it until it is closed, and closes it at the
// Run's end. A passive socket has the family of the Env's bind address;
// an active one that of its host, if that is an address, else Family.
func (e *Env) MakeSocket(passive bool) (*Socket, error) {
	return iolib.MakeSocket((*envOwner)(e), iolib.Options{Passive: passive, Family: e.family(passive)})
}

// MakeDatagramSocket creates a datagram socket, tracked as MakeSocket's
// are: for a server (of the bind address's family) or a client (of the
// host's).
func (e *Env) MakeDatagramSocket(server bool) (*Socket, error) {
	return iolib.MakeSocket((*envOwner)(e), iolib.Options{Type: iolib.Datagram, Family: e.family(server)})
}

// family is the family of a new server (bind) or client (host) socket.
func (e *Env) family(server bool) Family {
	if server {
		if e.Bind.IsValid() {
			return iolib.FamilyOf(e.Bind)
		}
		return e.Family
	}
	if a, err := netip.ParseAddr(e.Host); err == nil {
		return iolib.FamilyOf(a)
	}
	return e.Family
}

// LookupHostname resolves host as a client socket of the Env connects
// to it: its first IPv4 address, unless the Env's Family is IPv6 or its
// host an IPv6 address (iolib.Lookup).
func (e *Env) LookupHostname(ctx context.Context, host string) (netip.Addr, error) {
	return iolib.Lookup(ctx, host, e.family(false))
}

// envOwner is the Env as its sockets' iolib.Owner: it numbers them, keeps
// the open ones and hears when a server listens.
type envOwner Env

func (o *envOwner) NewID() string { return (*Env)(o).nextID() }

func (o *envOwner) Opened(s *Socket) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sockets == nil {
		o.sockets = make(map[*Socket]struct{})
	}
	o.sockets[s] = struct{}{}
}

func (o *envOwner) Closed(s *Socket) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.sockets, s)
}

func (o *envOwner) Listening(s *Socket) { o.run.markListening(s.LocalAddr(), true) }

// NewEventBase makes an event base (iomux.New) that the Env tracks until
// it is closed, and closes at the Run's end. With exitWhenEmpty, Dispatch
// returns as soon as no handler is registered.
func (e *Env) NewEventBase(exitWhenEmpty bool) (*EventBase, error) {
	b, err := iomux.New(exitWhenEmpty, func(b *EventBase) { e.trackBase(b, false) })
	if err != nil {
		return nil, err
	}
	e.trackBase(b, true)
	return b, nil
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
		if !s.Passive() {
			n++
		}
	}
	return n
}

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
