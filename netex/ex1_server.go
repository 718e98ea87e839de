package netex

import "time"

// runEx1Server is ex1-server.lisp: an iterative daytime server that
// serves one client and returns T. It handles no condition, so a busy
// port is unhandled.
func runEx1Server(t *Thread) (bool, error) {
	server, err := listenServer(t)
	if server != nil {
		defer server.Abort()
	}
	if err != nil {
		return false, err
	}
	t.Printf("Waiting to accept a connection...\n")
	client, err := server.Accept(t.Ctx)
	if err != nil {
		return false, err
	}
	defer client.Abort()
	peer, err := client.RemoteName()
	if err != nil {
		return false, err
	}
	t.Printf("Got a connection from %s!\n", hostPort(peer))
	t.Printf("Sending the time...")
	if err := client.WriteLine(t.Ctx, DaytimeString(time.Now())); err != nil {
		return false, err
	}
	if err := client.FinishOutput(t.Ctx); err != nil {
		return false, err
	}
	t.Printf("Sent!\n")
	if err := client.Close(t.Ctx); err != nil {
		return false, err
	}
	return true, server.Close(t.Ctx)
}
