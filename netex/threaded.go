package netex

import (
	"errors"
	"slices"
	"strings"
)

// clientHandler is the body of a threaded server's client thread: it talks
// to client, whose remote address is who (H:P), and returns the condition
// it did not handle, or nil.
type clientHandler func(ct *Thread, client *Socket, who string) error

// runThreadedServer is the shape ex4-server and ex5-server share: the
// entry function (run-exN-server) around the helper (run-exN-server-helper).
//
// The entry function is a handler-case that catches only
// SOCKET-ADDRESS-IN-USE-ERROR, followed by (finish-output), whose NIL is
// the function's value. The helper's accept loop never ends normally, so
// the only way to return at all is the busy-port handler: the Lisp
// returns NIL there, and so do we. Every other condition (a stop included)
// is not handled and is returned as the error.
func runThreadedServer(t *Thread, threadName string, handle clientHandler) (bool, error) {
	err := threadedServerHelper(t, threadName, handle)
	if errors.Is(err, AddressInUse) {
		t.Printf("Bind: Address already in use, forget :reuse-addr t?")
		return false, nil
	}
	return false, err
}

// threadedServerHelper is run-exN-server-helper: the socket lives in a
// with-open-socket (closed last), and the accept loop in an
// unwind-protect whose cleanup destroys the live client threads.
func threadedServerHelper(t *Thread, threadName string, handle clientHandler) error {
	server, err := listenServer(t)
	if server != nil {
		defer server.Abort()
	}
	if err != nil {
		return err
	}
	var threads []*Thread
	defer func() { destroyClientThreads(t, threads) }()
	for {
		t.Printf("Waiting to accept a connection...\n")
		client, err := server.Accept(t.Ctx)
		if err != nil {
			return err
		}
		// Forget finished threads, as (all-threads) would no longer list them.
		threads = slices.DeleteFunc(threads, func(th *Thread) bool { return !th.Alive() })
		threads = append(threads, spawnClientThread(t, threadName, client, handle))
	}
}

// spawnClientThread starts the thread that serves client. The socket is
// handed over before the thread runs, and the thread's cleanup is armed
// first thing, so a thread destroyed at any moment still closes it (the
// point the tutorial makes with *exN-tls-client*).
//
// The thread asks the socket for its peer's name (remote-name) before
// anything else, and its cleanup asks again: a client that reset before
// it was accepted, or before the cleanup, is no longer known to the
// kernel, and the thread dies of SOCKET-NOT-CONNECTED-ERROR.
func spawnClientThread(t *Thread, name string, client *Socket, handle clientHandler) *Thread {
	return t.Env.Spawn(name, func(ct *Thread) {
		reported := false
		defer func() { closeClientConnection(ct, client, reported) }()
		peer, err := client.RemoteName()
		if err == nil {
			who := hostPort(peer)
			ct.Printf("A thread is handling the connection from %s!\n", who)
			err = handle(ct, client, who)
		}
		if err != nil && !errors.Is(err, Interrupted) {
			// The debugger would be entered here, before the cleanup runs.
			ct.Printf("%s\n", threadUnhandled(ct, err))
			reported = true
		}
	})
}

// closeClientConnection is a client thread's unwind-protect cleanup: it
// always runs, prints and closes the socket. It asks for the peer's name
// at this moment; once the client has reset that fails, the line is not
// printed and the thread reports the condition (unless it has already
// died of one: a thread reports one condition), and the socket is closed
// all the same. Close flushes; a flush that fails (output left over from
// a handled hangup) is, as in the Lisp, a condition nobody handles. A
// destroyed thread's close does not flush.
func closeClientConnection(ct *Thread, client *Socket, reported bool) {
	peer, err := client.RemoteName()
	if err == nil {
		ct.Printf("Closing connection to %s!\n", hostPort(peer))
		err = client.Close(ct.Ctx)
	} else {
		client.Abort()
	}
	if err != nil && !reported && !errors.Is(err, Interrupted) {
		ct.Printf("%s\n", threadUnhandled(ct, err))
	}
}

// destroyClientThreads is the accept loop's cleanup: destroy every client
// thread still alive. Destroy waits for the thread's own cleanup, so its
// Closing connection line follows its Destroying line.
func destroyClientThreads(t *Thread, threads []*Thread) {
	t.Printf("Destroying any active client threads....\n")
	for _, th := range threads {
		if th.Alive() {
			t.Printf("Destroying: %s\n", th)
			th.Destroy()
		}
	}
}

// threadUnhandled words a condition no handler caught in thread ct, e.g.
// "Unhandled HANGUP in #<THREAD ...>: #<HANGUP ...>".
func threadUnhandled(ct *Thread, err error) string {
	return strings.Replace(Unhandled(err), ":", " in "+ct.String()+":", 1)
}
