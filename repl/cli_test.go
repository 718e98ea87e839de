package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/netex"
)

func TestVersionOf(t *testing.T) {
	cases := []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}}}, "0123456789ab"},
		{debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}, "abc-dirty"},
		{debug.BuildInfo{}, "devel"},
	}
	for _, tc := range cases {
		if got := versionOf(&tc.bi); got != tc.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tc.bi, got, tc.want)
		}
	}
}

// main runs Main with no input and returns its status and output.
func mainOut(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestCommandLine: --help is the full usage on stdout, --version the
// build's version, and help, examples and explain work as subcommands.
func TestCommandLine(t *testing.T) {
	for _, h := range []string{"-h", "--help"} {
		code, out, errs := mainOut(h)
		if code != 0 || errs != "" {
			t.Fatalf("%s: status %d, stderr %q", h, code, errs)
		}
		for _, want := range []string{"ionetsh [FLAGS] -c 'CMD; CMD'", "ionetsh run EXAMPLE", "ionetsh completion bash|zsh|fish",
			"--pace factor", "(default 1)", "--history FILE", "-e ", "--echo", "--no-color", "--replay FILE", "--step", "--version",
			"NO_COLOR", "ionetsh/history", "ionetsh/init", "help COMMAND describes one"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", h, want, out)
			}
		}
		fits(t, h, out, 79)
	}
	if code, out, _ := mainOut("--version"); code != 0 || out != "ionetsh "+Version()+"\n" {
		t.Errorf("--version: status %d, %q", code, out)
	}
	if code, out, _ := mainOut("help", "fg"); code != 0 || !strings.HasPrefix(out, "usage: fg NAME\n") {
		t.Errorf("help fg: status %d, %q", code, out)
	}
	if code, out, _ := mainOut("examples"); code != 0 || !strings.HasPrefix(out, "ex1-client   daytime client") {
		t.Errorf("examples: status %d, %q", code, out)
	}
	if code, out, _ := mainOut("explain", "ex1-server"); code != 0 || !strings.HasPrefix(out, "ex1-server (daytime server") {
		t.Errorf("explain: status %d, %q", code, out)
	}
	if code, _, errs := mainOut("explain", "ex1-sever"); code != 1 || !strings.HasPrefix(errs, `ionetsh: unknown example "ex1-sever"; did you mean "ex1-server"?`) {
		t.Errorf("explain ex1-sever: status %d, %q", code, errs)
	}
	if code, _, errs := mainOut("--bogus"); code != 2 || !strings.Contains(errs, "ionetsh --help for more") {
		t.Errorf("--bogus: status %d, %q", code, errs)
	}
}

// TestSetBindResolves: set bind takes a name and servers bind its IPv4
// address; an IPv6 literal binds as it is; set alone lists every setting.
func TestSetBindResolves(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, "set bind localhost\nset port 0\nrun ex1-server\nset\nrun ex1-server --name x --bind ::1\nrun ex1-server --name y --bind no.such.host.invalid\nstop x\n")
	if code != 1 || !strings.Contains(out, "Listening on socket bound to: 127.0.0.1:") || !strings.Contains(out, "[x] Listening on socket bound to: ::1:") {
		t.Fatalf("status %d, stderr %q, out:\n%s", code, errs, out)
	}
	for _, want := range []string{`host\s+localhost`, `port\s+0 `, `bind\s+localhost`, `color\s+off`, `errexit\s+off`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("set lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{`line 6: bad bind address "no.such.host.invalid": not an IP address, and the name has no IPv4 address`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %s", want, errs)
		}
	}
}

func TestInitPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/conf")
	if got := initPath(); got != "/x/conf/ionetsh/init" {
		t.Errorf("initPath = %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	home, _ := os.UserHomeDir()
	if got := initPath(); got != filepath.Join(home, ".config", "ionetsh", "init") {
		t.Errorf("initPath = %q", got)
	}
}

// TestStandaloneBindResolves: ionetsh run's --bind takes a name too.
func TestStandaloneBindResolves(t *testing.T) {
	ex, _ := netex.Lookup("ex1-server")
	cfg, err := standaloneConfig(ex, "localhost", "0", "localhost")
	if err != nil || cfg.Bind != "127.0.0.1" {
		t.Fatalf("standaloneConfig(--bind localhost) = %+v, %v; want bind 127.0.0.1", cfg, err)
	}
}
