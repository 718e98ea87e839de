package netex

import (
	"fmt"
	"strings"
	"testing"
)

// beLoops are the loopback addresses every example beyond the tutorial
// is tested on.
var beLoops = []string{"127.0.0.1", "::1"}

// beFamily is the family name a socket on loop prints.
func beFamily(loop string) string {
	if strings.Contains(loop, ":") {
		return "IPv6"
	}
	return "IPv4"
}

// beHP is loop:port as the examples print it.
func beHP(loop string, port int) string { return fmt.Sprintf("%s:%d", loop, port) }

// beStreamPrologue is the pattern of a stream server's first three lines
// on loop:port.
func beStreamPrologue(loop string, port int) []string {
	fam := beFamily(loop)
	return []string{
		"Created socket: #<passive " + fam + " stream socket, unbound {ID}>[fd={N}]",
		fmt.Sprintf("Bound socket: #<passive %s stream socket bound to %s/%d {ID}>", fam, loop, port),
		"Listening on socket bound to: " + beHP(loop, port),
	}
}

// beServer runs a server on loop with an ephemeral port and options, and
// waits until it listens (or, for UDP, is bound).
func beServer(t *testing.T, name, loop string, opts ExampleOptions) (*Run, *output, int) {
	t.Helper()
	r, out := start(t, name, Config{Bind: loop, Host: loop, Opts: opts})
	<-r.Listening()
	a, ok := r.Addr()
	if !ok {
		t.Fatalf("%s did not listen: %+v\n%s", name, r.Result(), strings.Join(out.Lines(), "\n"))
	}
	return r, out, int(a.Port())
}

// beStop stops r once it is at rest and checks it ended as a stop.
func beStop(t *testing.T, r *Run) {
	t.Helper()
	v6Idle(t, r)
	r.Stop()
	if res := r.Result(); !res.Stopped || res.Err != nil || res.Value {
		t.Fatalf("%s: result %+v after stop, want stopped with NIL", r.Example().Name, res)
	}
}

// beEach runs f as a subtest for each loopback address, with the leak
// check.
func beEach(t *testing.T, f func(t *testing.T, loop string)) {
	for _, loop := range beLoops {
		t.Run(beFamily(loop), func(t *testing.T) {
			leakCheck(t)
			f(t, loop)
		})
	}
}
