// Package linetest records the lines something prints, for tests, and
// waits for lines by pattern: an event (a new line), never a sleep, and
// always within a deadline.
package linetest

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Recorder keeps lines as they come; it is safe for concurrent use. As
// an io.Writer it takes text and keeps each line without its newline.
type Recorder struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

// New returns an empty Recorder.
func New() *Recorder { return &Recorder{changed: make(chan struct{})} }

// Write records the lines of p.
func (r *Recorder) Write(p []byte) (int, error) {
	var ls []string
	for _, l := range strings.SplitAfter(string(p), "\n") {
		if l != "" {
			ls = append(ls, strings.TrimSuffix(l, "\n"))
		}
	}
	r.Add(ls...)
	return len(p), nil
}

// Add records lines and wakes the waiters.
func (r *Recorder) Add(lines ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, lines...)
	close(r.changed)
	r.changed = make(chan struct{})
}

// Lines returns a copy of the lines so far.
func (r *Recorder) Lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// WaitCount waits until n lines match pattern and returns the index of
// the nth; past timeout it fails t, listing the lines so far.
func (r *Recorder) WaitCount(t testing.TB, pattern string, n int, timeout time.Duration) int {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		c, at := 0, -1
		for i, l := range r.lines {
			if re.MatchString(l) {
				if c++; c == n {
					at = i
					break
				}
			}
		}
		ch := r.changed
		r.mu.Unlock()
		if at >= 0 {
			return at
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("%s within %v; got:\n%s", want(pattern, n), timeout, strings.Join(r.Lines(), "\n"))
		}
	}
}

func want(pattern string, n int) string {
	if n == 1 {
		return fmt.Sprintf("no line matching %q", pattern)
	}
	return fmt.Sprintf("fewer than %d lines matching %q", n, pattern)
}
