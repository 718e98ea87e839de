package netex

import (
	"bufio"
	"context"
	"io"
	"strings"
	"sync"
)

// StdinPipe is a LineSource fed by its owner: Send queues a line without
// ever blocking, Close marks the end of input. The shell uses one per
// session for send and eof.
type StdinPipe struct {
	mu      sync.Mutex
	lines   []string
	partial []bool // partial[i]: lines[i] was sent without a newline
	closed  bool
	ready   chan struct{} // closed and replaced when lines or closed change
}

// NewStdinPipe returns an empty, open pipe.
func NewStdinPipe() *StdinPipe { return &StdinPipe{ready: make(chan struct{})} }

// Send queues line. It reports false if the pipe is already closed.
func (p *StdinPipe) Send(line string) bool { return p.send(line, false) }

// SendPartial queues text that has no newline after it. Only a reader
// using ReadChunk can tell; ReadLine returns it as a line.
func (p *StdinPipe) SendPartial(text string) bool { return p.send(text, true) }

func (p *StdinPipe) send(text string, partial bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.lines = append(p.lines, text)
	p.partial = append(p.partial, partial)
	p.signal()
	return true
}

// Close ends the input: once the queued lines are read, ReadLine returns
// io.EOF.
func (p *StdinPipe) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		p.signal()
	}
}

// Closed reports whether Close has been called.
func (p *StdinPipe) Closed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func (p *StdinPipe) signal() {
	close(p.ready)
	p.ready = make(chan struct{})
}

// Ready reports whether ReadLine would return at once.
func (p *StdinPipe) Ready() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.lines) > 0 || p.closed
}

// ReadLine returns the next queued line, waiting for one if needed.
func (p *StdinPipe) ReadLine(ctx context.Context) (string, error) {
	l, _, err := p.ReadChunk(ctx)
	return l, err
}

// ReadChunk returns the next queued text and whether a newline ended
// it, waiting for one if needed.
func (p *StdinPipe) ReadChunk(ctx context.Context) (string, bool, error) {
	for {
		p.mu.Lock()
		if len(p.lines) > 0 {
			l, partial := p.lines[0], p.partial[0]
			p.lines[0] = ""
			p.lines, p.partial = p.lines[1:], p.partial[1:]
			p.mu.Unlock()
			return l, !partial, nil
		}
		if p.closed {
			p.mu.Unlock()
			return "", false, io.EOF
		}
		ready := p.ready
		p.mu.Unlock()
		select {
		case <-ready:
		case <-ctx.Done():
			return "", false, ctx.Err()
		}
	}
}

// Feed copies r's lines into p, stripping CR, and closes p at r's end.
// It runs until r ends, so give it a reader that ends or that nobody
// minds leaving blocked (a process's standard input).
func (p *StdinPipe) Feed(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		p.Send(strings.TrimSuffix(sc.Text(), "\r"))
	}
	p.Close()
}

// Lines returns a closed pipe holding lines, for batch input.
func Lines(lines ...string) *StdinPipe {
	p := NewStdinPipe()
	for _, l := range lines {
		p.Send(l)
	}
	p.Close()
	return p
}
