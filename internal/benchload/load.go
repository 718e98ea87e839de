package benchload

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Env carries the child's task: MODE CLIENTS IDLE ADDR...
const Env = "IONETSH_BENCH_LOAD"

// lineLen is the length of every line sent, CRLF included.
const lineLen = 32

// dialTimeout bounds each connect of the child.
const dialTimeout = 10 * time.Second

// connDeadline bounds the life of each of the child's connections.
const connDeadline = 10 * time.Minute

// Task is the child's work: its mode (echo or batch), the clients it runs
// on each server, and the idle connections it opens to each first and
// holds.
type Task struct {
	Mode    string
	Clients int
	Idle    int
	Addrs   []string
}

func (t Task) String() string {
	return fmt.Sprintf("%s %d %d %s", t.Mode, t.Clients, t.Idle, strings.Join(t.Addrs, " "))
}

// parseTask reads a Task from its String form.
func parseTask(s string) (Task, error) {
	var t Task
	f := strings.Fields(s)
	if len(f) < 4 {
		return t, fmt.Errorf("bad load task %q", s)
	}
	t.Mode, t.Addrs = f[0], f[3:]
	if _, err := fmt.Sscan(f[1]+" "+f[2], &t.Clients, &t.Idle); err != nil {
		return t, fmt.Errorf("bad load task %q: %v", s, err)
	}
	if workers[t.Mode] == nil {
		return t, fmt.Errorf("unknown load mode %q", t.Mode)
	}
	return t, nil
}

// workers are the modes' clients: client i makes n operations on c.
var workers = map[string]func(c *net.TCPConn, i, n int) error{"echo": echoClient, "batch": batchClient}

// IsChild reports whether this process was started as the load child.
func IsChild() bool { return os.Getenv(Env) != "" }

// ChildMain is the child's side: it runs the task in the environment,
// taking commands from in and answering on out, until in ends. A failure
// is also written to out as "error: ...".
func ChildMain(in io.Reader, out io.Writer) error {
	err := child(os.Getenv(Env), in, out)
	if err != nil {
		fmt.Fprintf(out, "error: %v\n", err)
	}
	return err
}

// child dials the task's connections and runs its slices.
func child(spec string, in io.Reader, out io.Writer) error {
	t, err := parseTask(spec)
	if err != nil {
		return err
	}
	conns := make([][]*net.TCPConn, len(t.Addrs))
	defer func() {
		for _, cs := range conns {
			closeAll(cs)
		}
	}()
	for i, addr := range t.Addrs {
		idle, err := dial(addr, t.Idle)
		defer closeAll(idle)
		if err != nil {
			return fmt.Errorf("idle connection: %w", err)
		}
		if conns[i], err = dial(addr, t.Clients); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "ready")
	cmds := bufio.NewScanner(in)
	for cmds.Scan() {
		var i, n int
		if _, err := fmt.Sscanf(cmds.Text(), "run %d %d", &i, &n); err != nil || i < 0 || i >= len(conns) {
			return fmt.Errorf("parent said %q", cmds.Text())
		}
		if err := slice(workers[t.Mode], conns[i], n); err != nil {
			return err
		}
		fmt.Fprintln(out, "done")
		if t.Mode == "batch" {
			closeAll(conns[i])
			if conns[i], err = dial(t.Addrs[i], t.Clients); err != nil {
				return err
			}
		}
		fmt.Fprintln(out, "ready")
	}
	return cmds.Err()
}

// dial makes n connections to addr, one after another.
func dial(addr string, n int) ([]*net.TCPConn, error) {
	conns := make([]*net.TCPConn, 0, n)
	for range n {
		c, err := net.DialTimeout("tcp", addr, dialTimeout)
		if err != nil {
			return conns, err
		}
		c.SetDeadline(time.Now().Add(connDeadline))
		conns = append(conns, c.(*net.TCPConn))
	}
	return conns, nil
}

func closeAll(conns []*net.TCPConn) {
	for _, c := range conns {
		c.Close()
	}
}

// slice runs n operations of work across conns at once, n/len(conns)
// each (the first n%len(conns) one more), and returns the first error.
func slice(work func(c *net.TCPConn, i, n int) error, conns []*net.TCPConn, n int) error {
	errs := make(chan error, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		k := n / len(conns)
		if i < n%len(conns) {
			k++
		}
		wg.Go(func() { errs <- work(c, i, k) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// lineFor returns client i's 32-byte line.
func lineFor(i int) []byte {
	pad := lineLen - len("client 000 \r\n")
	return fmt.Appendf(nil, "client %03d %s\r\n", i%1000, strings.Repeat("x", pad))
}

// echoClient makes n round trips on c: it writes its line and reads it
// back before the next.
func echoClient(c *net.TCPConn, i, n int) error {
	line, echo := lineFor(i), make([]byte, lineLen)
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
	line := lineFor(i)
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
	echo := make([]byte, lineLen)
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
