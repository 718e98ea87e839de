package netex

import (
	"reflect"
	"slices"
	"testing"
)

// TestRunHandlersTracksBases checks the Env's hooks into iomux: Handlers
// lists the registered fds of every open event base, by fd; a closed base
// drops out; a base left open is closed when the Run ends.
func TestRunHandlersTracksBases(t *testing.T) {
	leakCheck(t)
	before := openFDs(t)
	inRun(t, func(th *Thread) error {
		nop := func(int, Event, Exception) error { return nil }
		var bases []*EventBase
		for range 2 {
			b, err := th.Env.NewEventBase(false)
			if err != nil {
				return err
			}
			bases = append(bases, b)
		}
		s, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		u, err := th.Env.MakeSocket(true)
		if err != nil {
			return err
		}
		bases[1].SetIOHandler(u.FD(), Read, nop)
		bases[0].SetIOHandler(s.FD(), Write, nop)
		bases[0].SetIOHandler(s.FD(), Read, nop)
		want := byFD(FDHandlers{FD: s.FD(), Events: []Event{Read, Write}}, FDHandlers{FD: u.FD(), Events: []Event{Read}})
		if got := th.Env.run.Handlers(); !reflect.DeepEqual(got, want) {
			t.Errorf("Run.Handlers() = %v, want %v", got, want)
		}
		if got := th.Env.run.Conns(); got != 1 {
			t.Errorf("Run.Conns() = %d with one active socket", got)
		}
		bases[0].Close()
		want = []FDHandlers{{FD: u.FD(), Events: []Event{Read}}}
		if got := th.Env.run.Handlers(); !reflect.DeepEqual(got, want) {
			t.Errorf("after closing a base, Run.Handlers() = %v, want %v", got, want)
		}
		return nil // bases[1], s and u are left for the Run's teardown
	})
	if n := openFDs(t); n != before {
		t.Errorf("%d fds open after the Run, %d before: teardown left some", n, before)
	}
}

// byFD sorts hs by descriptor, as Handlers lists them.
func byFD(hs ...FDHandlers) []FDHandlers {
	slices.SortFunc(hs, func(a, b FDHandlers) int { return a.FD - b.FD })
	return hs
}
