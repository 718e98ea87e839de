package repl

import (
	"strings"
	"testing"
)

// heapLit is the printed HEAP-EXHAUSTED-ERROR of a 1 MiB budget.
const heapLit = "#<HEAP-EXHAUSTED-ERROR: {N} bytes requested, budget 1048576 bytes>"

// TestLabHeapServers floods each echo server with 4 MiB and no newline
// under a 1 MiB budget: ex5's thread dies and its cleanup closes the
// client, ex6 and ex7 die with their cleanups, ex8 serves on.
func TestLabHeapServers(t *testing.T) {
	for server, lines := range map[string][]string{
		"ex5-server": {`[srv] Unhandled HEAP-EXHAUSTED-ERROR in #<THREAD "PROCESS-EX5-CLIENT-THREAD" RUNNING {ID}>: ` + heapLit,
			"[srv] Closing connection to {H:P}!", "[d] still served"},
		"ex6-server": {"[srv] Closing a client connection to (127.0.0.1 {N})", "[srv] Server Exited",
			"[srv] Unhandled HEAP-EXHAUSTED-ERROR: " + heapLit},
		"ex7-server": {"[srv] Force closing a client connection to (127.0.0.1 {N})", "[srv] Server Exited.",
			"[srv] Unhandled HEAP-EXHAUSTED-ERROR: " + heapLit},
		"ex8-server": {"[c] Flood: done: 4194304 bytes (4.0 MiB) sent in ...", "[d] still served"},
	} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			steps := []string{"set heap 1MiB", "run " + server + " --port 0 --bind 127.0.0.1 --name srv", "mute srv",
				"connect srv raw --name c --detach", "unmute srv", "flood c 4MiB"}
			if server == "ex5-server" || server == "ex8-server" {
				steps = append(steps, "connect srv raw --name d --detach", "send d still served")
			}
			out := lab(t, steps...)
			for i := range lines {
				lines[i] = strings.ReplaceAll(lines[i], "{H:P}", "127.0.0.1:"+localPort(t, out, "c"))
			}
			wantLab(t, out, lines...)
			alive := !strings.Contains(out, "Server Exited")
			if want := server == "ex5-server" || server == "ex8-server"; alive != want {
				t.Fatalf("server alive %v, want %v:\n%s", alive, want, out)
			}
		})
	}
}

// TestLabHeapClients plays the server with the listener and sends each
// line-reading client 4 MiB with no newline under a 1 MiB budget: each
// dies of it as a whole, its cleanup printed first.
func TestLabHeapClients(t *testing.T) {
	for client, lines := range map[string][]string{
		"ex4-client":  {"[e] Client Exited.", "[e] Unhandled HEAP-EXHAUSTED-ERROR: " + heapLit},
		"ex5a-client": {"[e] Client safely closing open socket to server.", "[e] Client Exited.", "[e] Unhandled HEAP-EXHAUSTED-ERROR: " + heapLit},
		"ex5b-client": {"[e] Client safely closing open socket to server.", "[e] Client Exited.", "[e] Unhandled HEAP-EXHAUSTED-ERROR: " + heapLit},
	} {
		t.Run(client, func(t *testing.T) {
			leakCheck(t)
			// ex5a and ex5b read the server only between lines of their
			// standard input: the second line lets them meet the flood.
			steps := []string{"set heap 1MiB", "listen 0 --name L --bind 127.0.0.1",
				"connect L " + client + " --name e --detach", "send e hi", "flood L 4MiB --detach"}
			if client != "ex4-client" {
				steps = append(steps, "send e more")
			}
			out := lab(t, steps...)
			wantLab(t, out, append([]string{"[L] L/1: hi"}, lines...)...)
		})
	}
}
