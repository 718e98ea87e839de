package netex

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The benchmarks' load runs in a child process: the test binary run again
// with benchLoadEnv set, which makes TestBenchLoadChild the load. The
// child dials its connections, says "ready", waits for "go" on standard
// input, runs, and says "done" (or "error: ..."). The parent measures its
// own CPU time and allocations between "go" and "done".

// benchLoadEnv carries the child's task: MODE ADDR CLIENTS OPS IDLE.
const benchLoadEnv = "NETEX_BENCH_LOAD"

// measureLoad runs a child doing b.N operations of mode (echo or batch)
// over clients connections to addr, and reports the rate as unit per
// second, this process's CPU time per operation and its allocations.
func measureLoad(b *testing.B, addr, mode string, clients int, unit string) {
	measureIdleLoad(b, addr, mode, clients, unit, 0, nil)
}

// measureIdleLoad is measureLoad with idle connections opened first and
// held during the run. Once the child has made them all, ready (if not
// nil) is called before the measured loop.
func measureIdleLoad(b *testing.B, addr, mode string, clients int, unit string, idle int, ready func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchLoadChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %d %d %d", benchLoadEnv, mode, addr, clients, b.N, idle))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	lines := bufio.NewScanner(stdout)
	expect := func(want string) {
		if !lines.Scan() || lines.Text() != want {
			b.Fatalf("load child said %q, want %q (%v)", lines.Text(), want, lines.Err())
		}
	}
	expect("ready")
	if ready != nil {
		ready()
	}
	b.ReportAllocs()
	cpu0 := processCPU(b)
	b.ResetTimer()
	io.WriteString(stdin, "go\n")
	expect("done")
	b.StopTimer()
	cpu := processCPU(b) - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit+"/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBenchLoadChild is the benchmarks' load when run as their child; run
// otherwise, it does nothing.
func TestBenchLoadChild(t *testing.T) {
	task := os.Getenv(benchLoadEnv)
	if task == "" {
		return
	}
	var mode, addr string
	var clients, ops, idle int
	if _, err := fmt.Sscan(task, &mode, &addr, &clients, &ops, &idle); err != nil {
		t.Fatal(err)
	}
	if err := runLoad(mode, addr, clients, ops, idle, os.Stdin, os.Stdout); err != nil {
		fmt.Printf("error: %v\n", err)
		t.Fatal(err)
	}
}

// runLoad is the child's work: dial (the idle connections first), say
// ready, wait for go, run the clients, say done.
func runLoad(mode, addr string, clients, ops, idle int, in io.Reader, out io.Writer) error {
	for range idle {
		c, err := net.DialTimeout("tcp4", addr, testTimeout)
		if err != nil {
			return fmt.Errorf("idle connection: %w", err)
		}
		defer c.Close()
	}
	conns := make([]*net.TCPConn, clients)
	for i := range conns {
		c, err := net.DialTimeout("tcp4", addr, testTimeout)
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Minute))
		conns[i] = c.(*net.TCPConn)
	}
	work := map[string]func(c *net.TCPConn, i, n int) error{"echo": echoClient, "batch": batchClient}[mode]
	if work == nil {
		return fmt.Errorf("unknown load mode %q", mode)
	}
	fmt.Fprintln(out, "ready")
	if line, err := bufio.NewReader(in).ReadString('\n'); strings.TrimSpace(line) != "go" {
		return fmt.Errorf("parent said %q, %v", line, err)
	}
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for i, c := range conns {
		n := ops / clients
		if i < ops%clients {
			n++
		}
		wg.Go(func() { errs <- work(c, i, n) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "done")
	return nil
}

// benchLineFor returns client i's 32-byte line.
func benchLineFor(i int) []byte {
	pad := benchLine - len("client 000 \r\n")
	return fmt.Appendf(nil, "client %03d %s\r\n", i%1000, strings.Repeat("x", pad))
}

// echoClient makes n round trips on c: it writes its line and reads it
// back before the next.
func echoClient(c *net.TCPConn, i, n int) error {
	line, echo := benchLineFor(i), make([]byte, benchLine)
	for k := range n {
		if _, err := c.Write(line); err != nil {
			return err
		}
		if _, err := io.ReadFull(c, echo); err != nil {
			return fmt.Errorf("client %d, round trip %d: %w", i, k, err)
		}
		if !bytes.Equal(echo, line) {
			return fmt.Errorf("client %d sent %q, got back %q", i, line, echo)
		}
	}
	return nil
}

// batchClient sends n lines on c while reading the echoes, then
// half-closes and reads until the server closes; every byte must come
// back in order.
func batchClient(c *net.TCPConn, i, n int) error {
	line := benchLineFor(i)
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(c, 64<<10)
		for range n {
			w.Write(line)
		}
		err := w.Flush()
		if err == nil {
			err = c.CloseWrite()
		}
		werr <- err
	}()
	r := bufio.NewReaderSize(c, 64<<10)
	echo := make([]byte, benchLine)
	for k := range n {
		if _, err := io.ReadFull(r, echo); err != nil {
			return fmt.Errorf("client %d, line %d: %w", i, k, err)
		}
		if !bytes.Equal(echo, line) {
			return fmt.Errorf("client %d sent %q, got back %q at line %d", i, line, echo, k)
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return fmt.Errorf("client %d: server did not close after the batch (%v)", i, err)
	}
	return <-werr
}
