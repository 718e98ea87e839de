package netex

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
)

// ex9Served is ex9-server's pattern for serving one client.
func ex9Served(who string) []string {
	return []string{"Accepted a client from " + who, "Sent the time to " + who, "Closing connection to " + who}
}

// ex9ClientConnected is ex9-client's pattern for one connect that began
// and, at its write event, connected to hp (connected) or was refused.
func ex9Began(loop, hp string) string {
	return fmt.Sprintf("connect to %s: EINPROGRESS, #<active %s stream socket, unconnected {ID}>[fd={N}] registered for write.", hp, beFamily(loop))
}

func ex9Ended(hp string, ok bool) []string {
	if ok {
		return []string{hp + " is writable: SO_ERROR says 0 (connected).", "Connected to server " + hp + " from my local connection at {H:P}!"}
	}
	return []string{hp + " is writable: SO_ERROR says 111 (connection refused).",
		"Connect to " + hp + ` failed: #<SOCKET-CONNECTION-REFUSED-ERROR 111 :ECONNREFUSED "Connection refused", FD: {N}>`}
}

// TestEx9ClientOverlapsConnects connects ex9-client to ex9-server,
// ex2-server and a closed port at once: every connect is in progress
// before any completes, each completes on its write event, the refused
// one with SO_ERROR set, and the two servers each send a line.
func TestEx9ClientOverlapsConnects(t *testing.T) {
	beEach(t, func(t *testing.T, loop string) {
		s9, out9, p9 := beServer(t, "ex9-server", loop, ExampleOptions{})
		s2, out2, p2 := beServer(t, "ex2-server", loop, ExampleOptions{})
		closed := freePortOn(t, loop)
		hp := []string{beHP(loop, p9), beHP(loop, p2), beHP(loop, closed)}
		cli, cout := start(t, "ex9-client", Config{Host: loop, Opts: ExampleOptions{Targets: []string{
			net.JoinHostPort(loop, fmt.Sprint(p9)), hp[1], hp[2]}}})
		if res := wait(t, cli); res.Value || res.Err != nil || res.Stopped {
			t.Fatalf("ex9-client result %+v, want NIL (one server did not answer)", res)
		}
		want := []string{"Connecting to 3 servers at once, without blocking..."}
		for _, h := range hp {
			want = append(want, ex9Began(loop, h))
		}
		want = slices.Concat(want, ex9Ended(hp[0], true), ex9Ended(hp[1], true), ex9Ended(hp[2], false),
			[]string{hp[0] + ": {TIME}", hp[1] + ": {TIME}", "2 of 3 servers answered.", "Client Exited."})
		lines := cout.Lines()
		matchLines(t, lines, want...)
		from9, from2 := dtLocal(t, lines[5]), dtLocal(t, lines[7])
		beStop(t, s9)
		beStop(t, s2)
		matchLines(t, out9.Lines(), slices.Concat(beStreamPrologue(loop, p9),
			[]string{"The listening socket is nonblocking: accept will never wait."}, ex9Served(from9), []string{"Server Exited."})...)
		matchLines(t, out2.Lines(), slices.Concat(beStreamPrologue(loop, p2),
			[]string{"Waiting to accept a connection...", "Got a connection from " + from2 + "!", "Sending the time...Sent!", "Waiting to accept a connection..."})...)
	})
}

// freePortOn returns a port on loop that nothing listens on.
func freePortOn(t *testing.T, loop string) int {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(loop, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestEx9Pairings runs ex9-client against every daytime server, and every
// daytime client against ex9-server, and checks both sides line by line.
func TestEx9Pairings(t *testing.T) {
	for _, server := range []string{"ex1-server", "ex2-server", "ex3-server", "ex4-server", "ex9-server"} {
		t.Run("ex9-client/"+server, func(t *testing.T) {
			beEach(t, func(t *testing.T, loop string) { ex9Pair(t, "ex9-client", server, loop) })
		})
	}
	for _, client := range []string{"ex1-client", "ex2-client", "ex3-client"} {
		t.Run(client+"/ex9-server", func(t *testing.T) {
			beEach(t, func(t *testing.T, loop string) { ex9Pair(t, client, "ex9-server", loop) })
		})
	}
}

// ex9Pair runs one daytime pairing with ex9 on one side.
func ex9Pair(t *testing.T, client, server, loop string) {
	srv, sout, port := beServer(t, server, loop, ExampleOptions{})
	hp := beHP(loop, port)
	cli, cout := start(t, client, Config{Host: loop, Port: port})
	if res := wait(t, cli); !res.Value || res.Err != nil {
		t.Fatalf("%s result %+v, want T", client, res)
	}
	lines := cout.Lines()
	var from string
	if client == "ex9-client" {
		matchLines(t, lines, slices.Concat([]string{"Connecting to 1 servers at once, without blocking...", ex9Began(loop, hp)},
			ex9Ended(hp, true), []string{hp + ": {TIME}", "1 of 1 servers answered.", "Client Exited."})...)
		from = dtLocal(t, lines[3])
	} else {
		word := map[bool]string{true: "via", false: "from"}[client == "ex1-client"]
		matchLines(t, lines, fmt.Sprintf("Connected to server %s %s my local connection at {H:P}!", hp, word), "{TIME}")
		from = dtLocal(t, lines[0])
	}
	if server == "ex1-server" {
		if res := wait(t, srv); !res.Value || res.Err != nil {
			t.Fatalf("ex1-server result %+v, want T", res)
		}
	} else {
		beStop(t, srv)
	}
	got := sout.Lines()
	want := beStreamPrologue(loop, port)
	switch server {
	case "ex9-server":
		want = slices.Concat(want, []string{"The listening socket is nonblocking: accept will never wait."}, ex9Served(from), []string{"Server Exited."})
	case "ex4-server":
		// Its main thread and the client's thread print concurrently.
		want = append(want, "Waiting to accept a connection...", "A thread is handling the connection from "+from+"!",
			"Sending the time to "+from+"...Sent!", "Closing connection to "+from+"!", "Waiting to accept a connection...",
			"Destroying any active client threads....")
		slices.Sort(got)
		slices.Sort(want)
	default:
		want = append(want, "Waiting to accept a connection...", "Got a connection from "+from+"!", "Sending the time...Sent!")
		if server != "ex1-server" {
			want = append(want, "Waiting to accept a connection...")
		}
	}
	matchLines(t, got, want...)
}

// gatedOutput is an output that blocks the example printing a line
// containing gate until the test releases it.
type gatedOutput struct {
	*output
	gate    string
	reached chan struct{}
	release chan struct{}
	once    sync.Once
}

func (g *gatedOutput) Write(p []byte) (int, error) {
	n, err := g.output.Write(p)
	if strings.Contains(string(p), g.gate) {
		g.once.Do(func() {
			close(g.reached)
			<-g.release
		})
	}
	return n, err
}

// TestEx9ServerSurvivesResetBeforeAccept holds ex9-server in its pause
// before accept while a client connects and resets: the accepted socket
// has no peer any more (ENOTCONN), ex9 says so and serves the next
// client, where ex6-ex8 die.
func TestEx9ServerSurvivesResetBeforeAccept(t *testing.T) {
	beEach(t, func(t *testing.T, loop string) {
		g := &gatedOutput{output: newOutput(), gate: "pausing", reached: make(chan struct{}), release: make(chan struct{})}
		ex, _ := Lookup("ex9-server")
		r, err := Start(t.Context(), ex, Config{Bind: loop, Host: loop, Out: g, Opts: ExampleOptions{AcceptDelay: 1}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(r.Stop)
		<-r.Listening()
		a, _ := r.Addr()
		port := int(a.Port())
		c, err := net.Dial("tcp", beHP2(loop, port))
		if err != nil {
			t.Fatal(err)
		}
		gone := c.LocalAddr().(*net.TCPAddr).AddrPort()
		<-g.reached
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
		close(g.release)
		g.waitFor(t, "^Closing it and going on serving.$")
		v6Idle(t, r) // back in the event loop, so the next client is a new round
		cli, cout := start(t, "ex3-client", Config{Host: loop, Port: port})
		if res := wait(t, cli); !res.Value || res.Err != nil {
			t.Fatalf("ex3-client result %+v, want T", res)
		}
		matchLines(t, cout.Lines(), "Connected to server "+beHP(loop, port)+" from my local connection at {H:P}!", "{TIME}")
		from := dtLocal(t, cout.Lines()[0])
		beStop(t, r)
		pause := "The listener is readable; pausing 1ns before accept."
		matchLines(t, g.Lines(), slices.Concat(beStreamPrologue(loop, port),
			[]string{"The listening socket is nonblocking: accept will never wait.", pause,
				"Accepted a connection from " + hostPort(gone) + " that was reset before accept: getpeername says ENOTCONN.",
				"Closing it and going on serving.", pause}, ex9Served(from), []string{"Server Exited."})...)
	})
}

// beHP2 is loop:port as a dial address.
func beHP2(loop string, port int) string { return net.JoinHostPort(loop, fmt.Sprint(port)) }
