package repl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for what takes input at the prompt or in a script. CI
// runs each for a short time (.ci/run); the README says how to run them
// longer. A failing input is saved under testdata/fuzz/FuzzX and from
// then on runs as a regular test case with go test.

// testCommandLines returns command lines drawn from this package's
// tests, as seed corpora: every line of a raw string literal, and every
// quoted string, that starts with a command name.
func testCommandLines(tb testing.TB) []string {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		tb.Fatal(err)
	}
	lit := regexp.MustCompile("`[^`]*`|\"(?:[^\"\\\\\\n]|\\\\.)*\"")
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, l := range lit.FindAllString(string(src), -1) {
			text := l[1 : len(l)-1]
			if l[0] == '"' {
				if text, err = strconv.Unquote(l); err != nil {
					continue
				}
			}
			for _, line := range strings.Split(text, "\n") {
				w := strings.Fields(line)
				if _, ok := lookupCommand(firstWord(w)); ok && !seen[line] || strings.HasPrefix(line, "(run-") {
					seen[line] = true
					out = append(out, line)
				}
			}
		}
	}
	return append(out, "run ex4-server :port 9999", "(run-ex4-server :port 9999)", "send -n r 'half a li'",
		`send r "a;b" 'c;d' e\ f # comment`, "explain ex1-server; help quit", "")
}

func firstWord(w []string) string {
	if len(w) == 0 {
		return ""
	}
	return w[0]
}

func seed(f *testing.F) {
	for _, l := range testCommandLines(f) {
		f.Add(l)
	}
}

// FuzzSplitCommands checks that splitting at unquoted semicolons loses
// nothing: the parts joined with ";" give back the input, byte for byte.
func FuzzSplitCommands(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		parts := splitCommands(s)
		if got := strings.Join(parts, ";"); got != s {
			t.Fatalf("splitCommands(%q) = %q, joined %q", s, parts, got)
		}
	})
}

// quoteWord quotes w for tokenize, as sh would: in single quotes, each
// single quote inside closing the quotes, escaped, and opening them again.
func quoteWord(w string) string {
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// FuzzTokenize checks that tokenize never panics and that its words,
// quoted again, tokenize to the same words: no byte is lost or changed.
func FuzzTokenize(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, line string) {
		words, err := tokenize(line)
		if err != nil {
			return
		}
		if all := strings.Join(words, ""); !subsequence(all, line) {
			t.Fatalf("tokenize(%q) = %q: bytes that are not in the input", line, words)
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = quoteWord(w)
		}
		again, err := tokenize(strings.Join(quoted, " "))
		if err != nil || strings.Join(again, "\x00") != strings.Join(words, "\x00") || len(again) != len(words) {
			t.Fatalf("tokenize(%q) = %q; quoted again: %q, %v", line, words, again, err)
		}
	})
}

// subsequence reports whether the bytes of a appear in b in order.
func subsequence(a, b string) bool {
	j := 0
	for i := 0; i < len(b) && j < len(a); i++ {
		if b[i] == a[j] {
			j++
		}
	}
	return j == len(a)
}

// FuzzParseOptions checks the option parser on the words of any line:
// no panic, positional words are input words in order, option values
// are input words too, and an error names at most 80 characters of a
// word.
func FuzzParseOptions(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, line string) {
		words, err := tokenize(line)
		if err != nil {
			return
		}
		o, err := parseOptions(words, "name", "port", "host")
		if err != nil {
			if len(err.Error()) > 200 {
				t.Fatalf("error of %d bytes: %.100q", len(err.Error()), err)
			}
			return
		}
		i := 0
		for _, p := range o.pos {
			for i < len(words) && words[i] != p {
				i++
			}
			if i == len(words) {
				t.Fatalf("positional %q is not an input word in order: %q", p, words)
			}
			i++
		}
		for k, v := range o.vals {
			if k != "name" && k != "port" && k != "host" {
				t.Fatalf("option %q was not allowed", k)
			}
			if !strings.Contains(line, v) && !strings.Contains(strings.Join(words, " "), v) {
				t.Fatalf("option value %q is not in the input", v)
			}
		}
	})
}

// FuzzLispForm checks the rewrite of the tutorial's Lisp call: it
// applies only to a parenthesised run- form and gives a run command
// keeping everything inside the parentheses after run-.
func FuzzLispForm(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, line string) {
		got, ok := lispForm(line)
		if !ok {
			if got != line {
				t.Fatalf("lispForm(%q) changed a line it did not apply to: %q", line, got)
			}
			return
		}
		inner := strings.TrimSpace(strings.TrimSpace(line)[1 : len(strings.TrimSpace(line))-1])
		if !strings.HasPrefix(got, "run ") || got[len("run "):] != inner[len("run-"):] {
			t.Fatalf("lispForm(%q) = %q", line, got)
		}
	})
}

// unsafeToFuzz are commands Exec may not run on fuzzed input: they
// start sessions (which could connect anywhere or take a port), run for
// as long as asked (sleep, bench's steps, watch's snapshots), or write
// files.
var unsafeToFuzz = []string{"run", "connect", "listen", "proxy", "bench", "watch", "sleep", "save"}

// FuzzExec runs any line on a shell with no sessions: no panic, an
// answer within a second, and nothing raw on stdout or stderr.
func FuzzExec(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, line string) {
		if l, ok := lispForm(line); ok {
			line = l
		}
		words, _ := tokenize(line)
		if c, ok := lookupCommand(firstWord(words)); ok && contains(unsafeToFuzz, c.Name) {
			return
		}
		var out bytes.Buffer
		sh := newShell(&out, &out, false, false)
		defer sh.Close()
		done := make(chan error, 1)
		go func() { done <- sh.Exec(line) }()
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Second):
			t.Fatalf("Exec(%.200q) did not return within 1s", line)
		}
		msg := ""
		if err != nil && !errors.Is(err, errQuit) {
			msg = err.Error()
			if len(msg) > 1000 {
				t.Fatalf("Exec(%.100q): error of %d bytes", line, len(msg))
			}
		}
		sh.pr.write([]byte(msg + "\n")) // as the interactive shell prints it
		checkNoControls(t, "output", out.String())
	})
}

// TestCommandLinesKeepBytes is what FuzzSplitCommands found: bytes that
// are not UTF-8 were turned into U+FFFD on their way to a command.
func TestCommandLinesKeepBytes(t *testing.T) {
	line := "send r \xff\xfe 'q\x8f'; eof r"
	parts := splitCommands(line)
	if len(parts) != 2 || parts[0] != "send r \xff\xfe 'q\x8f'" {
		t.Fatalf("splitCommands = %q", parts)
	}
	words, err := tokenize(parts[0])
	if err != nil || len(words) != 4 || words[2] != "\xff\xfe" || words[3] != "q\x8f" {
		t.Fatalf("tokenize = %q, %v", words, err)
	}
}
