package netex

// watchHints say, per example, which kernel states and queues show its
// lesson and which sockets view shows them; explain prints them.
var watchHints = map[string]string{
	"ex1-client":  "The server sends its line and closes; the side that closes first keeps the TIME_WAIT, usually the server: `sockets SERVER --all` after the client ends.",
	"ex2-client":  "As ex1-client: the side that closes first, usually the server, keeps the TIME_WAIT (`sockets SERVER --all`).",
	"ex3-client":  "As ex1-client: the side that closes first, usually the server, keeps the TIME_WAIT (`sockets SERVER --all`).",
	"ex4-client":  "After `send ex4-client quit` the server closes; `sockets ex4-client` shows CLOSE_WAIT until its next line makes it notice.",
	"ex5a-client": "`trace ex5a-client` while you pipe lines in: every line goes out, but echoes still in flight when end of input closes the socket never show as received.",
	"ex5b-client": "The half-close is brief: FIN_WAIT2 here and CLOSE_WAIT on the server only while the server still writes (`watch sockets` with a big batch through ex8-server); then `sockets SERVER --all` shows this side's TIME_WAIT, as its FIN went first.",
	"ex1-server":  "`sockets`: LISTEN with SEND-Q 5, the backlog. It closes first, so `sockets --all` after its client shows TIME_WAIT on its port: why :reuse-addr exists.",
	"ex2-server":  "The listener's RECV-Q is the accept queue and SEND-Q the backlog of 5. Each client is served in microseconds; after `stop`, `sockets --all` shows the TIME_WAITs its closes left on its port.",
	"ex3-server":  "As ex2-server: accept queue and backlog on the listener, TIME_WAIT on its port after `stop` (`sockets --all`).",
	"ex4-server":  "`watch sockets ex4-server` while clients connect: a conn per client thread, each gone (TIME_WAIT in `sockets --all`) once its line is sent.",
	"ex5-server":  "`trace ex5-server` shows each line in and out with its \\r\\n. After a client's quit it closes first: TIME_WAIT here, CLOSE_WAIT on the client.",
	"ex6-server":  "`watch sockets ex6-server --all` while a raw client holds half a line: that conn's APP-BUF holds it, and new clients wait in the accept queue (listener RECV-Q up to 6, rows marked queued).",
	"ex7-server":  "APP-BUF is the line queue, up to the 4096-byte mark; with a client that does not read, the rest waits in the kernel's RECV-Q and SEND-Q (`watch sockets --all`).",
	"ex9-server":  "Run it with --accept-delay 2 and connect: during the pause `sockets ex9-server --all` shows the connection queued (listener RECV-Q 1, a queued row); after `reset` the row is gone but RECV-Q still counts 1: the dead connection stays in the accept queue, which is why accept returns it.",
	"ex10-client": "`trace ex10-client` shows the urgent byte leave as a 1-byte send of its own, between the lines.",
	"ex11-server": "`sockets ex11-server` lists its datagram socket as dgram, with no TCP state, queues or RTT: UDP has no connection for the kernel to report.",
	"ex8-server":  "APP-BUF stops at 16384, the io-buffer; with a client that does not read, the rest piles up in the kernel: this conn's RECV-Q and SEND-Q and the client's RECV-Q (`watch sockets --all`).",
}

// WatchHint names the kernel states and queues worth watching for the
// example, and the sockets view that shows them; "" if none.
func (ex *Example) WatchHint() string { return watchHints[ex.Name] }
