package iolib

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
)

// TestBufferedLinesTakesWholeLines reads a line, so that the rest of what
// arrived sits in the read buffer, then takes the whole lines that wait
// there in one go: a partial last line stays for ReadLine, and what is
// not consumed is read again.
func TestBufferedLinesTakesWholeLines(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		if _, err := peer.Write([]byte("first\nsecond\r\n\nthird\npart")); err != nil {
			return err
		}
		first, err := s.ReadLine(th.Ctx)
		if err != nil || first != "first" {
			t.Fatalf("ReadLine: %q, %v", first, err)
		}
		// One small write on loopback arrives as one segment, which
		// the first read takes whole.
		if n := s.Buffered(); n != len("second\r\n\nthird\npart") {
			t.Fatalf("buffered %d bytes after the first line", n)
		}
		if lines := s.BufferedLines(th.Ctx); string(lines) != "second\r\n\nthird\n" {
			t.Errorf("buffered lines %q, want the whole lines and not the part", lines)
		}
		s.Consume(len("second\r\n"))
		peer.(*net.TCPConn).CloseWrite() // so that the last line ends
		for _, want := range []string{"", "third", "part"} {
			line, err := s.ReadLine(th.Ctx)
			if err != nil || line != want {
				t.Errorf("ReadLine after Consume: %q, %v; want %q", line, err, want)
			}
		}
		if s.BufferedLines(th.Ctx) != nil {
			t.Errorf("BufferedLines with nothing buffered is not nil")
		}
		return nil
	})
}

// TestBufferedLinesHonoursContext returns nothing once the context has
// ended, and the next ReadLineBytes says so.
func TestBufferedLinesHonoursContext(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		if _, err := peer.Write([]byte("a\nb\n")); err != nil {
			return err
		}
		if _, err := s.ReadLine(th.Ctx); err != nil {
			return err
		}
		ctx, cancel := context.WithCancel(th.Ctx)
		cancel()
		if lines := s.BufferedLines(ctx); lines != nil {
			t.Errorf("BufferedLines after cancel: %q", lines)
		}
		if _, err := s.ReadLineBytes(ctx); !errors.Is(err, Interrupted) {
			t.Errorf("ReadLineBytes after cancel: %v, want INTERRUPTED", err)
		}
		return nil
	})
}

// TestSetReadBufferSize reads more per system call: after a 9,900-byte
// write (one segment on loopback), the first line's read leaves the rest
// in the buffer, where IOLib's 4096-byte buffer holds at most 4096.
func TestSetReadBufferSize(t *testing.T) {
	pairTest(t, false, func(th *Thread, s *Socket, peer net.Conn) error {
		s.SetReadBufferSize(16384)
		if _, err := peer.Write(bytes.Repeat([]byte("0123456789012345678901234567890\r\n"), 300)); err != nil {
			return err
		}
		if _, err := s.ReadLine(th.Ctx); err != nil {
			return err
		}
		if n := s.Buffered(); n != 299*33 {
			t.Errorf("buffered %d bytes after the first line, want %d", n, 299*33)
		}
		if lines := s.BufferedLines(th.Ctx); len(lines) != 299*33 {
			t.Errorf("BufferedLines holds %d bytes, want %d", len(lines), 299*33)
		}
		return nil
	})
}
