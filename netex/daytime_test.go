package netex

import (
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// dtConnected is the pattern of a daytime client's first line when it
// has connected to a server on 127.0.0.1:port.
func dtConnected(client string, port int) string {
	word := "from"
	if client == "ex1-client" {
		word = "via"
	}
	return fmt.Sprintf("Connected to server 127.0.0.1:%d %s my local connection at {H:P}!", port, word)
}

// dtPrologue is the pattern of a server's first three lines on 127.0.0.1:port.
func dtPrologue(port int) []string {
	return []string{
		"Created socket: #<passive IPv4 stream socket, unbound {ID}>[fd={N}]",
		fmt.Sprintf("Bound socket: #<passive IPv4 stream socket bound to 127.0.0.1/%d {ID}>", port),
		fmt.Sprintf("Listening on socket bound to: 127.0.0.1:%d", port),
	}
}

// dtServed is the pattern of an iterative daytime server serving the
// client whose local address is from.
func dtServed(from string) []string {
	return []string{"Waiting to accept a connection...", "Got a connection from " + from + "!", "Sending the time...Sent!"}
}

// dtLocal extracts the client's local H:P from its Connected line.
func dtLocal(t testing.TB, line string) string {
	t.Helper()
	m := regexp.MustCompile(`local connection at (\S+)!$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no local address in %q", line)
	}
	return m[1]
}

// dtStop stops an ex2/ex3 server once it waits for client n+1 and
// checks that it ended as a stop, with nothing unhandled.
func dtStop(t *testing.T, srv *Run, out *output, clients int) {
	t.Helper()
	thrWaitCount(t, out, "^Waiting to accept a connection...$", clients+1)
	srv.Stop()
	if res := srv.Result(); !res.Stopped || res.Err != nil || res.Value {
		t.Fatalf("server result %+v, want a plain stop", res)
	}
}

// dtUnhandled checks that a run ended with the unhandled condition kind
// and that the debugger's line for it shows errno, e.g.
// Unhandled HANGUP: #<HANGUP 32 :EPIPE "Broken pipe", FD: 7>.
func dtUnhandled(t *testing.T, res Result, kind Kind, errno string) {
	t.Helper()
	if !errors.Is(res.Err, kind) || res.Value || res.Stopped {
		t.Fatalf("result %+v, want unhandled %s", res, kind)
	}
	want := fmt.Sprintf("Unhandled %s: #<%s %s, FD: {N}>", kind, kind, errno)
	if got := Unhandled(res.Err); !linePattern(want).MatchString(got) {
		t.Fatalf("unhandled = %q, want %q", got, want)
	}
}

func TestDaytimePairings(t *testing.T) {
	for _, server := range []string{"ex1-server", "ex2-server", "ex3-server"} {
		for _, client := range daytimeClients {
			t.Run(client+"/"+server, func(t *testing.T) { testDaytimePair(t, client, server) })
		}
	}
}

func testDaytimePair(t *testing.T, client, server string) {
	leakCheck(t)
	srv, sout, port := startServer(t, server)
	cli, cout := start(t, client, Config{Port: port})
	if res := wait(t, cli); !res.Value || res.Err != nil || res.Stopped {
		t.Fatalf("client result %+v, want T", res)
	}
	matchLines(t, cout.Lines(), dtConnected(client, port), "{TIME}")
	want := append(dtPrologue(port), dtServed(dtLocal(t, cout.Lines()[0]))...)
	if server == "ex1-server" {
		if res := wait(t, srv); !res.Value || res.Err != nil {
			t.Fatalf("server result %+v, want T", res)
		}
	} else {
		dtStop(t, srv, sout, 1)
		want = append(want, "Waiting to accept a connection...")
	}
	matchLines(t, sout.Lines(), want...)
}

func TestIterativeServersServeOneAtATime(t *testing.T) {
	for _, server := range []string{"ex2-server", "ex3-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, sout, port := startServer(t, server)
			var runs []*Run
			var outs []*output
			for range 3 {
				r, out := start(t, "ex3-client", Config{Port: port})
				runs, outs = append(runs, r), append(outs, out)
			}
			var clients, got []string
			for i, r := range runs {
				if res := wait(t, r); !res.Value || res.Err != nil {
					t.Fatalf("client %d result %+v", i, res)
				}
				matchLines(t, outs[i].Lines(), dtConnected("ex3-client", port), "{TIME}")
				clients = append(clients, dtLocal(t, outs[i].Lines()[0]))
			}
			dtStop(t, srv, sout, 3)
			want := dtPrologue(port)
			for range 3 {
				want = append(want, dtServed("{H:P}")...)
			}
			lines := sout.Lines()
			matchLines(t, lines, append(want, "Waiting to accept a connection...")...)
			for i := range 3 {
				got = append(got, strings.TrimSuffix(strings.TrimPrefix(lines[4+3*i], "Got a connection from "), "!"))
			}
			slices.Sort(got)
			slices.Sort(clients)
			if !slices.Equal(got, clients) {
				t.Fatalf("server served %v, clients were %v", got, clients)
			}
		})
	}
}

func TestDaytimeClientsRefused(t *testing.T) {
	for _, client := range []string{"ex1-client", "ex2-client"} {
		t.Run(client, func(t *testing.T) {
			leakCheck(t)
			cli, out := start(t, client, Config{Port: freePort(t)})
			dtUnhandled(t, wait(t, cli), ConnectionRefused, `111 :ECONNREFUSED "Connection refused"`)
			matchLines(t, out.Lines())
		})
	}
	t.Run("ex3-client", func(t *testing.T) {
		leakCheck(t)
		port := freePort(t)
		cli, out := start(t, "ex3-client", Config{Host: "localhost", Port: port})
		if res := wait(t, cli); res.Value || res.Err != nil || res.Stopped {
			t.Fatalf("result %+v, want NIL", res)
		}
		matchLines(t, out.Lines(), fmt.Sprintf("Connection refused to 127.0.0.1:%d. Maybe the server isn't running?", port))
	})
}

func TestIterativeServersStopInAccept(t *testing.T) {
	for _, server := range []string{"ex2-server", "ex3-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, out, port := startServer(t, server)
			dtStop(t, srv, out, 0)
			matchLines(t, out.Lines(), append(dtPrologue(port), "Waiting to accept a connection...")...)
		})
	}
}

func TestEx3ClientEndOfFile(t *testing.T) {
	leakCheck(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accepted := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			err = c.Close()
		}
		accepted <- err
	}()
	port := l.Addr().(*net.TCPAddr).Port
	cli, out := start(t, "ex3-client", Config{Port: port})
	if res := wait(t, cli); res.Value || res.Err != nil || res.Stopped {
		t.Fatalf("result %+v, want NIL", res)
	}
	matchLines(t, out.Lines(), dtConnected("ex3-client", port), "Got end-of-file. Server closed connection!")
	select {
	case err := <-accepted:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(testTimeout):
		t.Fatal("the listener did not accept")
	}
}

func TestEx2ServerWire(t *testing.T) {
	leakCheck(t)
	srv, out, port := startServer(t, "ex2-server")
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	data, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read %q, then %v; want the line and end-of-file", data, err)
	}
	if !regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{1,2}:\d{1,2}\r\n$`).Match(data) {
		t.Fatalf("got %q, want one daytime line ended by CRLF", data)
	}
	dtStop(t, srv, out, 1)
	want := append(dtPrologue(port), dtServed(c.LocalAddr().String())...)
	matchLines(t, out.Lines(), append(want, "Waiting to accept a connection...")...)
}

// dtGatedOutput is an output whose Write stops, once, at the first text
// containing gate until the test releases it: a server printing that
// line is held still, which lets a test act between two of its steps.
type dtGatedOutput struct {
	*output
	gate     string
	reached  chan struct{}
	release  chan struct{}
	once     sync.Once
	openOnce sync.Once
}

func (g *dtGatedOutput) Write(p []byte) (int, error) {
	if strings.Contains(string(p), g.gate) {
		g.once.Do(func() {
			close(g.reached)
			<-g.release
		})
	}
	return g.output.Write(p)
}

// dtResetBeforeAccept connects to port and resets the connection at once
// (SO_LINGER 0), returning the client's address.
func dtResetBeforeAccept(t *testing.T, port int) string {
	t.Helper()
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	from := c.LocalAddr().String()
	if err := c.(*net.TCPConn).SetLinger(0); err != nil {
		t.Fatal(err)
	}
	c.Close()
	return from
}
