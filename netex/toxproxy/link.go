package toxproxy

import (
	"errors"
	"io"
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
}

func newLink(p *Proxy, id int, client, server *net.TCPConn) *link {
	return &link{p: p, id: id, client: client, server: server, start: time.Now(), done: make(chan struct{})}
}

// run forwards both directions until both have ended or the link is torn
// down, and returns when its goroutines have ended.
func (l *link) run() {
	var wg sync.WaitGroup
	up, down := make(chan chunk, 16), make(chan chunk, 16)
	pumps := []*pump{newPump(l, Upstream, up, l.server), newPump(l, Downstream, down, l.client)}
	wg.Add(4)
	go func() { defer wg.Done(); l.read(l.client, up) }()
	go func() { defer wg.Done(); l.read(l.server, down) }()
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

// read sends what src brings to out, chunk by chunk, then the error that
// ended it.
func (l *link) read(src *net.TCPConn, out chan<- chunk) {
	buf := make([]byte, 32<<10)
	for {
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

// pump carries one direction through its toxics. Its maps are per-link
// toxic state, touched only by the pump's goroutine.
type pump struct {
	l    *link
	dir  Direction
	in   <-chan chunk
	dst  *net.TCPConn
	seen map[*entry]bool          // toxics already reported on this link
	sent map[*entry]int64         // limit_data: bytes passed
	debt map[*entry]time.Duration // bandwidth: time owed
}

func newPump(l *link, d Direction, in <-chan chunk, dst *net.TCPConn) *pump {
	return &pump{l: l, dir: d, in: in, dst: dst, seen: map[*entry]bool{},
		sent: map[*entry]int64{}, debt: map[*entry]time.Duration{}}
}

func (pm *pump) run() {
	for {
		chain, changed := pm.l.p.chain(pm.dir)
		expire, stop := pm.timeoutClock(chain)
		select {
		case c := <-pm.in:
			stop()
			if c.err != nil {
				pm.end(c.err, chain)
				return
			}
			err := pm.process(c, chain)
			pm.l.p.hold(-1)
			if err != nil {
				pm.fail(err)
				return
			}
		case <-changed:
			stop()
		case e := <-expire:
			pm.logf("timeout: no close for %v; closing both sides", e.Timeout)
			pm.l.teardown(false, "timeout")
			return
		case <-pm.l.done:
			stop()
			return
		}
	}
}

// timeoutClock returns a channel that yields the timeout toxic (with a
// non-zero timeout) due first on this link, when it is due.
func (pm *pump) timeoutClock(chain []*entry) (<-chan *entry, func()) {
	var first *entry
	var due time.Time
	for _, e := range chain {
		if e.Type != Timeout || e.Timeout == 0 {
			continue
		}
		at := e.added
		if pm.l.start.After(at) {
			at = pm.l.start
		}
		if at = at.Add(e.Timeout); first == nil || at.Before(due) {
			first, due = e, at
		}
	}
	if first == nil {
		return nil, func() {}
	}
	ch := make(chan *entry, 1)
	t := time.AfterFunc(time.Until(due), func() { ch <- first })
	return ch, func() { t.Stop() }
}

// end passes on the end of the stream: an end-of-file as a half-close
// (after any slow_close delay), anything else as a reset of both sides.
func (pm *pump) end(err error, chain []*entry) {
	if !errors.Is(err, io.EOF) {
		pm.l.teardown(true, side(pm.dir)+" side: "+unwrapOp(err).Error())
		return
	}
	for _, e := range chain {
		if e.Type == SlowClose {
			pm.logf("slow_close: %s closed; holding the close for %v", side(pm.dir), e.Delay)
			pm.l.p.hold(1)
			ok := pm.sleep(e.Delay)
			pm.l.p.hold(-1)
			if !ok {
				return
			}
		}
	}
	if err := pm.dst.CloseWrite(); err != nil {
		pm.l.teardown(true, unwrapOp(err).Error())
	}
}

// fail ends the link after a toxic's fault or a failed write.
func (pm *pump) fail(err error) {
	var f *fault
	switch {
	case errors.Is(err, errDone):
	case errors.As(err, &f):
		pm.l.teardown(f.reset, f.why)
	default:
		pm.l.teardown(true, "writing to "+side(1-pm.dir)+": "+unwrapOp(err).Error())
	}
}

// process passes c through the chain of toxics and writes what comes out.
func (pm *pump) process(c chunk, chain []*entry) error {
	var stage func(i int, c chunk) error
	stage = func(i int, c chunk) error {
		if i == len(chain) {
			return pm.write(c)
		}
		return pm.apply(chain[i], c, func(c chunk) error { return stage(i+1, c) })
	}
	return stage(0, c)
}

func (pm *pump) write(c chunk) error {
	if len(c.data) == 0 {
		return nil
	}
	if pm.l.p.onWrite != nil {
		pm.l.p.onWrite(pm.dir, len(c.data))
	}
	n, err := pm.dst.Write(c.data)
	pm.l.bytes[pm.dir].Add(int64(n))
	return err
}

// sleep waits for d, and reports false if the link was torn down first.
func (pm *pump) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-pm.l.done:
		return false
	}
}

// logf prints a line about this link and direction.
func (pm *pump) logf(format string, args ...any) {
	pm.l.p.logf("#%d %s: "+format+"\n", append([]any{pm.l.id, pm.dir}, args...)...)
}

// once prints a line the first time toxic e acts on this link.
func (pm *pump) once(e *entry, format string, args ...any) {
	if !pm.seen[e] {
		pm.seen[e] = true
		pm.logf(format, args...)
	}
}
