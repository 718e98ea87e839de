package toxproxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards connections accepted on a listener to a target address,
// through its toxics. Its methods may be called from any goroutine.
type Proxy struct {
	target string
	logf   func(format string, args ...any)

	// onWrite, when set (by tests), is told the size of every write the
	// proxy makes on a stream, after the toxics, just before it is made.
	onWrite func(d Direction, n int)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// busy counts what the proxy holds: connections being set up and
	// chunks read but not yet through their toxics. wake is closed when
	// busy leaves zero (see Wake).
	busy atomic.Int64

	mu      sync.Mutex
	wake    chan struct{}
	served  bool          // Serve has returned; wake stays closed
	toxics  []*entry      // in the order added
	changed chan struct{} // closed and replaced when toxics change
	links   map[*link]struct{}
	conns   int    // connections ever accepted, for their numbers
	added   int    // toxics ever added, for their order
	seed    uint64 // of the toxicity decisions (Draw)
}

// entry is a toxic as the proxy holds it: when it was added, for the
// timeout toxic's clock, its place in the order of adding, and a
// channel closed when it is removed, which cuts short its waits.
type entry struct {
	Toxic
	added time.Time
	seq   int
	gone  chan struct{}
}

// New returns a proxy to target (HOST:PORT). logf receives one line per
// connection, per toxic change and per fault applied; it must be safe
// to call from several goroutines.
func New(target string, logf func(format string, args ...any)) *Proxy {
	ctx, cancel := context.WithCancel(context.Background())
	return &Proxy{target: target, logf: logf, ctx: ctx, cancel: cancel, seed: DefaultSeed,
		changed: make(chan struct{}), wake: make(chan struct{}), links: map[*link]struct{}{}}
}

// Target returns the address the proxy forwards to.
func (p *Proxy) Target() string { return p.target }

// Serve accepts connections on ln and forwards each to the target until
// ln is closed or Close is called. It closes ln, and returns only when
// every connection is closed and every goroutine it started has ended.
func (p *Proxy) Serve(ln net.Listener) error {
	stop := context.AfterFunc(p.ctx, func() { ln.Close() })
	defer func() {
		stop()
		ln.Close()
		p.cancel() // no handler adds a link after this
		p.closeLinks()
		p.wg.Wait()
		p.mu.Lock()
		p.served = true
		close(p.wake)
		p.mu.Unlock()
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if p.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		p.mu.Lock()
		p.conns++
		id := p.conns
		p.mu.Unlock()
		p.hold(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(id, c.(*net.TCPConn))
		}()
	}
}

// Close stops accepting and closes every connection. Serve returns once
// all is closed.
func (p *Proxy) Close() { p.cancel() }

func (p *Proxy) closeLinks() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		l.teardown(false, "proxy stopped")
	}
}

// handle sets up the link for an accepted client and runs it.
func (p *Proxy) handle(id int, client *net.TCPConn) {
	l := p.setup(id, client)
	p.hold(-1) // the connection is set up, or given up
	if l == nil {
		return
	}
	l.run()
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// setup dials the target for an accepted client and records the link;
// nil if the target cannot be reached or the proxy is closing.
func (p *Proxy) setup(id int, client *net.TCPConn) *link {
	var d net.Dialer
	sc, err := d.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		p.logf("#%d from %s: cannot reach %s: %v; closing\n", id, client.RemoteAddr(), p.target, unwrapOp(err))
		client.Close()
		return nil
	}
	l := newLink(p, id, client, sc.(*net.TCPConn))
	p.mu.Lock()
	if p.ctx.Err() != nil {
		p.mu.Unlock()
		l.teardown(false, "proxy stopped")
		return nil
	}
	p.links[l] = struct{}{}
	p.logf("#%d accepted from %s, forwarding via %s to %s\n", id, client.RemoteAddr(), sc.LocalAddr(), sc.RemoteAddr())
	for _, e := range p.toxics {
		p.decideLocked(l, e)
	}
	p.mu.Unlock()
	return l
}

// unwrapOp drops the "dial tcp ..." prefix of a net.OpError.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// hold adds n to what the proxy holds.
func (p *Proxy) hold(n int64) {
	if p.busy.Add(n) == n && n > 0 {
		p.mu.Lock()
		if !p.served {
			close(p.wake)
			p.wake = make(chan struct{})
		}
		p.mu.Unlock()
	}
}

// Busy reports whether the proxy holds anything: a connection it is
// setting up, or data on its way through its toxics (data a timeout
// toxic holds is at rest, and not counted). A caller that must know when traffic
// through the proxy has settled can wait for !Busy.
func (p *Proxy) Busy() bool { return p.busy.Load() > 0 }

// Wake returns a channel that is closed the next time the proxy becomes
// busy, or when Serve has returned. Take it before checking Busy, so
// that no change is missed.
func (p *Proxy) Wake() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.wake
}

// Add adds a toxic; its name must not be taken.
func (p *Proxy) Add(t Toxic) error {
	t.Type, _ = NormalType(t.Type)
	if err := t.Validate(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.toxics {
		if e.Name == t.Name {
			return fmt.Errorf("a toxic named %s exists; remove it first, or give another --name", t.Name)
		}
	}
	if t.Toxicity != nil {
		c := *t.Toxicity // the caller's variable stays the caller's
		t.Toxicity = &c
	}
	p.added++
	e := &entry{Toxic: t, added: time.Now(), seq: p.added, gone: make(chan struct{})}
	p.toxics = append(p.toxics, e)
	p.logf("toxic %s added\n", t)
	p.decideLinksLocked(e)
	p.changedLocked()
	return nil
}

// Remove removes the toxic named name; a hyphen matches an underscore.
func (p *Proxy) Remove(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, e := range p.toxics {
		if e.Name == name || e.Name == normalName(name) {
			p.toxics = append(p.toxics[:i:i], p.toxics[i+1:]...)
			close(e.gone)
			p.changedLocked()
			p.logf("toxic %s removed\n", e.Name)
			return nil
		}
	}
	return fmt.Errorf("no toxic named %s (toxics: %s)", name, p.namesLocked())
}

func normalName(s string) string {
	if t, ok := NormalType(s); ok {
		return t
	}
	return s
}

func (p *Proxy) namesLocked() string {
	if len(p.toxics) == 0 {
		return "none"
	}
	s := ""
	for i, e := range p.toxics {
		if i > 0 {
			s += ", "
		}
		s += e.Name
	}
	return s
}

// List returns the toxics in the order they were added.
func (p *Proxy) List() []Toxic {
	p.mu.Lock()
	defer p.mu.Unlock()
	ts := make([]Toxic, len(p.toxics))
	for i, e := range p.toxics {
		ts[i] = e.Toxic
	}
	return ts
}

// Conns returns how many connections are open now.
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

func (p *Proxy) changedLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// chain returns the toxics of stream d that apply to link l, and a
// channel closed at the next change.
func (p *Proxy) chain(l *link, d Direction) ([]*entry, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var es []*entry
	for _, e := range p.toxics {
		if e.Stream == d && l.on[e] {
			es = append(es, e)
		}
	}
	return es, p.changed
}

// present reports whether e is still one of the proxy's toxics.
func (e *entry) present() bool {
	select {
	case <-e.gone:
		return false
	default:
		return true
	}
}
