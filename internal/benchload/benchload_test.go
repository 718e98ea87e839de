package benchload

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/leaktest"
)

// TestChildSlices runs the child in this process against two baselines
// and checks its protocol: ready, then done and ready for every slice,
// batch and echo alike, and nothing left open once its input ends.
func TestChildSlices(t *testing.T) {
	for _, mode := range []string{"echo", "batch"} {
		t.Run(mode, func(t *testing.T) {
			leaktest.Check(t)
			task := Task{Mode: mode, Clients: 3, Idle: 2, Addrs: []string{GoEcho(t, Backlog), GoEcho(t, Backlog)}}
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			errc := make(chan error, 1)
			go func() { errc <- child(task.String(), inR, outW); outW.Close() }()
			lines := bufio.NewScanner(outR)
			expect := func(want string) {
				t.Helper()
				if !lines.Scan() || lines.Text() != want {
					t.Fatalf("child said %q, want %q", lines.Text(), want)
				}
			}
			expect("ready")
			for k, i := range []int{0, 1, 1, 0} {
				fmt.Fprintf(inW, "run %d %d\n", i, 100+k)
				expect("done")
				expect("ready")
			}
			inW.Close()
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestChildCatchesCorruption checks that a server changing a byte is an
// error of the child, not speed.
func TestChildCatchesCorruption(t *testing.T) {
	leaktest.Check(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		io.WriteString(c, strings.ToUpper(line))
	}()
	task := Task{Mode: "echo", Clients: 1, Addrs: []string{l.Addr().String()}}
	var out strings.Builder
	err = child(task.String(), strings.NewReader("run 0 1\n"), &out)
	if err == nil || !strings.Contains(err.Error(), "got back") {
		t.Fatalf("child returned %v after a corrupted echo; said %q", err, out.String())
	}
}

func TestParseTaskRejects(t *testing.T) {
	for _, spec := range []string{"", "echo 1 0", "ping 1 0 127.0.0.1:1", "echo x 0 127.0.0.1:1"} {
		if _, err := parseTask(spec); err == nil {
			t.Errorf("parseTask(%q) accepted it", spec)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
