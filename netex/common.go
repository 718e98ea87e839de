package netex

import (
	"errors"
	"fmt"
	"time"
)

// DaytimeString formats t as the tutorial's daytime line, M/D/YYYY H:M:S with no
// zero padding, e.g. 11/24/2026 17:19:7.
func DaytimeString(t time.Time) string {
	return fmt.Sprintf("%d/%d/%d %d:%d:%d", int(t.Month()), t.Day(), t.Year(), t.Hour(), t.Minute(), t.Second())
}

// listenServer is the servers' common prologue: make a passive socket,
// print it, bind it to the Env's bind address and port with SO_REUSEADDR,
// listen with the Env's backlog (the tutorial's 5 unless the Run was
// given another), printing each step as the tutorial does. On an
// error the socket is returned too, still open, for the caller to close.
func listenServer(t *Thread) (*Socket, error) {
	s, err := t.Env.MakeSocket(true)
	if err != nil {
		return nil, err
	}
	t.Printf("Created socket: %s[fd=%d]\n", s, s.FD())
	if err := s.Bind(t.Env.Bind, t.Env.Port); err != nil {
		return s, err
	}
	t.Printf("Bound socket: %s\n", s)
	backlog := t.Env.Backlog
	if backlog <= 0 {
		backlog = DefaultBacklog
	}
	if err := s.Listen(backlog); err != nil {
		return s, err
	}
	t.Printf("Listening on socket bound to: %s\n", hostPort(s.LocalAddr()))
	return s, nil
}

// connectClient makes an active socket and connects it to the Env's host
// and port. On an error the socket is returned too, still open.
func connectClient(t *Thread) (*Socket, error) {
	s, err := t.Env.MakeSocket(false)
	if err != nil {
		return nil, err
	}
	return s, s.Connect(t.Ctx, t.Env.Host, t.Env.Port)
}

// connectReported is the opening the Lisp-style clients share: connect
// to the Env's host and port and print both ends of the connection. On
// an error the socket is returned too (if one was made), still open, for
// the caller to close.
func connectReported(t *Thread) (*Socket, error) {
	s, err := connectClient(t)
	if err != nil {
		return s, err
	}
	t.Printf("Connected to server %s from my local connection at %s!\n",
		hostPort(s.RemoteAddr()), hostPort(s.LocalAddr()))
	return s, nil
}

// handleRefused is the clients' handler for a refused connection: for
// SOCKET-CONNECTION-REFUSED-ERROR it prints the tutorial's hint, naming
// the address the host resolves to (resolved again, as the Lisp's
// (lookup-hostname host) is), and returns NIL. Any other outcome is
// returned unchanged.
func handleRefused(t *Thread, val bool, err error) (bool, error) {
	if !errors.Is(err, ConnectionRefused) {
		return val, err
	}
	addr, rerr := t.Env.LookupHostname(t.Ctx, t.Env.Host)
	if rerr != nil {
		return false, rerr
	}
	t.Printf("Connection refused to %s:%d. Maybe the server isn't running?\n", addr, t.Env.Port)
	return false, nil
}
