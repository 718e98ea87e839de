package repl

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ionetsh/ionetsh/netex"
	"golang.org/x/sys/unix"
)

// loopState is what only a peer's loop touches.
type loopState struct {
	t        *netex.Thread
	rbuf     [16 * 1024]byte
	line     []byte // the start of the line being received, at most maxShown bytes
	lineLen  int    // the whole length of that line so far
	tail     []byte // the last tailShown bytes of that line
	out      []byte // bytes queued by send, not yet accepted by the socket
	reading  bool   // the read handler is registered
	writing  bool   // the write handler is registered
	paused   bool
	shutWant bool // shutdown asked for while bytes were still queued
	wrShut   bool
	rdEOF    bool
	finished bool
	fl       *flood
	quiet    int64 // bytes received during a flood, counted and not shown
	quietOn  bool
}

// maxShown is how much of a received line is shown; longer lines are
// cut there, with their length.
const maxShown = 200

// tailShown is how much of the end of a line longer than maxShown is
// shown.
const tailShown = 24

// pumpBudget bounds the bytes one round of the loop sends, so that the
// loop comes back to the shell's requests between rounds.
const pumpBudget = 1 << 20

func (p *peer) setReading(on bool) {
	if on == p.reading {
		return
	}
	p.reading = on
	if on {
		p.base.SetIOHandler(p.sock.FD(), netex.Read, p.onRead)
	} else {
		p.base.RemoveFDHandlers(p.sock.FD(), netex.Read)
	}
}

func (p *peer) setWriting(on bool) {
	if on == p.writing {
		return
	}
	p.writing = on
	if on {
		p.base.SetIOHandler(p.sock.FD(), netex.Write, func(int, netex.Event, netex.Exception) error { p.pump(); return nil })
	} else {
		p.base.RemoveFDHandlers(p.sock.FD(), netex.Write)
	}
}

// onRead receives what is ready and shows it.
func (p *peer) onRead(int, netex.Event, netex.Exception) error {
	n, err := p.sock.ReceiveInto(p.rbuf[:])
	switch {
	case err == nil:
		p.received(p.rbuf[:n])
	case errors.Is(err, netex.WouldBlock):
	case errors.Is(err, netex.EndOfFile):
		p.flushLine()
		p.endQuiet()
		p.printf("%s closed the connection.\n", p.closer)
		p.rdEOF = true
		p.setReading(false)
		p.finished = p.wrShut
	default:
		p.failed(err)
	}
	return nil
}

// received shows whole lines, or counts the bytes during a flood.
func (p *peer) received(b []byte) {
	if p.quietOn {
		p.quiet += int64(len(b))
		return
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		part := b
		if i >= 0 {
			part = b[:i]
		}
		if room := maxShown - len(p.line); room > 0 {
			p.line = append(p.line, part[:min(room, len(part))]...)
		}
		p.lineLen += len(part)
		p.tail = append(p.tail, part[max(0, len(part)-tailShown):]...)
		p.tail = p.tail[max(0, len(p.tail)-tailShown):]
		if i < 0 {
			return
		}
		p.showLine()
		b = b[i+1:]
	}
}

// flushLine shows a last line that has no newline.
func (p *peer) flushLine() {
	if p.lineLen > 0 {
		p.showLine()
	}
}

func (p *peer) showLine() {
	if n := p.lineLen; n > maxShown {
		tail := bytes.TrimSuffix(p.tail, []byte("\r"))
		p.printf("%s ... %s (a line of %d bytes)\n", lineText(p.line[:64]), lineText(tail), n)
	} else {
		p.printf("%s\n", lineText(bytes.TrimSuffix(p.line, []byte("\r"))))
	}
	p.resetLine()
}

// lineText is a received line as text. It is not escaped here: the
// shell's printer makes every line visible in one place, unless the
// session was started with connect --raw.
func lineText(b []byte) string { return string(b) }

// startQuiet and endQuiet bracket the time received bytes are counted
// instead of shown: from a flood's start until the next verb that sends,
// resumes or ends the connection.
func (p *peer) startQuiet() {
	if !p.quietOn {
		p.flushLine()
		p.quietOn, p.quiet = true, 0
	}
}

func (p *peer) endQuiet() {
	if !p.quietOn || p.fl != nil {
		return
	}
	p.quietOn = false
	if p.quiet > 0 {
		p.printf("(%d bytes received since the flood began, counted and not shown)\n", p.quiet)
	}
	p.resetLine()
}

func (p *peer) resetLine() {
	p.line, p.tail, p.lineLen = p.line[:0], p.tail[:0], 0
}

// queue queues bytes to send and sends what the socket takes.
func (p *peer) queue(b []byte) error {
	if p.wrShut || p.shutWant {
		return fmt.Errorf("%s: the write side is shut down", p.name)
	}
	p.endQuiet()
	p.out = append(p.out, b...)
	p.pump()
	return nil
}

// pump sends queued bytes, then the flood's, up to pumpBudget a round.
// When the socket is full it waits for room with the write handler.
func (p *peer) pump() {
	for sent := 0; sent < pumpBudget; {
		chunk := p.out
		if len(chunk) == 0 && p.fl != nil {
			chunk = p.fl.next()
		}
		if len(chunk) == 0 {
			break
		}
		n, err := p.sock.SendFrom(chunk)
		if errors.Is(err, netex.WouldBlock) {
			p.setWriting(true)
			return
		}
		if err != nil {
			p.failed(err)
			return
		}
		p.sent(n)
		sent += n
	}
	more := len(p.out) > 0 || (p.fl != nil && !p.fl.allSent())
	p.setWriting(more)
	if !more && p.shutWant {
		p.shutWant = false
		p.shutdownNow()
	}
}

// sent accounts for n bytes the socket took.
func (p *peer) sent(n int) {
	if len(p.out) > 0 {
		p.out = p.out[n:]
		if len(p.out) == 0 {
			p.out = nil
		}
		return
	}
	p.fl.advance(n)
}

// failed reports a failed read or write; the connection is over.
func (p *peer) failed(err error) {
	p.flushLine()
	why := err.Error()
	switch {
	case errors.Is(err, netex.ConnectionReset):
		why = "connection reset by peer"
	case errors.Is(err, netex.BrokenPipe), errors.Is(err, netex.Hangup):
		why = "broken pipe: the peer has closed"
	}
	p.endFlood(why)
	p.endQuiet()
	p.printf("Connection lost: %s.\n", why)
	p.finished = true
}

// inQueue returns how many received bytes wait in the socket.
func (p *peer) inQueue() int {
	n, err := unix.IoctlGetInt(p.sock.FD(), unix.SIOCINQ)
	if err != nil {
		return 0
	}
	return n
}

// outQueue returns how many sent bytes the peer has not yet accepted.
func (p *peer) outQueue() int {
	n, err := unix.IoctlGetInt(p.sock.FD(), unix.SIOCOUTQ)
	if err != nil {
		return 0
	}
	return n
}
