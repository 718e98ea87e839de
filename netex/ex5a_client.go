package netex

// runEx5aClient is ex5a-client.lisp: an echo client on the multiplexer.
// A read handler prints the server's lines and a write handler sends
// lines of standard input, both on the socket's descriptor, dispatched by
// an event base that exits when empty. At the end of standard input the
// disconnector removes both handlers and closes the socket at once, so
// the echoes still in flight are lost: the lesson ex5b answers. See
// muxEchoClient for the code it shares with ex5b and its return value.
func runEx5aClient(t *Thread) (bool, error) {
	return muxEchoClient{name: "ex5a"}.run(t)
}
