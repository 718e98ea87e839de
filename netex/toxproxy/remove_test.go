package toxproxy

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// TestRemoveReleases checks that removing a toxic that is holding data
// (latency holding a chunk, bandwidth sleeping, slicer between slices,
// reset_peer counting down) lets the data through at once, whole and in
// order: each toxic's wait is an hour, and the test's reads give up
// after ten seconds.
func TestRemoveReleases(t *testing.T) {
	data := []byte(strings.Repeat("0123456789", 3000)) // 30 KB
	for _, tc := range []struct {
		tx   Toxic
		held string // the log line that shows the toxic at work
	}{
		{Toxic{Type: Latency, Latency: time.Hour}, `latency: holding each chunk 1h0m0s`},
		{Toxic{Type: Bandwidth, Rate: 1}, `bandwidth: limiting to 1KB/s`},
		{Toxic{Type: Slicer, AverageSize: 1000, Delay: time.Hour}, `slicer: cutting into 1000±0 byte slices`},
		{Toxic{Type: ResetPeer, Timeout: time.Hour}, `reset_peer: data arrived`},
	} {
		t.Run(tc.tx.Type, func(t *testing.T) {
			r := newRig(t, nil)
			tc.tx.Name, tc.tx.Stream = tc.tx.Type, Downstream
			r.add(tc.tx)
			c, s := r.dial()
			mustWrite(t, s, data)
			r.waitLog(`^#1 downstream: ` + tc.held)
			if err := r.p.Remove(tc.tx.Name); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, s, []byte("end"))
			s.Close()
			got, err := io.ReadAll(c)
			if err != nil || !bytes.Equal(got, append(data, "end"...)) {
				t.Fatalf("client read %d bytes, %v; want the %d sent, in order", len(got), err, len(data)+3)
			}
		})
	}
}

// TestToxicity checks that a toxic applies to a connection with the
// chance its toxicity gives: never at 0, always at 1, and otherwise to
// exactly the connections that Draw picks for the proxy's seed.
// The toxic is limit_data 0 upstream: where it applies, the target sees
// the connection close; where not, it reads the client's line.
func TestToxicity(t *testing.T) {
	const n = 40
	for _, chance := range []float64{0, 1, 0.3} {
		want, applied := make([]bool, n), 0
		seed := uint64(chance*10) + 7
		for i := range want {
			want[i] = Draw(seed, "cut", i+1) < chance
			if want[i] {
				applied++
			}
		}
		r := newRig(t, func(p *Proxy) { p.SetSeed(seed) })
		r.add(Toxic{Name: "cut", Type: LimitData, Stream: Upstream, Toxicity: &chance})
		for i := range n {
			c, s := r.dial()
			mustWrite(t, c, []byte("x\n"))
			c.CloseWrite()
			got, err := io.ReadAll(s)
			if err != nil {
				t.Fatal(err)
			}
			if cut := len(got) == 0; cut != want[i] {
				t.Fatalf("toxicity %v, connection %d: cut %v (target read %q), want %v", chance, i+1, cut, got, want[i])
			}
			c.Close()
		}
		switch {
		case chance == 0 && applied != 0, chance == 1 && applied != n:
			t.Fatalf("toxicity %v applied to %d of %d", chance, applied, n)
		case chance == 0.3 && (applied < 4 || applied > 20):
			t.Fatalf("toxicity 0.3 applied to %d of %d; the seed should give about 12", applied, n)
		}
	}
}

// TestToxicityInvalid checks the one-line error for a toxicity outside
// 0 to 1.
func TestToxicityInvalid(t *testing.T) {
	p := New("127.0.0.1:1", func(string, ...any) {})
	for _, bad := range []float64{-0.1, 1.5} {
		err := p.Add(Toxic{Name: "l", Type: Latency, Toxicity: &bad})
		if err == nil || !strings.Contains(err.Error(), "toxicity must be between 0 and 1") {
			t.Fatalf("toxicity %v: %v", bad, err)
		}
	}
}

// TestTimeoutHoldsFlood floods 32 MiB into a timeout toxic: past maxHeld
// the proxy stops reading, so the sender is held back rather than the
// proxy's memory filling; removed, the toxic lets every byte through,
// in order.
func TestTimeoutHoldsFlood(t *testing.T) {
	r := newRig(t, nil)
	r.add(Toxic{Name: "timeout", Type: Timeout, Stream: Upstream})
	c, s := r.dial()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	s.SetDeadline(time.Now().Add(60 * time.Second))
	data := make([]byte, 32<<20)
	for i := range data {
		data[i] = byte(i % 251)
	}
	wrote := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		c.CloseWrite()
		wrote <- err
	}()
	r.waitGate(Upstream)
	select {
	case err := <-wrote:
		t.Fatalf("the whole flood was taken (%v) while the toxic held it", err)
	default:
	}
	if err := r.p.Remove("timeout"); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(s)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("target read %d bytes, %v; want the %d sent, in order", len(got), err, len(data))
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
}

// waitGate waits (polling, up to ten seconds) until the reader of
// stream d on the proxy's one link has been told to stop reading.
func (r *rig) waitGate(d Direction) {
	r.t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for {
		r.p.mu.Lock()
		shut := false
		for l := range r.p.links {
			shut = shut || l.gate[d].Load() != nil
		}
		r.p.mu.Unlock()
		if shut {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			r.t.Fatalf("the %s reader was never stopped", d)
		}
	}
}
