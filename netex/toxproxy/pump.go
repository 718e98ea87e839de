package toxproxy

import (
	"errors"
	"io"
	"net"
	"time"
)

// pump carries one direction through its toxics. Its fields are per-link
// toxic state, touched only by the pump's goroutine.
type pump struct {
	l    *link
	dir  Direction
	in   <-chan chunk
	dst  *net.TCPConn
	seen map[*entry]bool          // toxics already reported on this link
	sent map[*entry]int64         // limit_data: bytes passed
	debt map[*entry]time.Duration // bandwidth: time owed
	held []heldChunk              // what timeout toxics hold, in order
	size int                      // bytes in held
	eof  error                    // an end-of-file waiting behind held
}

func newPump(l *link, d Direction, in <-chan chunk, dst *net.TCPConn) *pump {
	return &pump{l: l, dir: d, in: in, dst: dst, seen: map[*entry]bool{},
		sent: map[*entry]int64{}, debt: map[*entry]time.Duration{}}
}

func (pm *pump) run() {
	defer pm.openGate()
	for {
		chain, changed := pm.l.p.chain(pm.l, pm.dir)
		if err := pm.release(); err != nil {
			pm.fail(err)
			return
		}
		if pm.eof != nil && len(pm.held) == 0 {
			pm.end(pm.eof, chain)
			return
		}
		expire, stop := pm.timeoutClock(chain)
		in := pm.in
		if pm.eof != nil {
			in = nil // the stream has ended; what is held waits for release
		}
		select {
		case c := <-in:
			stop()
			if c.err != nil && (len(pm.held) == 0 || !errors.Is(c.err, io.EOF)) {
				pm.end(c.err, chain)
				return
			}
			if c.err != nil {
				pm.eof = c.err
				continue
			}
			err := pm.process(c, chain)
			pm.l.p.hold(-1)
			if err != nil {
				pm.fail(err)
				return
			}
		case <-changed:
			stop() // what is held is released at the top
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
			w := pm.wait(e, e.Delay)
			pm.l.p.hold(-1)
			if w == tornDown {
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

// How a toxic's wait ended.
const (
	waited   = iota // the time passed
	removed         // the toxic was removed first: it acts no more
	tornDown        // the link was torn down first
)

// wait waits d for toxic e, and says how the wait ended.
func (pm *pump) wait(e *entry, d time.Duration) int {
	if d <= 0 {
		return waited
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return waited
	case <-e.gone:
		return removed
	case <-pm.l.done:
		return tornDown
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
