package iolib

import (
	"bufio"
	"context"
	"io"
	"net"
	"slices"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// tracingEnv is a testEnv that is also a Tracer: it records every event.
type tracingEnv struct {
	*testEnv
	mu     sync.Mutex
	events []string // "<data" received, ">data" sent
}

func (e *tracingEnv) Traced(s *Socket, in bool, data []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	dir := ">"
	if in {
		dir = "<"
	}
	e.events = append(e.events, dir+string(data))
}

func (e *tracingEnv) got() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.events...)
}

func TestRoleAndAppBuf(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		if s.Role() != "conn" {
			t.Errorf("role %q, want conn", s.Role())
		}
		s.SetRole("proxy-up")
		if s.Role() != "proxy-up" {
			t.Errorf("role %q after SetRole, want proxy-up", s.Role())
		}
		if _, err := peer.Write([]byte("abc\r\ndef")); err != nil {
			return err
		}
		// With all 8 bytes in the kernel, one read takes them all.
		if err := pollUntil(func() (bool, error) {
			n, err := unix.IoctlGetInt(s.FD(), unix.SIOCINQ)
			return n == 8, err
		}); err != nil {
			t.Fatal(err)
		}
		if line, err := s.ReadLine(th.Ctx); err != nil || line != "abc" {
			t.Fatalf("ReadLine = %q, %v", line, err)
		}
		if n := s.AppBuf(); n != 3 {
			t.Errorf("AppBuf %d with def pending in the line reader, want 3", n)
		}
		if err := s.WriteText(th.Ctx, "xy"); err != nil {
			return err
		}
		s.ReportAppBuf(10)
		if n := s.AppBuf(); n != 15 {
			t.Errorf("AppBuf %d with 3 pending, 2 unflushed and 10 reported, want 15", n)
		}
		if err := s.FinishOutput(th.Ctx); err != nil {
			return err
		}
		if n := s.AppBuf(); n != 13 {
			t.Errorf("AppBuf %d after the flush, want 13", n)
		}
		return nil
	})
}

func TestListenerRoleAndAppBuf(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		l, err := testListener(th, 5)
		if err != nil {
			return err
		}
		defer l.Abort()
		if l.Role() != "listen" || l.AppBuf() != -1 {
			t.Errorf("listener: role %q, AppBuf %d; want listen, -1", l.Role(), l.AppBuf())
		}
		var fd int
		if err := l.Control(func(f int) { fd = f }); err != nil || fd != l.FD() {
			t.Errorf("Control gave fd %d, %v; want %d", fd, err, l.FD())
		}
		return nil
	})
}

func TestTracerSeesLineAndRawIO(t *testing.T) {
	leakCheck(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tr := &tracingEnv{testEnv: &testEnv{open: make(map[*Socket]bool)}}
	s, err := MakeSocket(tr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	ctx := context.Background()
	if err := s.Connect(ctx, "127.0.0.1", ln.Addr().(*net.TCPAddr).Port); err != nil {
		t.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if err := s.WriteLine(ctx, "hello"); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishOutput(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := bufio.NewReader(peer).ReadString('\n'); err != nil || got != "hello\r\n" {
		t.Fatalf("peer read %q, %v", got, err)
	}
	peer.Write([]byte("back\r\n"))
	if line, err := s.ReadLine(ctx); err != nil || line != "back" {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	if n, err := s.SendFrom([]byte("raw")); err != nil || n != 3 {
		t.Fatalf("SendFrom = %d, %v", n, err)
	}
	if _, err := io.ReadFull(peer, make([]byte, 3)); err != nil {
		t.Fatal(err)
	}
	want := []string{">hello\r\n", "<back\r\n", ">raw"}
	if got := tr.got(); !slices.Equal(got, want) {
		t.Fatalf("traced %q, want %q", got, want)
	}
}
