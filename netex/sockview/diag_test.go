package sockview

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

const diagSample = "diag_port.json"

// checkDiag asserts the diagnostics of the scenario's port: the listener
// with 2 waiting and a backlog of 5, the two waiting connections (no fd
// holds them yet, so no inode), the TIME_WAIT left by a connection the
// server closed first, with no queues, and the accepted connections.
func checkDiag(t *testing.T, es []Entry, twPeer netip.AddrPort) {
	t.Helper()
	count := map[string]int{}
	for _, e := range es {
		count[e.State]++
		switch {
		case e.State == "LISTEN":
			checkListener(t, e.Kernel)
		case e.State == "TIME_WAIT":
			if e.Peer != twPeer || e.RecvQ.OK || e.SendQ.OK || e.BytesIn.OK || e.RTT() != "-" {
				t.Errorf("TIME_WAIT entry %+v, want peer %s and every figure missing", e, twPeer)
			}
		case e.State == "ESTABLISHED" && e.RecvQ == Some(7):
			checkConn(t, "accepted", e.Kernel, "ESTABLISHED", 7, 5)
		}
	}
	waiting := 0
	for _, e := range es {
		if e.State == "ESTABLISHED" && e.Inode == 0 {
			waiting++
		}
	}
	if count["LISTEN"] != 1 || count["TIME_WAIT"] != 1 || count["CLOSE_WAIT"] != 1 || waiting != 2 {
		t.Errorf("states %v with %d waiting in the accept queue; want 1 LISTEN, 1 TIME_WAIT, 1 CLOSE_WAIT, 2 waiting", count, waiting)
	}
}

// onPort keeps the diagnostics whose local port is port.
func onPort(rs []*netlink.InetDiagTCPInfoResp, port int) []*netlink.InetDiagTCPInfoResp {
	var out []*netlink.InetDiagTCPInfoResp
	for _, r := range rs {
		if int(r.InetDiagMsg.ID.SourcePort) == port {
			out = append(out, r)
		}
	}
	return out
}

func decodeAll(rs []*netlink.InetDiagTCPInfoResp) []Entry {
	es := make([]Entry, len(rs))
	for i, r := range rs {
		es[i] = fromDiag(r)
	}
	return es
}

func TestDumpLiveSockets(t *testing.T) {
	s := newScenario(t)
	all, err := Dump()
	if err != nil {
		t.Fatal(err)
	}
	var mine []Entry
	for _, e := range all {
		if int(e.Local.Port()) == s.port {
			mine = append(mine, e)
		}
	}
	checkDiag(t, mine, s.timeWaitPeer)
	if *update {
		rs, err := netlink.SocketDiagTCPInfo(unix.AF_INET)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(map[string]any{"port": s.port, "time_wait_peer": s.timeWaitPeer, "sockets": onPort(rs, s.port)}, "", "  ")
		if err := os.WriteFile(filepath.Join("testdata", diagSample), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDecodeCapturedDiag(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", diagSample))
	if err != nil {
		t.Fatal(err)
	}
	var sample struct {
		Port    int                            `json:"port"`
		TWPeer  netip.AddrPort                 `json:"time_wait_peer"`
		Sockets []*netlink.InetDiagTCPInfoResp `json:"sockets"`
	}
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	es := decodeAll(sample.Sockets)
	for _, e := range es {
		if int(e.Local.Port()) != sample.Port || !e.Local.Addr().Is4() {
			t.Errorf("entry %+v: local address not 127.0.0.1:%d", e, sample.Port)
		}
	}
	checkDiag(t, es, sample.TWPeer)
}
