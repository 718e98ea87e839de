package benchload

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/netex/loadgen"
)

// Child is a running load child, seen from the parent.
type Child struct {
	in      io.WriteCloser
	lines   *bufio.Scanner
	pending bool // a "ready" is still to come
}

// Sample is what one slice cost the parent: its operations, its wall
// time, and the parent's CPU time and heap allocations over it.
type Sample struct {
	Ops    int
	Wall   time.Duration
	CPU    time.Duration
	Allocs uint64
}

// Start runs this test binary again, with args, as the load child of
// task, and returns once the child has made its connections. The binary
// must call ChildMain when IsChild: args select the test or the TestMain
// that does. The child is stopped when tb ends.
func Start(tb testing.TB, task Task, args ...string) *Child {
	tb.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), Env+"="+task.String())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		in.Close()
		t := time.AfterFunc(dialTimeout, func() { cmd.Process.Kill() })
		defer t.Stop()
		cmd.Wait()
	})
	c := &Child{in: in, lines: bufio.NewScanner(out), pending: true}
	c.await(tb, "ready")
	return c
}

// await fails tb unless the child's next line is want.
func (c *Child) await(tb testing.TB, want string) {
	tb.Helper()
	if !c.lines.Scan() || c.lines.Text() != want {
		tb.Fatalf("load child said %q, want %q (%v)", c.lines.Text(), want, c.lines.Err())
	}
	c.pending = false
}

// Slice has the child make n operations on its connections to the i-th
// server, and measures them. The measure starts once the child is ready,
// and ends when it says done.
func (c *Child) Slice(tb testing.TB, i, n int) Sample {
	tb.Helper()
	if c.pending {
		c.await(tb, "ready")
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := processCPU(tb)
	t0 := time.Now()
	fmt.Fprintf(c.in, "run %d %d\n", i, n)
	c.await(tb, "done")
	wall := time.Since(t0)
	cpu := processCPU(tb) - cpu0
	runtime.ReadMemStats(&m1)
	c.pending = true
	return Sample{Ops: n, Wall: wall, CPU: cpu, Allocs: m1.Mallocs - m0.Mallocs}
}

// processCPU returns the user and system CPU time the process has used.
func processCPU(tb testing.TB) time.Duration {
	d, err := loadgen.ProcessCPU()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}
