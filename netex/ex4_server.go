package netex

import (
	"errors"
	"time"
)

// runEx4Server is ex4-server.lisp: a daytime server that serves each
// client in its own thread, named process-ex4-client-thread. Stopping it
// destroys the client threads still alive. It returns NIL (see
// runThreadedServer).
func runEx4Server(t *Thread) (bool, error) {
	return runThreadedServer(t, "process-ex4-client-thread", ex4SendTime)
}

// ex4SendTime is the body of process-ex4-client-thread: send the time,
// reporting a client that reset or went away instead of failing.
func ex4SendTime(ct *Thread, client *Socket, who string) error {
	now := DaytimeString(time.Now())
	ct.Printf("Sending the time to %s...", who)
	err := client.WriteLine(ct.Ctx, now)
	if err == nil {
		err = client.FinishOutput(ct.Ctx)
	}
	switch {
	case err == nil:
		ct.Printf("Sent!\n")
	case errors.Is(err, ConnectionReset):
		ct.Printf("Client %s reset the connection!\n", who)
	case errors.Is(err, Hangup):
		ct.Printf("Client %s closed connection.\n", who)
	default:
		return err
	}
	return nil
}
