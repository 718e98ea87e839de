package iolib

import (
	"context"
	"fmt"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Owner is told about the life of the sockets made for it: a caller that
// must list, count or finally close its sockets (netex's Env) implements
// it and passes it to MakeSocket. A socket accepted from a listener has
// the listener's owner. The methods may be called from any goroutine.
type Owner interface {
	// NewID returns the identity token a new socket prints with, such
	// as "{1002000103}".
	NewID() string
	// Opened is called once a new socket is made or accepted.
	Opened(s *Socket)
	// Closed is called once when s is closed.
	Closed(s *Socket)
	// Listening is called when a passive socket starts listening.
	Listening(s *Socket)
}

// nobody is the Owner of sockets made with a nil Owner: it numbers them
// and tracks nothing.
type nobody struct{ ids atomic.Uint64 }

var noOwner = &nobody{}

func (n *nobody) NewID() string   { return fmt.Sprintf("{%X}", 0x1001000003+n.ids.Add(1)<<8) }
func (*nobody) Opened(*Socket)    {}
func (*nobody) Closed(*Socket)    {}
func (*nobody) Listening(*Socket) {}

// Waiter is told when a blocking call begins to wait: netex uses it to
// know when every thread of an example is blocked on something that is
// not ready. Wait is given a function reporting whether the wait would
// end now, and returns the function that marks the wait over.
type Waiter interface {
	Wait(ready func() bool) (done func())
}

// Ready is what a blocked call waits for: Ready reports whether the wait
// would end now. A socket keeps one for reading and one for writing.
type Ready struct{ Ready func() bool }

// ReadyWaiter is a Waiter that can also be told of a wait by a *Ready,
// which a socket keeps for its life, so that telling it allocates
// nothing.
type ReadyWaiter interface {
	Waiter
	WaitOn(r *Ready) (done func())
}

type waiterKey struct{}

// WithWaiter returns a context whose blocking calls in this package (and
// in iomux) report their waits to w.
func WithWaiter(ctx context.Context, w Waiter) context.Context {
	return context.WithValue(ctx, waiterKey{}, w)
}

// Waiting tells ctx's Waiter, if it has one, that the caller now waits
// for ready; call the returned function when the wait is over.
func Waiting(ctx context.Context, ready func() bool) (done func()) {
	w, _ := ctx.Value(waiterKey{}).(Waiter)
	if w == nil {
		return func() {}
	}
	return w.Wait(ready)
}

// waitingOn is Waiting for a Ready the caller keeps.
func waitingOn(ctx context.Context, r *Ready) (done func()) {
	switch w := ctx.Value(waiterKey{}).(type) {
	case ReadyWaiter:
		return w.WaitOn(r)
	case Waiter:
		return w.Wait(r.Ready)
	}
	return nil
}

// FDReady returns a ready function for Waiting: it reports whether fd
// has any of events (poll(2) flags) pending now. An error or a hangup
// counts, since a wait on fd would end.
func FDReady(fd int, events int16) func() bool {
	return func() bool {
		p := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(p, 0)
		return err != nil || n > 0
	}
}
