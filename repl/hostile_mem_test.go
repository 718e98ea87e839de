package repl

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestEchoedMegabyteLinesBoundedHeap echoes 200 lines of 1 MiB each
// through ex5-server, muted, in a live shell: the transcript keeps each
// line cut to 4 KiB and at most 4 MiB in all, so the shell's heap after a
// GC stays under 64 MiB. (Before the byte bound it held 566 MiB.)
func TestEchoedMegabyteLinesBoundedHeap(t *testing.T) {
	leakCheck(t)
	sh := newShell(io.Discard, io.Discard, true, false)
	t.Cleanup(sh.Close)
	addr := startServerSession(t, sh, "ex5-server", "srv")
	if err := sh.Exec("mute srv"); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	line := []byte(strings.Repeat("x", 1<<20-1) + "\n")
	r := bufio.NewReaderSize(c, 64<<10)
	for i := 0; i < 200; i++ {
		if _, err := c.Write(line); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if n, err := readEcho(r); err != nil || n != len(line)+1 {
			t.Fatalf("echo %d: %d bytes, %v; want %d", i, n, err, len(line)+1)
		}
	}
	s, _ := sh.session("srv")
	n, size := s.transcript().Size()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap := float64(ms.HeapAlloc) / (1 << 20)
	t.Logf("after 200 echoed 1 MiB lines: heap %.1f MiB; transcript %d lines, %d bytes", heap, n, size)
	if heap >= 64 {
		t.Fatalf("heap %.1f MiB after GC, want < 64", heap)
	}
	if size > 4<<20 {
		t.Fatalf("transcript holds %d bytes, bound 4 MiB", size)
	}
}

// readEcho reads one echoed line, CRLF-terminated, without keeping it,
// and returns its length.
func readEcho(r *bufio.Reader) (int, error) {
	n := 0
	var tail [2]byte
	for {
		chunk, err := r.ReadSlice('\n')
		for _, b := range chunk[max(0, len(chunk)-2):] {
			tail = [2]byte{tail[1], b}
		}
		n += len(chunk)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil && tail != [2]byte{'\r', '\n'} {
			err = fmt.Errorf("line ends %q, want CRLF", tail[:])
		}
		return n, err
	}
}
