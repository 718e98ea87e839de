package netex

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"
)

// recordingWriter records every Write; while gate is not nil, a Write
// waits for it to be closed.
type recordingWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	gate   chan struct{}
	wrote  chan struct{} // receives after each Write, if there is room
}

func newRecordingWriter() *recordingWriter {
	return &recordingWriter{wrote: make(chan struct{}, 1000)}
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	gate := w.gate
	w.mu.Unlock()
	if gate != nil {
		<-gate
	}
	w.mu.Lock()
	w.buf.Write(p)
	w.writes++
	w.mu.Unlock()
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *recordingWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestOutBatchOrderAndFewWrites: lines from many threads come out byte
// for byte in the order they were added, in far fewer writes than lines.
func TestOutBatchOrderAndFewWrites(t *testing.T) {
	w := newRecordingWriter()
	b := newOutBatch(w)
	var order bytes.Buffer
	var mu sync.Mutex
	var wg sync.WaitGroup
	const threads, lines = 8, 5000
	for th := range threads {
		wg.Go(func() {
			for i := range lines {
				line := fmt.Appendf(nil, "thread %d line %d\n", th, i)
				mu.Lock() // the order of adds is the order recorded
				order.Write(line)
				b.add(line)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	b.close()
	if got := w.String(); got != order.String() {
		t.Fatalf("written bytes differ from the lines added (%d vs %d bytes)", len(got), order.Len())
	}
	if w.writes > threads*lines/50 {
		t.Errorf("%d lines took %d writes", threads*lines, w.writes)
	}
}

// TestOutBatchQuietLineAtOnce: a line after a quiet spell is written
// without waiting for more, or for the end.
func TestOutBatchQuietLineAtOnce(t *testing.T) {
	w := newRecordingWriter()
	b := newOutBatch(w)
	defer b.close()
	b.add([]byte("hello\n"))
	select {
	case <-w.wrote:
	case <-time.After(testTimeout):
		t.Fatal("a lone line was not written")
	}
	if got := w.String(); got != "hello\n" {
		t.Fatalf("wrote %q", got)
	}
}

// TestOutBatchAddDuringWrite: a thread that prints while the writer is
// stuck in a write is not held up by it, and its line follows.
func TestOutBatchAddDuringWrite(t *testing.T) {
	w := newRecordingWriter()
	w.gate = make(chan struct{})
	b := newOutBatch(w)
	b.add([]byte("first\n"))
	added := make(chan struct{})
	go func() {
		// The writer is (or will be) blocked in Write with "first".
		b.add([]byte("second\n"))
		close(added)
	}()
	select {
	case <-added:
	case <-time.After(testTimeout):
		t.Fatal("add waited for a write in progress")
	}
	w.mu.Lock()
	close(w.gate)
	w.gate = nil
	w.mu.Unlock()
	b.close()
	if got := w.String(); got != "first\nsecond\n" {
		t.Fatalf("wrote %q", got)
	}
	b.add([]byte("late\n"))
	if got := w.String(); got != "first\nsecond\nlate\n" {
		t.Fatalf("after close, wrote %q", got)
	}
}
