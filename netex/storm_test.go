package netex

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/racecheck"
)

// stormConns is how many connections TestRSTStorm makes per server: 5000,
// or 1000 under -race; stormWorkers of them at a time, fewer than the
// backlog of 5 takes, so that none waits in SYN retries.
var stormConns = map[bool]int{false: 5000, true: 1000}[racecheck.Enabled]

const stormWorkers = 4

// TestRSTStorm: thousands of clients each send a line (ex5, ex8) or not
// (ex4, daytime), read the answer and reset. Every reset prints exactly
// the lines of §6's table, and nothing else; after the stop, no fd and
// no goroutine is left.
func TestRSTStorm(t *testing.T) {
	for _, server := range []string{"ex4-server", "ex5-server", "ex8-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			srv, out, port := startServer(t, server)
			start := time.Now()
			clients := storm(t, port, server != "ex4-server")
			done := map[string]string{
				"ex4-server": `^(Closing connection to .*!|Unhandled SOCKET-NOT-CONNECTED-ERROR in .*)$`,
				"ex5-server": `^Unhandled SOCKET-NOT-CONNECTED-ERROR in `,
				"ex8-server": `^Closing connection to `,
			}[server]
			thrWaitCount(t, out, done, len(clients))
			t.Logf("%s: %d connections reset in %v", server, len(clients), time.Since(start).Round(time.Millisecond))
			srv.Stop()
			checkStorm(t, server, out.Lines(), clients)
		})
	}
}

// storm runs stormConns clients against port and returns their H:P.
func storm(t *testing.T, port int, echo bool) []string {
	var mu sync.Mutex
	var clients []string
	var wg sync.WaitGroup
	next := make(chan int)
	for range stormWorkers {
		wg.Go(func() {
			for i := range next {
				a, err := stormClient(port, i, echo)
				mu.Lock()
				if err != nil {
					t.Error(err)
				} else {
					clients = append(clients, a)
				}
				mu.Unlock()
			}
		})
	}
	for i := range stormConns {
		next <- i
	}
	close(next)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return clients
}

// stormClient connects, sends line i if echo, reads the server's line
// and resets the connection.
func stormClient(port, i int, echo bool) (string, error) {
	// Each client has an address of its own (127.0.A.B), so that its
	// lines tell it apart from a later one that reuses its port.
	local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(1+i%250))}
	d := net.Dialer{Timeout: testTimeout, LocalAddr: local}
	c, err := d.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	if echo {
		fmt.Fprintf(c, "line %d\r\n", i)
	}
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil && err != io.EOF {
		return "", err
	}
	c.(*net.TCPConn).SetLinger(0)
	return c.LocalAddr().String(), nil
}

// checkStorm checks that each client's lines, and the lines that name no
// client, are exactly those of §6 for server.
func checkStorm(t *testing.T, server string, lines, clients []string) {
	t.Helper()
	hp := regexp.MustCompile(`127\.0\.\d+\.\d+:\d+`)
	per := map[string][]string{}
	var other []string
	for _, l := range lines {
		if a := hp.FindString(l); a != "" && !strings.HasPrefix(l, "Listening on") {
			per[a] = append(per[a], strings.ReplaceAll(l, a, "X"))
		} else {
			other = append(other, l)
		}
	}
	unhandled := 0
	for _, l := range other {
		if linePattern(`Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "PROCESS-` + strings.ToUpper(server[:3]) + `-CLIENT-THREAD" RUNNING {ID}>: ` + notConnected).MatchString(l) {
			unhandled++
		}
	}
	for _, a := range clients {
		got := per[a]
		if !stormLines(server, got) {
			t.Fatalf("client %s: lines %q", a, got)
		}
		if len(got) == 2 || server == "ex5-server" {
			unhandled-- // its cleanup died asking for the name
		}
	}
	if len(per) != len(clients) || unhandled != 0 {
		t.Fatalf("%d clients named, %d made; %d Unhandled lines unaccounted for", len(per), len(clients), unhandled)
	}
}

// stormLines reports whether got, a client's lines with its H:P as X,
// is one of §6's answers to a reset after the reply.
func stormLines(server string, got []string) bool {
	j := strings.Join(got, "\n")
	switch server {
	case "ex4-server":
		pre := "A thread is handling the connection from X!\nSending the time to X...Sent!"
		return j == pre || j == pre+"\nClosing connection to X!"
	case "ex5-server":
		return regexp.MustCompile(`^A thread is handling the connection from X!\nRead line from X: line \d+\nWrote line to X: line \d+\nClient X: connection reset by peer\.$`).MatchString(j)
	}
	return regexp.MustCompile(`^Accepted a client from X\nRead \d+ bytes from X\nWrote \d+ bytes to X\nClient X: connection reset by peer\.\nClosing connection to X$`).MatchString(j)
}
