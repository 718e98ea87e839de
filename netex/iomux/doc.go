// Package iomux is IOLib's event base over Linux epoll: a level-triggered
// multiplexer that calls handlers when descriptors are ready.
//
// The API:
//
//   - New(exitWhenEmpty, onClose) makes an EventBase; Close releases it.
//   - SetIOHandler(fd, Read|Write|Error, Handler) and RemoveFDHandlers
//     register and remove handlers; FDs and Empty say what is registered.
//     An Error handler is called for an error or hangup on fd, and for an
//     exceptional condition (EPOLLPRI: TCP urgent data), as select's
//     exceptfds would report it.
//   - Dispatch(ctx, DispatchOptions) waits for events and calls their
//     handlers, until the base is empty (with exitWhenEmpty), after one
//     round (OnceOnly), after a Timeout with no events, or until ctx ends
//     (an iolib Interrupted condition). An error a handler returns ends
//     Dispatch and is returned, as a condition escapes event-dispatch.
//   - Wake makes a blocked Dispatch look up, from any goroutine.
//
// Dispatch waits through Go's poller, not in epoll_wait, and reports its
// waits to the iolib.Waiter of its context. The onClose hook tells an
// owner that keeps its open bases (netex's Env) that one is closed. The
// package imports iolib for its conditions and nothing of the examples.
package iomux
