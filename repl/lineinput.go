package repl

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"sync"

	"github.com/chzyer/readline"
)

// lineReader hands readline at most one line per Read, keeping the rest
// of what arrived (a pasted block) itself, so that the shell can tell
// whether more input is waiting after the line readline returned.
type lineReader struct {
	r io.Reader

	mu  sync.Mutex
	buf []byte
}

func (l *lineReader) Read(p []byte) (int, error) {
	if !l.buffered() {
		tmp := make([]byte, len(p))
		n, err := l.r.Read(tmp)
		if n == 0 {
			return 0, err
		}
		l.mu.Lock()
		l.buf = append(l.buf, tmp[:n]...)
		l.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.buf)
	if i := bytes.IndexAny(l.buf, "\r\n"); i >= 0 {
		n = i + 1
	}
	n = copy(p, l.buf[:n])
	l.buf = l.buf[n:]
	return n, nil
}

// buffered reports whether input is waiting that readline has not read.
func (l *lineReader) buffered() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buf) > 0
}

// plainEditor is line input for a terminal that cannot redraw: it
// writes the prompt and reads a line the terminal's own line editing
// produced. It writes no escape codes. Ctrl-C reaches it as SIGINT
// (interrupt); Ctrl-D as end of file, after which reading goes on.
type plainEditor struct {
	out    io.Writer
	lines  chan plainLine
	intr   chan struct{}
	closed chan struct{}
	once   sync.Once

	mu     sync.Mutex
	prompt string
	held   int // lines read and not yet taken (0 or 1, briefly 2)
	br     *bufio.Reader
}

type plainLine struct {
	text string
	err  error
}

func newPlainEditor(in io.Reader, out io.Writer) *plainEditor {
	p := &plainEditor{out: out, lines: make(chan plainLine), intr: make(chan struct{}, 1),
		closed: make(chan struct{}), br: bufio.NewReader(in)}
	go p.read()
	return p
}

// read delivers lines until the input fails for good or the editor is
// closed.
func (p *plainEditor) read() {
	for {
		text, err := p.br.ReadString('\n')
		if text != "" && !p.deliver(plainLine{text: strings.TrimRight(text, "\r\n")}) {
			return
		}
		if err != nil && (!p.deliver(plainLine{err: err}) || err != io.EOF) {
			return
		}
	}
}

// deliver hands l to Readline, which counts it off held when it takes
// it.
func (p *plainEditor) deliver(l plainLine) bool {
	p.mu.Lock()
	p.held++
	p.mu.Unlock()
	select {
	case p.lines <- l:
		return true
	case <-p.closed:
		return false
	}
}

// Readline writes the prompt and returns the next line.
func (p *plainEditor) Readline() (string, error) {
	p.mu.Lock()
	io.WriteString(p.out, p.prompt)
	p.mu.Unlock()
	select {
	case l := <-p.lines:
		p.mu.Lock()
		p.held--
		p.mu.Unlock()
		return l.text, l.err
	case <-p.intr:
		io.WriteString(p.out, "\n")
		return "", readline.ErrInterrupt
	case <-p.closed:
		return "", io.EOF
	}
}

// interrupt is Ctrl-C at the prompt.
func (p *plainEditor) interrupt() {
	select {
	case p.intr <- struct{}{}:
	default:
	}
}

// pending reports whether a line was read that nobody has taken yet.
func (p *plainEditor) pending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held > 0
}

func (p *plainEditor) SetPrompt(s string) {
	p.mu.Lock()
	p.prompt = s
	p.mu.Unlock()
}

// Refresh does nothing: a dumb terminal cannot redraw the line.
func (p *plainEditor) Refresh() {}

func (p *plainEditor) Close() error {
	p.once.Do(func() { close(p.closed) })
	return nil
}

// Close closes the reader underneath.
func (l *lineReader) Close() error {
	if c, ok := l.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
