package netex

import (
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestServerBacklog: a server listens with the tutorial's backlog of 5
// unless its Config names another, as the kernel reports for the
// listener (tcpi_sacked of a listening socket is its backlog).
func TestServerBacklog(t *testing.T) {
	for _, tc := range []struct {
		server  string
		backlog int
		want    uint32
	}{
		{"ex2-server", 0, 5},
		{"ex5-server", 0, 5},
		{"ex5-server", 128, 128},
		{"ex8-server", 64, 64},
	} {
		t.Run(tc.server+"/"+strconv.Itoa(tc.backlog), func(t *testing.T) {
			leakCheck(t)
			_, out := start(t, tc.server, Config{Port: 0, Backlog: tc.backlog})
			i := out.waitFor(t, `^Created socket: .*\[fd=\d+\]$`)
			out.waitFor(t, "^Listening on socket bound to: ")
			fd, _ := strconv.Atoi(regexp.MustCompile(`\[fd=(\d+)\]$`).FindStringSubmatch(out.Lines()[i])[1])
			ti, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
			if err != nil {
				t.Fatal(err)
			}
			if ti.State != 10 /* TCP_LISTEN */ || ti.Sacked != tc.want {
				t.Fatalf("listener fd %d: state %d, backlog %d; want LISTEN with backlog %d", fd, ti.State, ti.Sacked, tc.want)
			}
		})
	}
}
