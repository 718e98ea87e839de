package repl

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// labRecipes returns the recipes of the README's raw-peer lab: for each
// code block, the commands (ionet> lines, quit left out) and the lines
// shown as their output.
func labRecipes(t *testing.T) (cmds, outs [][]string) {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "### Raw peers you can steer, and the listener")
	if !ok {
		t.Fatal("README has no raw-peer lab")
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	blocks := strings.Split(sec, "```")
	for i := 1; i < len(blocks); i += 2 {
		var c, o []string
		for _, l := range strings.Split(strings.Trim(blocks[i], "\n"), "\n") {
			switch cmd, isCmd := strings.CutPrefix(l, "ionet> "); {
			case isCmd && cmd != "quit":
				c = append(c, cmd)
			case !isCmd && l != "":
				o = append(o, l)
			}
		}
		cmds, outs = append(cmds, c), append(outs, o)
	}
	return cmds, outs
}

// lineRE turns a line of README output into a pattern that ignores
// numbers (ports, fds, byte counts, times) and matches bytes that are
// not UTF-8 where the README shows U+FFFD.
func lineRE(l string) *regexp.Regexp {
	p := regexp.QuoteMeta(l)
	p = regexp.MustCompile(`\d+(\\\.\d+)? ?(µs|ms|s|bytes/s|KiB/s|MiB/s|GiB/s)\b`).ReplaceAllString(p, `[\d.]+ ?\S+`)
	p = regexp.MustCompile(`\d+`).ReplaceAllString(p, `\d+`)
	return regexp.MustCompile("(?m)^" + p + "$")
}

// TestReadmeLabRecipes runs each recipe of the README's raw-peer lab as
// a script and checks that every output line the README shows appears.
func TestReadmeLabRecipes(t *testing.T) {
	leakCheck(t)
	cmds, outs := labRecipes(t)
	if len(cmds) < 3 {
		t.Fatalf("the lab has %d recipes, want at least 3", len(cmds))
	}
	for i := range cmds {
		out, errs, code := script(t, strings.Join(cmds[i], "\n")+"\n")
		if code != 0 || errs != "" {
			t.Fatalf("recipe %d: status %d, stderr %q", i+1, code, errs)
		}
		for _, l := range outs[i] {
			if !lineRE(l).MatchString(out) {
				t.Fatalf("recipe %d: no line like %q in:\n%s", i+1, l, out)
			}
		}
	}
}
