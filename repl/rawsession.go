package repl

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ionetsh/ionetsh/netex"
)

// rawSession is what the shell knows of a raw session: a raw client's one
// connection, or the connections a raw listener has accepted, in order.
type rawSession struct {
	name     string
	listener bool

	mu    sync.Mutex
	peers []*peer
	count int // connections accepted so far, for N/1, N/2, ...
}

// add records a peer whose loop is about to run.
func (rs *rawSession) add(p *peer) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.peers = append(rs.peers, p)
}

// nextName names a listener's next connection.
func (rs *rawSession) nextName() string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.count++
	return fmt.Sprintf("%s/%d", rs.name, rs.count)
}

// list returns the peers, oldest first.
func (rs *rawSession) list() []*peer {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]*peer(nil), rs.peers...)
}

// rawClientExample is the raw line client, steered by the shell's verbs
// and fed by standard input: lines typed while attached are sent, and
// the end of input (Ctrl-D, eof) half-closes.
func rawClientExample(rs *rawSession) *netex.Example {
	return &netex.Example{
		Name: rawName, Role: netex.Client, ReadsStdin: true,
		Summary: "a raw line client: lines sent, replies printed",
		Run:     func(t *netex.Thread) (bool, error) { return runRawClient(t, rs) },
	}
}

func runRawClient(t *netex.Thread, rs *rawSession) (bool, error) {
	s, err := t.Env.MakeSocket(false)
	if err != nil {
		return false, err
	}
	defer s.Abort()
	if err := s.Connect(t.Ctx, t.Env.Host, t.Env.Port); err != nil {
		return false, err
	}
	t.Printf("Connected to %s from %s\n", s.RemoteAddr(), s.LocalAddr())
	p, err := newPeer(t, rs.name, "", "Server", s)
	if err != nil {
		return false, err
	}
	rs.add(p)
	t.Env.Spawn("raw-stdin", func(st *netex.Thread) { feedPeer(st, p) })
	if err := p.run(); err != nil {
		return false, err
	}
	return true, nil
}

// feedPeer sends standard input to the peer as it comes, and half-closes
// at its end.
func feedPeer(t *netex.Thread, p *peer) {
	for {
		text, newline, err := t.Env.ReadStdinChunk(t.Ctx)
		if errors.Is(err, netex.EndOfFile) {
			p.call(t.Ctx, (*peer).shutdown)
			return
		}
		if err != nil {
			return
		}
		if newline {
			text += "\r\n"
		}
		if p.call(t.Ctx, func(p *peer) error { return p.queue([]byte(text)) }) != nil {
			return
		}
	}
}

// listenerExample is the raw listener: it accepts connections for ever
// and runs each as a peer named N/1, N/2, ... in a thread of its own.
func listenerExample(rs *rawSession) *netex.Example {
	return &netex.Example{
		Name: listenName, Role: netex.Server,
		Summary: "a raw listener: accepted connections are steered by hand",
		Run:     func(t *netex.Thread) (bool, error) { return runListener(t, rs) },
	}
}

// rawName and listenName are the example names of raw clients and raw
// listeners.
const rawName = "raw"

// listenName is the example name of raw listeners.
const listenName = "listen"

func runListener(t *netex.Thread, rs *rawSession) (bool, error) {
	ls, err := t.Env.MakeSocket(true)
	if err != nil {
		return false, err
	}
	defer ls.Abort()
	if err := ls.Bind(t.Env.Bind, t.Env.Port); err != nil {
		return false, err
	}
	if err := ls.Listen(16); err != nil {
		return false, err
	}
	t.Printf("Listening on %s\n", ls.LocalAddr())
	for {
		c, err := ls.Accept(t.Ctx)
		if err != nil {
			return false, err
		}
		name := rs.nextName()
		t.Printf("%s: accepted a connection from %s\n", name, c.RemoteAddr())
		// The peer is made and recorded here, in accept order, so that
		// the listener's name means the connection accepted last.
		p, err := newPeer(t, name, name+": ", "Client", c)
		if err != nil {
			c.Abort()
			t.Printf("%s: %v\n", name, err)
			continue
		}
		rs.add(p)
		t.Env.Spawn(name, func(ct *netex.Thread) {
			p.t = ct
			p.run()
		})
	}
}
