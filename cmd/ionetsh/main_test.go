package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/outtest"

	"github.com/ionetsh/ionetsh/repl"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ionetsh": func() { os.Exit(repl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, nil)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata through the real
// binary: each runs ionetsh as a separate process.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"cmpnorm": cmpNorm},
	})
}

// cmpNorm compares a file (stdout or stderr or a file name) with a
// golden file after normalising the first: cmpnorm stdout want.txt.
func cmpNorm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpnorm stdout|stderr|FILE WANTFILE")
	}
	got, want := outtest.Normalize(ts.ReadFile(args[0])), ts.ReadFile(args[1])
	if (got == want) == neg {
		ts.Fatalf("normalised %s does not match %s:\n--- got\n%s--- want\n%s%s", args[0], args[1], got, want, diffHint(got, want))
	}
}

// diffHint names the first line where got and want differ.
func diffHint(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("first difference at line %d:\n got: %q\nwant: %q\n", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d lines vs %d\n", len(g), len(w))
}
