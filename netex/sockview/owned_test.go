package sockview

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// update rewrites the captured kernel samples in testdata from a live run.
var update = flag.Bool("update", false, "rewrite testdata from live sockets")

// tcpInfoSamples names the captured tcp_info samples by scenario socket.
var tcpInfoSamples = map[string]func(*scenario) int{
	"tcpinfo_listen.bin":     func(s *scenario) int { return s.listener },
	"tcpinfo_accepted.bin":   func(s *scenario) int { return s.accepted },
	"tcpinfo_client.bin":     func(s *scenario) int { return s.client },
	"tcpinfo_close_wait.bin": func(s *scenario) int { return s.closeWait },
}

// checkListener asserts the figures of the scenario's listener: an
// accept queue of 2 and a backlog of 5, and no bytes or round trips.
func checkListener(t *testing.T, k Kernel) {
	t.Helper()
	got := []string{k.State, k.RecvQ.String(), k.SendQ.String(), k.BytesIn.String(), k.BytesOut.String(), k.RTT()}
	want := []string{"LISTEN", "2", "5", "-", "-", "-"}
	if !slices.Equal(got, want) {
		t.Errorf("listener: got %q, want %q", got, want)
	}
}

// checkConn asserts a connection's state and byte counts, and that it
// has a round-trip time.
func checkConn(t *testing.T, name string, k Kernel, state string, in, out uint64) {
	t.Helper()
	if k.State != state || k.BytesIn != Some(in) || k.BytesOut != Some(out) || !k.RTTMicro.OK {
		t.Errorf("%s: got %+v, want %s with %d bytes in, %d out and an RTT", name, k, state, in, out)
	}
}

func TestOwnedLiveSockets(t *testing.T) {
	s := newScenario(t)
	k, err := Owned(s.listener)
	if err != nil {
		t.Fatal(err)
	}
	checkListener(t, k)
	k, _ = Owned(s.accepted)
	checkConn(t, "accepted", k, "ESTABLISHED", 7, 5)
	if k.RecvQ != Some(7) || k.SendQ != Some(0) || k.Inode == 0 {
		t.Errorf("accepted: queues %s/%s inode %d, want 7/0 and an inode", k.RecvQ, k.SendQ, k.Inode)
	}
	k, _ = Owned(s.client)
	checkConn(t, "client", k, "ESTABLISHED", 5, 7)
	if k.RecvQ != Some(5) {
		t.Errorf("client: RECV-Q %s, want 5", k.RecvQ)
	}
	k, _ = Owned(s.closeWait)
	if k.State != "CLOSE_WAIT" {
		t.Errorf("close-wait socket: state %s", k.State)
	}
	if *update {
		for name, pick := range tcpInfoSamples {
			ti, err := unix.GetsockoptTCPInfo(pick(s), unix.IPPROTO_TCP, unix.TCP_INFO)
			if err != nil {
				t.Fatal(err)
			}
			raw := unsafe.Slice((*byte)(unsafe.Pointer(ti)), tcpInfoSize)
			if err := os.WriteFile(filepath.Join("testdata", name), raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestDecodeCapturedTCPInfo(t *testing.T) {
	load := func(name string) Kernel {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		ti, err := decodeTCPInfo(b)
		if err != nil {
			t.Fatal(err)
		}
		return fromTCPInfo(ti)
	}
	checkListener(t, load("tcpinfo_listen.bin"))
	checkConn(t, "accepted", load("tcpinfo_accepted.bin"), "ESTABLISHED", 7, 5)
	checkConn(t, "client", load("tcpinfo_client.bin"), "ESTABLISHED", 5, 7)
	if k := load("tcpinfo_close_wait.bin"); k.State != "CLOSE_WAIT" || k.RecvQ.OK {
		t.Errorf("close-wait sample: %+v (queues are not in tcp_info)", k)
	}
	if _, err := decodeTCPInfo([]byte{1, 2}); err == nil {
		t.Error("a 2-byte tcp_info decoded without error")
	}
}

func TestStateNames(t *testing.T) {
	for n, want := range map[uint8]string{1: "ESTABLISHED", 6: "TIME_WAIT", 8: "CLOSE_WAIT", 10: "LISTEN", 0: "STATE_0", 99: "STATE_99"} {
		if got := StateName(n); got != want {
			t.Errorf("StateName(%d) = %q, want %q", n, got, want)
		}
	}
}
