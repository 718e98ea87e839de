package netex

import "errors"

// runEx4Client is ex4-client.lisp: a blocking, line-oriented echo client.
// It sends each line of standard input to the server and prints the echo.
//
// Return value: the Lisp entry function is an unwind-protect around a
// handler-case. Its helper's loop never ends normally; it is left through
// a condition that the helper's own handler-case turns into a message,
// and the value of that handler is the value of (format t ...), NIL. The
// refused handler likewise returns the NIL of its format. So every
// handled ending returns NIL; other conditions, and a stop, are not
// handled and are returned as the error. Client Exited. is the cleanup
// form and is printed however the function ends.
func runEx4Client(t *Thread) (bool, error) {
	defer t.Printf("Client Exited.\n")
	return handleRefused(t, false, ex4ClientHelper(t, ex4Echo))
}

// ex4ClientHelper is run-ex4-client-helper: connect inside a
// with-open-socket, print both ends, then echo lines until a condition,
// which is reported here. The socket is closed normally (flushing) after
// a handled condition and aborted when an error escapes. echo is the
// loop (ex4Echo; ex10-client's, which tells the end of its input apart).
func ex4ClientHelper(t *Thread, echo func(*Thread, *Socket) error) error {
	s, err := connectReported(t)
	if s != nil {
		defer s.Abort()
	}
	if err != nil {
		return err
	}
	err = echo(t, s)
	switch {
	case errors.Is(err, errEndOfInput):
		t.Printf("End of input: closing the connection.\n")
	case errors.Is(err, ConnectionReset):
		t.Printf("Got connection reset. Server went away!")
	case errors.Is(err, Hangup):
		t.Printf("Got hangup. Server closed connection on write!\n")
	case errors.Is(err, EndOfFile):
		t.Printf("Got end-of-file. Server closed connection on read!\n")
	default:
		return err
	}
	return s.Close(t.Ctx)
}

// ex4Echo is ex4-str-cli: read a line of standard input, send it, flush,
// read the server's line and print it, forever. The end of standard
// input is an END-OF-FILE too, reported as the server's.
func ex4Echo(t *Thread, s *Socket) error {
	for {
		line, err := t.Env.ReadStdin(t.Ctx)
		if err != nil {
			return err
		}
		if err := echoLine(t, s, line); err != nil {
			return err
		}
	}
}

// echoLine sends line, flushes, and reads and prints the server's line.
func echoLine(t *Thread, s *Socket, line string) error {
	if err := s.WriteLine(t.Ctx, line); err != nil {
		return err
	}
	if err := s.FinishOutput(t.Ctx); err != nil {
		return err
	}
	echo, err := s.ReadLine(t.Ctx)
	if err != nil {
		return err
	}
	t.Printf("%s\n", echo)
	return nil
}
