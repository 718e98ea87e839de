package repl

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ionetsh/ionetsh/netex"
)

// TestExplainBoundaryRecipes pastes every recipe of explain's Boundary
// cases, as a script, and checks that it runs without an error and
// induces its case.
func TestExplainBoundaryRecipes(t *testing.T) {
	for _, ex := range netex.Examples() {
		for _, b := range ex.Boundaries() {
			if len(b.Recipe) == 0 {
				continue
			}
			t.Run(ex.Name+"/"+b.Case, func(t *testing.T) {
				leakCheck(t)
				out, errs, code := script(t, strings.Join(b.Recipe, "\n")+"\n")
				if code != 0 || errs != "" {
					t.Fatalf("status %d, stderr %q; output:\n%s", code, errs, out)
				}
				if !regexp.MustCompile(`(?m)` + b.Expect).MatchString(out) {
					t.Fatalf("no line matches %q:\n%s", b.Expect, out)
				}
			})
		}
	}
}

// TestExplainShowsBoundaries: explain prints each case and its recipe.
func TestExplainShowsBoundaries(t *testing.T) {
	out, _, code := script(t, "explain ex6-server\n")
	if code != 0 || !strings.Contains(out, "Boundary cases") || !strings.Contains(out, "      send -n h half a li") ||
		!strings.Contains(out, "SOCKET-NOT-CONNECTED-ERROR") {
		t.Fatalf("explain ex6-server:\n%s", out)
	}
}
