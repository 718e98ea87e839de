package repl

import (
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/internal/labtest"
)

// TestReadmeLabRecipes runs each recipe of the README's raw-peer lab as
// a script and checks that every output line the README shows appears.
func TestReadmeLabRecipes(t *testing.T) {
	leakCheck(t)
	rs, err := labtest.Recipes("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 3 {
		t.Fatalf("the lab has %d recipes, want at least 3", len(rs))
	}
	for i, r := range rs {
		out, errs, code := script(t, strings.Join(r.Commands, "\n")+"\n")
		if code != 0 || errs != "" {
			t.Fatalf("recipe %d: status %d, stderr %q", i+1, code, errs)
		}
		if miss := r.Missing(out); len(miss) > 0 {
			t.Fatalf("recipe %d: no lines like %q in:\n%s", i+1, miss, out)
		}
	}
}
