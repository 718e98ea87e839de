package netex

import (
	"context"
	"time"

	"golang.org/x/sys/unix"
)

// Dispatch waits for events and calls their handlers, until the base is
// empty (with exit-when-empty), after one round (OnceOnly), after Timeout
// with no events, or until ctx ends, which is an Interrupted condition.
// An error returned by a handler ends Dispatch and is returned.
func (b *EventBase) Dispatch(ctx context.Context, opt DispatchOptions) error {
	stop := context.AfterFunc(ctx, b.Wake)
	defer stop()
	events := make([]unix.EpollEvent, 64)
	msec := -1
	if opt.Timeout > 0 {
		msec = int((opt.Timeout + time.Millisecond - 1) / time.Millisecond)
	}
	for {
		if ctx.Err() != nil {
			return &Condition{Kind: Interrupted, FD: -1}
		}
		if b.exitWhenEmpty && b.Empty() {
			return nil
		}
		idle := waiting(ctx, fdReady(b.epfd, unix.POLLIN))
		n, err := unix.EpollWait(b.epfd, events, msec)
		idle()
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return condErr(err, -1)
		}
		if n == 0 && opt.Timeout > 0 {
			return nil
		}
		if err := b.handle(ctx, events[:n]); err != nil {
			return err
		}
		if opt.OnceOnly {
			return nil
		}
	}
}

// handle calls the handlers of one round of ready events. A handler is
// looked up again before each call, since an earlier one may have
// removed it; a stale event for a re-registered fd is skipped.
func (b *EventBase) handle(ctx context.Context, events []unix.EpollEvent) error {
	for _, ev := range events {
		if int(ev.Fd) == b.wakefd && ev.Pad == -1 {
			var buf [8]byte
			unix.Read(b.wakefd, buf[:])
			continue
		}
		if ctx.Err() != nil {
			return &Condition{Kind: Interrupted, FD: -1}
		}
		fd := int(ev.Fd)
		exc := ExcNone
		if ev.Events&unix.EPOLLERR != 0 {
			exc = ExcError
		}
		ready := [3]bool{
			Read:  ev.Events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0,
			Write: ev.Events&(unix.EPOLLOUT|unix.EPOLLHUP|unix.EPOLLERR) != 0,
			Error: ev.Events&(unix.EPOLLHUP|unix.EPOLLERR) != 0,
		}
		for e := Read; e <= Error; e++ {
			h := b.handler(fd, e, ev.Pad)
			if h == nil || !ready[e] {
				continue
			}
			if err := h(fd, e, exc); err != nil {
				return err
			}
		}
	}
	return nil
}

// handler returns fd's current handler for e, or nil if it is gone or the
// registration is not the one the event was for (generation gen).
func (b *EventBase) handler(fd int, e Event, gen int32) Handler {
	b.mu.Lock()
	defer b.mu.Unlock()
	ent, ok := b.fds[fd]
	if !ok || ent.gen != gen {
		return nil
	}
	return ent.h[e]
}
