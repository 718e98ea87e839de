package netex

// runEx5bClient is ex5b-client.lisp: ex5a-client with half-close. At the
// end of standard input it shuts down only the write side of the socket,
// removes only the write handler and keeps reading echoes until the
// server closes, so a server that honours half-close (ex7, ex8) returns
// every line of a batch. See muxEchoClient for the shared code.
func runEx5bClient(t *Thread) (bool, error) {
	return muxEchoClient{name: "ex5b", halfClose: true}.run(t)
}
