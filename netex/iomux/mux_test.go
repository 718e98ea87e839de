package iomux

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// readablePair is acceptPair with data sent by the peer and arrived, so
// that the netex socket is ready for reading. Without data it is idle.
func readablePair(th *Thread, data string) (*Socket, net.Conn, error) {
	s, peer, err := acceptPair(th)
	if err != nil {
		return nil, nil, err
	}
	return s, peer, peerSend(s, peer, data)
}

// peerSend has peer send data to s, if any, and waits until it has arrived.
func peerSend(s *Socket, peer net.Conn, data string) error {
	if data == "" {
		return nil
	}
	if _, err := peer.Write([]byte(data)); err != nil {
		return err
	}
	_, err := waitFD(s.FD(), unix.POLLIN)
	return err
}

// muxTest runs body in a Run with an event base and a socket pair
// (pairTest's accepted one) whose peer has sent data, if any. The base is
// closed afterwards.
func muxTest(t *testing.T, exitWhenEmpty bool, data string, body func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error) {
	t.Helper()
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		b, err := th.Env.NewEventBase(exitWhenEmpty)
		if err != nil {
			return err
		}
		defer b.Close()
		if err := peerSend(s, peer, data); err != nil {
			return err
		}
		return body(th, b, s, peer)
	})
}

// counting returns a handler that counts its calls and receives up to n
// bytes each time (nothing for n = 0), and a pointer to the count.
func counting(s *Socket, n int) (Handler, *int) {
	calls := 0
	return func(fd int, ev Event, exc Exception) error {
		calls++
		if n > 0 {
			_, err := s.ReceiveInto(make([]byte, n))
			return err
		}
		return nil
	}, &calls
}

// dispatchQuiet is a Dispatch that returns after a short time with no events.
var dispatchQuiet = DispatchOptions{Timeout: 20 * time.Millisecond}

// dispatchOnce is a Dispatch of one round.
var dispatchOnce = DispatchOptions{OnceOnly: true}

func TestMuxLevelTriggered(t *testing.T) {
	muxTest(t, false, "abc", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		nibble, calls := counting(s, 1)
		b.SetIOHandler(s.FD(), Read, nibble)
		for i := 1; i <= 3; i++ {
			if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || *calls != i {
				return fmt.Errorf("round %d: %v, %d calls; an undrained fd must be handled again", i, err, *calls)
			}
		}
		if err := b.Dispatch(th.Ctx, dispatchQuiet); err != nil || *calls != 3 {
			return fmt.Errorf("a drained fd was handled again: %v, %d calls", err, *calls)
		}
		if err := peerSend(s, peer, "more data"); err != nil {
			return err
		}
		gulp, gulps := counting(s, 64)
		b.SetIOHandler(s.FD(), Read, gulp)
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || *gulps != 1 {
			return fmt.Errorf("draining round: %v, %d calls", err, *gulps)
		}
		if err := b.Dispatch(th.Ctx, dispatchQuiet); err != nil || *gulps != 1 || *calls != 3 {
			return fmt.Errorf("after draining: %v, %d+%d calls", err, *calls, *gulps)
		}
		return nil
	})
}

func TestMuxTimeoutAndOnceOnly(t *testing.T) {
	muxTest(t, false, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		h, calls := counting(s, 0)
		b.SetIOHandler(s.FD(), Read, h)
		start := time.Now()
		if err := b.Dispatch(th.Ctx, dispatchQuiet); err != nil || *calls != 0 {
			return fmt.Errorf("Dispatch with a timeout and no events: %v, %d calls", err, *calls)
		}
		if d := time.Since(start); d > testTimeout {
			return fmt.Errorf("a 20ms timeout took %v", d)
		}
		// A writable socket is ready at once; OnceOnly handles one round.
		b.SetIOHandler(s.FD(), Write, h)
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || *calls != 1 {
			return fmt.Errorf("OnceOnly: %v, %d calls", err, *calls)
		}
		return nil
	})
}

func TestMuxRemoveInsideHandler(t *testing.T) {
	muxTest(t, false, "x", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		s2, peer2, err := readablePair(th, "y")
		if err != nil {
			return err
		}
		defer peer2.Close()
		defer s2.Abort()
		other := map[int]int{s.FD(): s2.FD(), s2.FD(): s.FD()}
		var reads, writes []int
		read := func(fd int, ev Event, exc Exception) error {
			reads = append(reads, fd)
			b.RemoveFDHandlers(fd, Write)
			b.RemoveFDHandlers(other[fd])
			return nil
		}
		write := func(fd int, ev Event, exc Exception) error { writes = append(writes, fd); return nil }
		for _, fd := range []int{s.FD(), s2.FD()} {
			b.SetIOHandler(fd, Read, read)
			b.SetIOHandler(fd, Write, write)
		}
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil {
			return err
		}
		// Both fds were ready for both events in that round.
		if len(reads) != 1 || len(writes) != 0 {
			return fmt.Errorf("reads on %v, writes on %v: a removed handler was called", reads, writes)
		}
		if got, want := b.FDs(), []FDHandlers{{FD: reads[0], Events: []Event{Read}}}; !reflect.DeepEqual(got, want) {
			return fmt.Errorf("handlers left: %v, want %v", got, want)
		}
		return nil
	})
}

func TestMuxStaleEventAfterReregistering(t *testing.T) {
	muxTest(t, false, "x", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		s2, peer2, err := readablePair(th, "y")
		if err != nil {
			return err
		}
		defer peer2.Close()
		defer s2.Abort()
		other := map[int]int{s.FD(): s2.FD(), s2.FD(): s.FD()}
		fresh, freshCalls := counting(s, 0)
		calls := 0
		h := func(fd int, ev Event, exc Exception) error {
			if calls++; calls == 1 {
				// The other fd's event of this round is for the old
				// registration: the new handler must not get it.
				b.RemoveFDHandlers(other[fd])
				return b.SetIOHandler(other[fd], Read, fresh)
			}
			return nil
		}
		b.SetIOHandler(s.FD(), Read, h)
		b.SetIOHandler(s2.FD(), Read, h)
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || calls != 1 || *freshCalls != 0 {
			return fmt.Errorf("round 1: %v, %d calls, %d to the new handler", err, calls, *freshCalls)
		}
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || calls != 2 || *freshCalls != 1 {
			return fmt.Errorf("round 2: %v, %d calls, %d to the new handler", err, calls, *freshCalls)
		}
		return nil
	})
}

func TestMuxExitWhenEmpty(t *testing.T) {
	muxTest(t, true, "x", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		if err := b.Dispatch(th.Ctx, DispatchOptions{}); err != nil {
			return fmt.Errorf("an empty base: %v", err)
		}
		calls := 0
		b.SetIOHandler(s.FD(), Read, func(fd int, ev Event, exc Exception) error {
			calls++
			b.RemoveFDHandlers(fd)
			return nil
		})
		if err := b.Dispatch(th.Ctx, DispatchOptions{}); err != nil || calls != 1 || !b.Empty() {
			return fmt.Errorf("Dispatch until empty: %v, %d calls", err, calls)
		}
		return nil
	})
}

func TestMuxHandlerErrorEscapes(t *testing.T) {
	muxTest(t, false, "x", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		for _, want := range []error{errors.New("plain"), &Condition{Kind: Hangup, Errno: unix.EPIPE, FD: s.FD()}} {
			b.SetIOHandler(s.FD(), Read, func(int, Event, Exception) error { return want })
			if err := b.Dispatch(th.Ctx, DispatchOptions{}); err != want {
				return fmt.Errorf("Dispatch returned %v, want the handler's %v itself", err, want)
			}
		}
		return nil
	})
}

func TestMuxErrorEvent(t *testing.T) {
	muxTest(t, false, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		var got []Exception
		b.SetIOHandler(s.FD(), Error, func(fd int, ev Event, exc Exception) error {
			got = append(got, exc)
			b.RemoveFDHandlers(fd)
			return nil
		})
		if err := resetPeer(s, peer); err != nil {
			return err
		}
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || !reflect.DeepEqual(got, []Exception{ExcError}) {
			return fmt.Errorf("error handler after a reset: %v, called with %v", err, got)
		}
		return nil
	})
}

func TestMuxInterruptedAndWoken(t *testing.T) {
	muxTest(t, true, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		h, calls := counting(s, 0)
		b.SetIOHandler(s.FD(), Read, h)
		err := interruptible(t, "IO wait", "(*EventBase).Dispatch", func(ctx context.Context) error {
			return b.Dispatch(ctx, DispatchOptions{})
		})
		if !errors.Is(err, Interrupted) {
			return fmt.Errorf("cancelled Dispatch: %v, want Interrupted", err)
		}
		// Another goroutine removes the last handler and wakes the
		// dispatcher, which then finds the base empty.
		go func() {
			waitStack(t, "IO wait", "(*EventBase).Dispatch")
			b.RemoveFDHandlers(s.FD())
			b.Wake()
		}()
		if err := b.Dispatch(th.Ctx, DispatchOptions{}); err != nil || *calls != 0 {
			return fmt.Errorf("woken Dispatch: %v, %d calls", err, *calls)
		}
		b.SetIOHandler(s.FD(), Read, h)
		go func() {
			waitStack(t, "IO wait", "(*EventBase).Dispatch")
			b.Wake()
		}()
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || *calls != 0 {
			return fmt.Errorf("woken OnceOnly Dispatch: %v, %d calls", err, *calls)
		}
		return nil
	})
}

func TestMuxFDs(t *testing.T) {
	muxTest(t, false, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		u, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		defer u.Abort()
		nop := func(int, Event, Exception) error { return nil }
		b.SetIOHandler(s.FD(), Write, nop)
		b.SetIOHandler(s.FD(), Read, nop)
		b.SetIOHandler(u.FD(), Error, nop)
		want := byFD(FDHandlers{s.FD(), []Event{Read, Write}}, FDHandlers{u.FD(), []Event{Error}})
		if got := b.FDs(); !reflect.DeepEqual(got, want) {
			t.Errorf("FDs() = %v, want %v", got, want)
		}
		b.RemoveFDHandlers(s.FD(), Read, Error)
		b.RemoveFDHandlers(u.FD(), Read)
		want = byFD(FDHandlers{s.FD(), []Event{Write}}, FDHandlers{u.FD(), []Event{Error}})
		if got := b.FDs(); !reflect.DeepEqual(got, want) {
			t.Errorf("after removing some handlers, FDs() = %v, want %v", got, want)
		}
		return nil
	})
}

// byFD sorts hs by descriptor, as FDs lists them.
func byFD(hs ...FDHandlers) []FDHandlers {
	slices.SortFunc(hs, func(a, b FDHandlers) int { return a.FD - b.FD })
	return hs
}

func TestMuxCloseReleasesFDs(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		before := openFDs(t)
		b, err := th.Env.NewEventBase(false)
		if err != nil {
			return err
		}
		if n := openFDs(t); n != before+2 {
			t.Errorf("a new event base opened %d descriptors, want 2 (epoll, eventfd)", n-before)
		}
		s, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		b.SetIOHandler(s.FD(), Read, func(int, Event, Exception) error { return nil })
		s.Abort()
		b.Close()
		if n := openFDs(t); n != before {
			t.Errorf("%d descriptors open after Close, %d before the base", n, before)
		}
		b.Wake()
		if err := b.Close(); err != nil || len(b.FDs()) != 0 {
			t.Errorf("second Close: %v, handlers %v", err, b.FDs())
		}
		return nil
	})
}

func TestMuxFDReusedAfterCloseWithoutRemove(t *testing.T) {
	muxTest(t, false, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		stale := func(int, Event, Exception) error { return errors.New("stale handler called") }
		u, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		fd := u.FD()
		b.SetIOHandler(fd, Read, stale)
		b.SetIOHandler(fd, Write, stale)
		// Closing drops fd from the epoll set without telling the base;
		// a new socket then gets the same number.
		u.Abort()
		v, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		defer v.Abort()
		if v.FD() != fd {
			return fmt.Errorf("the new socket got fd %d, not the freed %d", v.FD(), fd)
		}
		h, calls := counting(v, 0)
		if err := b.SetIOHandler(fd, Write, h); err != nil {
			return fmt.Errorf("registering the reused fd: %v", err)
		}
		if got, want := b.FDs(), []FDHandlers{{fd, []Event{Write}}}; !reflect.DeepEqual(got, want) {
			return fmt.Errorf("FDs() = %v, want %v: the closed socket's handlers are gone", got, want)
		}
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || *calls != 1 {
			return fmt.Errorf("Dispatch on the reused fd: %v, %d calls", err, *calls)
		}
		return nil
	})
}
