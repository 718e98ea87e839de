package iolib

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

func TestOwnerHooks(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		l, err := testListener(th, 5)
		if err != nil {
			return err
		}
		defer l.Abort()
		if !slices.Equal(th.Env.listening, []*Socket{l}) {
			t.Errorf("Listening was told %v, want the listener", th.Env.listening)
		}
		peer, err := net.Dial("tcp4", HostPort(l.LocalAddr()))
		if err != nil {
			return err
		}
		defer peer.Close()
		a, err := l.Accept(th.Ctx)
		if err != nil {
			return err
		}
		if got := th.Env.openSockets(); len(got) != 2 || !slices.Contains(got, a) {
			t.Errorf("open sockets %v: the accepted one is not the listener's owner's", got)
		}
		if a.id == l.id || !linePattern("{ID}").MatchString(a.id) {
			t.Errorf("identity tokens %s, %s", l.id, a.id)
		}
		a.Abort()
		a.Abort()
		if got := th.Env.openSockets(); !slices.Equal(got, []*Socket{l}) {
			t.Errorf("after Abort twice the open sockets are %v", got)
		}
		return nil
	})
}

func TestNilOwner(t *testing.T) {
	leakCheck(t)
	s, err := MakeSocket(nil, Options{Passive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	u, err := MakeSocket(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Abort()
	if s.id == u.id || !linePattern("#<passive IPv4 stream socket, unbound {ID}>").MatchString(s.String()) {
		t.Errorf("sockets with no owner print as %s and %s", s, u)
	}
}

// recorder is a Waiter that records, for each wait, whether it was ready
// when it began.
type recorder struct {
	mu     sync.Mutex
	waits  int
	active int
	ready  []func() bool
}

func (r *recorder) Wait(ready func() bool) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits++
	r.active++
	r.ready = append(r.ready, ready)
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.active--
	}
}

func TestWaiterHook(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		rec := &recorder{}
		ctx := WithWaiter(th.Ctx, rec)
		if _, err := peer.Write([]byte("line\n")); err != nil {
			return err
		}
		if _, err := waitFD(s.FD(), unix.POLLIN); err != nil {
			return err
		}
		if line, err := s.ReadLine(ctx); line != "line" || err != nil {
			t.Errorf("ReadLine: %q, %v", line, err)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if rec.waits != 1 || rec.active != 0 {
			t.Errorf("one ReadLine made %d waits, %d still active", rec.waits, rec.active)
		}
		// The wait's ready function looks at the fd now: drained, so
		// not ready; with data again, ready.
		if rec.ready[0]() {
			t.Error("ready after the data was read")
		}
		if _, err := peer.Write([]byte("more\n")); err != nil {
			return err
		}
		if _, err := waitFD(s.FD(), unix.POLLIN); err != nil {
			return err
		}
		if !rec.ready[0]() {
			t.Error("not ready with data waiting")
		}
		done := Waiting(context.Background(), func() bool { return true })
		done() // a context with no Waiter is fine
		return nil
	})
}
