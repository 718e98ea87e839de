package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/nettest"
)

// TestStandaloneResetBeforeAccept is spec §6's reset before accept for
// the servers the shell cannot hold: ionetsh run, stopped (SIGSTOP)
// while a client connects and resets, then continued. ex1-ex3 die of
// SOCKET-NOT-CONNECTED-ERROR (exit status 1, nothing about the client);
// ex4 and ex5 lose only that client's thread and serve on.
func TestStandaloneResetBeforeAccept(t *testing.T) {
	for _, server := range []string{"ex1-server", "ex2-server", "ex3-server", "ex4-server", "ex5-server"} {
		t.Run(server, func(t *testing.T) {
			cmd := exec.Command(binary(t), "run", server, "--port", "0", "--bind", "127.0.0.1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			lines := make(chan string, 100)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			port := waitLine(t, lines, regexp.MustCompile(`^Listening on socket bound to: 127\.0\.0\.1:(\d+)$`))
			waitLine(t, lines, regexp.MustCompile(`^Waiting to accept a connection\.\.\.$`))
			cmd.Process.Signal(syscall.SIGSTOP)
			waitStopped(t, cmd.Process.Pid)
			c, err := net.DialTimeout("tcp4", "127.0.0.1:"+port, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
			cmd.Process.Signal(syscall.SIGCONT)
			if server == "ex4-server" || server == "ex5-server" {
				thread := strings.ToUpper("PROCESS-" + server[:3] + "-CLIENT-THREAD")
				waitLine(t, lines, regexp.MustCompile(`^Unhandled SOCKET-NOT-CONNECTED-ERROR in #<THREAD "`+thread+`" RUNNING \{[0-9A-F]+\}>: #<SOCKET-NOT-CONNECTED-ERROR 107 :ENOTCONN "Transport endpoint is not connected", FD: \d+>$`))
				d, err := net.DialTimeout("tcp4", "127.0.0.1:"+port, 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				waitLine(t, lines, regexp.MustCompile(`^A thread is handling the connection from `))
				cmd.Process.Signal(syscall.SIGTERM)
				cmd.Wait()
				return
			}
			done := make(chan error, 1)
			go func() {
				for range lines {
				}
				done <- cmd.Wait()
			}()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("%s did not end", server)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("exit %v, want status 1", err)
			}
			if !regexp.MustCompile(`^Unhandled SOCKET-NOT-CONNECTED-ERROR: #<SOCKET-NOT-CONNECTED-ERROR 107 :ENOTCONN "Transport endpoint is not connected", FD: \d+>\n$`).MatchString(stderr.String()) {
				t.Fatalf("stderr %q", stderr.String())
			}
		})
	}
}

// waitLine waits for a line matching re and returns its first submatch.
func waitLine(t *testing.T, lines <-chan string, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("output ended before a line like %s", re)
			}
			if m := re.FindStringSubmatch(l); m != nil {
				if len(m) > 1 {
					return m[1]
				}
				return l
			}
		case <-deadline:
			t.Fatalf("no line like %s", re)
		}
	}
}

// waitStopped waits until process pid is stopped: kill(2) only sends
// SIGSTOP, and a server that is still running could accept the client
// before its reset. No event announces the stop, so this polls
// /proc/PID/stat, within a deadline.
func waitStopped(t *testing.T, pid int) {
	t.Helper()
	err := nettest.PollUntil(func() (bool, error) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		// The state follows the command name, which is in parentheses.
		i := bytes.LastIndexByte(b, ')')
		return i >= 0 && i+2 < len(b) && b[i+2] == 'T', err
	})
	if err != nil {
		t.Fatalf("process %d did not stop: %v", pid, err)
	}
}
