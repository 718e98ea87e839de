package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ChildArg is the hidden subcommand that makes a program act as the load
// generator's child: ionetsh __loadgen. The program's main routes it to
// ChildMain.
const ChildArg = "__loadgen"

// killAfter is how long a child has to report after it is told to stop
// before it is killed.
const killAfter = 5 * time.Second

// ChildMain is the child's side: it reads one Config as a JSON line from
// stdin, runs it, and writes events as JSON lines to stdout, the last one
// the result. End-of-file on stdin interrupts the run, which then
// reports what it measured. It returns the exit status.
func ChildMain(stdin io.Reader, stdout, stderr io.Writer) int {
	br := bufio.NewReader(stdin)
	line, err := br.ReadBytes('\n')
	var cfg Config
	if err == nil {
		err = json.Unmarshal(line, &cfg)
	}
	if err == nil {
		err = cfg.Check()
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: bad configuration: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		io.Copy(io.Discard, br)
		cancel()
	}()
	var mu sync.Mutex
	enc := json.NewEncoder(stdout)
	emit := func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(ev)
	}
	res := Run(ctx, cfg, emit)
	emit(Event{Kind: "result", Result: &res})
	return 0
}

// Child runs steps in a child process.
type Child struct {
	// Command is the child's command line. Empty means this program with
	// ChildArg: os.Executable, named as it was invoked (os.Args[0]).
	Command []string
}

// command builds the child's exec.Cmd. It runs in a process group of its
// own, so that a Ctrl-C at the terminal reaches only the parent, which
// then stops the child by closing its stdin.
func (c Child) command() (*exec.Cmd, error) {
	argv := c.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cannot find this program to run the load: %v", err)
		}
		argv = []string{exe, ChildArg}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if len(c.Command) == 0 {
		cmd.Args[0] = os.Args[0]
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd, nil
}

// Run runs one step in a child process and returns its result. report
// receives the child's start and progress events, in order. If ctx ends,
// the child is told to stop and the result is what it measured so far;
// a child that does not report within a few seconds is killed.
func (c Child) Run(ctx context.Context, cfg Config, report func(Event)) (Result, error) {
	cmd, err := c.command()
	if err != nil {
		return Result{}, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return Result{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Result{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("cannot start the load generator: %v", err)
	}
	line, _ := json.Marshal(cfg)
	stdin.Write(append(line, '\n'))
	exited := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-exited:
			return
		case <-ctx.Done():
		}
		stdin.Close()
		select {
		case <-exited:
		case <-time.After(killAfter):
			cmd.Process.Kill()
		}
	}()
	res, got := readEvents(stdout, report)
	werr := cmd.Wait()
	close(exited)
	<-watched
	if !got {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" && werr != nil {
			msg = werr.Error()
		}
		return Result{}, fmt.Errorf("the load generator failed: %s", firstLine(msg))
	}
	return res, nil
}

// readEvents reads the child's events until its stdout ends, passing on
// all but the result, which it returns.
func readEvents(r io.Reader, report func(Event)) (Result, bool) {
	var res Result
	got := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var ev Event
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		if ev.Kind == "result" && ev.Result != nil {
			res, got = *ev.Result, true
		} else if report != nil {
			report(ev)
		}
	}
	io.Copy(io.Discard, r)
	return res, got
}

func firstLine(s string) string {
	if s == "" {
		return "no result and no message"
	}
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

// ProcessCPU is the CPU time, user and system, this process has used.
func ProcessCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, errors.New("cannot read this process's CPU time")
	}
	tv := func(t syscall.Timeval) time.Duration {
		return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
	}
	return tv(ru.Utime) + tv(ru.Stime), nil
}
