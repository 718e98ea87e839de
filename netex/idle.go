package netex

import (
	"context"

	"github.com/ionetsh/ionetsh/netex/iolib"
)

// A Run is idle when every live thread is blocked waiting for something
// that is not ready: no pending connection, no data to read, no room it
// waits for, no queued standard input, no event for its event base. The
// shell waits for idleness between script commands, so that a script's
// output does not depend on timing.

// A thread's context carries the thread as its iolib.Waiter, so that
// every blocking call of iolib, iomux and this package made with it
// records what the thread waits for.

// waitState says what a blocked thread waits for: Ready reports whether
// the wait would end now.
type waitState = iolib.Ready

// threadWaiter is a Thread as the iolib.Waiter of its context.
type threadWaiter Thread

// Wait marks the thread as blocked until the returned function is called.
func (w *threadWaiter) Wait(ready func() bool) func() {
	return w.WaitOn(&waitState{Ready: ready})
}

// WaitOn is Wait for a Ready the caller keeps (a socket's). A wait that
// is not nested in another, the usual case, allocates nothing.
func (w *threadWaiter) WaitOn(r *iolib.Ready) func() {
	prev := w.wait.Swap(r)
	if prev == nil {
		return w.unwait
	}
	return func() { w.wait.Store(prev) }
}

// waiting marks the thread behind ctx, if any, as blocked until the
// returned function is called.
func waiting(ctx context.Context, ready func() bool) func() { return iolib.Waiting(ctx, ready) }

// Await blocks until ch is closed, or the thread is interrupted. The
// thread counts as idle meanwhile.
func (t *Thread) Await(ch <-chan struct{}) error {
	defer waiting(t.Ctx, func() bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	})()
	select {
	case <-ch:
		return nil
	case <-t.Ctx.Done():
		return &Condition{Kind: Interrupted, FD: -1}
	}
}

// Idle reports whether the Run has ended, or is alive with every thread
// blocked on something that is not ready.
func (r *Run) Idle() bool {
	select {
	case <-r.done:
		return true
	default:
	}
	if !r.main.Alive() {
		return false
	}
	r.env.mu.Lock()
	ts := append([]*Thread(nil), r.env.threads...)
	r.env.mu.Unlock()
	for _, t := range ts {
		w := t.wait.Load()
		if w == nil || w.Ready() {
			return false
		}
	}
	return true
}

// stdinReady reports whether a read of src would return now; a source
// that cannot tell counts as not ready.
func stdinReady(src LineSource) func() bool {
	r, ok := src.(interface{ Ready() bool })
	return func() bool { return ok && r.Ready() }
}
