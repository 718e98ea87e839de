package netex

import "errors"

// ex7MaxBytes is ex7's high-water mark: once this many bytes are queued
// for a client, the server stops reading from it.
const ex7MaxBytes = 4096

// runEx7Server is ex7-server.lisp: a single-threaded multiplexed echo
// server whose per-client io-buffer (ex7-buffer.lisp) has separate read
// and write handlers sharing a queue of lines. Its reads are still
// blocking line reads; its writes send what the socket takes and wait
// for writability only for the rest. It honours half-close: after a
// client's end-of-file it writes out what is queued, then closes.
func runEx7Server(t *Thread) (bool, error) {
	return runMuxServer(t, newEx7Buffer)
}

// ex7Buffer is the state make-ex7-io-buffer closes over. out holds the
// wire form of the oldest queued lines (sending), of which sent bytes
// have gone; acked is where the lines already popped end.
type ex7Buffer struct {
	c               *muxClient
	queue           lineQueue
	out             []byte
	sent, acked     int
	sending         int // queued lines whose bytes are in out
	readRegistered  bool
	writeRegistered bool
	eofSeen         bool
}

// newEx7Buffer makes a client's io-buffer and returns its read handler,
// which the listener registers at once. The write handler is registered
// only while queued lines wait that a send could not take.
func newEx7Buffer(c *muxClient) (Handler, Handler) {
	b := &ex7Buffer{c: c, readRegistered: true}
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
		line, err := b.c.sock.ReadLine(b.c.srv.t.Ctx)
		if err != nil {
			return b.readFailed(err)
		}
		b.c.srv.t.printLine("Read from ", b.c.who, ": ", line)
		b.queue.push(line)
		b.c.sock.ReportAppBuf(b.queue.bytes)
		if b.queue.bytes >= ex7MaxBytes {
			if err := b.send(); err != nil || b.c.closed {
				return err
			}
			if b.queue.bytes >= ex7MaxBytes {
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
		if b.queue.bytes == 0 {
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
	if b.queue.bytes < ex7MaxBytes && !b.eofSeen && !b.readRegistered {
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
	for b.queue.bytes > 0 {
		if b.sent == len(b.out) {
			b.fill()
		}
		n, err := b.c.sock.TrySend(b.out[b.sent:])
		if err != nil {
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

// fill puts the wire form of every queued line in out.
func (b *ex7Buffer) fill() {
	b.out, b.sent, b.acked = b.out[:0], 0, 0
	for _, line := range b.queue.lines[b.queue.head:] {
		b.out = append(append(b.out, line...), "\r\n"...)
	}
	b.sending = b.queue.len()
}

// popSent pops and prints the lines in out that have gone whole.
func (b *ex7Buffer) popSent() {
	for b.sending > 0 {
		end := b.acked + len(b.queue.peek()) + len("\r\n")
		if end > b.sent {
			break
		}
		line := b.queue.pop()
		b.acked, b.sending = end, b.sending-1
		b.c.sock.ReportAppBuf(b.queue.bytes)
		b.c.srv.t.printLine("Wrote to ", b.c.who, ": ", line)
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

// lineQueue is a FIFO of lines that knows how many bytes they make on
// the wire (each line with its CRLF).
type lineQueue struct {
	lines []string
	head  int
	bytes int
}

// push appends line to the queue.
func (q *lineQueue) push(line string) {
	q.lines = append(q.lines, line)
	q.bytes += len(line) + len("\r\n")
}

// len returns how many lines are queued.
func (q *lineQueue) len() int { return len(q.lines) - q.head }

// peek returns the oldest line; the queue must not be empty.
func (q *lineQueue) peek() string { return q.lines[q.head] }

// pop removes and returns the oldest line; the queue must not be empty.
func (q *lineQueue) pop() string {
	line := q.lines[q.head]
	q.lines[q.head] = ""
	q.head++
	q.bytes -= len(line) + len("\r\n")
	if q.head == len(q.lines) {
		q.lines, q.head = q.lines[:0], 0
	}
	return line
}
