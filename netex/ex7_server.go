package netex

import "errors"

// ex7MaxBytes is ex7's high-water mark: once this many bytes are queued
// for a client, the server stops reading from it.
const ex7MaxBytes = 4096

// runEx7Server is ex7-server.lisp: a single-threaded multiplexed echo
// server whose per-client io-buffer (ex7-buffer.lisp) has separate read
// and write handlers sharing a queue of lines. The I/O itself is still
// blocking line I/O. It honours half-close: after a client's end-of-file
// it writes out what is queued, then closes.
func runEx7Server(t *Thread) (bool, error) {
	return runMuxServer(t, newEx7Buffer)
}

// ex7Buffer is the state make-ex7-io-buffer closes over.
type ex7Buffer struct {
	c               *muxClient
	queue           lineQueue
	readRegistered  bool
	writeRegistered bool
	eofSeen         bool
}

// newEx7Buffer makes a client's io-buffer and returns its handlers, which
// the listener registers at once.
func newEx7Buffer(c *muxClient) (Handler, Handler) {
	b := &ex7Buffer{c: c, readRegistered: true, writeRegistered: true}
	return b.readALine, b.writeALine
}

// readALine reads a line, queues it and makes sure the write handler is
// registered; at the high-water mark it removes itself. A line is read
// whole before the mark is checked, so the limit is approximate.
//
// Lines already received into the socket's buffer raise no event, so
// while some wait there and the mark is not reached, it goes on reading.
func (b *ex7Buffer) readALine(int, Event, Exception) error {
	for {
		line, err := b.c.sock.ReadLine(b.c.srv.t.Ctx)
		if err != nil {
			return b.readFailed(err)
		}
		b.c.printf("Read from %s: %s\n", b.c.who, line)
		b.queue.push(line)
		b.c.sock.ReportAppBuf(b.queue.bytes)
		if !b.writeRegistered {
			if err := b.c.setHandler(Write, b.writeALine); err != nil {
				return err
			}
			b.writeRegistered = true
		}
		if b.queue.bytes >= ex7MaxBytes {
			b.c.disconnect(Read)
			b.readRegistered = false
			return nil
		}
		if b.c.sock.Buffered() == 0 {
			return nil
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

// writeALine writes one queued line and flushes it. Below the mark it
// registers the read handler again (unless the client sent end-of-file);
// with nothing left to write it removes itself, or closes the connection
// after end-of-file.
func (b *ex7Buffer) writeALine(int, Event, Exception) error {
	if b.queue.bytes > 0 {
		line := b.queue.pop()
		b.c.sock.ReportAppBuf(b.queue.bytes)
		err := b.c.sock.WriteLine(b.c.srv.t.Ctx, line)
		if err == nil {
			err = b.c.sock.FinishOutput(b.c.srv.t.Ctx)
		}
		if err != nil {
			return b.writeFailed(err)
		}
		b.c.printf("Wrote to %s: %s\n", b.c.who, line)
	}
	if b.queue.bytes == 0 {
		if b.eofSeen {
			return b.c.close()
		}
		b.c.disconnect(Write)
		b.writeRegistered = false
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

// writeFailed handles the conditions of writeALine: the connection is
// closed for good.
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
