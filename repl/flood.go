package repl

import (
	"fmt"
	"time"
)

// floodBuf is the size of the one buffer a flood sends from, again and
// again: a flood never holds more than this in memory.
const floodBuf = 64 * 1024

// floodLine is the length of a line a flood --line sends, CRLF included.
const floodLine = 64

// drainPoll is how often a flood that has sent everything checks
// whether the peer has accepted it all.
const drainPoll = 2 * time.Millisecond

// flood is a flood under way on a peer.
type flood struct {
	size     int64 // bytes to send
	sent     int64 // bytes the socket has taken
	buf      []byte
	start    time.Time
	sentAt   time.Time // when the last byte was taken
	reported int64     // the last quarter reported
	draining bool      // all sent; waiting for the peer to accept it all
	done     chan struct{}
}

// newFlood prepares a flood of size bytes: a pattern of digits and
// letters with no newline, or 64-byte lines ending in CRLF (size is
// then rounded up to whole lines).
func newFlood(size int64, lines bool) *flood {
	const pattern = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-"
	buf := make([]byte, floodBuf)
	for i := range buf {
		buf[i] = pattern[i%len(pattern)]
		if lines && i%floodLine == floodLine-2 {
			buf[i] = '\r'
		}
		if lines && i%floodLine == floodLine-1 {
			buf[i] = '\n'
		}
	}
	if lines {
		size = (size + floodLine - 1) / floodLine * floodLine
	}
	return &flood{size: size, buf: buf, start: time.Now(), done: make(chan struct{})}
}

// next returns the bytes to send next, from the reused buffer.
func (f *flood) next() []byte {
	left := f.size - f.sent
	if left <= 0 {
		return nil
	}
	pos := int(f.sent % floodBuf)
	return f.buf[pos:min(int64(floodBuf), int64(pos)+left)]
}

func (f *flood) allSent() bool { return f.sent >= f.size }

// advance accounts for n more bytes sent.
func (f *flood) advance(n int) {
	f.sent += int64(n)
	if f.allSent() && !f.draining {
		f.draining, f.sentAt = true, time.Now()
	}
}

// startFlood starts a flood of size bytes on the peer.
func (p *peer) startFlood(size int64, lines bool) (*flood, error) {
	switch {
	case p.fl != nil:
		return nil, fmt.Errorf("%s: a flood is already running; flood %s stop ends it", p.name, p.name)
	case p.wrShut || p.shutWant:
		return nil, fmt.Errorf("%s: the write side is shut down", p.name)
	}
	p.fl = newFlood(size, lines)
	p.startQuiet()
	what := "without a newline"
	if lines {
		what = fmt.Sprintf("as %d-byte lines", floodLine)
	}
	p.printf("Flood: sending %s %s.\n", sizeString(p.fl.size), what)
	p.pump()
	p.progress()
	return p.fl, nil
}

// progress reports each quarter of the flood the socket has taken.
func (p *peer) progress() {
	f := p.fl
	if f == nil {
		return
	}
	for q := f.reported + 1; q <= 3 && f.sent >= f.size*q/4; q++ {
		f.reported = q
		p.printf("Flood: %s of %s sent (%d%%).\n", sizeString(f.size*q/4), sizeString(f.size), q*25)
	}
}

// checkDrain, after each round, reports progress and ends the flood once
// the peer has accepted every byte.
func (p *peer) checkDrain() {
	p.progress()
	if p.fl == nil || !p.fl.draining || p.outQueue() > 0 {
		return
	}
	f := p.fl
	took := time.Since(f.start)
	p.printf("Flood: done: %d bytes (%s) sent in %v; the peer accepted them all in %v (%s/s).\n",
		f.sent, sizeString(f.sent), roundDur(f.sentAt.Sub(f.start)), roundDur(took),
		sizeString(int64(float64(f.sent)/max(took.Seconds(), 1e-9))))
	p.fl = nil
	close(f.done)
}

// endFlood ends a flood that did not finish, saying why.
func (p *peer) endFlood(why string) {
	f := p.fl
	if f == nil {
		return
	}
	p.fl = nil
	p.printf("Flood: %s after %d bytes (%s) sent in %v; %d bytes not yet accepted by the peer.\n",
		why, f.sent, sizeString(f.sent), roundDur(time.Since(f.start)), p.outQueue())
	close(f.done)
}

// stopFlood is the verb flood NAME stop.
func (p *peer) stopFlood() error {
	if p.fl == nil {
		return fmt.Errorf("%s: no flood is running", p.name)
	}
	p.endFlood("stopped")
	return nil
}

func roundDur(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}
