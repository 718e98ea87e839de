package main

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/labtest"
)

// pipeOut collects what ionetsh writes to a pipe given as its stdout.
type pipeOut struct {
	mu      sync.Mutex
	buf     strings.Builder
	changed chan struct{}
}

// startPipeOut returns the pipe's write end, for startScreenOut, and the
// collector of its read end.
func startPipeOut(t *testing.T) (*os.File, *pipeOut) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	o := &pipeOut{changed: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 4096)
		for {
			n, err := r.Read(b)
			o.mu.Lock()
			o.buf.Write(b[:n])
			close(o.changed)
			o.changed = make(chan struct{})
			o.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { w.Close(); <-done; r.Close() })
	return w, o
}

// waitAll waits until none of r's output lines is missing from what was
// written, and returns what was written.
func (o *pipeOut) waitAll(t *testing.T, r labtest.Recipe) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		o.mu.Lock()
		out, ch := o.buf.String(), o.changed
		o.mu.Unlock()
		miss := r.Missing(out)
		if len(miss) == 0 {
			return out
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("pasted recipe never printed %q; output:\n%s", miss, out)
		}
	}
}

// TestPasteReadmeRecipes pastes each Boundary lab recipe of the README
// at the interactive prompt in one go, as a reader would, and checks
// that every line the README shows is printed.
func TestPasteReadmeRecipes(t *testing.T) {
	rs, err := labtest.Recipes("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		w, out := startPipeOut(t)
		s := startScreenOut(t, w)
		s.waitFor(`(?m)^ionet>$`)
		s.typeKeys(strings.Join(r.Commands, "\r") + "\r")
		got := out.waitAll(t, r)
		if strings.Contains(got, "error:") {
			t.Fatalf("recipe %d: a pasted command failed:\n%s", i+1, got)
		}
		s.typeKeys("quit\r")
		s.waitExit()
	}
}

// TestCtrlCStopsFlood presses Ctrl-C during a flood that cannot finish
// (the listener does not read): the flood stops, the command reports the
// interruption, and the shell and the connection live on.
func TestCtrlCStopsFlood(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("listen 0 --name L --bind 127.0.0.1\r")
	s.waitFor(`\[L\] Listening on`)
	s.typeKeys("connect L raw --name c --detach\r")
	s.waitFor(`L/1: accepted a connection`)
	s.typeKeys("pause L\r")
	s.waitFor(`L/1: Paused`)
	s.typeKeys("flood c 1GiB\r")
	s.waitFor(`\[c\] Flood: sending 1\.0 GiB`)
	s.typeKeys("\x03")
	s.waitFor(`\[c\] Flood: stopped after \d+ bytes`)
	s.waitFor(`(?m)^interrupted\s*\nionet>$`)
	s.typeKeys("sessions\r")
	s.waitFor(`(?m)^c\s+raw\s+running\s`)
	s.typeKeys("quit\r")
	s.waitExit()
}
