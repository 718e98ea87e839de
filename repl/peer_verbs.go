package repl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The verbs, as the peer's loop carries them out. Each returns the
// error the shell reports, or nil.

// pause stops reading: what the peer sends backs up, first in this
// socket's receive buffer, then in the peer's send buffer and its own.
func (p *peer) pause() error {
	if p.paused {
		return fmt.Errorf("%s is already paused", p.name)
	}
	p.paused = true
	p.setReading(false)
	p.printf("Paused: not reading from the socket.\n")
	return nil
}

// resume reads again; what arrived while paused is shown now.
func (p *peer) resume() error {
	if !p.paused {
		return fmt.Errorf("%s is not paused", p.name)
	}
	p.paused = false
	p.endQuiet()
	p.printf("Resumed: %d bytes were waiting.\n", p.inQueue())
	p.setReading(!p.rdEOF)
	return nil
}

// shutdown half-closes: the write side is shut down (FIN) once the
// queued bytes are sent, and reading goes on until the peer closes.
func (p *peer) shutdown() error {
	if p.wrShut || p.shutWant {
		return fmt.Errorf("%s: the write side is already shut down", p.name)
	}
	if p.fl != nil {
		return fmt.Errorf("%s: a flood is running; flood %s stop ends it", p.name, p.name)
	}
	if len(p.out) > 0 {
		p.shutWant = true
		return nil
	}
	p.shutdownNow()
	return nil
}

func (p *peer) shutdownNow() {
	if err := unix.Shutdown(p.sock.FD(), unix.SHUT_WR); err != nil {
		p.printf("Shutdown failed: %v.\n", err)
		p.finished = true
		return
	}
	p.wrShut = true
	p.printf("Shut down the write side (FIN sent); still reading.\n")
	p.finished = p.rdEOF
}

// reset closes abortively: with SO_LINGER 0, close sends RST and drops
// whatever is unsent.
func (p *peer) reset() error {
	p.endFlood("the connection was reset")
	p.endQuiet()
	err := unix.SetsockoptLinger(p.sock.FD(), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
	p.flushLine()
	p.sock.Abort()
	p.finished = true
	if err != nil {
		p.printf("Closed the connection (SO_LINGER failed: %v).\n", err)
		return nil
	}
	p.printf("Reset the connection (RST sent).\n")
	return nil
}

// closeConn closes in order. What has arrived is read and shown first,
// because closing a socket with unread bytes sends RST, not FIN.
func (p *peer) closeConn() error {
	p.endFlood("the connection was closed")
	for !p.rdEOF && p.inQueue() > 0 && !p.finished {
		p.onRead(0, 0, 0)
	}
	p.flushLine()
	p.endQuiet()
	if p.finished {
		return nil
	}
	if n := len(p.out); n > 0 {
		p.printf("(%d queued bytes not sent)\n", n)
	}
	p.sock.Abort()
	p.finished = true
	p.printf("Closed the connection.\n")
	return nil
}
