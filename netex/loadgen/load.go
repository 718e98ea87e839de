package loadgen

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Event is what a run reports as it goes: "start" once the idle
// connections are open and the load begins, "progress" every
// ProgressEvery, and, from the child, "result" at the end.
type Event struct {
	Kind    string        `json:"event"`
	Elapsed time.Duration `json:"elapsed,omitempty"`
	Ops     int64         `json:"ops,omitempty"`
	Result  *Result       `json:"result,omitempty"`
}

// ProgressEvery is how often a run reports progress.
const ProgressEvery = 200 * time.Millisecond

// errorBackoff is how long a client waits after an error before it
// tries again, so a dead server is not hammered in a tight loop.
const errorBackoff = 10 * time.Millisecond

// load is one step's shared state.
type load struct {
	cfg     Config
	ctx     context.Context // ends at the deadline or on interrupt
	dialer  net.Dialer
	ops     atomic.Int64
	lat     *recorder
	conn    *recorder
	connN   atomic.Int64
	errs    errorCounts
	session func(w *worker) error
}

// Run generates cfg's load until its duration is up, every client has
// done its rounds, or ctx ends (an interrupt: what was measured so far is
// returned, marked Interrupted). report receives the start and progress
// events; it may be nil.
func Run(ctx context.Context, cfg Config, report func(Event)) Result {
	if report == nil {
		report = func(Event) {}
	}
	res := Result{Config: cfg}
	var idleErrs errorCounts
	idle := openIdle(ctx, cfg, &idleErrs)
	defer closeAll(idle)
	res.IdleOpened, res.IdleErrors = len(idle), idleErrs.snapshot()
	report(Event{Kind: "start"})

	// The duration ends the load by a timer rather than a context
	// deadline: the dialer would pass a deadline on to its sockets, which
	// can expire a moment before the context reports it, and an
	// operation cut off by the end of the step is not an error.
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.Rounds == 0 {
		t := time.AfterFunc(cfg.Duration, cancel)
		defer t.Stop()
	}
	l := &load{cfg: cfg, ctx: lctx, dialer: net.Dialer{Timeout: cfg.Timeout},
		lat: newRecorder(), conn: newRecorder(), session: sessionFor(cfg.Mode)}
	start := time.Now()
	var ended atomic.Int64 // when lctx ended, in ns since start
	stopEnd := context.AfterFunc(lctx, func() { ended.Store(int64(time.Since(start))) })
	defer stopEnd()

	done := make(chan struct{})
	go l.progress(start, done, report)
	var wg sync.WaitGroup
	for id := range cfg.Clients {
		wg.Go(func() { l.client(id) })
	}
	wg.Wait()
	close(done)
	res.Elapsed = time.Since(start)
	if e := ended.Load(); e > 0 && time.Duration(e) < res.Elapsed {
		res.Elapsed = time.Duration(e)
	}
	res.Ops = l.ops.Load()
	res.Latency, res.Connect = l.lat.summary(), l.conn.summary()
	res.Stalls = l.lat.stalls + l.conn.stalls
	res.Errors = l.errs.snapshot()
	res.IdleHeld = countOpen(idle)
	res.Interrupted = ctx.Err() != nil
	return res
}

// progress reports the operations done so far until done is closed.
func (l *load) progress(start time.Time, done <-chan struct{}, report func(Event)) {
	t := time.NewTicker(ProgressEvery)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			report(Event{Kind: "progress", Elapsed: time.Since(start), Ops: l.ops.Load()})
		}
	}
}

// worker is one client.
type worker struct {
	l    *load
	id   int
	done int // rounds done or attempted
	lat  sampler
	conn sampler
}

// client runs one client's sessions until the step ends. A session that
// fails is counted by condition and, after a short pause, started again.
func (l *load) client(id int) {
	w := &worker{l: l, id: id,
		lat:  sampler{r: l.lat, buf: make([]time.Duration, 0, 256)},
		conn: sampler{r: l.conn, buf: make([]time.Duration, 0, 16)}}
	defer w.lat.flush()
	defer w.conn.flush()
	for w.more() {
		err := l.session(w)
		if err == nil || l.ctx.Err() != nil {
			continue
		}
		l.errs.add(err)
		w.done++
		select {
		case <-l.ctx.Done():
		case <-time.After(errorBackoff):
		}
	}
}

// more reports whether the client has more to do.
func (w *worker) more() bool {
	return w.l.ctx.Err() == nil && (w.l.cfg.Rounds == 0 || w.done < w.l.cfg.Rounds)
}

// op counts one operation that took d, unless the step has ended.
func (w *worker) op(d time.Duration) {
	if w.l.ctx.Err() != nil {
		return
	}
	w.l.ops.Add(1)
	w.lat.record(d)
	w.done++
}

// dial connects to the target, recording the connect time.
func (w *worker) dial() (*net.TCPConn, error) {
	t0 := time.Now()
	c, err := w.l.dialer.DialContext(w.l.ctx, "tcp", w.l.cfg.Addr)
	if err != nil {
		w.cutOff(&w.conn, t0)
		return nil, err
	}
	w.conn.record(time.Since(t0))
	return c.(*net.TCPConn), nil
}

// cutOff records, as a lower bound, a connect or operation begun at t0
// that the end of the step cut off after it had already stalled: a
// client stuck in a stall for the rest of the step must show.
func (w *worker) cutOff(s *sampler, t0 time.Time) {
	if d := time.Since(t0); w.l.ctx.Err() != nil && d >= StallAfter {
		s.record(d)
	}
}

// guard makes c's blocking calls return once the step ends. It returns
// the function that disarms it.
func (w *worker) guard(c net.Conn) func() bool {
	return context.AfterFunc(w.l.ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
}

// deadline sets c's deadline one timeout from now and reports whether
// the step is still on; checked after setting, so an end that races with
// it is never overwritten.
func (w *worker) deadline(c net.Conn) bool {
	c.SetDeadline(time.Now().Add(w.l.cfg.Timeout))
	return w.l.ctx.Err() == nil
}
