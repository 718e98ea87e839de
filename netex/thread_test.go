package netex

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/nettest"
)

// startIn starts a Run of a throwaway example whose main thread runs run,
// and stops it when the test ends if it is still running.
func startIn(t testing.TB, run func(th *Thread) (bool, error)) (*Run, *output) {
	t.Helper()
	out := newOutput()
	ex := &Example{Name: "test", Run: run}
	r, err := Start(context.Background(), ex, Config{Out: out, Bind: "127.0.0.1", Host: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r, out
}

// inRun runs body as the main thread of a throwaway example, waits for
// the Run to end and fails the test if body returned an error or the Run
// ended badly. It returns what the Run printed.
func inRun(t testing.TB, body func(th *Thread) error) *output {
	t.Helper()
	r, out := startIn(t, func(th *Thread) (bool, error) { return true, body(th) })
	if res := wait(t, r); res.Err != nil || res.Stopped || !res.Value {
		t.Fatalf("run ended with %+v; output:\n%s", res, strings.Join(out.Lines(), "\n"))
	}
	return out
}

// pollUntil calls cond until it reports true or fails, for at most
// testTimeout. It is for conditions no event announces.
func pollUntil(cond func() (bool, error)) error { return nettest.PollUntil(cond) }

// waitStack waits until some goroutine is in the given state with frame
// on its stack: the way to know that a call is really blocked.
func waitStack(t testing.TB, state, frame string) {
	t.Helper()
	nettest.WaitStack(t, state, frame)
}

// interruptible runs op with a context that is cancelled once op is
// blocked in state with frame on its stack, and returns op's error.
func interruptible(t testing.TB, state, frame string, op func(ctx context.Context) error) error {
	t.Helper()
	return nettest.Interruptible(t, state, frame, op)
}

// dialPair connects a netex active socket to a plain Go peer.
func dialPair(th *Thread) (*Socket, net.Conn, error) {
	var s *Socket
	peer, err := nettest.AcceptPeer(func(port int) error {
		var err error
		if s, err = th.Env.MakeSocket(false); err == nil {
			err = s.Connect(th.Ctx, "127.0.0.1", port)
		}
		return err
	})
	if err != nil && s != nil {
		s.Abort()
	}
	return s, peer, err
}

func TestThreadSpawnDestroy(t *testing.T) {
	leakCheck(t)
	out := inRun(t, func(th *Thread) error {
		s, peer, err := dialPair(th)
		if err != nil {
			return err
		}
		defer peer.Close()
		worker := th.Env.Spawn("worker-a", func(w *Thread) {
			defer w.Printf("cleanup of %s\n", w.Name())
			_, err := s.ReadLine(w.Ctx)
			w.Printf("read ended: %v\n", errors.Is(err, Interrupted))
			s.Close(w.Ctx)
		})
		matchLines(t, []string{worker.String()}, `#<THREAD "WORKER-A" RUNNING {ID}>`)
		if !worker.Alive() {
			t.Error("a thread blocked in ReadLine is not alive")
		}
		waitStack(t, "IO wait", "(*Socket).ReadLine")
		worker.Destroy()
		// Destroy has waited: the cleanup's output is already there.
		if got, want := strings.Join(outputOf(th), "|"), "read ended: true|cleanup of WORKER-A"; got != want {
			t.Errorf("after Destroy the output is %q, want %q", got, want)
		}
		if worker.Alive() {
			t.Error("a destroyed thread is alive")
		}
		matchLines(t, []string{worker.String()}, `#<THREAD "WORKER-A" FINISHED {ID}>`)
		worker.Destroy() // destroying a finished thread returns at once
		return nil
	})
	if len(out.Lines()) != 2 {
		t.Fatalf("output %q", out.Lines())
	}
}

// outputOf returns what th's Run has printed so far, for tests running
// inside a Run started by startIn.
func outputOf(th *Thread) []string { return th.Env.run.out.(*output).Lines() }

func TestThreadSpawnPanicIsPrinted(t *testing.T) {
	leakCheck(t)
	out := inRun(t, func(th *Thread) error {
		boom := th.Env.Spawn("boom", func(w *Thread) {
			w.Printf("about to fail ")
			panic("kaboom")
		})
		<-boom.Done()
		th.Printf("main carries on\n")
		return nil
	})
	matchLines(t, out.Lines(),
		"about to fail ",
		`Unhandled panic in #<THREAD "BOOM" RUNNING {ID}>: kaboom`,
		"main carries on")
}

func TestThreadMainPanicIsResult(t *testing.T) {
	leakCheck(t)
	r, _ := startIn(t, func(th *Thread) (bool, error) {
		s, peer, err := dialPair(th)
		if err != nil {
			return false, err
		}
		defer peer.Close()
		th.Env.Spawn("reader", func(w *Thread) { s.ReadLine(w.Ctx) })
		if _, err := th.Env.NewEventBase(false); err != nil {
			return false, err
		}
		panic(fmt.Sprintf("main panics with %d sockets", th.Env.conns()))
	})
	res := wait(t, r)
	var p *PanicError
	if !errors.As(res.Err, &p) || p.Value != "main panics with 1 sockets" || res.Stopped {
		t.Fatalf("result %+v, want a *PanicError", res)
	}
	if !strings.Contains(p.Stack, "TestThreadMainPanicIsResult") {
		t.Errorf("panic stack does not show where it happened:\n%s", p.Stack)
	}
	if n := r.Conns(); n != 0 || len(r.Threads()) != 0 || len(r.Handlers()) != 0 {
		t.Errorf("after the panic: %d conns, threads %v, handlers %v", n, r.Threads(), r.Handlers())
	}
}

func TestThreadsListsMainFirst(t *testing.T) {
	leakCheck(t)
	release := make(chan struct{})
	spawned := make(chan struct{})
	r, _ := startIn(t, func(th *Thread) (bool, error) {
		for _, name := range []string{"first", "second"} {
			th.Env.Spawn(name, func(w *Thread) { <-release })
		}
		close(spawned)
		<-th.Ctx.Done()
		return false, nil
	})
	<-spawned
	matchLines(t, r.Threads(),
		`#<THREAD "RUN-TEST" RUNNING {ID}>`,
		`#<THREAD "FIRST" RUNNING {ID}>`,
		`#<THREAD "SECOND" RUNNING {ID}>`)
	close(release)
	r.Stop()
	if got := r.Threads(); len(got) != 0 {
		t.Fatalf("threads after stop: %v", got)
	}
}

func TestThreadLineWriterJoinsPartialLines(t *testing.T) {
	leakCheck(t)
	out := inRun(t, func(th *Thread) error {
		aStarted, bStarted, aEnded := make(chan struct{}), make(chan struct{}), make(chan struct{})
		a := th.Env.Spawn("a", func(w *Thread) {
			w.Printf("A starts...")
			close(aStarted)
			<-bStarted
			w.Printf("A ends\nA two\n")
			close(aEnded)
		})
		b := th.Env.Spawn("b", func(w *Thread) {
			<-aStarted
			w.Printf("B starts...")
			th.Printf("main whole line\n")
			close(bStarted)
			<-aEnded
			w.Printf("B ends\nB dangling")
		})
		<-a.Done()
		<-b.Done()
		return nil
	})
	matchLines(t, out.Lines(),
		"main whole line",
		"A starts...A ends",
		"A two",
		"B starts...B ends",
		"B dangling")
}

// testListener makes a socket of th's Env listening on an ephemeral
// loopback port.
func testListener(th *Thread, backlog int) (*Socket, error) {
	s, err := th.Env.MakeSocket(true)
	if err == nil {
		if err = s.Bind(netip.MustParseAddr("127.0.0.1"), 0); err == nil {
			err = s.Listen(backlog)
		}
		if err != nil {
			s.Abort()
		}
	}
	return s, err
}

func TestRunConns(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		r := th.Env.run
		l, err := testListener(th, 5)
		if err != nil {
			return err
		}
		c, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		if err := c.Connect(th.Ctx, "127.0.0.1", int(l.LocalAddr().Port())); err != nil {
			return err
		}
		a, err := l.Accept(th.Ctx)
		if err != nil {
			return err
		}
		counts := []int{r.Conns()}
		a.Abort()
		counts = append(counts, r.Conns())
		c.Close(context.Background())
		l.Abort()
		counts = append(counts, r.Conns())
		if fmt.Sprint(counts) != "[2 1 0]" {
			t.Errorf("Conns went %v, want [2 1 0]", counts)
		}
		return nil
	})
}
