package repl

import (
	"bufio"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/repl/visible"
	"golang.org/x/sys/unix"
)

// key is what a key pressed while stepping through a replay asks for.
type key int

const (
	keyNext key = iota
	keyBack
	keySkip
	keyQuit
	keyNone // not a key a replay uses
)

// escKeys are the escape sequences a replay understands: a presentation
// clicker sends Page Down and Right (or Page Up and Left).
var escKeys = map[string]key{
	"\x1b[6~": keyNext, "\x1b[C": keyNext, "\x1bOC": keyNext, "\x1b[B": keyNext, "\x1bOB": keyNext,
	"\x1b[5~": keyBack, "\x1b[D": keyBack, "\x1bOD": keyBack, "\x1b[A": keyBack, "\x1bOA": keyBack,
}

// plainKeys are the single keys a replay understands.
var plainKeys = map[byte]key{' ': keyNext, '\r': keyNext, '\n': keyNext,
	'b': keyBack, 'B': keyBack, 's': keySkip, 'S': keySkip, 'q': keyQuit, 'Q': keyQuit}

// decodeKey returns the first key in b and what follows it; ok is false
// when b holds no whole key yet. Bytes of no use are skipped.
func decodeKey(b []byte) (k key, rest []byte, ok bool) {
	for len(b) > 0 {
		if b[0] != 0x1b {
			k, known := plainKeys[b[0]]
			if known {
				return k, b[1:], true
			}
			b = b[1:]
			continue
		}
		if len(b) < 2 {
			return keyNone, b, false
		}
		if b[1] != '[' && b[1] != 'O' {
			b = b[1:]
			continue
		}
		end := 2
		for end < len(b) && (b[end] < 0x40 || b[end] > 0x7e) {
			end++
		}
		if end == len(b) {
			return keyNone, b, false
		}
		if k, known := escKeys[string(b[:end+1])]; known {
			return k, b[end+1:], true
		}
		b = b[end+1:]
	}
	return keyNone, b, false
}

// keyReader reads the keys that step a replay: single keys from a
// terminal (read only while asked, so the prompt after the replay gets
// every later key), or lines from anything else ("" next, b, s, q).
type keyReader struct {
	stdin        io.Reader
	fd           int
	term         bool
	wakeR, wakeW *os.File
	buf          []byte
	lines        chan string
	quit         bool // q was pressed
}

func newKeyReader(stdin io.Reader, term bool) (*keyReader, error) {
	k := &keyReader{stdin: stdin, term: term}
	if !term {
		return k, nil
	}
	k.fd = int(stdin.(*os.File).Fd())
	var err error
	k.wakeR, k.wakeW, err = os.Pipe()
	return k, err
}

// next waits for a key, or until stop is closed (keyQuit).
func (k *keyReader) next(stop <-chan struct{}) key {
	if !k.term {
		return k.nextLine(stop)
	}
	tmp := make([]byte, 64)
	for {
		if got, rest, ok := decodeKey(k.buf); ok {
			k.buf = rest
			k.quit = got == keyQuit
			return got
		} else {
			k.buf = rest
		}
		if !waitReadable(k.fd, int(k.wakeR.Fd())) {
			return keyQuit
		}
		n, err := unix.Read(k.fd, tmp)
		if err != nil || n == 0 {
			return keyNext
		}
		k.buf = append(k.buf, tmp[:n]...)
	}
}

// nextLine reads a line as a key; at the end of input every key is
// next.
func (k *keyReader) nextLine(stop <-chan struct{}) key {
	if k.lines == nil {
		k.lines = make(chan string)
		go func() {
			defer close(k.lines)
			br := bufio.NewReader(k.stdin)
			for {
				l, err := br.ReadString('\n')
				if err != nil {
					return
				}
				k.lines <- l
			}
		}()
	}
	select {
	case l, ok := <-k.lines:
		l = strings.TrimSpace(l)
		if !ok || l == "" {
			return keyNext
		}
		got, known := plainKeys[l[0]]
		if known {
			k.quit = got == keyQuit
			return got
		}
		return keyNext
	case <-stop:
		return keyQuit
	}
}

// wake makes a wait for a key return.
func (k *keyReader) wake() {
	if k.wakeW != nil {
		k.wakeW.Write([]byte{0})
	}
}

func (k *keyReader) close() {
	if k.wakeR != nil {
		k.wakeR.Close()
		k.wakeW.Close()
	}
}

// typed writes prompt and then text a character at a time, as if being
// typed, after everything queued; session lines wait meanwhile.
func (p *printer) typed(prompt, text string, perChar time.Duration) {
	text = visible.String(text)
	p.sync()
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.writing {
		p.idle.Wait()
	}
	io.WriteString(p.w, prompt)
	for _, r := range text {
		io.WriteString(p.w, string(r))
		if perChar > 0 {
			time.Sleep(perChar)
		}
	}
	io.WriteString(p.w, "\n")
}
