package repl

import (
	"os"
	"strings"
	"testing"
)

// TestREADMECommandsMatchHelp keeps the README's command list in sync
// with help: the block under "## Commands" is help's output at 80
// columns, as ionetsh help prints it.
func TestREADMECommandsMatchHelp(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "## Commands\n\n```\n")
	if !ok {
		t.Fatal(`README has no "## Commands" code block`)
	}
	block, _, _ := strings.Cut(after, "```")
	if want := helpList(defaultColumns - 1); block != want {
		t.Fatalf("README's command list differs from help; replace it with the output of ionetsh help:\n%s", want)
	}
}

// TestREADMELinks: the README links nothing outside the repository but
// the tutorial's public home in the IOLib project.
func TestREADMELinks(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, bad := range []string{"](../", "shared/", "\x08"} {
		if strings.Contains(text, bad) {
			t.Errorf("README contains %q", bad)
		}
	}
	for rest := text; ; {
		_, after, ok := strings.Cut(rest, "](")
		if !ok {
			break
		}
		target, _, _ := strings.Cut(after, ")")
		if strings.Contains(target, "://") && !strings.HasPrefix(target, "https://github.com/sionescu/iolib/") {
			t.Errorf("README links outside the repository: %s", target)
		}
		rest = after
	}
}

// TestREADMERecipesRun runs each script recipe in the README (a code
// block of commands starting with run) and expects it to work. Fixed
// ports are avoided by setting port 0 and a loopback bind first.
func TestREADMERecipesRun(t *testing.T) {
	leakCheck(t)
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(data), "```")
	n := 0
	for i := 1; i < len(parts); i += 2 {
		block := strings.TrimPrefix(parts[i], "\n")
		first := ""
		for _, l := range strings.Split(block, "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				first = l
				break
			}
		}
		if !strings.HasPrefix(first, "run ") {
			continue
		}
		n++
		out, errs, code := script(t, "set port 0\nset bind 127.0.0.1\n"+block)
		if code != 0 {
			t.Errorf("recipe failed (status %d):\n%s\nstderr:\n%s\nstdout:\n%s", code, block, errs, out)
		}
	}
	if n < 2 {
		t.Fatalf("found %d recipes, want at least 2", n)
	}
}
