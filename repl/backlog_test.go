package repl

import (
	"regexp"
	"strings"
	"testing"
)

// TestBacklogSettingAndOption: servers listen with the tutorial's 5 by
// default, with what set backlog says after it, and with run --backlog
// over both, as the listener's SEND-Q (its backlog) in sockets shows.
func TestBacklogSettingAndOption(t *testing.T) {
	leakCheck(t)
	out, errs, code := script(t, `
run ex2-server --port 0 --bind 127.0.0.1 --name a
set backlog 64
run ex5-server --port 0 --bind 127.0.0.1 --name b
run ex8-server --port 0 --bind 127.0.0.1 --name c --backlog 32
set
sockets a b c
stop all
`)
	if code != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q\n%s", code, errs, out)
	}
	if !regexp.MustCompile(`(?m)^backlog\s+64\s`).MatchString(out) {
		t.Errorf("set does not list backlog 64:\n%s", out)
	}
	for name, want := range map[string]string{"a": "5", "b": "64", "c": "32"} {
		re := regexp.MustCompile(`(?m)^` + name + `\s+\d+\s+listen\S*\s.*\sLISTEN\s+\d+\s+` + want + `\s`)
		if !re.MatchString(out) {
			t.Errorf("sockets shows no listener %s with backlog %s:\n%s", name, want, out)
		}
	}
}

// TestStandaloneBacklog: ionetsh run takes --backlog for a server, 5 by
// default, and refuses it for a client.
func TestStandaloneBacklog(t *testing.T) {
	var errs strings.Builder
	for args, want := range map[string]int{"ex5-server": 5, "ex5-server --backlog 128": 128, "--backlog=7 ex8-server": 7} {
		run, err := parseStandalone(strings.Fields(args), &errs)
		if err != nil || run.cfg.Backlog != want {
			t.Errorf("ionetsh run %s: backlog %d, %v; want %d", args, run.cfg.Backlog, err, want)
		}
	}
	if _, err := parseStandalone([]string{"ex4-client", "--backlog", "9"}, &errs); err == nil || !strings.Contains(err.Error(), "--backlog is for servers") {
		t.Errorf("ionetsh run ex4-client --backlog 9: %v", err)
	}
	if _, err := parseStandalone([]string{"ex5-server", "--backlog", "0"}, &errs); err == nil || !strings.Contains(err.Error(), `bad backlog "0"`) {
		t.Errorf("ionetsh run ex5-server --backlog 0: %v", err)
	}
}
