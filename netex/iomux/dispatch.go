package iomux

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/ionetsh/ionetsh/netex/iolib"

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
	b.ep.SetReadDeadline(time.Time{})
	for {
		if ctx.Err() != nil {
			return &iolib.Condition{Kind: iolib.Interrupted, FD: -1}
		}
		if b.exitWhenEmpty && b.Empty() {
			return nil
		}
		if opt.Timeout > 0 {
			b.ep.SetReadDeadline(time.Now().Add(opt.Timeout))
		}
		idle := iolib.Waiting(ctx, iolib.FDReady(b.epfd, unix.POLLIN))
		n, err := b.wait(events)
		idle()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := b.handle(ctx, events[:n]); err != nil {
			return err
		}
		if opt.OnceOnly {
			return nil
		}
	}
}

// wait waits for ready events: epoll_wait without blocking, and when
// nothing is ready, a wait through Go's poller for the epoll fd to
// become readable. The read deadline ends it for a Timeout.
func (b *EventBase) wait(events []unix.EpollEvent) (int, error) {
	var n int
	var werr error
	err := b.rc.Read(func(fd uintptr) bool {
		n, werr = unix.EpollWait(int(fd), events, 0)
		return n > 0 || werr != nil && werr != unix.EINTR
	})
	switch {
	case err != nil:
		return 0, err
	case werr != nil:
		return 0, iolib.SyscallCondition(werr, -1)
	}
	return n, nil
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
			return &iolib.Condition{Kind: iolib.Interrupted, FD: -1}
		}
		fd := int(ev.Fd)
		exc := ExcNone
		if ev.Events&unix.EPOLLERR != 0 {
			exc = ExcError
		}
		ready := [3]bool{
			Read:  ev.Events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0,
			Write: ev.Events&(unix.EPOLLOUT|unix.EPOLLHUP|unix.EPOLLERR) != 0,
			Error: ev.Events&(unix.EPOLLHUP|unix.EPOLLERR|unix.EPOLLPRI) != 0,
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
