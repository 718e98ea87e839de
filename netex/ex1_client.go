package netex

// runEx1Client is ex1-client.lisp: a daytime client written C-style. It
// connects, prints both ends, prints the server's line without a newline,
// closes and returns T. It handles no condition.
func runEx1Client(t *Thread) (bool, error) {
	s, err := connectClient(t)
	if s != nil {
		defer s.Abort()
	}
	if err != nil {
		return false, err
	}
	t.Printf("Connected to server %s via my local connection at %s!\n",
		hostPort(s.RemoteAddr()), hostPort(s.LocalAddr()))
	line, err := s.ReadLine(t.Ctx)
	if err != nil {
		return false, err
	}
	t.Printf("%s", line)
	return true, s.Close(t.Ctx)
}
