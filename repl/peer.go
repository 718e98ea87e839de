package repl

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ionetsh/ionetsh/netex"
)

// peer is one raw connection the shell steers: a raw client's, or one
// that a raw listener accepted. A netex thread runs the peer's event
// loop over its socket (see run); the shell's verbs reach the loop as
// requests, queued and followed by a wake-up of the loop's event base,
// and each waits for the loop's answer. Only the loop touches the
// socket and the fields below loopState.
type peer struct {
	name   string // what verbs call it: c, c-3, L/2
	prefix string // put before each printed line: "" or "L/2: "
	closer string // who an end-of-file means closed: Server or Client
	sock   *netex.Socket
	base   *netex.EventBase
	done   chan struct{} // closed when the loop has ended

	mu   sync.Mutex
	reqs []peerReq

	loopState
}

// peerReq is a verb for the loop to carry out, and where its answer goes.
type peerReq struct {
	do    func(p *peer) error
	reply chan error
}

// errPeerEnded answers a verb given to a connection that has ended.
var errPeerEnded = errors.New("the connection has ended")

// newPeer makes the peer of sock, with its event base; the caller runs
// it with run.
func newPeer(t *netex.Thread, name, prefix, closer string, sock *netex.Socket) (*peer, error) {
	base, err := t.Env.NewEventBase(false)
	if err != nil {
		return nil, err
	}
	p := &peer{name: name, prefix: prefix, closer: closer, sock: sock, base: base, done: make(chan struct{})}
	p.t = t
	return p, nil
}

// call has the loop run do and returns its answer. It gives up when ctx
// ends, and answers errPeerEnded once the loop has ended.
func (p *peer) call(ctx context.Context, do func(p *peer) error) error {
	r := peerReq{do: do, reply: make(chan error, 1)}
	p.mu.Lock()
	p.reqs = append(p.reqs, r)
	p.mu.Unlock()
	p.base.Wake()
	select {
	case err := <-r.reply:
		return err
	case <-p.done:
		select {
		case err := <-r.reply:
			return err
		default:
			return fmt.Errorf("%s: %w", p.name, errPeerEnded)
		}
	case <-ctx.Done():
		return p.withdraw(r)
	}
}

// withdraw takes back a request that an ended context gave up on. If
// the loop has already taken it, it runs to the end (requests never
// block), and its answer is returned, so that nothing it started is
// lost to the caller.
func (p *peer) withdraw(r peerReq) error {
	p.mu.Lock()
	for i, q := range p.reqs {
		if q.reply == r.reply {
			p.reqs = append(p.reqs[:i], p.reqs[i+1:]...)
			p.mu.Unlock()
			return errInterrupted
		}
	}
	p.mu.Unlock()
	select {
	case err := <-r.reply:
		return err
	case <-p.done:
		return errInterrupted
	}
}

// ended reports whether the loop has ended.
func (p *peer) ended() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// run is the peer's event loop: it serves the shell's requests and the
// socket's events until the connection is over, and closes the socket
// and the event base on the way out. It returns an Interrupted
// condition when the thread is stopped.
func (p *peer) run() error {
	defer close(p.done)
	defer p.base.Close()
	defer p.sock.Abort()
	defer p.flushLine()
	p.setReading(true)
	for {
		p.serve()
		if p.finished {
			return nil
		}
		opt := netex.DispatchOptions{OnceOnly: true}
		if p.fl != nil && p.fl.draining {
			opt.Timeout = drainPoll
		}
		if err := p.base.Dispatch(p.t.Ctx, opt); err != nil {
			p.endFlood("stopped")
			return err
		}
		p.checkDrain()
	}
}

// serve runs the queued requests.
func (p *peer) serve() {
	p.mu.Lock()
	reqs := p.reqs
	p.reqs = nil
	p.mu.Unlock()
	for _, r := range reqs {
		if p.finished {
			r.reply <- fmt.Errorf("%s: %w", p.name, errPeerEnded)
			continue
		}
		r.reply <- r.do(p)
	}
}

// printf prints one of the peer's lines, prefixed with its name when it
// is one of a listener's connections.
func (p *peer) printf(format string, args ...any) {
	p.t.Printf("%s%s", p.prefix, fmt.Sprintf(format, args...))
}
