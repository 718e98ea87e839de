package netex

import "errors"

// runEx10Client is an echo client that can send TCP urgent data (UNP
// chapter 24). It is ex4-client with one convention on standard input: a
// line of exactly two bytes starting with ! (say !X) sends its second
// byte as urgent data (send with MSG_OOB) and waits for no echo; any
// other line is sent and its echo printed, as ex4 does. The shell's
// send --urgent NAME X types such a line. Unlike ex4 it tells the end of
// its input from the server's end-of-file. Every ending is handled as in
// ex4, so the value is NIL.
func runEx10Client(t *Thread) (bool, error) {
	defer t.Printf("Client Exited.\n")
	return handleRefused(t, false, ex4ClientHelper(t, ex10Echo))
}

// errEndOfInput is the end of ex10-client's standard input, which,
// unlike ex4, it tells apart from the server's end-of-file.
var errEndOfInput = errors.New("end of input")

// UrgentLine is the standard-input line that makes ex10-client send b
// as urgent data.
func UrgentLine(b byte) string { return string([]byte{'!', b}) }

// ex10Echo reads standard input until its end: an urgent line sends its
// byte out of band, any other line is echoed.
func ex10Echo(t *Thread, s *Socket) error {
	for {
		line, err := t.Env.ReadStdin(t.Ctx)
		switch {
		case errors.Is(err, EndOfFile):
			return errEndOfInput
		case err != nil:
			return err
		case len(line) == 2 && line[0] == '!':
			if err := s.SendUrgent(t.Ctx, line[1]); err != nil {
				return err
			}
			t.Printf("Sent urgent byte %q (MSG_OOB).\n", line[1])
		default:
			if err := echoLine(t, s, line); err != nil {
				return err
			}
		}
	}
}
