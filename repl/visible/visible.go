package visible

import (
	"io"
	"strconv"
	"sync"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Append appends s to dst made visible: newline and tab are kept; CR
// becomes \r; other C0 controls, DEL, ESC, C1 controls (U+0080-U+009F,
// each byte of their UTF-8 form) and bytes that are not valid UTF-8
// become \xHH. Every other character is kept as it is.
//
// A CR is always shown: the shell's lines reach it without their line
// ending, so any CR left is a lone one, which would move the cursor.
func Append(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			dst = append(dst, c)
			i++
			continue
		}
		if c == '\r' {
			dst = append(dst, '\\', 'r')
			i++
			continue
		}
		if c < 0x80 { // C0 control, ESC or DEL
			dst = hexByte(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r >= 0x80 && r <= 0x9f {
			for _, b := range []byte(s[i : i+size]) {
				dst = hexByte(dst, b)
			}
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

func hexByte(dst []byte, b byte) []byte {
	return append(dst, '\\', 'x', hexDigits[b>>4], hexDigits[b&0xf])
}

// String returns s made visible, as Append does.
func String(s string) string {
	if Clean(s) {
		return s
	}
	return string(Append(make([]byte, 0, len(s)+16), s))
}

// Clean reports whether s is already visible: printable ASCII, newline
// and tab only. It is the fast path for the common case.
func Clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 || c >= 0x7f) && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}

// Cut returns s if it is at most n bytes long. Otherwise it returns the
// first n bytes (fewer if n falls inside a character, so as not to split
// it) followed by "… [+N bytes]", N being how many bytes were left out.
// The result never shares memory with a long s, so keeping it does not
// keep s.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	k := cutAt(s, n)
	return s[:k] + cutOpen + strconv.Itoa(len(s)-k) + cutClose
}

// What Cut puts after the bytes it keeps, around the count of the rest.
const cutOpen, cutClose = "… [+", " bytes]"

// AppendCut appends Cut(string(b), n) to dst, without making a string.
func AppendCut(dst, b []byte, n int) []byte {
	if len(b) <= n {
		return append(dst, b...)
	}
	k := cutAt(b, n)
	dst = append(append(dst, b[:k]...), cutOpen...)
	return append(strconv.AppendInt(dst, int64(len(b)-k), 10), cutClose...)
}

// CutLen returns len(Cut(string(b), n)), without making it.
func CutLen(b []byte, n int) int {
	if len(b) <= n {
		return len(b)
	}
	k := cutAt(b, n)
	return k + len(cutOpen) + len(strconv.Itoa(len(b)-k)) + len(cutClose)
}

// cutAt returns how many bytes of s, longer than n, Cut keeps: n, or
// fewer so as not to split a character.
func cutAt[T string | []byte](s T, n int) int {
	k := n
	for k > 0 && n-k < utf8.UTFMax-1 && !utf8.RuneStart(s[k]) {
		k--
	}
	if !utf8.RuneStart(s[k]) {
		k = n // not UTF-8 here anyway
	}
	return k
}

// QuoteLimit is how many characters of an argument Quote shows.
const QuoteLimit = 80

// Quote returns s as a Go-quoted string, as %q prints it, keeping at
// most QuoteLimit characters of it; a longer s ends in "…" inside the
// quotes. Control characters and invalid UTF-8 are escaped by the
// quoting, so the result is safe to print.
func Quote(s string) string { return strconv.Quote(Short(s)) }

// Short returns s if it has at most QuoteLimit characters, else its
// first QuoteLimit characters followed by "…". It does not make s
// visible.
func Short(s string) string {
	n := 0
	for i := range s {
		if n == QuoteLimit {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Writer makes everything written through it visible (see Append)
// before passing it on. Each Write should hold whole lines, so that a
// character is never split between two writes.
// A Writer is safe for concurrent use.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes p made visible and reports len(p) written on success.
func (v *Writer) Write(p []byte) (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.buf = Append(v.buf[:0], string(p))
	if _, err := v.w.Write(v.buf); err != nil {
		return 0, err
	}
	if cap(v.buf) > 64<<10 {
		v.buf = nil // do not keep a long line's buffer
	}
	return len(p), nil
}
