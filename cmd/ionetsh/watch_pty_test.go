package main

import (
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// watchRuns is how many times the watch test repeats.
const watchRuns = 10

func TestWatchSocketsInPlace(t *testing.T) {
	for i := 0; i < watchRuns; i++ {
		if !t.Run(strconv.Itoa(i), watchOnce) {
			return
		}
	}
}

// watchOnce checks that watch sockets redraws one table in place, holds
// back session lines while it owns the screen, and that a key returns
// to a clean prompt holding that key as the start of the line.
func watchOnce(t *testing.T) {
	s := startScreen(t)
	s.waitFor(`(?m)^ionet>$`)
	s.typeKeys("run ex2-server --port 0 --bind 127.0.0.1\r")
	port := s.waitFor(`Listening on socket bound to: 127\.0\.0\.1:(\d+)`)
	s.waitFor(`Waiting to accept a connection\.\.\.\s*\nionet>$`)
	s.typeKeys("watch sockets --every 30ms\r")
	s.waitFor(`snapshot ([2-9]|\d\d+);`)
	c, err := net.Dial("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, c)
	c.Close()
	// A whole frame: the header line, the table, the listener's row last.
	txt := s.waitFor(`(?s)^(.*?snapshot (?:[5-9]|\d\d+);[^\n]*\nSESSION[^\n]*\n[^\n]*LISTEN[^\n]*)$`)
	if n := strings.Count(txt, "SESSION"); n != 1 || strings.Count(txt, "sockets every 30ms") != 1 {
		t.Fatalf("want one table redrawn in place, found %d headers; screen:\n%s", n, txt)
	}
	if strings.Contains(txt, "Got a connection") {
		t.Fatalf("session lines were printed into the watch; screen:\n%s", txt)
	}
	s.typeKeys("s")
	s.waitFor(`(?m)^ionet> s$`)
	txt = s.text()
	if got := s.lastLine(); got != "ionet> s" || strings.Count(txt, "SESSION") != 1 {
		t.Fatalf("want a clean prompt holding the key below one table, last line %q; screen:\n%s", got, txt)
	}
	if !regexp.MustCompile(`(?s)SESSION.*\[ex2-server\] Got a connection from 127\.0\.0\.1:\d+!.*ionet> s$`).MatchString(txt) {
		t.Fatalf("held session lines should follow the last snapshot; screen:\n%s", txt)
	}
	s.typeKeys("essions\r")
	s.waitFor(`(?m)^ex2-server\s+ex2-server\s+listening\s`)
	s.typeKeys("\x04")
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("Ctrl-D did not exit; screen:\n%s", s.text())
	}
}
