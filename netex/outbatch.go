package netex

import (
	"io"
	"sync"
	"time"
)

// A Run whose Out is a file (ionetsh run's stdout: a terminal, a pipe, a
// file), where each Write is a system call, does not write each
// diagnostic line as it is printed:
// a thread that prints only appends the line to the Run's batch, and one
// goroutine writes the batch. After a quiet spell the first line is
// written at once, so an interactive run answers without delay; under
// load the lines are joined into one write at most every batchInterval,
// or sooner once batchSize bytes wait. What is waiting is written when
// the Run ends, before Done is closed. The bytes and their order are
// those the threads printed; no lock is held across the write.

const (
	batchInterval = 10 * time.Millisecond
	batchSize     = 64 << 10
	// batchMax is how much may wait before printing threads block until
	// the writer catches up, so a slow terminal slows the example rather
	// than growing the batch without end.
	batchMax = 1 << 20
)

// outBatch is the batch of lines waiting for a Run's writer.
type outBatch struct {
	w io.Writer

	mu      sync.Mutex
	room    *sync.Cond // signalled after each write
	buf     []byte
	spare   []byte
	closing bool
	added   int64 // bytes added so far
	written int64 // bytes written so far

	wake chan struct{} // a line arrived in an empty batch
	full chan struct{} // batchSize bytes wait
	quit chan struct{}
	done chan struct{}
}

// newOutBatch starts the writer goroutine for w; close stops it.
func newOutBatch(w io.Writer) *outBatch {
	b := &outBatch{w: w, wake: make(chan struct{}, 1), full: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{})}
	b.room = sync.NewCond(&b.mu)
	go b.loop()
	return b
}

// add appends whole lines to the batch. After close it writes them at
// once, outside the lock.
func (b *outBatch) add(p []byte) {
	if !b.appendLines(func(buf []byte) []byte { return append(buf, p...) }) {
		b.w.Write(p)
	}
}

// appendLines lets fill append whole lines to the batch in place, under
// its lock, and reports whether it did: after close it does not, and the
// caller writes them itself.
func (b *outBatch) appendLines(fill func(buf []byte) []byte) bool {
	b.mu.Lock()
	for len(b.buf) >= batchMax && !b.closing {
		b.room.Wait()
	}
	if b.closing {
		b.mu.Unlock()
		return false
	}
	before := len(b.buf)
	b.buf = fill(b.buf)
	b.added += int64(len(b.buf) - before)
	// Signal only the crossings: the writer, once woken, takes all.
	wasEmpty := before == 0
	full := before < batchSize && len(b.buf) >= batchSize
	b.mu.Unlock()
	if wasEmpty {
		signal(b.wake)
	}
	if full {
		signal(b.full)
	}
	return true
}

// signal sends on a channel of capacity 1 unless a send is pending.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// loop writes the batch when a line arrives after a quiet spell, then at
// most every batchInterval (sooner when full) while lines keep coming.
func (b *outBatch) loop() {
	defer close(b.done)
	t := time.NewTimer(batchInterval)
	t.Stop()
	for {
		select {
		case <-b.wake:
		case <-b.quit:
			b.flush()
			return
		}
		b.flush()
		t.Reset(batchInterval)
		select {
		case <-t.C:
		case <-b.full:
			t.Stop()
		case <-b.quit:
			t.Stop()
			b.flush()
			return
		}
	}
}

// flush writes what waits, with the lock released during the write.
func (b *outBatch) flush() {
	b.mu.Lock()
	data := b.buf
	b.buf = b.spare[:0]
	b.mu.Unlock()
	if len(data) > 0 {
		b.w.Write(data)
	}
	b.mu.Lock()
	b.written += int64(len(data))
	if cap(data) <= 2*batchMax { // one over batchMax is kept: it is the usual size under load
		b.spare = data[:0]
	}
	b.room.Broadcast()
	b.mu.Unlock()
}

// sync returns once every line added before the call has been written.
func (b *outBatch) sync() {
	b.mu.Lock()
	defer b.mu.Unlock()
	target := b.added
	for b.written < target && !b.closing {
		b.room.Wait()
	}
}

// close writes what waits and stops the writer. Lines added later are
// written at once.
func (b *outBatch) close() {
	close(b.quit)
	<-b.done
	for {
		b.flush()
		b.mu.Lock()
		if len(b.buf) == 0 {
			b.closing = true
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
	}
}
