package netex

import "strings"

// Boundary is one boundary case of spec §6 that an example meets: what
// it prints, the condition behind it, and shell lines that induce it.
type Boundary struct {
	Case      string   // the case, e.g. "a client resets after its echo"
	Prints    string   // what the example prints, in short
	Condition string   // the condition involved; "" for none
	Recipe    []string // shell lines that induce it, each pasteable as is; nil if the shell cannot
	Expect    string   // a regexp a line of the recipe's output matches (for tests)
}

// heapFlood makes a recipe that floods a fresh server with 4 MiB and no
// newline under a 1 MiB budget.
func heapFlood(server string) []string {
	return []string{"set heap 1MiB", "run " + server + " --port 0 --bind 127.0.0.1", "connect " + server + " raw --name big --detach", "flood big 4MiB", "set heap 64MiB"}
}

// resetAfterEcho makes a recipe where a raw client gets an echo from
// server and then resets.
func resetAfterEcho(server string) []string {
	return []string{"run " + server + " --port 0 --bind 127.0.0.1", "connect " + server + " raw --name c --detach", "send c hello", "reset c"}
}

// stalled starts server and has client h hold it with half a line,
// after a client c it has already accepted.
func stalled(server string) []string {
	return []string{"run " + server + " --port 0 --bind 127.0.0.1", "connect " + server + " raw --name c --detach",
		"connect " + server + " raw --name h --detach", "send -n h half a li"}
}

// playServer starts a raw listener L with the client connected to it.
func playServer(client string) []string {
	return []string{"listen 0 --name L --bind 127.0.0.1", "connect L " + client + " --name cli --detach"}
}

func concat(parts ...[]string) []string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

const heldAccept = "The shell cannot hold this server before accept (it accepts at once); " +
	"run it standalone (ionetsh run NAME --port 9999), stop it (kill -STOP PID), connect a client there that resets " +
	"(connect :9999 --name r --detach, then reset r, in a shell), and continue it (kill -CONT PID)."

var boundaries = map[string][]Boundary{
	"ex3-client": {
		{Case: "the server closes before sending the time", Prints: "Got end-of-file. Server closed connection!", Condition: "END-OF-FILE (handled)",
			Recipe: concat(playServer("ex3-client"), []string{"close L"}), Expect: `Got end-of-file\. Server closed connection!`},
		{Case: "the time line is not UTF-8", Prints: "the bytes as they came; a line is bytes",
			Recipe: concat(playServer("ex3-client"), []string{"send -x L ff fe 68 69 0d 0a"}), Expect: `=> T`},
	},
	"ex4-client": {
		{Case: "the server resets while the client waits for its echo", Prints: "Got connection reset. Server went away!", Condition: "SOCKET-CONNECTION-RESET-ERROR (handled)",
			Recipe: concat(playServer("ex4-client"), []string{"send cli hello", "reset L"}), Expect: `Got connection reset\. Server went away!`},
		{Case: "a server line with no end", Prints: "Client Exited., then Unhandled HEAP-EXHAUSTED-ERROR", Condition: "HEAP-EXHAUSTED-ERROR",
			Recipe: concat([]string{"set heap 1MiB"}, playServer("ex4-client"), []string{"send cli hello", "flood L 4MiB", "set heap 64MiB"}), Expect: `Unhandled HEAP-EXHAUSTED-ERROR`},
	},
	"ex5a-client": {
		{Case: "the server closes", Prints: "make-ex5a-str-cli-read: server closed connection on read!", Condition: "END-OF-FILE (handled)",
			Recipe: concat(playServer("ex5a-client"), []string{"close L", "send cli hello"}), Expect: `server closed connection on read!`},
		{Case: "a server line with no end", Prints: "its cleanup, then Unhandled HEAP-EXHAUSTED-ERROR", Condition: "HEAP-EXHAUSTED-ERROR",
			Recipe: concat([]string{"set heap 1MiB"}, playServer("ex5a-client"), []string{"send cli hello", "flood L 4MiB --detach", "send cli again", "set heap 64MiB"}), Expect: `Unhandled HEAP-EXHAUSTED-ERROR`},
	},
	"ex5b-client": {
		{Case: "its own half-close", Prints: "Disconnecting socket: #<active IPv4 stream socket connected to H/P ...>: the peer is still known until its FIN arrives", Condition: "END-OF-FILE on standard input",
			Recipe: concat(playServer("ex5b-client"), []string{"eof cli"}), Expect: `Disconnecting socket: #<active IPv4 stream socket connected to`},
		{Case: "a server line with no end", Prints: "its cleanup, then Unhandled HEAP-EXHAUSTED-ERROR", Condition: "HEAP-EXHAUSTED-ERROR",
			Recipe: concat([]string{"set heap 1MiB"}, playServer("ex5b-client"), []string{"send cli hello", "flood L 4MiB --detach", "send cli again", "set heap 64MiB"}), Expect: `Unhandled HEAP-EXHAUSTED-ERROR`},
	},
	"ex4-server": {
		{Case: "a client that resets before it is accepted", Prints: "Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD ...>: only that thread dies", Condition: "SOCKET-NOT-CONNECTED-ERROR"},
		{Case: "a burst of clients", Prints: "the first served at once; those the backlog of 5 turned away wait in SYN retries (a second or more) before they are",
			Recipe: []string{"run ex4-server --port 0 --bind 127.0.0.1", "connect ex4-server raw --name b --count 8 --detach", "sleep 3"}, Expect: `\[b-1\] Connected to`},
	},
	"ex5-server": {
		{Case: "a client resets after its echo", Prints: "Client H:P: connection reset by peer., then the cleanup's Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD ...> (it asks for the peer's name again)", Condition: "SOCKET-CONNECTION-RESET-ERROR (handled), SOCKET-NOT-CONNECTED-ERROR",
			Recipe: resetAfterEcho("ex5-server"), Expect: `Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "PROCESS-EX5-CLIENT-THREAD"`},
		{Case: "a line with no end", Prints: "Unhandled HEAP-EXHAUSTED-ERROR in #<THREAD ...>, then Closing connection to H:P!; the server goes on", Condition: "HEAP-EXHAUSTED-ERROR",
			Recipe: heapFlood("ex5-server"), Expect: `Unhandled HEAP-EXHAUSTED-ERROR in #<THREAD`},
		{Case: "a line that is not UTF-8", Prints: "the same bytes echoed back",
			Recipe: []string{"run ex5-server --port 0 --bind 127.0.0.1", "connect ex5-server raw --name c --detach", "send -x c ff fe 68 69 0d 0a"}, Expect: `\[c\] \\xff\\xfehi`},
		{Case: "a client that resets before it is accepted", Prints: "Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD ...>", Condition: "SOCKET-NOT-CONNECTED-ERROR"},
	},
	"ex6-server": {
		{Case: "a client resets before it is accepted", Prints: "its cleanup (Closing a client connection to (H P)..., Server Exited), then Unhandled SOCKET-NOT-CONNECTED-ERROR", Condition: "SOCKET-NOT-CONNECTED-ERROR",
			Recipe: concat(stalled("ex6-server"), []string{"connect ex6-server raw --name q --detach", "reset q", "send h ne"}), Expect: `Unhandled SOCKET-NOT-CONNECTED-ERROR`},
		{Case: "a client resets after its echo", Prints: "Client's connection was reset by peer., Closing connection to H:P; it goes on", Condition: "SOCKET-CONNECTION-RESET-ERROR (handled)",
			Recipe: resetAfterEcho("ex6-server"), Expect: `Client's connection was reset by peer\.`},
		{Case: "a client resets before reading its echo", Prints: "as above, then Caught unexpected hangup! Client closed connection on write!: the close retries the failed echo; the server ends, NIL", Condition: "HANGUP",
			Recipe: concat(stalled("ex6-server"), []string{"send c x", "reset c", "send h ne"}), Expect: `Caught unexpected hangup!`},
		{Case: "a line with no end", Prints: "its cleanup, then Unhandled HEAP-EXHAUSTED-ERROR", Condition: "HEAP-EXHAUSTED-ERROR",
			Recipe: heapFlood("ex6-server"), Expect: `Unhandled HEAP-EXHAUSTED-ERROR`},
	},
	"ex8-server": {
		{Case: "a client resets after its echo", Prints: "Client H:P: connection reset by peer., Closing connection to H:P; it goes on", Condition: "SOCKET-CONNECTION-RESET-ERROR (handled)",
			Recipe: resetAfterEcho("ex8-server"), Expect: `Client 127\.0\.0\.1:\d+: connection reset by peer\.`},
		{Case: "a line with no end", Prints: "Read N bytes / Wrote N bytes: its buffer is 16384 bytes, so the budget is never reached",
			Recipe: concat([]string{"set heap 1MiB", "run ex8-server --port 0 --bind 127.0.0.1", "mute ex8-server", "connect ex8-server raw --name big --detach", "flood big 4MiB", "set heap 64MiB"}), Expect: `Flood: done`},
		{Case: "a client resets before it is accepted", Prints: "its cleanup (Server Exited.), then Unhandled SOCKET-NOT-CONNECTED-ERROR", Condition: "SOCKET-NOT-CONNECTED-ERROR"},
	},
}

func init() {
	for _, c := range []string{"ex1-client", "ex2-client"} {
		boundaries[c] = []Boundary{
			{Case: "no server listens", Prints: "Unhandled SOCKET-CONNECTION-REFUSED-ERROR", Condition: "SOCKET-CONNECTION-REFUSED-ERROR",
				Recipe: []string{"run " + c + " --host 127.0.0.1 --port 1"}, Expect: `Unhandled SOCKET-CONNECTION-REFUSED-ERROR`},
			{Case: "the server closes before sending the time", Prints: "Unhandled END-OF-FILE", Condition: "END-OF-FILE",
				Recipe: concat(playServer(c), []string{"close L"}), Expect: `Unhandled END-OF-FILE`},
		}
	}
	for _, s := range []string{"ex1-server", "ex2-server", "ex3-server"} {
		boundaries[s] = []Boundary{{Case: "a client that resets before it is accepted",
			Prints: "Unhandled SOCKET-NOT-CONNECTED-ERROR: the server dies before Got a connection from", Condition: "SOCKET-NOT-CONNECTED-ERROR"}}
	}
	ex7 := make([]Boundary, 0, 4)
	for _, b := range boundaries["ex6-server"] {
		b.Recipe = replaceAll(b.Recipe, "ex6-server", "ex7-server")
		switch b.Case {
		case "a client resets after its echo":
			b.Prints, b.Expect = "Client H:P: Connection reset by peer, Closing connection to H:P; it goes on", `Client 127\.0\.0\.1:\d+: Connection reset by peer$`
		case "a client resets before reading its echo":
			b.Prints = "Client H:P: connection reset by peer., Closing connection to H:P, Caught unexpected hangup!..., Force closing..., Server Exited.; NIL"
		case "a client resets before it is accepted":
			b.Prints = "its cleanup (Force closing a client connection to (H P)..., Server Exited.), then Unhandled SOCKET-NOT-CONNECTED-ERROR"
		}
		ex7 = append(ex7, b)
	}
	boundaries["ex7-server"] = ex7
}

func replaceAll(lines []string, old, new string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(l, old, new)
	}
	return out
}

// Boundaries returns the boundary cases of spec §6 the example meets.
// Each recipe ends with stop all, so that the next pastes into a clean
// shell.
func (ex *Example) Boundaries() []Boundary {
	bs := append([]Boundary(nil), boundaries[ex.Name]...)
	for i := range bs {
		if len(bs[i].Recipe) > 0 {
			bs[i].Recipe = append(append([]string(nil), bs[i].Recipe...), "stop all")
		}
	}
	return bs
}

// HeldAccept says how to see a reset before accept where the shell
// cannot hold the server.
const HeldAccept = heldAccept
