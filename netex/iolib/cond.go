package iolib

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// Kind names one of the tutorial's conditions. A Kind is also an error, so
// callers test a returned error with errors.Is(err, iolib.Hangup).
type Kind int

// The conditions of the tutorial, plus Interrupted for a stopped example,
// and the two boundary conditions of the spec's section 6: NotConnected
// (getpeername on a socket whose peer has gone) and HeapExhausted (a line
// longer than the heap budget).
const (
	EndOfFile Kind = iota + 1
	Hangup
	ConnectionReset
	ConnectionRefused
	AddressInUse
	WouldBlock
	BrokenPipe
	SocketError
	ResolverError
	Interrupted
	NotConnected
	HeapExhausted
)

var kindNames = [...]string{
	EndOfFile:         "END-OF-FILE",
	Hangup:            "HANGUP",
	ConnectionReset:   "SOCKET-CONNECTION-RESET-ERROR",
	ConnectionRefused: "SOCKET-CONNECTION-REFUSED-ERROR",
	AddressInUse:      "SOCKET-ADDRESS-IN-USE-ERROR",
	WouldBlock:        "EWOULDBLOCK",
	BrokenPipe:        "EPIPE",
	SocketError:       "SOCKET-ERROR",
	ResolverError:     "RESOLVER-NO-NAME-ERROR",
	Interrupted:       "INTERACTIVE-INTERRUPT",
	NotConnected:      "SOCKET-NOT-CONNECTED-ERROR",
	HeapExhausted:     "HEAP-EXHAUSTED-ERROR",
}

// String returns the condition's Lisp name, such as "HANGUP".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("CONDITION-%d", int(k))
}

// Error makes a Kind usable as the target of errors.Is.
func (k Kind) Error() string { return k.String() }

// Condition is a signalled condition: its kind, the errno behind it (zero
// when there is none) and the file descriptor it happened on (-1 for none).
type Condition struct {
	Kind  Kind
	Errno unix.Errno
	FD    int
	Msg   string
}

// Is reports whether target is this condition's Kind.
func (c *Condition) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == c.Kind
}

// Error prints the condition the way the Lisp debugger shows it, e.g.
// #<SOCKET-CONNECTION-REFUSED-ERROR 111 :ECONNREFUSED "Connection refused", FD: 3>.
func (c *Condition) Error() string {
	if c.Kind == HeapExhausted {
		return "#<" + c.Kind.String() + ": " + c.Msg + ">"
	}
	var b strings.Builder
	b.WriteString("#<")
	b.WriteString(c.Kind.String())
	if c.Errno != 0 {
		fmt.Fprintf(&b, " %d :%s %q", int(c.Errno), errnoName(c.Kind, c.Errno), strerror(c.Errno))
		b.WriteString(",")
	}
	if c.Msg != "" {
		fmt.Fprintf(&b, " %s,", c.Msg)
	}
	if c.FD >= 0 {
		fmt.Fprintf(&b, " FD: %d", c.FD)
	}
	return strings.TrimSuffix(b.String(), ",") + ">"
}

func errnoName(k Kind, e unix.Errno) string {
	if k == WouldBlock || e == unix.EAGAIN {
		return "EWOULDBLOCK"
	}
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("ERRNO-%d", int(e))
}

// strerror gives glibc's wording, which is Go's with a capital letter.
func strerror(e unix.Errno) string {
	s := e.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errnoKind maps an errno to the condition the stream API signals for it.
func errnoKind(e unix.Errno) Kind {
	switch e {
	case unix.ECONNRESET:
		return ConnectionReset
	case unix.ECONNREFUSED:
		return ConnectionRefused
	case unix.EADDRINUSE:
		return AddressInUse
	case unix.EPIPE:
		return Hangup
	case unix.EAGAIN:
		return WouldBlock
	case unix.ENOTCONN:
		return NotConnected
	}
	return SocketError
}

// SyscallCondition turns a system call error on fd (-1 for none) into
// the Condition the stream API signals for its errno. An error that
// carries no errno is returned unchanged.
func SyscallCondition(err error, fd int) error { return condErr(err, fd) }

func condErr(err error, fd int) error {
	var e unix.Errno
	if errors.As(err, &e) {
		return &Condition{Kind: errnoKind(e), Errno: e, FD: fd}
	}
	return err
}
