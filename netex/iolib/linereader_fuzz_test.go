package iolib

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// FuzzReadLine feeds any byte stream, in writes of any size, to a
// socket's line reader under a heap budget of any size, and checks the
// lines against the rules of spec §1 and §6: a line ends at LF, one CR
// before it is stripped, a last line without LF comes back as it is, the
// bytes are the bytes sent (not decoded), and a line that would hold more
// than the budget is a HEAP-EXHAUSTED-ERROR, after which nothing is held.
func FuzzReadLine(f *testing.F) {
	for _, seed := range []string{
		"hello\r\nworld\n", "no newline", "\xff\xfe\r\n\x1b]0;pwned\x07\n", "a\rb\n\r\n", "\n\n\n",
		"quit\r\n", string(bytes.Repeat([]byte("x"), 5000)) + "\n", "\r",
	} {
		f.Add([]byte(seed), uint8(3), uint16(64))
		f.Add([]byte(seed), uint8(0), uint16(6000))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, limit uint16) {
		if len(data) > 1<<16 {
			return
		}
		budget := NewBudget(int64(limit) + 1)
		got, gotErr := readAllLines(t, data, max(int(chunk), 1), budget)
		want, wantHeap := modelLines(data, budget.Limit())
		if wantHeap != (gotErr != nil) || gotErr != nil && !errors.Is(gotErr, HeapExhausted) {
			t.Fatalf("error %v, want heap exhausted: %v", gotErr, wantHeap)
		}
		if len(got) != len(want) {
			t.Fatalf("got %d lines %q, want %d %q", len(got), got, len(want), want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("line %d = %q, want %q", i, got[i], want[i])
			}
		}
		if u := budget.Used(); u != 0 {
			t.Fatalf("%d bytes still held against the budget", u)
		}
	})
}

// readAllLines writes data to one end of a socket pair in writes of
// chunk bytes, then shuts it down, and reads lines from the other end
// with ReadLine until the end of the stream or another condition.
func readAllLines(t *testing.T, data []byte, chunk int, budget *Budget) ([]string, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSocket(noOwner, fds[0], Options{Budget: budget}, stConnected)
	if err != nil {
		unix.Close(fds[1])
		t.Fatal(err)
	}
	w := os.NewFile(uintptr(fds[1]), "peer")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for rest := data; len(rest) > 0; rest = rest[min(chunk, len(rest)):] {
			if _, err := w.Write(rest[:min(chunk, len(rest))]); err != nil {
				break // the reader stopped early and closed its end
			}
		}
		unix.Shutdown(fds[1], unix.SHUT_WR)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var lines []string
	for {
		line, err := s.ReadLine(ctx)
		if err != nil {
			s.Abort()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("the writer did not end after the reader closed (read error %v)", err)
			}
			w.Close()
			if errors.Is(err, EndOfFile) {
				err = nil
			}
			return lines, err
		}
		lines = append(lines, line)
	}
}

// modelLines is what ReadLine should return for data under a budget of
// limit bytes, and whether it ends in a HEAP-EXHAUSTED-ERROR.
func modelLines(data []byte, limit int64) ([]string, bool) {
	var lines []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		whole := i >= 0
		n := len(data)
		if whole {
			n = i + 1
		}
		if int64(n) > limit {
			return lines, true
		}
		line := data[:n]
		if whole {
			line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		}
		lines = append(lines, string(line))
		data = data[n:]
	}
	return lines, false
}
