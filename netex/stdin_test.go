package netex

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// readAllLines reads p until its end and fails on anything but io.EOF.
func readAllLines(t *testing.T, p *StdinPipe) []string {
	t.Helper()
	var got []string
	for {
		line, err := p.ReadLine(context.Background())
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatalf("ReadLine: %v", err)
		}
		got = append(got, line)
	}
}

func TestStdinPipeOrderAndClose(t *testing.T) {
	p := NewStdinPipe()
	for _, l := range []string{"one", "", "three"} {
		if !p.Send(l) {
			t.Fatalf("Send(%q) on an open pipe failed", l)
		}
	}
	if p.Closed() {
		t.Fatal("a new pipe is closed")
	}
	p.Close()
	p.Close()
	if !p.Closed() || p.Send("late") {
		t.Fatal("a closed pipe takes more lines")
	}
	if got := readAllLines(t, p); strings.Join(got, "|") != "one||three" {
		t.Fatalf("lines %q", got)
	}
	if _, err := p.ReadLine(context.Background()); err != io.EOF {
		t.Fatalf("ReadLine after the end: %v", err)
	}
}

func TestStdinPipeWaitsForLines(t *testing.T) {
	leakCheck(t)
	p := NewStdinPipe()
	got := make(chan string)
	go func() {
		defer close(got)
		for {
			line, err := p.ReadLine(context.Background())
			if err != nil {
				return
			}
			got <- line
		}
	}()
	for _, want := range []string{"first", "second"} {
		waitStack(t, "select", "(*StdinPipe).ReadLine")
		p.Send(want)
		if line := <-got; line != want {
			t.Fatalf("read %q, want %q", line, want)
		}
	}
	p.Close()
	if line, ok := <-got; ok {
		t.Fatalf("read %q after Close", line)
	}
}

func TestStdinPipeInterrupted(t *testing.T) {
	leakCheck(t)
	p := NewStdinPipe()
	err := interruptible(t, "select", "(*StdinPipe).ReadLine", func(ctx context.Context) error {
		_, err := p.ReadLine(ctx)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ReadLine: %v", err)
	}
	env := &Env{Stdin: p}
	err = interruptible(t, "select", "(*Env).ReadStdin", func(ctx context.Context) error {
		_, err := env.ReadStdin(ctx)
		return err
	})
	var c *Condition
	if !errors.As(err, &c) || c.Kind != Interrupted || c.FD != 0 {
		t.Fatalf("cancelled ReadStdin: %v, want an Interrupted condition on fd 0", err)
	}
	p.Send("after the interruption")
	if line, err := env.ReadStdin(context.Background()); line != "after the interruption" || err != nil {
		t.Fatalf("ReadStdin after an interruption: %q, %v", line, err)
	}
}

func TestEnvReadStdinEndOfFile(t *testing.T) {
	for _, env := range []*Env{{}, {Stdin: Lines()}} {
		_, err := env.ReadStdin(context.Background())
		if !errors.Is(err, EndOfFile) || err.Error() != "#<END-OF-FILE FD: 0>" {
			t.Errorf("ReadStdin at the end of input: %v", err)
		}
	}
}

func TestStdinFeedStripsCR(t *testing.T) {
	p := NewStdinPipe()
	p.Feed(strings.NewReader("dos\r\nunix\n\r\nno newline"))
	if !p.Closed() {
		t.Fatal("Feed did not close the pipe at the end of its reader")
	}
	if got := readAllLines(t, p); strings.Join(got, "|") != "dos|unix||no newline" {
		t.Fatalf("lines %q", got)
	}
}

func TestStdinLines(t *testing.T) {
	p := Lines("a", "b")
	if !p.Closed() || p.Send("c") {
		t.Fatal("Lines returned an open pipe")
	}
	if got := readAllLines(t, p); strings.Join(got, "|") != "a|b" {
		t.Fatalf("lines %q", got)
	}
}
