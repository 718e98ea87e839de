package repl

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ionetsh/ionetsh/repl/visible"
)

// minRepaint is the shortest time between two writes of the live
// printer: a chatty session is shown in batches, so an interactive
// prompt is not repainted thousands of times a second.
const minRepaint = 15 * time.Millisecond

// maxQueue bounds what a live printer holds for a terminal that has
// fallen behind (or a watch that holds it): past it, the oldest queued
// lines are skipped, with a note. Sessions' transcripts still have them.
const maxQueue = 4 << 20

// printer is the one way output reaches the terminal or stdout. Every
// write is of whole lines, and is made visible on the way in (package
// visible): no byte from a session, a peer or user input reaches the
// terminal raw. The only exceptions are a line's label (the session's
// name, made visible when the session starts, and its colour) and the
// lines of a session started with connect --raw.
//
// A live printer writes from its own goroutine, joining whatever lines
// queued up meanwhile into one Write; a direct printer writes at once,
// in the caller's goroutine.
type printer struct {
	w    io.Writer
	live bool
	gate func() // if set, called before each live write

	mu      sync.Mutex
	idle    *sync.Cond
	queue   []byte
	writing bool
	closed  bool
	held    bool // a watch owns the terminal: queue, do not write
	skipped int  // bytes of queued lines dropped since the last write
	wake    chan struct{}
	done    chan struct{}
}

func newPrinter(w io.Writer, live bool) *printer {
	p := &printer{w: w, live: live, wake: make(chan struct{}, 1), done: make(chan struct{})}
	p.idle = sync.NewCond(&p.mu)
	if live {
		go p.loop()
	} else {
		close(p.done)
	}
	return p
}

// write queues (live) or writes (direct) b, which holds whole lines,
// made visible.
func (p *printer) write(b []byte) {
	p.put(visible.Append(make([]byte, 0, len(b)), string(b)))
}

// appendLine appends one session line to buf: label, a space, text and
// a newline. label must already be visible (see Shell.startSession);
// text is made visible unless raw.
func appendLine(buf []byte, label, text string, raw bool) []byte {
	buf = append(buf, label...)
	buf = append(buf, ' ')
	if raw {
		buf = append(buf, text...)
	} else {
		buf = visible.Append(buf, text)
	}
	return append(buf, '\n')
}

// writeLines queues (live) or writes (direct) lines built by appendLine.
func (p *printer) writeLines(buf []byte) { p.put(buf) }

// put queues (live) or writes (direct) b, which is ready to be shown.
func (p *printer) put(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.live || p.closed {
		p.w.Write(b)
		return
	}
	p.queue = append(p.queue, b...)
	if len(p.queue) > maxQueue {
		p.trimQueue()
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// trimQueue drops the oldest whole lines of the queue, keeping about
// half of maxQueue, and counts them; p.mu is held.
func (p *printer) trimQueue() {
	cut := len(p.queue) - maxQueue/2
	if i := bytes.IndexByte(p.queue[cut:], '\n'); i >= 0 {
		cut += i + 1
	}
	p.skipped += cut
	p.queue = append(p.queue[:0], p.queue[cut:]...)
}

func (p *printer) loop() {
	defer close(p.done)
	var last time.Time
	for range p.wake {
		if p.isHeld() {
			continue
		}
		if wait := minRepaint - time.Since(last); wait > 0 {
			time.Sleep(wait)
		}
		p.mu.Lock()
		buf, gate := p.queue, p.gate
		if p.skipped > 0 {
			note := fmt.Sprintf("(%d bytes of output not shown: the terminal fell behind; log NAME shows what each session kept)\n", p.skipped)
			buf = append([]byte(note), buf...)
			p.skipped = 0
		}
		p.queue = nil
		p.writing = len(buf) > 0
		p.mu.Unlock()
		if len(buf) > 0 {
			if gate != nil {
				gate()
			}
			p.w.Write(buf)
			last = time.Now()
		}
		p.mu.Lock()
		p.writing = false
		p.idle.Broadcast()
		p.mu.Unlock()
	}
}

// sync waits until everything queued has been written.
func (p *printer) sync() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.live && !p.closed && !p.held && (len(p.queue) > 0 || p.writing) {
		p.idle.Wait()
	}
}

// setWriter changes where lines go, after writing what is queued.
func (p *printer) setWriter(w io.Writer) {
	p.sync()
	p.mu.Lock()
	p.w = w
	p.mu.Unlock()
}

// setGate sets a function the live printer calls before each write.
func (p *printer) setGate(gate func()) {
	p.mu.Lock()
	p.gate = gate
	p.mu.Unlock()
}

// close writes what is queued and stops the live goroutine. Later writes
// go straight through.
func (p *printer) close() {
	p.sync()
	p.mu.Lock()
	if !p.closed && p.live {
		p.closed = true
		close(p.wake)
	}
	p.mu.Unlock()
	<-p.done
}

// rawDisplay is the session option of connect --raw: the session's
// lines reach the terminal as received, escape codes and all.
func rawDisplay(raw bool) func(*Session) {
	return func(s *Session) { s.rawShow = raw }
}
