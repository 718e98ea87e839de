package repl

import (
	"regexp"
	"strings"
	"testing"
)

// TestIPv6FromTheShell checks the shell's IPv6 choices (issue 12 §1):
// run --ipv6 binds a dual-stack :: server when no --bind is given;
// connect --host ::1 dials it over IPv6 and connect --host 127.0.0.1
// over IPv4 (printed IPv4-mapped); set family ipv6 makes localhost
// resolve to its IPv6 address; and sessions shows an IPv6 address without brackets.
func TestIPv6FromTheShell(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `set port 0
run ex4-server --ipv6 --name s
sessions
connect s ex3-client --host ::1 --name six
wait six
connect s ex3-client --host 127.0.0.1 --name four
wait four
set family ipv6
set
connect s ex3-client --host localhost --name named
wait named
stop all
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	for _, re := range []string{
		`(?m)^\[s\] Bound socket: #<passive IPv6 stream socket bound to ::/\d+ \{[0-9A-F]+\}>$`,
		`(?m)^s\s+ex4-server\s+listening\s+:::\d+\s`,
		`(?m)^\[six\] Connected to server ::1:\d+ from my local connection at ::1:\d+!$`,
		`(?m)^\[s\] A thread is handling the connection from ::ffff:127\.0\.0\.1:\d+!$`,
		`(?m)^\[four\] Connected to server 127\.0\.0\.1:\d+ from my local connection at 127\.0\.0\.1:\d+!$`,
		`(?m)^family\s+ipv6\s`,
		// localhost resolves to ::1 where the hosts file says so; where
		// it names only 127.0.0.1, the IPv6 socket reaches it mapped.
		`(?m)^\[named\] Connected to server (::1|::ffff:127\.0\.0\.1):\d+ from my local connection at \S+!$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks /%s/:\n%s", re, out)
		}
	}
	if strings.Contains(out, "[::") {
		t.Errorf("an address in brackets:\n%s", out)
	}
	if _, errs, code := script(t, "set family ipv5\n"); code != 1 || !strings.Contains(errs, `set family takes ipv4 or ipv6, not "ipv5"`) {
		t.Errorf("set family ipv5: status %d, %q", code, errs)
	}
}
