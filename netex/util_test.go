package netex

import (
	"net"
	"testing"
)

// freePort returns a loopback port that nothing listens on: it binds an
// ephemeral port and releases it.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
