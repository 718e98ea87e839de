package iolib

import (
	"context"
	"io"
	"net"
	"testing"
)

// readyRecorder is a ReadyWaiter that counts the waits it is told of.
type readyRecorder struct{ waits, onReady int }

func (r *readyRecorder) Wait(ready func() bool) func() { r.waits++; return func() {} }

func (r *readyRecorder) WaitOn(*Ready) func() { r.waits++; r.onReady++; return noop }

func noop() {}

// TestGuardAllocations: an echo round trip (ReadLine, WriteLine,
// FinishOutput) with a cancellable context and a waiter allocates only
// the line read: the interruption is armed once for the socket, not per
// call, and the waits go through the socket's own Ready.
func TestGuardAllocations(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		rec := &readyRecorder{}
		ctx := WithWaiter(th.Ctx, rec)
		line, echo := []byte("ping\r\n"), make([]byte, 6)
		var err error
		allocs := testing.AllocsPerRun(200, func() {
			if _, err = peer.Write(line); err != nil {
				return
			}
			var got string
			if got, err = s.ReadLine(ctx); err != nil {
				return
			}
			if err = s.WriteLine(ctx, got); err != nil {
				return
			}
			if err = s.FinishOutput(ctx); err != nil {
				return
			}
			_, err = io.ReadFull(peer, echo)
		})
		if err != nil {
			return err
		}
		if allocs > 1 {
			t.Errorf("a round trip allocates %v objects, want at most 1 (the line)", allocs)
		}
		if rec.onReady == 0 || rec.onReady != rec.waits {
			t.Errorf("%d waits, %d of them through the socket's Ready", rec.waits, rec.onReady)
		}
		return nil
	})
}

// TestGuardContextEndedBetweenCalls: a context that ends after its call
// returned leaves the socket whole: a call with another context reads,
// writes and, on Close, flushes as usual.
func TestGuardContextEndedBetweenCalls(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		first, cancel := context.WithCancel(th.Ctx)
		defer cancel()
		if _, err := peer.Write([]byte("one\ntwo\n")); err != nil {
			return err
		}
		if line, err := s.ReadLine(first); line != "one" || err != nil {
			t.Fatalf("ReadLine = %q, %v", line, err)
		}
		cancel()
		if _, err := s.ReadLine(first); !isInterrupted(err) {
			t.Errorf("ReadLine with the ended context: %v, want an interruption", err)
		}
		if line, err := s.ReadLine(th.Ctx); line != "two" || err != nil {
			t.Fatalf("ReadLine with a live context after the first ended = %q, %v", line, err)
		}
		if err := s.WriteLine(th.Ctx, "kept"); err != nil {
			return err
		}
		if err := s.Close(th.Ctx); err != nil {
			return err
		}
		got, err := io.ReadAll(peer)
		if string(got) != "kept\r\n" || err != nil {
			t.Errorf("the peer got %q, %v; want the flushed line", got, err)
		}
		return nil
	})
}

func isInterrupted(err error) bool {
	c, ok := err.(*Condition)
	return ok && c.Kind == Interrupted
}
