package netex

import (
	"slices"
	"strings"
)

// Role says whether an example is a client or a server.
type Role int

// The two roles.
const (
	Client Role = iota
	Server
)

func (r Role) String() string { return [...]string{"client", "server"}[r] }

// Protocol is the conversation an example has on the wire (spec §4).
type Protocol int

// The three protocols of the tutorial.
const (
	Daytime Protocol = iota
	Echo
	EchoHalfClose
	EchoUrgent
	UDPDaytimeEcho
)

func (p Protocol) String() string {
	return [...]string{"daytime", "echo", "echo with half-close", "echo with urgent data", "UDP daytime and echo"}[p]
}

// Design is how an example is structured.
type Design int

// The designs the tutorial moves through.
const (
	Iterative Design = iota
	Threaded
	Multiplexed
)

func (d Design) String() string { return [...]string{"iterative", "threaded", "multiplexed"}[d] }

// IOStyle is whether an example's socket I/O blocks.
type IOStyle int

// The two I/O styles.
const (
	Blocking IOStyle = iota
	Nonblocking
)

func (s IOStyle) String() string { return [...]string{"blocking", "nonblocking"}[s] }

// Example is one entry of the registry: a tutorial program and how to run it.
type Example struct {
	Name     string
	Role     Role
	Protocol Protocol
	Design   Design
	IO       IOStyle
	Peers    []string // the examples it pairs with (spec §4)
	Summary  string   // one line, in our own words
	Explain  string   // a few sentences: what it shows and what to try
	// Origin, for the examples beyond the tutorial (ex9 and up), says
	// where the idea comes from; it is empty for the tutorial's own.
	Origin string
	// Flags are the options it takes beyond --host, --port and --bind.
	Flags []Flag
	// ReadsStdin is true for clients that read standard input.
	ReadsStdin bool
	// Run is the example's entry function. It returns the example's Lisp
	// return value, or an unhandled condition.
	Run func(t *Thread) (bool, error)
}

var (
	daytimeClients = []string{"ex1-client", "ex2-client", "ex3-client"}
	// The daytime examples beyond the tutorial pair with the tutorial's.
	allDaytimeClients = append(slices.Clip(daytimeClients), "ex9-client")
	allDaytimeServers = append(slices.Clip(daytimeServers), "ex9-server")
	daytimeServers    = []string{"ex1-server", "ex2-server", "ex3-server", "ex4-server"}
	echoClients       = []string{"ex4-client", "ex5a-client"}
	echoServers       = []string{"ex5-server", "ex6-server"}
	halfClients       = []string{"ex5b-client"}
	halfServers       = []string{"ex7-server", "ex8-server"}
)

// Examples returns the registry, in tutorial order: clients, then
// servers; then the examples beyond the tutorial (Beyond).
func Examples() []*Example {
	return append(tutorialExamples(), beyondExamples()...)
}

// tutorialExamples are the tutorial's fourteen.
func tutorialExamples() []*Example {
	return []*Example{
		{Name: "ex1-client", Role: Client, Protocol: Daytime, Design: Iterative, IO: Blocking, Peers: daytimeServers, Run: runEx1Client,
			Summary: "daytime client in C style: connect, read one line, close; handles nothing",
			Explain: "The smallest client: it makes a socket, connects, prints both ends of the connection and the server's one line. It handles no condition, so run it with no server listening to see the unhandled SOCKET-CONNECTION-REFUSED-ERROR."},
		{Name: "ex2-client", Role: Client, Protocol: Daytime, Design: Iterative, IO: Blocking, Peers: daytimeServers, Run: runEx2Client,
			Summary: "daytime client in Lisp style: the socket is closed by a scoped form",
			Explain: "The same client as ex1, but the socket lives in a scoped form (with-open-socket) that closes it however the body ends. It still handles nothing: without a server it fails as ex1 does."},
		{Name: "ex3-client", Role: Client, Protocol: Daytime, Design: Iterative, IO: Blocking, Peers: daytimeServers, Run: runEx3Client,
			Summary: "daytime client that handles refused connections and end-of-file",
			Explain: "Adds condition handling: a refused connection becomes a friendly message, and a server that closes before sending a line is reported as end-of-file. Try it with no server, then against ex1-server."},
		{Name: "ex4-client", Role: Client, Protocol: Echo, Design: Iterative, IO: Blocking, Peers: echoServers, ReadsStdin: true, Run: runEx4Client,
			Summary: "echo client: reads stdin, sends a line, waits for the echo, blocking all the way",
			Explain: "Each line you type goes to the server and comes back. Type quit: the server closes, but the client only notices on its next round trip, because it is blocked reading your keyboard. That is the cost of blocking on two inputs at once."},
		{Name: "ex5a-client", Role: Client, Protocol: Echo, Design: Multiplexed, IO: Blocking, Peers: echoServers, ReadsStdin: true, Run: runEx5aClient,
			Summary: "echo client on the multiplexer; closes at once on end of input, losing echoes in flight",
			Explain: "Read and write handlers on one socket, driven by an event base that exits when empty. Pipe several lines in: at end of input the disconnector closes everything at once, so echoes still in flight are lost. Compare ex5b."},
		{Name: "ex5b-client", Role: Client, Protocol: EchoHalfClose, Design: Multiplexed, IO: Blocking, Peers: halfServers, ReadsStdin: true, Run: runEx5bClient,
			Summary: "ex5a with half-close: shuts down its write side at end of input and reads every echo",
			Explain: "At end of input it shuts down only the write side of the socket and keeps reading until the server closes. Against ex7-server or ex8-server every line of a batch comes back, in order. Try eof after a few sends."},
		{Name: "ex1-server", Role: Server, Protocol: Daytime, Design: Iterative, IO: Blocking, Peers: allDaytimeClients, Run: runEx1Server,
			Summary: "one-shot daytime server: accepts one client, sends the time, returns",
			Explain: "Create, bind, listen, accept, write, close: the whole server recipe once. It serves a single client and returns T. Start it twice on one port to see the unhandled SOCKET-ADDRESS-IN-USE-ERROR."},
		{Name: "ex2-server", Role: Server, Protocol: Daytime, Design: Iterative, IO: Blocking, Peers: allDaytimeClients, Run: runEx2Server,
			Summary: "iterative daytime server: serves clients one at a time, forever",
			Explain: "A loop around accept: clients are served strictly one after another. It handles no condition; stop it to see the scoped forms close its sockets."},
		{Name: "ex3-server", Role: Server, Protocol: Daytime, Design: Iterative, IO: Blocking, Peers: allDaytimeClients, Run: runEx3Server,
			Summary: "iterative daytime server that handles reset and hangup, and a busy port",
			Explain: "As ex2, with handlers: a client that resets or goes away before the write is reported, not fatal, and a busy port prints a hint about :reuse-addr instead of entering the debugger."},
		{Name: "ex4-server", Role: Server, Protocol: Daytime, Design: Threaded, IO: Blocking, Peers: allDaytimeClients, Run: runEx4Server,
			Summary: "daytime server with one thread per client",
			Explain: "Each accepted client gets its own thread. Run threads while clients connect, then stop it: the cleanup destroys every live client thread, and each thread's own cleanup closes its connection."},
		{Name: "ex5-server", Role: Server, Protocol: Echo, Design: Threaded, IO: Blocking, Peers: echoClients, Run: runEx5Server,
			Summary: "echo server with one thread per client; quit ends a client",
			Explain: "A thread per client echoes lines until the client sends quit or goes away. Connect two ex4-clients and watch threads list both; stop the server and see their threads destroyed."},
		{Name: "ex6-server", Role: Server, Protocol: Echo, Design: Multiplexed, IO: Blocking, Peers: echoClients, Run: runEx6Server,
			Summary: "single-threaded echo server on the multiplexer, blocking line reads in the handler",
			Explain: "One thread serves everyone through an event base, but each handler does a blocking read-line. Open a raw client to it (connect HOST:PORT) and send half a line with send -n raw TEXT: every other client stalls until that line ends. That is the denial of service the tutorial warns about."},
		{Name: "ex7-server", Role: Server, Protocol: EchoHalfClose, Design: Multiplexed, IO: Blocking, Peers: halfClients, Run: runEx7Server,
			Summary: "multiplexed echo server with separate read and write handlers and a line queue",
			Explain: "Reading and writing are separate handlers sharing a per-client queue of lines, with a high-water mark of 4096 bytes. It honours half-close: after the client's end-of-file it writes what is queued, then closes. Pipe a batch through ex5b-client."},
		{Name: "ex8-server", Role: Server, Protocol: EchoHalfClose, Design: Multiplexed, IO: Nonblocking, Peers: halfClients, Run: runEx8Server,
			Summary: "multiplexed echo server with nonblocking raw byte I/O and a fixed 16 KiB buffer",
			Explain: "Raw nonblocking receive and send into a 16384-byte buffer per client; it reads only while the buffer has room, so a client that never reads is throttled exactly. Watch the Read N bytes / Wrote N bytes lines, and mute it for big batches."},
	}
}

// Lookup finds an example by name, ignoring case.
func Lookup(name string) (*Example, bool) {
	for _, ex := range Examples() {
		if strings.EqualFold(ex.Name, name) {
			return ex, true
		}
	}
	return nil, false
}

// Names returns the examples' names in registry order.
func Names() []string {
	exs := Examples()
	names := make([]string, len(exs))
	for i, ex := range exs {
		names[i] = ex.Name
	}
	return names
}

// Pairs reports whether client and server speak the same protocol.
func Pairs(client, server *Example) bool {
	return slices.Contains(server.Peers, client.Name)
}
