package repl

import (
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/nettest"
)

// Spec §6 at the shell: each row of its tables induced with the shell's
// own commands (raw peers, the listener, flood), with the lines both
// sides print. Rows that need a server held between two of its steps
// (a reset before ex1-ex5 or ex8 accept, ex4's reset before the time is
// written) are tested in package netex.

// notConnectedRE is the printed SOCKET-NOT-CONNECTED-ERROR.
const notConnectedLit = `#<SOCKET-NOT-CONNECTED-ERROR 107 :ENOTCONN "Transport endpoint is not connected", FD: {N}>`

// lab runs the script lines one at a time, as a script does, and returns
// everything the shell printed.
func lab(t *testing.T, lines ...string) string {
	t.Helper()
	s := newStepper(t)
	for _, l := range lines {
		s.do(l)
	}
	return s.since()
}

// wantLab checks that out has lines like lits, in order (others may come
// between); a lit is literal but for {H:P}, {ID} and {N} (nettest.Pattern),
// and a trailing "..." that stands for any rest of the line.
func wantLab(t *testing.T, out string, lits ...string) {
	t.Helper()
	var res []string
	for _, l := range lits {
		l, rest := strings.CutSuffix(l, "...")
		p := nettest.Pattern(l).String()
		p = p[1 : len(p)-1]
		if rest {
			p += ".*"
		}
		res = append(res, p)
	}
	wantLines(t, out, res...)
}

// stall is the prologue of the rows that need ex6 or ex7 stuck: client c
// is accepted first, then h sends half a line, on which the server
// blocks.
func stall(server string) []string {
	return []string{
		"run " + server + " --port 0 --bind 127.0.0.1 --name srv",
		"connect srv raw --name c --detach",
		"connect srv raw --name h --detach",
		"send -n h half a li",
	}
}

func TestLabResetBeforeAcceptEx6Ex7(t *testing.T) {
	for _, server := range []string{"ex6-server", "ex7-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			out := lab(t, append(stall(server), "connect srv raw --name q --detach", "reset q", "send h ne", "expect srv Unhandled")...)
			cleanup := []string{"[srv] Closing a client connection to (127.0.0.1 {N})", "[srv] Closing a client connection to (127.0.0.1 {N})", "[srv] Server Exited"}
			if server == "ex7-server" {
				cleanup = []string{"[srv] Force closing a client connection to (127.0.0.1 {N})", "[srv] Force closing a client connection to (127.0.0.1 {N})", "[srv] Server Exited."}
			}
			wantLab(t, out, append(cleanup, "[srv] Unhandled SOCKET-NOT-CONNECTED-ERROR: "+notConnectedLit)...)
			q := localPort(t, out, "q")
			if strings.Contains(out, "Accepted a client from 127.0.0.1:"+q) {
				t.Fatalf("the reset client was named:\n%s", out)
			}
		})
	}
}

func TestLabResetAfterEcho(t *testing.T) {
	for server, lines := range map[string][]string{
		"ex6-server": {"[srv] Client's connection was reset by peer.", "[srv] Closing connection to {H:P}"},
		"ex7-server": {"[srv] Client {H:P}: Connection reset by peer", "[srv] Closing connection to {H:P}"},
		"ex8-server": {"[srv] Client {H:P}: connection reset by peer.", "[srv] Closing connection to {H:P}"},
	} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			out := lab(t, "run "+server+" --port 0 --bind 127.0.0.1 --name srv",
				"connect srv raw --name c --detach", "send c hello", "reset c",
				"connect srv raw --name d --detach", "send d still served")
			p := localPort(t, out, "c")
			for i := range lines {
				lines[i] = strings.ReplaceAll(lines[i], "{H:P}", "127.0.0.1:"+p)
			}
			wantLab(t, out, append(append([]string{"[c] hello"}, lines...), "[d] still served")...)
			if strings.Contains(out, "Server Exited") || strings.Contains(out, "Unhandled") {
				t.Fatalf("the server did not survive the reset:\n%s", out)
			}
		})
	}
}

func TestLabResetBeforeEcho(t *testing.T) {
	for server, lines := range map[string][]string{
		"ex6-server": {"[srv] Read {H:P}: x", "[srv] Client's connection was reset by peer.", "[srv] Closing connection to {H:P}",
			"[srv] Caught unexpected hangup! Client closed connection on write!",
			"[srv] Closing a client connection to (127.0.0.1 {N})", "[srv] Closing a client connection to (127.0.0.1 {N})",
			"[srv] Server Exited", "[srv] => NIL"},
		"ex7-server": {"[srv] Read from {H:P}: x", "[srv] Client {H:P}: connection reset by peer.", "[srv] Closing connection to {H:P}",
			"[srv] Caught unexpected hangup! Client closed connection on write!",
			"[srv] Force closing a client connection to (127.0.0.1 {N})", // h: c is no longer filed
			"[srv] Server Exited.", "[srv] => NIL"},
	} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			out := lab(t, append(stall(server), "send c x", "reset c", "send h ne", "wait srv")...)
			p := localPort(t, out, "c")
			for i := range lines {
				lines[i] = strings.ReplaceAll(lines[i], "{H:P}", "127.0.0.1:"+p)
			}
			wantLab(t, out, lines...)
		})
	}
}
