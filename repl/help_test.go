package repl

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// squash joins s's words with single spaces, so text can be compared
// whatever its wrapping.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// fits fails if a line of text is longer than width, unless it is a
// single word that could not be broken.
func fits(t *testing.T, what, text string, width int) {
	t.Helper()
	for _, l := range strings.Split(text, "\n") {
		if len(l) > width && len(strings.Fields(l)) > 1 {
			t.Errorf("%s: line of %d columns, more than %d:\n%s", what, len(l), width, l)
		}
	}
}

var flagRE = regexp.MustCompile(`--[a-z]+`)

// TestHelpPages walks the command table: each command has real examples
// that parse as that command with options it declares, every option in
// its usage is described with its default, and help COMMAND shows all of
// it within 80 columns.
func TestHelpPages(t *testing.T) {
	for _, c := range commands() {
		page, errs, code := script(t, "help "+c.Name+"\n")
		if code != 0 || !strings.HasPrefix(page, "usage: "+c.Name) {
			t.Fatalf("help %s: status %d, stderr %q, page:\n%s", c.Name, code, errs, page)
		}
		fits(t, "help "+c.Name, page, 79)
		flat := squash(page)
		for _, want := range []string{squash(c.usage()), squash(capitalise(c.Summary))} {
			if !strings.Contains(flat, want) {
				t.Errorf("help %s lacks %q", c.Name, want)
			}
		}
		if len(c.Examples) == 0 {
			t.Errorf("%s has no examples", c.Name)
		}
		for _, e := range c.Examples {
			words, err := tokenize(e)
			if err != nil || len(words) == 0 || (words[0] != c.Name && !contains(c.Aliases, words[0])) {
				t.Errorf("%s: example %q is not a %s command", c.Name, e, c.Name)
			}
			for _, f := range flagRE.FindAllString(e, -1) {
				if !strings.Contains(c.Args, f) {
					t.Errorf("%s: example %q uses %s, which the usage does not have", c.Name, e, f)
				}
			}
			if !strings.Contains(page, "  "+e+"\n") {
				t.Errorf("help %s does not show example %q", c.Name, e)
			}
		}
		for _, f := range flagRE.FindAllString(c.Args, -1) {
			if !hasOption(c, f) {
				t.Errorf("%s: option %s in the usage has no description", c.Name, f)
			}
		}
		for _, o := range c.Options {
			if !strings.Contains(c.Args, strings.Fields(o.Name)[0]) || o.Help == "" {
				t.Errorf("%s: option %q is not in the usage, or has no help", c.Name, o.Name)
			}
			if !strings.Contains(flat, squash(o.Name+" "+o.Help)) || !strings.Contains(flat, squash("(default: "+o.Default+")")) {
				t.Errorf("help %s does not describe %q with its default %q", c.Name, o.Name, o.Default)
			}
		}
	}
	fg, _, _ := script(t, "help fg\n")
	if !strings.Contains(fg, "Ctrl-Z") || !strings.Contains(fg, "Ctrl-D") {
		t.Errorf("help fg does not mention Ctrl-Z and Ctrl-D:\n%s", fg)
	}
}

func hasOption(c Command, flag string) bool {
	for _, o := range c.Options {
		if strings.Fields(o.Name)[0] == flag {
			return true
		}
	}
	return false
}

// TestWrapAt80 checks that what the shell prints reads within 80
// columns: help, examples (the narrow layout), explain, set, and errors
// and notices through say.
func TestWrapAt80(t *testing.T) {
	fits(t, "help", helpList(79), 79)
	fits(t, "help at 50", helpList(49), 49)
	narrow := examplesText(79)
	fits(t, "examples", narrow, 79)
	if strings.Contains(narrow, "PAIRS WITH") || !strings.Contains(narrow, "\nex8-server   echo with half-close server, multiplexed, nonblocking I/O\n             pairs with ex5b-client\n") {
		t.Errorf("examples at 80 columns is not the narrow layout:\n%s", narrow)
	}
	if wide := examplesText(250); !strings.HasPrefix(wide, "NAME ") || strings.Count(wide, "\n") != 23 {
		t.Errorf("examples at 250 columns is not the one-line table:\n%s", wide)
	}
	var out bytes.Buffer
	sh := newShell(&out, &out, false, false)
	defer sh.Close()
	for _, ex := range []string{"ex6-server", "ex8-server", "ex5a-client"} {
		cmdExplain(sh, []string{ex})
	}
	cmdSet(sh, nil)
	sh.say("error: "+unknownExample("zz-server").Error()+"\n", 2)
	fits(t, "explain, set and an error", out.String(), 79)
	if !strings.Contains(out.String(), "\nerror: unknown example \"zz-server\"; examples: ex1-client, ex2-client,\n  ex3-client,") {
		t.Errorf("the error is not wrapped with a hanging indent:\n%s", out.String())
	}
}

func TestWrapKeepsWordsAndHyphens(t *testing.T) {
	in := "  connect ex1-server picks ex1-client, the lowest-numbered client that pairs with it"
	got := wrap(in, 30, 2)
	if squash(got) != squash(in) {
		t.Fatalf("words changed: %q", got)
	}
	for i, l := range strings.Split(got, "\n") {
		if len(l) > 30 {
			t.Errorf("line %q longer than 30", l)
		}
		if i > 0 && !strings.HasPrefix(l, "    ") {
			t.Errorf("continuation %q not indented by 4", l)
		}
		if strings.HasSuffix(l, "-") {
			t.Errorf("broke at a hyphen: %q", l)
		}
	}
}

// TestCompletionScripts: each shell's script is generated from the
// command table; bash accepts the bash one, and its function completes.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		var out, errb bytes.Buffer
		if code := Main([]string{"completion", shell}, strings.NewReader(""), &out, &errb, nil); code != 0 {
			t.Fatalf("completion %s: status %d, %s", shell, code, errb.String())
		}
		for _, want := range []string{"ionetsh", "ex5b-client", "explain", "replay", "connect"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("completion %s lacks %q", shell, want)
			}
		}
	}
	script, _ := completionScript("bash")
	path := filepath.Join(t.TempDir(), "ionetsh.bash")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	cases := map[string]string{
		"ionetsh explain ex8-s":      "ex8-server",
		"ionetsh help conn":          "connect",
		"ionetsh run ex1-server --p": "--port",
		"ionetsh completion z":       "zsh",
		"ionetsh --rep":              "--replay",
		"ionetsh exa":                "examples",
	}
	for line, want := range cases {
		words := strings.Fields(line)
		prog := `source "$1"; COMP_WORDS=(` + line + `); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _ionetsh; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command("bash", "-c", prog, "bash", path).CombinedOutput()
		if err != nil || !strings.Contains("\n"+string(out), "\n"+want+"\n") {
			t.Errorf("completing %q (%d words): %v, got %q, want %q among them", line, len(words), err, out, want)
		}
	}
	if code := Main([]string{"completion", "tcsh"}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, nil); code != 2 {
		t.Errorf("completion tcsh: status %d, want 2", code)
	}
}
