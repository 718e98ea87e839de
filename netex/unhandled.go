package netex

import (
	"errors"
	"fmt"
)

// Unhandled formats err as the Lisp debugger's first line, e.g.
// "Unhandled SOCKET-CONNECTION-REFUSED-ERROR: #<...>".
func Unhandled(err error) string {
	var c *Condition
	if errors.As(err, &c) {
		return "Unhandled " + c.Kind.String() + ": " + c.Error()
	}
	var p *PanicError
	if errors.As(err, &p) {
		return "Unhandled panic: " + p.Error()
	}
	return "Unhandled ERROR: " + err.Error()
}

// PanicError is what a Run reports when its example panicked.
type PanicError struct {
	Value any
	Stack string
}

// Error returns the panic's value as text.
func (p *PanicError) Error() string { return fmt.Sprint(p.Value) }
