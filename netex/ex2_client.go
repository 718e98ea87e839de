package netex

// runEx2Client is ex2-client.lisp: ex1-client in Lisp style. The socket
// lives in a with-open-socket form, which closes it however the body
// ends (here a deferred abort, after a normal close on success). It
// prints the server's line without a newline and returns T. It handles
// no condition, so a refused connection is unhandled.
func runEx2Client(t *Thread) (bool, error) {
	s, err := connectReported(t)
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
