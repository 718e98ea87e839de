package netex

import (
	"bytes"
	"errors"

	"github.com/ionetsh/ionetsh/netex/iolib"
)

// ex7MaxBytes is ex7's high-water mark: once this many bytes are queued
// for a client, the server stops reading from it.
const ex7MaxBytes = 4096

// ex7ReadBytes is how much ex7 reads from a client per system call, as
// ex8's buffer: its one thread reads every client's lines, and takes all
// that a read brought at once, so a larger read costs it less per line.
// The lines it queues still stop at ex7MaxBytes.
const ex7ReadBytes = 16384

// runEx7Server is ex7-server.lisp: a single-threaded multiplexed echo
// server whose per-client io-buffer (ex7-buffer.lisp) has separate read
// and write handlers sharing a queue of lines. Its reads are still
// blocking line reads; its writes send what the socket takes and wait
// for writability only for the rest. It honours half-close: after a
// client's end-of-file it writes out what is queued, then closes.
func runEx7Server(t *Thread) (bool, error) {
	return runMuxServer(t, newEx7Buffer)
}

// ex7Buffer is the state make-ex7-io-buffer closes over. Its queue of
// lines is kept in the form it takes on the wire: out holds every queued
// line with its CRLF, oldest first, lens their lengths without it. The
// oldest queued line, lens[head], begins at acked; sent bytes of out have
// gone.
type ex7Buffer struct {
	c               *muxClient
	out             []byte
	lens            []int
	head            int
	acked, sent     int
	readRegistered  bool
	writeRegistered bool
	eofSeen         bool
	// What ex7 prints before each line it reads and writes.
	readPrefix, wrotePrefix string
}

// newEx7Buffer makes a client's io-buffer and returns its read handler,
// which the listener registers at once. The write handler is registered
// only while queued lines wait that a send could not take.
func newEx7Buffer(c *muxClient) (Handler, Handler) {
	b := &ex7Buffer{c: c, readRegistered: true,
		readPrefix: "Read from " + c.who + ": ", wrotePrefix: "Wrote to " + c.who + ": "}
	c.sock.SetReadBufferSize(ex7ReadBytes)
	return b.readALine, nil
}

// readALine reads a line and queues it; at the high-water mark it removes
// itself. A line is read whole before the mark is checked, so the limit
// is approximate. Lines already received into the socket's buffer raise
// no event, so while some wait there and the mark is not reached, it goes
// on reading. Then it writes what it can of the queue at once, rather
// than waiting to be told the socket is writable.
func (b *ex7Buffer) readALine(int, Event, Exception) error {
	for {
		if err := b.readLines(); err != nil {
			return b.readFailed(err)
		}
		b.c.sock.ReportAppBuf(b.queued())
		if b.queued() >= ex7MaxBytes {
			if err := b.send(); err != nil || b.c.closed {
				return err
			}
			if b.queued() >= ex7MaxBytes {
				b.c.disconnect(Read)
				b.readRegistered = false
				return nil
			}
		}
		if b.c.sock.Buffered() == 0 {
			return b.send()
		}
	}
}

// readLines reads and queues lines up to the high-water mark: the whole
// lines already in the socket's buffer, taken in one go, or else one line
// read from the socket. Each is printed as the original's read-line loop
// prints it.
func (b *ex7Buffer) readLines() error {
	lines := b.c.sock.BufferedLines(b.c.srv.t.Ctx)
	if lines == nil {
		line, err := b.c.sock.ReadLineBytes(b.c.srv.t.Ctx)
		if err != nil {
			return err
		}
		b.c.srv.t.out.appendLines(func(diag []byte) []byte { return b.queueLine(diag, line) })
		return nil
	}
	b.c.sock.Consume(b.takeLines(lines))
	return nil
}

// takeLines queues and prints lines from lines until the mark is reached
// and returns how many bytes of lines it took.
func (b *ex7Buffer) takeLines(lines []byte) int {
	took := 0
	b.c.srv.t.out.appendLines(func(diag []byte) []byte {
		for b.queued() < ex7MaxBytes {
			n := bytes.IndexByte(lines[took:], '\n')
			if n < 0 {
				break
			}
			diag = b.queueLine(diag, iolib.TrimEOL(lines[took:took+n+1]))
			took += n + 1
		}
		return diag
	})
	return took
}

// queueLine queues line and appends to diag what ex7 prints on reading
// it.
func (b *ex7Buffer) queueLine(diag, line []byte) []byte {
	b.push(line)
	return append(append(append(diag, b.readPrefix...), line...), '\n')
}

// readFailed handles the conditions of readALine. End-of-file may be a
// half-close: what is queued is still written before the connection is
// closed.
func (b *ex7Buffer) readFailed(err error) error {
	switch {
	case errors.Is(err, ConnectionReset):
		b.c.printf("Client %s: Connection reset by peer\n", b.c.who)
		return b.c.close()
	case errors.Is(err, EndOfFile):
		b.c.printf("Client %s produced end-of-file on a read.\n", b.c.who)
		if b.queued() == 0 {
			return b.c.close()
		}
		b.c.disconnect(Read)
		b.readRegistered = false
		b.eofSeen = true
		return nil
	}
	return err
}

// writeALine is the write handler, called when the socket is writable:
// it writes what it can of the queue. Below the mark it registers the
// read handler again (unless the client sent end-of-file).
func (b *ex7Buffer) writeALine(int, Event, Exception) error {
	if err := b.send(); err != nil || b.c.closed {
		return err
	}
	if b.queued() < ex7MaxBytes && !b.eofSeen && !b.readRegistered {
		if err := b.c.setHandler(Read, b.readALine); err != nil {
			return err
		}
		b.readRegistered = true
		if b.c.sock.Buffered() > 0 {
			// Received lines wait in the buffer, where no event will
			// announce them: read them now.
			return b.readALine(b.c.fd, Read, ExcNone)
		}
	}
	return nil
}

// send writes queued lines, as many as the socket takes without waiting,
// printing each line once all of it has gone. With nothing left it
// removes the write handler, or closes the connection after end-of-file;
// with lines left it makes sure the write handler is registered.
func (b *ex7Buffer) send() error {
	for b.queued() > 0 {
		n, err := b.c.sock.TrySend(b.out[b.sent:])
		if err != nil {
			b.keepUnsentLine()
			return b.writeFailed(err)
		}
		b.sent += n
		b.popSent()
		if n == 0 {
			return b.registerWrite()
		}
	}
	if b.eofSeen {
		return b.c.close()
	}
	if b.writeRegistered {
		b.c.disconnect(Write)
		b.writeRegistered = false
	}
	return nil
}

// queued returns how many bytes the queued lines make on the wire.
func (b *ex7Buffer) queued() int { return len(b.out) - b.acked }

// push queues line. Room that popped lines left at the front of out is
// reclaimed once it is half of out, so out stays near the queue's size.
func (b *ex7Buffer) push(line []byte) {
	if b.acked > 0 && 2*b.acked >= len(b.out) {
		b.out = b.out[:copy(b.out, b.out[b.acked:])]
		b.lens = b.lens[:copy(b.lens, b.lens[b.head:])]
		b.sent -= b.acked
		b.acked, b.head = 0, 0
	}
	b.out = append(append(b.out, line...), "\r\n"...)
	b.lens = append(b.lens, len(line))
}

// popSent pops and prints the queued lines that have gone whole.
func (b *ex7Buffer) popSent() {
	b.c.srv.t.out.appendLines(func(diag []byte) []byte {
		for b.head < len(b.lens) {
			start := b.acked
			end := start + b.lens[b.head] + len("\r\n")
			if end > b.sent {
				return diag
			}
			b.head, b.acked = b.head+1, end
			diag = append(append(append(diag, b.wrotePrefix...), b.out[start:end-len("\r\n")]...), '\n')
		}
		return diag
	})
	if b.head == len(b.lens) {
		b.out, b.lens, b.head, b.acked, b.sent = b.out[:0], b.lens[:0], 0, 0, 0
		if cap(b.out) > 64<<10 {
			b.out = nil // a huge line's room is not kept for good
		}
	}
	b.c.sock.ReportAppBuf(b.queued())
}

// keepUnsentLine leaves the rest of the line a failed send was writing
// in the socket's output buffer, where the original's write-line left
// it: the disconnector's close then flushes it again and fails, which is
// what spec §6 shows for a client that resets before reading its echo
// ("Caught unexpected hangup!").
func (b *ex7Buffer) keepUnsentLine() {
	if b.head == len(b.lens) {
		return
	}
	end := b.acked + b.lens[b.head] + len("\r\n")
	if end > b.sent {
		b.c.sock.WriteText(b.c.srv.t.Ctx, string(b.out[b.sent:end]))
	}
}

// registerWrite registers the write handler, if it is not already, for
// lines a send could not take.
func (b *ex7Buffer) registerWrite() error {
	return b.c.register(Write, b.writeALine, &b.writeRegistered)
}

// writeFailed handles the conditions of send: the connection is closed
// for good.
func (b *ex7Buffer) writeFailed(err error) error {
	switch {
	case errors.Is(err, ConnectionReset):
		b.c.printf("Client %s: connection reset by peer.\n", b.c.who)
		return b.c.close()
	case errors.Is(err, Hangup):
		b.c.printf("Client %s got hangup on write.\n", b.c.who)
		return b.c.close()
	}
	return err
}
