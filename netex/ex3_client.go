package netex

import "errors"

// runEx3Client is ex3-client.lisp: ex2-client with condition handling. A
// refused connection prints a hint naming the resolved address and
// returns NIL; a server that closes before sending its line is reported
// as end-of-file (no newline) and also returns NIL. A line read returns T.
func runEx3Client(t *Thread) (bool, error) {
	val, err := ex3ClientHelper(t)
	return handleRefused(t, val, err)
}

// ex3ClientHelper is run-ex3-client-helper: connect, then read the
// daytime line with end-of-file handled. The socket is closed on the way
// out, as with-open-socket does.
func ex3ClientHelper(t *Thread) (bool, error) {
	s, err := connectReported(t)
	if s != nil {
		defer s.Abort()
	}
	if err != nil {
		return false, err
	}
	line, err := s.ReadLine(t.Ctx)
	switch {
	case errors.Is(err, EndOfFile):
		t.Printf("Got end-of-file. Server closed connection!")
		return false, s.Close(t.Ctx)
	case err != nil:
		return false, err
	}
	t.Printf("%s", line)
	return true, s.Close(t.Ctx)
}
