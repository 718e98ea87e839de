package repl

import (
	"testing"

	"github.com/ionetsh/ionetsh/internal/leaktest"
)

// leakCheck checks that the test leaves no goroutine and no fd behind.
func leakCheck(t testing.TB) { leaktest.Check(t) }
