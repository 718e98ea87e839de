package netex

import (
	"testing"

	"github.com/ionetsh/ionetsh/internal/nettest"
)

// freePort returns a loopback port that nothing listens on.
func freePort(t testing.TB) int {
	t.Helper()
	return nettest.FreePort(t)
}
