package repl

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/nettest"
	"github.com/ionetsh/ionetsh/netex"
)

// beShell is a shell for a test, closed (every session stopped) at its
// end, before the leak check.
func beShell(t *testing.T) (*Shell, *bytes.Buffer) {
	t.Helper()
	leakCheck(t)
	var out, errs bytes.Buffer
	sh := newShell(&out, &errs, false, false)
	t.Cleanup(sh.Close)
	return sh, &out
}

// beExec runs commands, failing the test on an error.
func beExec(t *testing.T, sh *Shell, cmds ...string) {
	t.Helper()
	for _, c := range cmds {
		if err := sh.Exec(c); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
}

// bePort is the port a server session listens on.
func bePort(t *testing.T, sh *Shell, name string) int {
	t.Helper()
	s := sh.find(name)
	if s == nil {
		t.Fatalf("no session %s", name)
	}
	a, ok := s.run.Addr()
	if !ok {
		t.Fatalf("%s does not listen", name)
	}
	return int(a.Port())
}

// TestRunEx9ClientServers gives ex9-client its servers in each of run's
// three forms, and checks the errors of the forms misused.
func TestRunEx9ClientServers(t *testing.T) {
	sh, out := beShell(t)
	beExec(t, sh, "run ex9-server --port 0 --bind 127.0.0.1 --name s9", "run ex2-server --port 0 --bind ::1 --name s2")
	p9, p2 := bePort(t, sh, "s9"), bePort(t, sh, "s2")
	beExec(t, sh,
		fmt.Sprintf("run ex9-client 127.0.0.1:%d [::1]:%d --name a", p9, p2), "wait a",
		fmt.Sprintf("run ex9-client --host 127.0.0.1 --port %d --host ::1 --port %d --name b", p9, p2), "wait b",
		fmt.Sprintf("run ex9-client --target 127.0.0.1:%d --target ::1:%d --name c", p9, p2), "wait c",
		fmt.Sprintf("(run-ex9-client ::1:%d :name e)", p2), "wait e",
		fmt.Sprintf("run ex9-client --host 127.0.0.1 --port %d --name d", p9), "wait d")
	sh.settle()
	for _, want := range []string{"[a] 2 of 2 servers answered.", "[b] 2 of 2 servers answered.", "[c] 2 of 2 servers answered.",
		"[d] 1 of 1 servers answered.", "[e] 1 of 1 servers answered.", fmt.Sprintf("[a] connect to ::1:%d: EINPROGRESS, #<active IPv6 stream socket", p2),
		fmt.Sprintf("[b] Connected to server 127.0.0.1:%d from", p9), "[c] => T", "[d] => T"} {
		if !strings.Contains(out.String(), want+"") {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for cmd, want := range map[string]string{
		"run ex9-client nowhere": `bad server "nowhere": want HOST:PORT`,
		"run ex9-client --host a --host b --port 1 --port 2 --port 3": "2 --host and 3 --port: give one of either, or as many of each",
		"run ex2-client 127.0.0.1:9":                                  "usage: run EXAMPLE",
		"run ex9-server --inline":                                     "unknown option --inline",
		"run ex11-client --drop 150%":                                 `bad --drop "150%"`,
		"run ex9-server --accept-delay":                               "option --accept-delay needs a value (DURATION)",
	} {
		if err := sh.Exec(cmd); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", cmd, err, want)
		}
	}
}

// TestUrgentFromTheShell sends urgent data with send --urgent through
// the client connect picks for ex10-server, and checks send --urgent's
// errors.
func TestUrgentFromTheShell(t *testing.T) {
	sh, out := beShell(t)
	beExec(t, sh, "run ex10-server --port 0 --bind 127.0.0.1", "connect ex10-server", "send ex10-client abc",
		"expect ex10-client ^abc$ 5", "send --urgent ex10-client X", "expect ex10-server 'urgent byte' 5")
	for cmd, want := range map[string]string{
		"send --urgent ex10-client XY": "send --urgent takes one byte",
		"send --urgent ex10-server X":  "does not read standard input",
		"send --urgent nosuch X":       `no session named "nosuch"`,
	} {
		if err := sh.Exec(cmd); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", cmd, err, want)
		}
	}
	beExec(t, sh, "run ex5-server --port 0 --bind 127.0.0.1", "connect ex5-server")
	if err := sh.Exec("send --urgent ex4-client X"); err == nil || !strings.Contains(err.Error(), "send --urgent is for ex10-client") {
		t.Errorf("send --urgent to ex4-client: %v", err)
	}
	sh.settle()
	for _, want := range []string{"[ex10-client] Sent urgent byte 'X' (MSG_OOB).", "[ex10-server] Got urgent byte 'X' from 127.0.0.1:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestConnectPairsBeyond: connect picks ex11-client for ex11-server and
// takes ex9-client for any daytime server.
func TestConnectPairsBeyond(t *testing.T) {
	sh, out := beShell(t)
	beExec(t, sh, "run ex11-server --port 0 --bind ::1", "connect ex11-server", "send ex11-client hi",
		"expect ex11-client 'Reply from' 5", "eof ex11-client", "wait ex11-client",
		"run ex3-server --port 0 --bind 127.0.0.1", "connect ex3-server ex9-client", "wait ex9-client")
	sh.settle()
	for _, want := range []string{"[ex11-client] Reply from ::1:", "[ex11-client] => T", "[ex9-client] 1 of 1 servers answered.", "[ex9-client] => T"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if err := sh.Exec("connect ex11-server ex4-client"); err == nil || !strings.Contains(err.Error(), "use one of: ex11-client") {
		t.Errorf("connect ex11-server ex4-client: %v", err)
	}
	if err := sh.Exec("connect ex3-server ex9-client --drop 50%"); err == nil || !strings.Contains(err.Error(), "--drop is not an option of ex9-client") {
		t.Errorf("connect ex3-server ex9-client --drop 50%%: %v", err)
	}
	beExec(t, sh, "connect ex11-server --drop 100% --retries 2 --timeout 0.1 --name lossy", "send lossy hi", "eof lossy", "wait lossy 10")
	sh.settle()
	for _, want := range []string{"[lossy] Dropped 2 bytes to ::1:", "(try 2 of 2): --drop 100% lost it.", "[lossy] No reply from ::1:",
		"within 100ms (try 2 of 2).", "after 2 tries.\n[lossy] Client Exited.\n[lossy] => NIL\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestEx9ResetRecipe runs the recipe explain ex9-server gives: the
// client resets during ex9's pause before accept, and ex9 survives it.
func TestEx9ResetRecipe(t *testing.T) {
	ex, _ := netex.Lookup("ex9-server")
	if !strings.Contains(ex.Explain, netex.Ex9ResetRecipe) {
		t.Fatalf("explain ex9-server lacks the recipe:\n%s", ex.Explain)
	}
	sh, out := beShell(t)
	beExec(t, sh, strings.Split(netex.Ex9ResetRecipe, "; ")...)
	beExec(t, sh, "expect ex9-server 'going on serving' 10", "connect ex9-server ex3-client", "wait ex3-client 10")
	sh.settle()
	for _, want := range []string{"[ex9-server] The listener is readable; pausing 2s before accept.",
		"that was reset before accept: getpeername says ENOTCONN.", "[ex9-server] Closing it and going on serving.",
		"[ex9-server] Sent the time to 127.0.0.1:", "[ex3-client] => T"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestStandaloneBeyondOptions: ionetsh run takes ex9-client's servers as
// words and the new examples' options, as run does in the shell.
func TestStandaloneBeyondOptions(t *testing.T) {
	leakCheck(t)
	p1, p2 := nettest.FreePort(t), nettest.FreePort(t)
	var out, errs bytes.Buffer
	code := Standalone([]string{"ex9-client", fmt.Sprintf("127.0.0.1:%d", p1), fmt.Sprintf("[::1]:%d", p2)}, strings.NewReader(""), &out, &errs)
	if code != 0 || !strings.Contains(out.String(), "\n0 of 2 servers answered.\nClient Exited.\nNIL\n") {
		t.Fatalf("status %d, stdout:\n%s\nstderr: %s", code, out.String(), errs.String())
	}
	out.Reset()
	code = Standalone([]string{"--port", fmt.Sprint(p1), "ex11-client", "--connect", "--retries", "1", "--host", "127.0.0.1"}, strings.NewReader("hi\n"), &out, &errs)
	if code != 0 || !strings.Contains(out.String(), fmt.Sprintf("Connection refused: ICMP port unreachable from 127.0.0.1:%d. Nobody is listening there!\n", p1)) {
		t.Fatalf("status %d, stdout:\n%s\nstderr: %s", code, out.String(), errs.String())
	}
	errs.Reset()
	if code := Standalone([]string{"ex2-client", "127.0.0.1:9"}, strings.NewReader(""), &out, &errs); code != 2 || !strings.Contains(errs.String(), `unexpected argument "127.0.0.1:9"`) {
		t.Fatalf("ex2-client with a server word: status %d, stderr %q", code, errs.String())
	}
}
