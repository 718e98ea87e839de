// Package labtest reads the recipes of the README's Boundary lab for
// tests: the commands each recipe types and the output lines it shows,
// and patterns that match those lines in another run.
package labtest

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Section is the heading of the raw-peer recipes in README.md.
const Section = "### Raw peers you can steer, and the listener"

// Recipe is one code block of the section: the commands typed at the
// prompt and the lines shown as their output, up to quit.
type Recipe struct {
	Commands []string
	Output   []string
}

// Recipes reads the section's recipes from the README at path.
func Recipes(path string) ([]Recipe, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, sec, ok := strings.Cut(string(b), Section)
	if !ok {
		return nil, fmt.Errorf("%s has no section %q", path, Section)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	blocks := strings.Split(sec, "```")
	var rs []Recipe
	for i := 1; i < len(blocks); i += 2 {
		rs = append(rs, parseBlock(blocks[i]))
	}
	return rs, nil
}

var (
	durations = regexp.MustCompile(`\d+(\\\.\d+)? ?(µs|ms|s|bytes/s|KiB/s|MiB/s|GiB/s)\b`)
	numbers   = regexp.MustCompile(`\d+`)
)

// LineRE turns a line of README output into a multi-line pattern for a
// whole line that ignores numbers (ports, fds, byte counts, times) and
// matches bytes that are not UTF-8 where the README shows U+FFFD.
func LineRE(l string) *regexp.Regexp {
	p := regexp.QuoteMeta(l)
	p = durations.ReplaceAllString(p, `[\d.]+ ?\S+`)
	p = numbers.ReplaceAllString(p, `\d+`)
	return regexp.MustCompile("(?m)^" + p + "$")
}

// Missing returns the lines of r's output that out does not show.
func (r Recipe) Missing(out string) []string {
	var miss []string
	for _, l := range r.Output {
		if !LineRE(l).MatchString(out) {
			miss = append(miss, l)
		}
	}
	return miss
}

// parseBlock reads one recipe's code block, up to quit.
func parseBlock(block string) Recipe {
	var r Recipe
	for _, l := range strings.Split(strings.Trim(block, "\n"), "\n") {
		cmd, isCmd := strings.CutPrefix(l, "ionet> ")
		switch {
		case isCmd && cmd == "quit":
			return r
		case isCmd:
			r.Commands = append(r.Commands, cmd)
		case l != "":
			r.Output = append(r.Output, l)
		}
	}
	return r
}
