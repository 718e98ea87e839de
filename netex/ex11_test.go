package netex

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// ex11Created is the pattern of a datagram socket's first print.
func ex11Created(loop string) string {
	unspec := map[string]string{"IPv4": "0.0.0.0", "IPv6": "::"}[beFamily(loop)]
	return fmt.Sprintf("Created socket: #<%s datagram socket waiting @ %s/0 {ID}>[fd={N}]", beFamily(loop), unspec)
}

// ex11Bound is the client's line after its first send.
func ex11Bound(loop string) string {
	unspec := map[string]string{"IPv4": "0.0.0.0", "IPv6": "::"}[beFamily(loop)]
	return fmt.Sprintf("My socket is now bound: #<%s datagram socket waiting @ %s/{N} {ID}>", beFamily(loop), unspec)
}

func ex11Sent(n int, hp string, try, of int) string {
	return fmt.Sprintf("Sent %d bytes to %s (try %d of %d).", n, hp, try, of)
}

// ex11Run runs ex11-client with lines on its standard input and waits
// for it to end.
func ex11Run(t *testing.T, loop string, port int, opts ExampleOptions, lines ...string) (Result, []string) {
	t.Helper()
	in := NewStdinPipe()
	for _, l := range lines {
		in.Send(l)
	}
	in.Close()
	cli, cout := start(t, "ex11-client", Config{Host: loop, Port: port, Stdin: in, Opts: opts})
	return wait(t, cli), cout.Lines()
}

// ex11ServerLines is the pattern of ex11-server's prologue on loop.
func ex11ServerLines(loop string, port int) []string {
	return []string{ex11Created(loop),
		fmt.Sprintf("Bound socket: #<%s datagram socket waiting @ %s/%d {ID}>", beFamily(loop), loop, port),
		"Waiting for datagrams on " + beHP(loop, port) + "..."}
}

// TestEx11DaytimeAndEcho pairs ex11-client with ex11-server: an echo,
// then an empty datagram that gets the time.
func TestEx11DaytimeAndEcho(t *testing.T) {
	beEach(t, func(t *testing.T, loop string) {
		srv, sout, port := beServer(t, "ex11-server", loop, ExampleOptions{})
		hp := beHP(loop, port)
		res, lines := ex11Run(t, loop, port, ExampleOptions{Timeout: 5 * time.Second}, "hello", "")
		if !res.Value || res.Err != nil {
			t.Fatalf("ex11-client result %+v, want T", res)
		}
		matchLines(t, lines, ex11Created(loop), ex11Sent(5, hp, 1, 3), ex11Bound(loop), "Reply from "+hp+": hello",
			ex11Sent(0, hp, 1, 3), "Reply from "+hp+": {TIME}", "Client Exited.")
		beStop(t, srv)
		from := "{H:P}"
		matchLines(t, sout.Lines(), slices.Concat(ex11ServerLines(loop, port), []string{
			"Got 5 bytes from " + from + `: "hello"`, "Echoed 5 bytes to " + from,
			"Got an empty datagram from " + from + ": it asks for the time.", "Sent the time to " + from + ": {TIME}",
			"Server Exited."})...)
	})
}

// TestEx11LostDatagram drops every second request (--drop 50%): the
// second line's first try is lost, times out and is sent again.
func TestEx11LostDatagram(t *testing.T) {
	beEach(t, func(t *testing.T, loop string) {
		srv, sout, port := beServer(t, "ex11-server", loop, ExampleOptions{})
		hp := beHP(loop, port)
		res, lines := ex11Run(t, loop, port, ExampleOptions{Drop: 50, Timeout: 2 * time.Second}, "one", "two")
		if !res.Value || res.Err != nil {
			t.Fatalf("ex11-client result %+v, want T", res)
		}
		matchLines(t, lines, ex11Created(loop), ex11Sent(3, hp, 1, 3), ex11Bound(loop), "Reply from "+hp+": one",
			"Dropped 3 bytes to "+hp+" (try 1 of 3): --drop 50% lost it.", "No reply from "+hp+" within 2s (try 1 of 3).",
			ex11Sent(3, hp, 2, 3), "Reply from "+hp+": two", "Client Exited.")
		beStop(t, srv)
		matchLines(t, sout.Lines(), slices.Concat(ex11ServerLines(loop, port), []string{
			`Got 3 bytes from {H:P}: "one"`, "Echoed 3 bytes to {H:P}", `Got 3 bytes from {H:P}: "two"`, "Echoed 3 bytes to {H:P}",
			"Server Exited."})...)
	})
}

// TestEx11WrongAddressIgnored plays the server with two sockets: a
// stray one answers first and is ignored, then the right one answers.
func TestEx11WrongAddressIgnored(t *testing.T) {
	beEach(t, func(t *testing.T, loop string) {
		server := udpListen(t, loop)
		stray := udpListen(t, loop)
		port := server.LocalAddr().(*net.UDPAddr).Port
		done := make(chan error, 1)
		go func() {
			buf := make([]byte, 100)
			n, from, err := server.ReadFromUDPAddrPort(buf)
			if err == nil {
				_, err = stray.WriteToUDPAddrPort([]byte("stray"), from)
			}
			if err == nil {
				_, err = server.WriteToUDPAddrPort(buf[:n], from)
			}
			done <- err
		}()
		hp := beHP(loop, port)
		res, lines := ex11Run(t, loop, port, ExampleOptions{Timeout: 5 * time.Second}, "hello")
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !res.Value || res.Err != nil {
			t.Fatalf("ex11-client result %+v, want T", res)
		}
		strayHP := hostPort(stray.LocalAddr().(*net.UDPAddr).AddrPort())
		matchLines(t, lines, ex11Created(loop), ex11Sent(5, hp, 1, 3), ex11Bound(loop),
			"Ignored 5 bytes from "+strayHP+": I asked "+hp+".", "Reply from "+hp+": hello", "Client Exited.")
	})
}

// TestEx11ReplyFromOtherAddress is UNP §8.8's multihomed reply: asked at
// 127.0.0.2, a server bound to 0.0.0.0 answers from 127.0.0.1, and the
// client ignores it and gives up.
func TestEx11ReplyFromOtherAddress(t *testing.T) {
	leakCheck(t)
	r, sout := start(t, "ex11-server", Config{Bind: "0.0.0.0"})
	<-r.Listening()
	a, _ := r.Addr()
	port := int(a.Port())
	asked := beHP("127.0.0.2", port)
	res, lines := ex11Run(t, "127.0.0.2", port, ExampleOptions{Timeout: time.Second, Retries: 1}, "hello")
	if res.Value || res.Err != nil {
		t.Fatalf("ex11-client result %+v, want NIL", res)
	}
	matchLines(t, lines, ex11Created("127.0.0.1"), ex11Sent(5, asked, 1, 1), ex11Bound("127.0.0.1"),
		fmt.Sprintf("Ignored 5 bytes from 127.0.0.1:%d: I asked %s.", port, asked),
		"No reply from "+asked+" within 1s (try 1 of 1).", "Gave up on "+asked+" after 1 tries.", "Client Exited.")
	beStop(t, r)
	matchLines(t, sout.Lines(), "Created socket: #<IPv4 datagram socket waiting @ 0.0.0.0/0 {ID}>[fd={N}]",
		fmt.Sprintf("Bound socket: #<IPv4 datagram socket waiting @ 0.0.0.0/%d {ID}>", port),
		fmt.Sprintf("Waiting for datagrams on 0.0.0.0:%d...", port),
		`Got 5 bytes from 127.0.0.1:{N}: "hello"`, "Echoed 5 bytes to 127.0.0.1:{N}", "Server Exited.")
}

// TestEx11ClosedPort sends to a port nobody listens on: unconnected, the
// client only times out; connected, the ICMP port unreachable is a
// refused error.
func TestEx11ClosedPort(t *testing.T) {
	beEach(t, func(t *testing.T, loop string) {
		u := udpListen(t, loop)
		port := u.LocalAddr().(*net.UDPAddr).Port
		u.Close()
		hp := beHP(loop, port)
		opts := ExampleOptions{Timeout: 200 * time.Millisecond, Retries: 2}
		res, lines := ex11Run(t, loop, port, opts, "hello")
		if res.Value || res.Err != nil {
			t.Fatalf("unconnected ex11-client result %+v, want NIL", res)
		}
		matchLines(t, lines, ex11Created(loop), ex11Sent(5, hp, 1, 2), ex11Bound(loop),
			"No reply from "+hp+" within 200ms (try 1 of 2).", ex11Sent(5, hp, 2, 2),
			"No reply from "+hp+" within 200ms (try 2 of 2).", "Gave up on "+hp+" after 2 tries.", "Client Exited.")
		opts.Connect, opts.Timeout = true, 10*time.Second // the refusal comes long before
		res, lines = ex11Run(t, loop, port, opts, "hello")
		if res.Value || res.Err != nil {
			t.Fatalf("connected ex11-client result %+v, want NIL", res)
		}
		matchLines(t, lines, ex11Created(loop),
			fmt.Sprintf("Connected socket: #<%s datagram socket connected to %s/%d {ID}>", beFamily(loop), loop, port),
			ex11Sent(5, hp, 1, 2), "Connection refused: ICMP port unreachable from "+hp+". Nobody is listening there!", "Client Exited.")
	})
}

// udpListen binds a UDP socket on loop, closed when the test ends.
func udpListen(t *testing.T, loop string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(loop), 0)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
