package main

import (
	"bufio"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEMFILEAdvice runs ionetsh with a limit of 48 open files (set by
// sh's ulimit, which ionetsh cannot raise past the hard limit) and opens
// connections to ex5-server until accept fails with EMFILE. The server
// dies of its unhandled condition, and the message adds one line of
// advice; sessions --verbose shows both limits. Needs /bin/sh.
func TestEMFILEAdvice(t *testing.T) {
	script := "run ex5-server --port 0 --bind 127.0.0.1 --name srv; wait srv 20s; sessions --verbose"
	cmd := exec.Command("sh", "-c", `ulimit -n 48 && exec "$0" --no-color -c "$1"`, binary(t), script)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines, died := make(chan string, 4096), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Unhandled") {
				select {
				case <-died:
				default:
					close(died)
				}
			}
			lines <- sc.Text()
		}
		close(lines)
	}()
	var all []string
	port := ""
	re := regexp.MustCompile(`Listening on socket bound to: 127\.0\.0\.1:(\d+)`)
	for port == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("no Listening line:\n%s", strings.Join(all, "\n"))
			}
			all = append(all, l)
			if m := re.FindStringSubmatch(l); m != nil {
				port = m[1]
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no Listening line within 10s")
		}
	}
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	// Connect until the server dies: past 48 descriptors its accept fails.
	deadline := time.Now().Add(15 * time.Second)
dial:
	for time.Now().Before(deadline) {
		select {
		case <-died:
			break dial
		default:
		}
		if c, err := net.DialTimeout("tcp4", "127.0.0.1:"+port, time.Second); err == nil {
			conns = append(conns, c)
		}
	}
	for l := range lines {
		all = append(all, l)
	}
	txt := strings.Join(all, "\n")
	for _, want := range []string{
		"[srv] Unhandled SOCKET-ERROR: #<SOCKET-ERROR 24 :EMFILE \"Too many open files\", FD: ",
		"[srv] (the process had 48 of 48 file descriptors open; ulimit -n raises 48)",
		"file descriptors: ",
		"limit 48 (soft) of 48 (hard)",
	} {
		if !strings.Contains(txt, want) {
			t.Fatalf("output lacks %q:\n%s", want, txt)
		}
	}
}
