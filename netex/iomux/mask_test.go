package iomux

import (
	"fmt"
	"net"
	"testing"
)

// ctlCount returns how many epoll_ctl calls b has made on its fds.
func ctlCount(b *EventBase) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ctls
}

// TestMuxSkipsUnchangedMask: a change of handlers that leaves an fd's
// epoll mask as it is makes no epoll_ctl, unless a socket was closed
// since the last one (the fd may then be stale); the handler set is the
// new one all the same.
func TestMuxSkipsUnchangedMask(t *testing.T) {
	muxTest(t, false, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		fd := s.FD()
		h, calls := counting(s, 0)
		noop := func(int, Event, Exception) error { return nil }
		steps := []struct {
			what string
			do   func()
			ctls int
		}{
			{"add a read handler", func() { b.SetIOHandler(fd, Read, noop) }, 1},
			{"replace the read handler", func() { b.SetIOHandler(fd, Read, noop) }, 1},
			{"remove a write handler it does not have", func() { b.RemoveFDHandlers(fd, Write) }, 1},
			{"add a write handler", func() { b.SetIOHandler(fd, Write, h) }, 2},
			{"set the write handler again", func() { b.SetIOHandler(fd, Write, h) }, 2},
			{"remove the write handler", func() { b.RemoveFDHandlers(fd, Write) }, 3},
			{"add it back", func() { b.SetIOHandler(fd, Write, h) }, 4},
		}
		for _, st := range steps {
			st.do()
			if got := ctlCount(b); got != st.ctls {
				return fmt.Errorf("after %s: %d epoll_ctl calls, want %d", st.what, got, st.ctls)
			}
		}
		u, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		u.Abort()
		b.SetIOHandler(fd, Write, h)
		if got := ctlCount(b); got != 5 {
			return fmt.Errorf("after a socket was closed, setting a handler made %d epoll_ctl calls in all, want 5", got)
		}
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || *calls != 1 {
			return fmt.Errorf("Dispatch: %v, %d calls of the write handler, want 1", err, *calls)
		}
		return nil
	})
}
