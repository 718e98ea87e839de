package iolib

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"

	"github.com/ionetsh/ionetsh/internal/leaktest"
	"github.com/ionetsh/ionetsh/internal/nettest"
)

// testTimeout bounds every wait in these tests.
const testTimeout = nettest.Timeout

// Thread is what a test body runs as: a context for its blocking calls
// and an Env that makes sockets. It stands in for the netex thread the
// socket layer is normally used from.
type Thread struct {
	Ctx context.Context
	Env *testEnv
}

// testEnv is the Owner of a test's sockets: it records what the hooks
// are told, so that a test can check them.
type testEnv struct {
	mu        sync.Mutex
	ids       int
	open      map[*Socket]bool
	listening []*Socket
}

func (e *testEnv) NewID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ids++
	return fmt.Sprintf("{%X}", 0x1003000003+e.ids<<8)
}

func (e *testEnv) Opened(s *Socket) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.open[s] = true
}

func (e *testEnv) Closed(s *Socket) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.open, s)
}

func (e *testEnv) Listening(s *Socket) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.listening = append(e.listening, s)
}

// MakeSocket makes a socket owned by e.
func (e *testEnv) MakeSocket(passive bool) (*Socket, error) {
	return MakeSocket(e, Options{Passive: passive})
}

// openSockets returns the sockets e has been told are open.
func (e *testEnv) openSockets() []*Socket {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ss []*Socket
	for s := range e.open {
		ss = append(ss, s)
	}
	return ss
}

// inRun runs body with a fresh Thread whose context ends afterwards, and
// fails the test if body returned an error or left a socket open.
func inRun(t testing.TB, body func(th *Thread) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	th := &Thread{Ctx: ctx, Env: &testEnv{open: make(map[*Socket]bool)}}
	if err := body(th); err != nil {
		t.Fatal(err)
	}
	for _, s := range th.Env.openSockets() {
		t.Errorf("%s left open", s)
		s.Abort()
	}
}

// leakCheck checks that the test leaves no goroutine and no fd behind.
func leakCheck(t testing.TB) { leaktest.Check(t) }

// pollUntil calls cond until it reports true or fails, for at most
// testTimeout.
func pollUntil(cond func() (bool, error)) error { return nettest.PollUntil(cond) }

// interruptible runs op with a context that is cancelled once op is
// blocked in state with frame on its stack, and returns op's error.
func interruptible(t testing.TB, state, frame string, op func(ctx context.Context) error) error {
	t.Helper()
	return nettest.Interruptible(t, state, frame, op)
}

// linePattern compiles a line pattern, as netex's tests write them.
func linePattern(p string) *regexp.Regexp { return nettest.Pattern(p) }
