package toxproxy

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestPassThrough checks that, with no toxic, bytes go both ways and a
// half-close is passed on: the target sees end-of-file and can still
// answer.
func TestPassThrough(t *testing.T) {
	r := newRig(t, nil)
	c, s := r.dial()
	mustWrite(t, c, []byte("ping\n"))
	c.CloseWrite()
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "ping\n" {
		t.Fatalf("target read %q, %v", got, err)
	}
	mustWrite(t, s, []byte("pong\n"))
	s.Close()
	got, err = io.ReadAll(c)
	if err != nil || string(got) != "pong\n" {
		t.Fatalf("client read %q, %v", got, err)
	}
	r.waitLog(`^#1 closed \(both sides closed\); 5 bytes up, 5 bytes down$`)
}

func TestLatency(t *testing.T) {
	r := newRig(t, nil)
	const lat = 150 * time.Millisecond
	r.add(Toxic{Name: "latency", Type: Latency, Stream: Downstream, Latency: lat})
	c, s := r.dial()
	for i := range 3 {
		start := time.Now()
		mustWrite(t, s, []byte("x"))
		buf := make([]byte, 8)
		if n, err := c.Read(buf); err != nil || n != 1 {
			t.Fatalf("read %d, %v", n, err)
		}
		if d := time.Since(start); d < lat {
			t.Fatalf("round %d: byte arrived after %v, want at least %v", i, d, lat)
		}
	}
	r.waitLog(`^#1 downstream: latency: holding each chunk 150ms ± 0s$`)
}

// TestSlicer checks the size of every write the proxy makes, and that
// the bytes arrive whole and in order.
func TestSlicer(t *testing.T) {
	for _, size := range []int{1, 4} {
		var mu sync.Mutex
		var writes []int
		r := newRig(t, func(p *Proxy) {
			p.onWrite = func(d Direction, n int) {
				mu.Lock()
				defer mu.Unlock()
				if d == Downstream {
					writes = append(writes, n)
				}
			}
		})
		r.add(Toxic{Name: "slicer", Type: Slicer, Stream: Downstream, AverageSize: size, Delay: time.Millisecond})
		c, s := r.dial()
		msg := bytes.Repeat([]byte("abcdefgh"), 8) // 64 bytes: halves down to 4
		mustWrite(t, s, msg)
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("size %d: client read %q, %v", size, got, err)
		}
		mu.Lock()
		seen := append([]int(nil), writes...)
		mu.Unlock()
		for _, n := range seen {
			if n != size {
				t.Fatalf("size %d: proxy wrote segments of %v", size, seen)
			}
		}
		if len(seen) != len(msg)/size {
			t.Fatalf("size %d: %d writes, want %d", size, len(seen), len(msg)/size)
		}
	}
}

// TestBandwidth sends 120 KB at 100 KB/s and checks the rate seen by the
// client is within 20% of the set rate.
func TestBandwidth(t *testing.T) {
	r := newRig(t, nil)
	const rate, total = 100, 120_000
	r.add(Toxic{Name: "bandwidth", Type: Bandwidth, Stream: Downstream, Rate: rate})
	c, s := r.dial()
	start := time.Now()
	go func() { s.Write(make([]byte, total)); s.Close() }()
	n, err := io.Copy(io.Discard, c)
	elapsed := time.Since(start)
	if err != nil || n != total {
		t.Fatalf("client read %d bytes, %v", n, err)
	}
	got := float64(total) / elapsed.Seconds() / 1000
	if ratio := got / rate; ratio < 0.8 || ratio > 1.2 {
		t.Fatalf("rate %.1f KB/s (%d bytes in %v), want within 20%% of %d KB/s", got, total, elapsed, rate)
	}
	t.Logf("rate %.1f KB/s for %d KB/s set", got, rate)
}

func TestResetPeer(t *testing.T) {
	r := newRig(t, nil)
	r.add(Toxic{Name: "reset_peer", Type: ResetPeer, Stream: Downstream, Timeout: 20 * time.Millisecond})
	c, s := r.dial()
	mustWrite(t, s, []byte("hello\n"))
	_, err := c.Read(make([]byte, 64))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("client read error %v, want connection reset by peer", err)
	}
	r.waitLog(`^#1 downstream: reset_peer: data arrived; resetting both sides in 20ms$`)
	r.waitLog(`^#1 closed \(reset_peer\)`)
}

func TestLimitData(t *testing.T) {
	r := newRig(t, nil)
	r.add(Toxic{Name: "limit_data", Type: LimitData, Stream: Downstream, Bytes: 100})
	c, s := r.dial()
	go func() {
		for range 10 {
			s.Write(bytes.Repeat([]byte("z"), 100))
		}
	}()
	got, err := io.ReadAll(c)
	if err != nil || len(got) != 100 {
		t.Fatalf("client read %d bytes, %v; want exactly 100 then end-of-file", len(got), err)
	}
	r.waitLog(`^#1 downstream: limit_data: 100 bytes passed; closing both sides$`)
}

// TestTimeout checks that timeout 0 forwards nothing and closes nothing:
// both ends' read deadlines expire. Removed, the toxic releases what it
// held, in order, then the end-of-file that waited behind it. (Whether
// the second line reached the toxic before the removal is a race, so the
// count it reports is 5 or 11 bytes.)
func TestTimeout(t *testing.T) {
	r := newRig(t, nil)
	r.add(Toxic{Name: "timeout", Type: Timeout, Stream: Upstream})
	c, s := r.dial()
	mustWrite(t, c, []byte("lost\n"))
	r.waitLog(`^#1 upstream: timeout: holding data, never closing$`)
	for _, end := range []struct {
		name string
		c    interface {
			Read([]byte) (int, error)
			SetReadDeadline(time.Time) error
		}
	}{{"target", s}, {"client", c}} {
		end.c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := end.c.Read(make([]byte, 64))
		if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("%s read %d bytes, %v; want nothing and no close", end.name, n, err)
		}
	}
	mustWrite(t, c, []byte("found\n"))
	c.CloseWrite()
	if err := r.p.Remove("timeout"); err != nil {
		t.Fatal(err)
	}
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "lost\nfound\n" {
		t.Fatalf("after remove, target read %q, %v; want both lines, then end-of-file", got, err)
	}
	r.waitLog(`^#1 upstream: timeout removed; (5|11) bytes it held go on$`)
}

// TestTimeoutCloses checks that a non-zero timeout closes the connection
// when it runs out, data or not.
func TestTimeoutCloses(t *testing.T) {
	r := newRig(t, nil)
	r.add(Toxic{Name: "timeout", Type: Timeout, Stream: Downstream, Timeout: 50 * time.Millisecond})
	c, _ := r.dial()
	if got, err := io.ReadAll(c); err != nil || len(got) != 0 {
		t.Fatalf("client read %q, %v; want end-of-file", got, err)
	}
	r.waitLog(`^#1 downstream: timeout: no close for 50ms; closing both sides$`)
}

func TestSlowClose(t *testing.T) {
	r := newRig(t, nil)
	const delay = 200 * time.Millisecond
	r.add(Toxic{Name: "slow_close", Type: SlowClose, Stream: Downstream, Delay: delay})
	c, s := r.dial()
	mustWrite(t, s, []byte("bye\n"))
	closed := time.Now()
	s.Close()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "bye\n" {
		t.Fatalf("client read %q, %v", got, err)
	}
	if d := time.Since(closed); d < delay {
		t.Fatalf("end-of-file arrived %v after the close, want at least %v", d, delay)
	}
}

// TestBusy checks that the proxy counts as busy while a latency toxic
// holds data, and as idle once the data is through.
func TestBusy(t *testing.T) {
	r := newRig(t, nil)
	r.add(Toxic{Name: "latency", Type: Latency, Stream: Downstream, Latency: 100 * time.Millisecond})
	c, s := r.dial()
	deadline := time.Now().Add(5 * time.Second)
	for r.p.Busy() && time.Now().Before(deadline) { // the connection's setup
		time.Sleep(time.Millisecond)
	}
	wake := r.p.Wake()
	if r.p.Busy() {
		t.Fatal("busy with nothing in flight")
	}
	mustWrite(t, s, []byte("x"))
	select {
	case <-wake:
	case <-time.After(5 * time.Second):
		t.Fatal("the proxy did not wake when data arrived")
	}
	if _, err := c.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	for r.p.Busy() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if r.p.Busy() {
		t.Fatal("still busy after the data went through")
	}
}

// TestUnreachable checks that a client of a proxy whose target refuses
// is closed, with a line saying why.
func TestUnreachable(t *testing.T) {
	gone, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone.Close() // its port now refuses connections
	r := newRig(t, func(p *Proxy) { p.target = gone.Addr().String() })
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if got, err := io.ReadAll(c); err != nil || len(got) != 0 {
		t.Fatalf("client read %q, %v; want end-of-file", got, err)
	}
	r.waitLog(`^#1 from 127\.0\.0\.1:\d+: cannot reach 127\.0\.0\.1:\d+: .*connection refused; closing$`)
}
