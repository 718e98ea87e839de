package netex

import "time"

// runEx2Server is ex2-server.lisp: an iterative daytime server that
// serves clients strictly one after another, forever. The listening
// socket lives in a with-open-socket form and each client in a
// with-accept-connection form, so a stop closes both. It handles no
// condition, so a busy port or a failed write is unhandled.
func runEx2Server(t *Thread) (bool, error) {
	server, err := listenServer(t)
	if server != nil {
		defer server.Abort()
	}
	if err != nil {
		return false, err
	}
	return false, daytimeLoop(t, server, nil)
}

// daytimeLoop is the accept loop of the iterative daytime servers (ex2
// and ex3). Each client is served in full before the next accept. A
// write failure is passed to handled, which prints it and reports
// whether it was handled; nil handles nothing. It returns only with an
// error: an unhandled condition or the Interrupted of a stop.
func daytimeLoop(t *Thread, server *Socket, handled func(error) bool) error {
	for {
		t.Printf("Waiting to accept a connection...\n")
		client, err := server.Accept(t.Ctx)
		if err != nil {
			return err
		}
		if err := serveDaytime(t, client, handled); err != nil {
			return err
		}
	}
}

// serveDaytime is the body of with-accept-connection: it sends client
// the time and closes it. After a handled write failure "Sent!" is still
// printed, as in ex3-server.lisp, and the connection is aborted, since
// a close would only try the failed flush again.
func serveDaytime(t *Thread, client *Socket, handled func(error) bool) error {
	defer client.Abort()
	peer, err := client.RemoteName()
	if err != nil {
		return err // asked before the handler-case: never handled
	}
	t.Printf("Got a connection from %s!\n", hostPort(peer))
	t.Printf("Sending the time...")
	err = client.WriteLine(t.Ctx, DaytimeString(time.Now()))
	if err == nil {
		err = client.FinishOutput(t.Ctx)
	}
	if err != nil && (handled == nil || !handled(err)) {
		return err
	}
	t.Printf("Sent!\n")
	if err != nil {
		return nil
	}
	return client.Close(t.Ctx)
}
