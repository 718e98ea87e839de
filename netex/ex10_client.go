package netex

import "errors"

// runEx10Client is an echo client that can send TCP urgent data (UNP
// chapter 24). It is ex4-client with one convention on standard input: a
// line of exactly two bytes starting with ! (say !X) sends its second
// byte as urgent data (send with MSG_OOB) and waits for no echo; any
// other line is sent and its echo printed, as ex4 does. The shell's
// send --urgent NAME X types such a line. Every ending is handled as in
// ex4, so the value is NIL.
func runEx10Client(t *Thread) (bool, error) {
	defer t.Printf("Client Exited.\n")
	return handleRefused(t, false, ex10ClientHelper(t))
}

// ex10ClientHelper connects, prints both ends, then echoes lines and
// sends urgent bytes until a condition, which is reported here.
func ex10ClientHelper(t *Thread) error {
	s, err := connectReported(t)
	if s != nil {
		defer s.Abort()
	}
	if err != nil {
		return err
	}
	err = ex10Echo(t, s)
	switch {
	case errors.Is(err, errEndOfInput):
		t.Printf("End of input: closing the connection.\n")
	case errors.Is(err, ConnectionReset):
		t.Printf("Got connection reset. Server went away!\n")
	case errors.Is(err, Hangup):
		t.Printf("Got hangup. Server closed connection on write!\n")
	case errors.Is(err, EndOfFile):
		t.Printf("Got end-of-file. Server closed connection on read!\n")
	default:
		return err
	}
	return s.Close(t.Ctx)
}

// errEndOfInput is the end of ex10-client's standard input, which,
// unlike ex4, it tells apart from the server's end-of-file.
var errEndOfInput = errors.New("end of input")

// UrgentLine is the standard-input line that makes ex10-client send b
// as urgent data.
func UrgentLine(b byte) string { return string([]byte{'!', b}) }

// ex10Echo reads standard input forever: an urgent line sends its byte
// out of band, any other line is echoed.
func ex10Echo(t *Thread, s *Socket) error {
	for {
		line, err := t.Env.ReadStdin(t.Ctx)
		if errors.Is(err, EndOfFile) {
			return errEndOfInput
		}
		if err != nil {
			return err
		}
		if len(line) == 2 && line[0] == '!' {
			if err := s.SendUrgent(t.Ctx, line[1]); err != nil {
				return err
			}
			t.Printf("Sent urgent byte %q (MSG_OOB).\n", line[1])
			continue
		}
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
	}
}
