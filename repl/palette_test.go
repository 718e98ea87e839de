package repl

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestSetColourAppliesAtOnce checks that set color on and off change
// the labels of sessions already running, and that a session keeps its
// colour while new ones take the least-used colour.
func TestSetColourAppliesAtOnce(t *testing.T) {
	leakCheck(t)
	var out, errs bytes.Buffer
	sh := newShell(&out, &errs, false, false)
	defer sh.Close()
	for _, c := range []string{"run ex1-server --port 0 --bind 127.0.0.1 --name a", "run ex1-server --port 0 --bind 127.0.0.1 --name b"} {
		if err := sh.Exec(c); err != nil {
			t.Fatal(err)
		}
	}
	sh.settle()
	if strings.Contains(out.String(), "\x1b") {
		t.Fatalf("colour while off: %q", out.String())
	}
	out.Reset()
	if err := sh.Exec("set color on"); err != nil {
		t.Fatal(err)
	}
	sh.Exec("log a 1")
	sh.Exec("log b 1")
	colours := regexp.MustCompile(`\x1b\[1;38;5;(\d+)m\[(a|b)\]\x1b\[0m`).FindAllStringSubmatch(out.String(), -1)
	if len(colours) != 2 || colours[0][1] == colours[1][1] {
		t.Fatalf("want a and b coloured, in two colours: %q", out.String())
	}
	out.Reset()
	sh.Exec("set color off")
	sh.Exec("log a 1")
	if strings.Contains(out.String(), "\x1b") {
		t.Fatalf("colour after set color off: %q", out.String())
	}
}

// TestLeastUsedColour checks that an ended session's colour is free
// again and a live session's is not.
func TestLeastUsedColour(t *testing.T) {
	leakCheck(t)
	var out, errs bytes.Buffer
	sh := newShell(&out, &errs, false, true)
	defer sh.Close()
	for _, c := range []string{"run ex1-server --port 0 --bind 127.0.0.1 --name a", "run ex1-server --port 0 --bind 127.0.0.1 --name b",
		"stop a", "run ex1-server --port 0 --bind 127.0.0.1 --name c", "run ex1-server --port 0 --bind 127.0.0.1 --name d"} {
		if err := sh.Exec(c); err != nil {
			t.Fatal(err)
		}
	}
	hue := map[string]int{}
	for _, s := range sh.list() {
		hue[s.name] = s.label.hue
	}
	if hue["c"] != hue["a"] || hue["d"] == hue["b"] || hue["d"] == hue["c"] || len(palette) < 8 {
		t.Fatalf("colours: %v", hue)
	}
	for _, c := range palette {
		if c == 1 || c == 9 || c == 4 || c == 160 || c == 196 || c == 17 || c == 18 || c == 19 {
			t.Fatalf("palette has red or dark blue: %d", c)
		}
	}
}
