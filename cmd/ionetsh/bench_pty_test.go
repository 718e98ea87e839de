package main

import (
	"strings"
	"testing"
	"time"
)

// TestBenchOnATerminal checks bench at the prompt: a progress line shows
// the step and the live rate while the load runs, and is gone once the
// report (table and chart) is printed and the prompt is back.
func TestBenchOnATerminal(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex5-server --port 0 --bind 127.0.0.1\r")
	s.waitFor(`Waiting to accept a connection\.\.\.\s*\nionet>$`)
	s.typeKeys("bench ex5-server --clients 1,2 --duration 2s\r")
	s.waitFor(`bench 1/2: ex5-server, 1 client: [0-9.]+s of 2s, [0-9.]+k? round trips/s`)
	s.waitFor(`(?m)^  \* ex5-server\s*\nionet>$`)
	screen := s.text()
	for _, want := range []string{"ex5-server: echo, 32-byte lines, 2s per step", "round trips/s (echo) by clients"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "bench 2/2") || strings.Contains(screen, "Read line from") {
		t.Errorf("progress line or the server's lines left on the screen:\n%s", screen)
	}
	s.typeKeys("\x04")
	select {
	case err := <-s.exited:
		if err != nil {
			t.Fatalf("exit: %v; screen:\n%s", err, s.text())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Ctrl-D did not exit; screen:\n%s", s.text())
	}
}
