package netex

// runEx2Client is ex2-client.lisp: ex1-client in Lisp style. The socket
// lives in a with-open-socket form, which closes it however the body
// ends (here a deferred abort, after a normal close on success). It
// prints the server's line without a newline and returns T. It handles
// no condition, so a refused connection is unhandled.
func runEx2Client(t *Thread) (bool, error) {
	s, err := connectDaytime(t)
	if s != nil {
		defer s.Abort()
	}
	if err != nil {
		return false, err
	}
	line, err := s.ReadLine(t.Ctx)
	if err != nil {
		return false, err
	}
	t.Printf("%s", line)
	return true, s.Close(t.Ctx)
}

// connectDaytime is the opening ex2-client and ex3-client share: connect
// to the Env's host and port and print both ends of the connection. On
// an error the socket is returned too, still open, for the caller to
// close.
func connectDaytime(t *Thread) (*Socket, error) {
	s, err := connectClient(t)
	if err != nil {
		return s, err
	}
	t.Printf("Connected to server %s from my local connection at %s!\n",
		hostPort(s.RemoteAddr()), hostPort(s.LocalAddr()))
	return s, nil
}
