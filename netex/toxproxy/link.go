package toxproxy

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// chunk is what one read brought: data and when it arrived, or, last,
// the error that ended the stream (io.EOF for an orderly end).
type chunk struct {
	data []byte
	at   time.Time
	err  error
}

// link is one proxied connection: the client's socket and the one to the
// target, with a pump for each direction.
type link struct {
	p              *Proxy
	id             int
	client, server *net.TCPConn
	start          time.Time
	done           chan struct{} // closed by teardown
	once           sync.Once
	why            string // what ended the link, set by teardown
	bytes          [2]atomic.Int64
	on             map[*entry]bool // whether each toxic applies; under p.mu
	// gate, per direction, is nil while its reader may read, else a
	// channel closed when it may again (see pump.gateHeld).
	gate [2]atomic.Pointer[chan struct{}]
}

func newLink(p *Proxy, id int, client, server *net.TCPConn) *link {
	return &link{p: p, id: id, client: client, server: server, start: time.Now(), done: make(chan struct{}),
		on: map[*entry]bool{}}
}

// run forwards both directions until both have ended or the link is torn
// down, and returns when its goroutines have ended.
func (l *link) run() {
	var wg sync.WaitGroup
	up, down := make(chan chunk, 16), make(chan chunk, 16)
	pumps := []*pump{newPump(l, Upstream, up, l.server), newPump(l, Downstream, down, l.client)}
	wg.Add(4)
	go func() { defer wg.Done(); l.read(Upstream, l.client, up) }()
	go func() { defer wg.Done(); l.read(Downstream, l.server, down) }()
	var ended sync.WaitGroup
	ended.Add(2)
	for _, pm := range pumps {
		go func() { defer wg.Done(); defer ended.Done(); pm.run() }()
	}
	ended.Wait()
	l.teardown(false, "both sides closed")
	wg.Wait()
	l.drop(up)
	l.drop(down)
	l.p.logf("#%d closed (%s); %d bytes up, %d bytes down\n", l.id, l.why,
		l.bytes[Upstream].Load(), l.bytes[Downstream].Load())
}

// drop lets go of the data left in ch when the link ended.
func (l *link) drop(ch <-chan chunk) {
	for {
		select {
		case c := <-ch:
			if c.err == nil {
				l.p.hold(-1)
			}
		default:
			return
		}
	}
}

// teardown closes both sockets, with a reset (SO_LINGER 0) if reset is
// set, and ends the link's goroutines. Only the first call counts.
func (l *link) teardown(reset bool, why string) {
	l.once.Do(func() {
		l.why = why
		if reset {
			l.client.SetLinger(0)
			l.server.SetLinger(0)
		}
		l.client.Close()
		l.server.Close()
		close(l.done)
	})
}

// read sends what src brings to out (stream d), chunk by chunk, then the
// error that ended it. It waits while d's gate is shut.
func (l *link) read(d Direction, src *net.TCPConn, out chan<- chunk) {
	buf := make([]byte, 32<<10)
	for {
		if g := l.gate[d].Load(); g != nil {
			select {
			case <-*g:
			case <-l.done:
				return
			}
		}
		n, err := src.Read(buf)
		if n > 0 {
			l.p.hold(1)
			if !l.send(out, chunk{data: append([]byte(nil), buf[:n]...), at: time.Now()}) {
				l.p.hold(-1)
				return
			}
		}
		if err != nil {
			l.send(out, chunk{err: err})
			return
		}
	}
}

func (l *link) send(out chan<- chunk, c chunk) bool {
	select {
	case out <- c:
		return true
	case <-l.done:
		return false
	}
}

// side names the socket a direction reads from.
func side(d Direction) string {
	if d == Upstream {
		return "client"
	}
	return "target"
}

// fault is a toxic's verdict that ends the link.
type fault struct {
	reset bool
	why   string
}

func (f *fault) Error() string { return f.why }

// errDone is returned by a toxic whose wait was cut short by teardown.
var errDone = errors.New("link torn down")
