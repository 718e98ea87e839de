package netex

import (
	"errors"
	"testing"
)

func TestEx1ClientEx1Server(t *testing.T) {
	leakCheck(t)
	srv, sout, port := startServer(t, "ex1-server")
	cli, cout := start(t, "ex1-client", Config{Port: port})
	if res := wait(t, cli); !res.Value || res.Err != nil {
		t.Fatalf("client result %+v", res)
	}
	if res := wait(t, srv); !res.Value || res.Err != nil {
		t.Fatalf("server result %+v", res)
	}
	matchLines(t, sout.Lines(),
		"Created socket: #<passive IPv4 stream socket, unbound {ID}>[fd={N}]",
		"Bound socket: #<passive IPv4 stream socket bound to 127.0.0.1/{N} {ID}>",
		"Listening on socket bound to: 127.0.0.1:{N}",
		"Waiting to accept a connection...",
		"Got a connection from {H:P}!",
		"Sending the time...Sent!")
	matchLines(t, cout.Lines(),
		"Connected to server {H:P} via my local connection at {H:P}!",
		"{TIME}")
}

func TestEx1ClientRefused(t *testing.T) {
	leakCheck(t)
	port := freePort(t)
	cli, _ := start(t, "ex1-client", Config{Port: port})
	res := wait(t, cli)
	if !errors.Is(res.Err, ConnectionRefused) {
		t.Fatalf("result %+v, want refused", res)
	}
	if got := Unhandled(res.Err); !linePattern(`Unhandled SOCKET-CONNECTION-REFUSED-ERROR: #<SOCKET-CONNECTION-REFUSED-ERROR 111 :ECONNREFUSED "Connection refused", FD: {N}>`).MatchString(got) {
		t.Fatalf("unhandled = %q", got)
	}
}
