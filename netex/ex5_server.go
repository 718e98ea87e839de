package netex

import "errors"

// runEx5Server is ex5-server.lisp: a line echo server that serves each
// client in its own thread, named process-ex5-client-thread, until the
// client sends quit or goes away. Stopping it destroys the client threads
// still alive. It returns NIL (see runThreadedServer).
func runEx5Server(t *Thread) (bool, error) {
	return runThreadedServer(t, "process-ex5-client-thread", ex5ServeClient)
}

// ex5ServeClient is the body of process-ex5-client-thread: echo lines,
// turning the client's reset, end-of-file and hangup into messages.
func ex5ServeClient(ct *Thread, client *Socket, who string) error {
	err := ex5Echo(ct, client, who)
	switch {
	case err == nil:
	case errors.Is(err, ConnectionReset):
		ct.Printf("Client %s: connection reset by peer.\n", who)
	case errors.Is(err, EndOfFile):
		ct.Printf("Client %s closed connection for a read.\n", who)
	case errors.Is(err, Hangup):
		ct.Printf("Client %s closed connection for a write.\n", who)
	default:
		return err
	}
	return nil
}

// ex5Echo is str-ex5-echo: read a line, echo it, flush; a line that is
// quit is echoed too and then ends the conversation. The conditions of
// the client going away leave the loop as errors.
func ex5Echo(ct *Thread, client *Socket, who string) error {
	for {
		line, err := client.ReadLine(ct.Ctx)
		if err != nil {
			return err
		}
		ct.printLine("Read line from ", who, ": ", line)
		if err := client.WriteLine(ct.Ctx, line); err != nil {
			return err
		}
		if err := client.FinishOutput(ct.Ctx); err != nil {
			return err
		}
		ct.printLine("Wrote line to ", who, ": ", line)
		if line == "quit" {
			return nil
		}
	}
}
