package netex

import "errors"

// runEx3Server is ex3-server.lisp: ex2-server with condition handling. A
// client that resets or goes away before the time is written is
// reported and the loop goes on; a busy port prints a hint about
// :reuse-addr (no newline) and returns NIL, as the entry function's
// handler-case does.
func runEx3Server(t *Thread) (bool, error) {
	err := ex3ServerHelper(t)
	if errors.Is(err, AddressInUse) {
		t.Printf("Bind: Address already in use, forget :reuse-addr t?")
		return false, nil
	}
	return false, err
}

// ex3ServerHelper is run-ex3-server-helper: the server prologue and the
// iterative loop with the write failures handled. The listening socket
// is closed on the way out, before the entry function's handler prints.
func ex3ServerHelper(t *Thread) error {
	server, err := listenServer(t)
	if server != nil {
		defer server.Abort()
	}
	if err != nil {
		return err
	}
	return daytimeLoop(t, server, func(err error) bool {
		return ex3WriteFailure(t, err)
	})
}

// ex3WriteFailure prints the handled write failures of ex3-server and
// reports whether err was one of them.
func ex3WriteFailure(t *Thread, err error) bool {
	switch {
	case errors.Is(err, ConnectionReset):
		t.Printf("Client reset connection!\n")
	case errors.Is(err, Hangup):
		t.Printf("Client closed connection!\n")
	default:
		return false
	}
	return true
}
