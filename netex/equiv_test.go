package netex

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The output-equivalence tests run one fixed scripted scenario against
// each echo server and compare what it prints with a golden file recorded
// before the performance work (netex/testdata/equiv-*.txt). Lines are
// grouped by the connection they name, so threads and the kernel's timing
// do not matter; within a group the order must be the same. Only the bulk
// connection, whose reads and writes race by design, is compared line kind
// by line kind (the rest in order, its reads in order, its writes in
// order). Run with -update-equiv to record the golden files again.

var updateEquiv = flag.Bool("update-equiv", false, "record the output-equivalence golden files")

// equivClient is one scripted connection and the name it is printed as.
type equivClient struct {
	name string
	c    *net.TCPConn
	r    *bufio.Reader
	addr string // its local H:P as the server prints it
}

func TestOutputEquivalence(t *testing.T) {
	for _, server := range []string{"ex5-server", "ex6-server", "ex7-server", "ex8-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			lines, clients := equivScenario(t, server)
			got := equivCanonical(lines, clients)
			path := filepath.Join("testdata", "equiv-"+server+".txt")
			if *updateEquiv {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Fatalf("%s printed differently from %s:\n%s", server, path, firstDifference(got, string(want)))
			}
		})
	}
}

// equivScenario runs the script against server and returns every line it
// printed, with the clients it used.
func equivScenario(t *testing.T, server string) ([]string, []*equivClient) {
	_, out, port, finish := startServerPiped(t, server)
	dial := func(name string) *equivClient {
		c, rd, addr := muxDial(t, port)
		ec := &equivClient{name: name, c: c, r: rd, addr: addr}
		out.waitFor(t, regexp.QuoteMeta(addr))
		return ec
	}
	a, b, c := dial("A"), dial("B"), dial("C")
	for round := range 3 {
		for _, ec := range []*equivClient{a, b, c} {
			muxEcho(t, ec.c, ec.r, fmt.Sprintf("round %d from %s", round, ec.name))
		}
	}
	equivBatch(t, a, 5)
	clients := []*equivClient{a, b, c}
	if server != "ex8-server" {
		// ex8 prints byte counts, which depend on how the kernel splits a
		// bulk stream; its bulk behaviour is covered by the mux tests.
		d := dial("D")
		equivBulk(t, d, 300)
		out.waitFor(t, "Closing .*"+regexp.QuoteMeta(d.addr))
		clients = append(clients, d)
	}
	equivGoodbye(t, server, b)
	out.waitFor(t, "Closing .*"+regexp.QuoteMeta(b.addr))
	return finish(), clients
}

// startServerPiped runs a server as startServer does, but with its Out a
// pipe, a real file as ionetsh run's stdout is, whose lines are collected.
// The returned function stops the server and returns every line.
func startServerPiped(t *testing.T, name string) (*Run, *output, int, func() []string) {
	t.Helper()
	ex, ok := Lookup(name)
	if !ok {
		t.Fatalf("no example %q", name)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out := newOutput()
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		defer pr.Close()
		lines := bufio.NewReader(pr)
		for {
			line, err := lines.ReadBytes('\n')
			if len(line) > 0 {
				out.Write(line)
			}
			if err != nil {
				return
			}
		}
	}()
	r, err := Start(context.Background(), ex, Config{Port: 0, Bind: "127.0.0.1", Out: pw})
	if err != nil {
		t.Fatal(err)
	}
	finish := sync.OnceValue(func() []string {
		r.Stop()
		pw.Close()
		<-copied
		return out.Lines()
	})
	t.Cleanup(func() { finish() })
	<-r.Listening()
	a, ok := r.Addr()
	if !ok {
		t.Fatalf("%s ended without listening: %v", name, r.Result())
	}
	return r, out, int(a.Port()), finish
}

// equivBatch sends n lines in one write and reads their echoes.
func equivBatch(t *testing.T, ec *equivClient, n int) {
	t.Helper()
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "batch %d\r\n", i)
	}
	if _, err := io.WriteString(ec.c, sb.String()); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if got, err := ec.r.ReadString('\n'); err != nil || got != fmt.Sprintf("batch %d\r\n", i) {
			t.Fatalf("batch echo %d = %q, %v", i, got, err)
		}
	}
}

// equivBulk writes n lines while reading their echoes, then half-closes
// and reads until the server closes.
func equivBulk(t *testing.T, ec *equivClient, n int) {
	t.Helper()
	var wg sync.WaitGroup
	var werr error
	wg.Go(func() {
		w := bufio.NewWriter(ec.c)
		for i := range n {
			fmt.Fprintf(w, "bulk line %03d of the scripted scenario\r\n", i)
		}
		if werr = w.Flush(); werr == nil {
			werr = ec.c.CloseWrite()
		}
	})
	for i := range n {
		want := fmt.Sprintf("bulk line %03d of the scripted scenario\r\n", i)
		if got, err := ec.r.ReadString('\n'); err != nil || got != want {
			t.Fatalf("bulk echo %d = %q, %v", i, got, err)
		}
	}
	wg.Wait()
	if werr != nil {
		t.Fatal(werr)
	}
	muxExpectEOF(t, ec.r)
}

// equivGoodbye ends ec's conversation the way server knows: quit for the
// line servers that honour it, a last line and a half-close for the others.
func equivGoodbye(t *testing.T, server string, ec *equivClient) {
	t.Helper()
	if server == "ex5-server" || server == "ex6-server" {
		muxEcho(t, ec.c, ec.r, "quit")
	} else {
		muxEcho(t, ec.c, ec.r, "bye")
		if err := ec.c.CloseWrite(); err != nil {
			t.Fatal(err)
		}
	}
	muxExpectEOF(t, ec.r)
}

var (
	equivID = regexp.MustCompile(`\{[0-9A-F]+\}`)
	equivFD = regexp.MustCompile(`fd=\d+`)
	equivSv = regexp.MustCompile(`127\.0\.0\.1([:/])\d+`)
)

// equivCanonical names each client's address, masks identities, fds and
// the server's port, and groups the lines by the client they name ("-"
// for none), each group in printed order.
func equivCanonical(lines []string, clients []*equivClient) string {
	groups := map[string][]string{}
	for _, l := range lines {
		key := "-"
		for _, ec := range clients {
			host, port, _ := net.SplitHostPort(ec.addr)
			list := "(" + host + " " + port + ")"
			if strings.Contains(l, ec.addr) || strings.Contains(l, list) {
				l = strings.ReplaceAll(strings.ReplaceAll(l, ec.addr, ec.name), list, "("+ec.name+")")
				key = ec.name
			}
		}
		l = equivID.ReplaceAllString(l, "{ID}")
		l = equivFD.ReplaceAllString(l, "fd=N")
		l = equivSv.ReplaceAllString(l, "SERVER${1}PORT")
		groups[key] = append(groups[key], l)
	}
	if d := groups["D"]; d != nil {
		slices.SortStableFunc(d, func(x, y string) int { return equivKind(x) - equivKind(y) })
	}
	var sb strings.Builder
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		sb.WriteString("== " + key + " (" + strconv.Itoa(len(groups[key])) + " lines)\n")
		sb.WriteString(strings.Join(groups[key], "\n") + "\n")
	}
	return sb.String()
}

// equivKind orders a bulk connection's lines: the rest, then its reads,
// then its writes, each kind keeping its order.
func equivKind(l string) int {
	switch {
	case strings.HasPrefix(l, "Read"):
		return 1
	case strings.HasPrefix(l, "Wrote"):
		return 2
	}
	return 0
}

// firstDifference shows where got and want part, with some context.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	from := max(0, i-5)
	return fmt.Sprintf("line %d\n--- got\n%s\n--- want\n%s", i+1,
		strings.Join(g[from:min(len(g), i+5)], "\n"), strings.Join(w[from:min(len(w), i+5)], "\n"))
}
