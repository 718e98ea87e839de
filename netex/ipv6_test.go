package netex

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// v6Pairings lists every client/server pairing of spec §4: the
// tutorial's fourteen examples (those beyond it have tests of their own).
func v6Pairings() [][2]string {
	var pairs [][2]string
	for _, srv := range Examples() {
		if srv.Role == Server && !srv.Beyond() {
			for _, cli := range srv.Peers {
				if ex, _ := Lookup(cli); ex.Beyond() {
					continue
				}
				pairs = append(pairs, [2]string{cli, srv.Name})
			}
		}
	}
	return pairs
}

// v6Idle waits until r is at rest: every thread blocked on something
// that is not ready, or r ended.
func v6Idle(t *testing.T, r *Run) {
	t.Helper()
	if err := pollUntil(func() (bool, error) { return r.Idle(), nil }); err != nil {
		t.Fatalf("%s not at rest: %v", r.Example().Name, err)
	}
}

// v6Converse runs one conversation of client with server, the server
// bound to loop and the client connecting to it, and returns what each
// printed. A client that reads standard input sends hello and then (to
// an echo server) quit, one at a time, before its input ends; the server
// is stopped once at rest, unless it ends by itself.
func v6Converse(t *testing.T, client, server, loop string) (cli, srv []string) {
	t.Helper()
	sr, sout := start(t, server, Config{Bind: loop, Host: loop})
	<-sr.Listening()
	a, ok := sr.Addr()
	if !ok {
		t.Fatalf("%s did not listen: %+v", server, sr.Result())
	}
	in := NewStdinPipe()
	cr, cout := start(t, client, Config{Host: loop, Port: int(a.Port()), Stdin: in})
	if ex, _ := Lookup(client); ex.ReadsStdin {
		in.Send("hello")
		if ex.Protocol == Echo {
			sout.waitFor(t, `^Wrote .*: hello$`)
			in.Send("quit")
			sout.waitFor(t, `^Closing connection to `)
			v6Idle(t, cr)
		}
		in.Close()
	}
	wait(t, cr)
	if server == "ex1-server" {
		wait(t, sr)
	} else {
		v6Idle(t, sr)
		sr.Stop()
	}
	return cout.Lines(), sout.Lines()
}

var (
	v6Loop   = regexp.MustCompile(`127\.0\.0\.1|::1`)
	v6Family = regexp.MustCompile(`IPv[46]`)
	v6ID     = regexp.MustCompile(`\{[0-9A-F]+\}`)
	v6Num    = regexp.MustCompile(`\d+`)
)

// v6Normal returns lines with the loopback address, the family, identity
// tokens and numbers (ports, fds, times) made neutral, sorted: threads
// print concurrently, so only the multiset of lines is deterministic.
// Destroying lines are left out (see below).
func v6Normal(lines []string, dropEchoes bool) []string {
	var out []string
	for _, l := range lines {
		if dropEchoes && (l == "hello" || l == "quit") {
			continue
		}
		// A client thread that has printed its last line may or may not
		// have ended when the server is stopped: whether the stop
		// destroys it is timing, not the address family.
		if strings.HasPrefix(l, "Destroying: #<THREAD") {
			continue
		}
		l = v6Loop.ReplaceAllString(l, "LOOP")
		l = v6Family.ReplaceAllString(l, "IPvX")
		l = v6ID.ReplaceAllString(l, "{ID}")
		out = append(out, v6Num.ReplaceAllString(l, "N"))
	}
	slices.Sort(out)
	return out
}

// TestPairingsOverIPv6 runs every pairing of the fourteen examples over
// ::1 and over 127.0.0.1: both sides must print the same lines, with
// every address and socket in its IPv6 form.
func TestPairingsOverIPv6(t *testing.T) {
	for _, p := range v6Pairings() {
		client, server := p[0], p[1]
		t.Run(client+"/"+server, func(t *testing.T) {
			leakCheck(t)
			cli4, srv4 := v6Converse(t, client, server, "127.0.0.1")
			cli6, srv6 := v6Converse(t, client, server, "::1")
			for _, l := range slices.Concat(cli6, srv6) {
				if strings.Contains(l, "127.0.0.1") || strings.Contains(l, "IPv4") {
					t.Errorf("an IPv4 form over IPv6: %q", l)
				}
			}
			if !linePattern("Created socket: #<passive IPv6 stream socket, unbound {ID}>[fd={N}]").MatchString(srv6[0]) {
				t.Errorf("first server line %q", srv6[0])
			}
			// ex5a may lose echoes in flight; that is its lesson.
			drop := client == "ex5a-client"
			if got, want := v6Normal(cli6, drop), v6Normal(cli4, drop); !slices.Equal(got, want) {
				t.Errorf("client over IPv6:\n%s\nover IPv4:\n%s", strings.Join(cli6, "\n"), strings.Join(cli4, "\n"))
			}
			if got, want := v6Normal(srv6, false), v6Normal(srv4, false); !slices.Equal(got, want) {
				t.Errorf("server over IPv6:\n%s\nover IPv4:\n%s", strings.Join(srv6, "\n"), strings.Join(srv4, "\n"))
			}
		})
	}
}

// TestIPv6PrintedForms checks the IPv6 lines of one pairing exactly: the
// server's socket forms (::1/P) and every H:P as ::1:P, without brackets.
func TestIPv6PrintedForms(t *testing.T) {
	leakCheck(t)
	cli, srv := v6Converse(t, "ex4-client", "ex5-server", "::1")
	port := thrCaptured(t, srv[2], `^Listening on socket bound to: ::1:(\d+)$`)
	local := thrCaptured(t, cli[0], `local connection at (::1:\d+)!$`)
	matchLines(t, cli,
		fmt.Sprintf("Connected to server ::1:%s from my local connection at %s!", port, local),
		"hello", "quit", "Got end-of-file. Server closed connection on read!", "Client Exited.")
	_, rest := thrSplit(srv)
	matchLines(t, rest,
		"Created socket: #<passive IPv6 stream socket, unbound {ID}>[fd={N}]",
		"Bound socket: #<passive IPv6 stream socket bound to ::1/"+port+" {ID}>",
		"Listening on socket bound to: ::1:"+port,
		"A thread is handling the connection from "+local+"!",
		"Read line from "+local+": hello", "Wrote line to "+local+": hello",
		"Read line from "+local+": quit", "Wrote line to "+local+": quit",
		"Closing connection to "+local+"!",
		"Destroying any active client threads....")
}

// TestDualStackServerServesIPv4 runs ex5-server bound to :: and an IPv4
// client: the server sees and prints it IPv4-mapped.
func TestDualStackServerServesIPv4(t *testing.T) {
	leakCheck(t)
	sr, sout := start(t, "ex5-server", Config{Bind: "::"})
	<-sr.Listening()
	a, _ := sr.Addr()
	port := fmt.Sprint(a.Port())
	in := Lines("dual")
	cr, cout := start(t, "ex4-client", Config{Host: "127.0.0.1", Port: int(a.Port()), Stdin: in})
	wait(t, cr)
	sout.waitFor(t, `^Closing connection to `)
	v6Idle(t, sr)
	sr.Stop()
	local := thrCaptured(t, cout.Lines()[0], `local connection at 127\.0\.0\.1:(\d+)!$`)
	matchLines(t, cout.Lines(),
		fmt.Sprintf("Connected to server 127.0.0.1:%s from my local connection at 127.0.0.1:%s!", port, local),
		"dual", "Got end-of-file. Server closed connection on read!", "Client Exited.")
	mapped := "::ffff:127.0.0.1:" + local
	_, rest := thrSplit(sout.Lines())
	matchLines(t, rest,
		"Created socket: #<passive IPv6 stream socket, unbound {ID}>[fd={N}]",
		"Bound socket: #<passive IPv6 stream socket bound to ::/"+port+" {ID}>",
		"Listening on socket bound to: :::"+port,
		"A thread is handling the connection from "+mapped+"!",
		"Read line from "+mapped+": dual", "Wrote line to "+mapped+": dual",
		"Client "+mapped+" closed connection for a read.",
		"Closing connection to "+mapped+"!",
		"Destroying any active client threads....")
}

// TestFamilyPreference: with Family IPv6 a server binds to :: by default
// and a client resolves localhost for IPv6 (to ::1, or IPv4-mapped where
// the hosts file has no IPv6 localhost).
func TestFamilyPreference(t *testing.T) {
	leakCheck(t)
	ex, _ := Lookup("ex1-server")
	sout := newOutput()
	sr, err := Start(context.Background(), ex, Config{Family: IPv6, Out: sout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sr.Stop)
	<-sr.Listening()
	a, _ := sr.Addr()
	if a.Addr() != netip.IPv6Unspecified() {
		t.Fatalf("an IPv6 server with no bind address listens on %v, want ::", a)
	}
	cr, cout := start(t, "ex3-client", Config{Family: IPv6, Host: "localhost", Port: int(a.Port())})
	if res := wait(t, cr); !res.Value || res.Err != nil {
		t.Fatalf("client result %+v", res)
	}
	thrCaptured(t, cout.Lines()[0], `^Connected to server (::1|::ffff:127\.0\.0\.1):\d+ from my local connection at \S+!$`)
	if res := wait(t, sr); !res.Value || res.Err != nil {
		t.Fatalf("server result %+v", res)
	}
	matchLines(t, sout.Lines()[:2],
		"Created socket: #<passive IPv6 stream socket, unbound {ID}>[fd={N}]",
		fmt.Sprintf("Bound socket: #<passive IPv6 stream socket bound to ::/%d {ID}>", a.Port()))
	if _, err := Start(context.Background(), ex, Config{Bind: "::1%"}); err == nil {
		t.Error("a malformed bind address was accepted")
	}
}
