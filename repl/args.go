package repl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ionetsh/ionetsh/repl/visible"
)

// splitCommands splits a -c argument or a script line into commands at
// unquoted semicolons. It works on bytes, so that bytes that are not
// UTF-8 pass through unchanged.
func splitCommands(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		r := s[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ';':
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(r)
	}
	return append(out, cur.String())
}

// tokenize splits a command line into words. Single and double quotes
// group words; a backslash escapes the next character outside single
// quotes; an unquoted # starts a comment. It works on bytes (every
// special character is ASCII), so that bytes that are not UTF-8 reach
// the command unchanged.
func tokenize(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, escaped := false, false
	var quote byte
	for i := 0; i < len(line); i++ {
		r := line[i]
		switch {
		case escaped:
			cur.WriteByte(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteByte(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return finishWord(words, &cur, inWord), nil
		case r == ' ' || r == '\t':
			words = finishWord(words, &cur, inWord)
			inWord = false
		default:
			cur.WriteByte(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	return finishWord(words, &cur, inWord), nil
}

func finishWord(words []string, cur *strings.Builder, inWord bool) []string {
	if inWord {
		words = append(words, cur.String())
	}
	cur.Reset()
	return words
}

// lispForm rewrites the tutorial's own call, (run-ex4-server :port 9999),
// into words of the run command: run ex4-server :port 9999.
func lispForm(line string) (string, bool) {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return line, false
	}
	inner := strings.TrimSpace(s[1 : len(s)-1])
	if !strings.HasPrefix(strings.ToLower(inner), "run-") {
		return line, false
	}
	return "run " + inner[len("run-"):], true
}

// options holds a command's --name value pairs and its positional words.
type options struct {
	pos  []string
	vals map[string]string
}

// parseOptions separates positional words from options. Options are
// --key V, --key=V or the Lisp keyword form :key V; allowed names them.
func parseOptions(words []string, allowed ...string) (options, error) {
	o := options{vals: map[string]string{}}
	for i := 0; i < len(words); i++ {
		w := words[i]
		key, val, hasVal := "", "", false
		switch {
		case strings.HasPrefix(w, "--") && len(w) > 2:
			key, val, hasVal = strings.Cut(w[2:], "=")
			key = strings.ToLower(key)
		case strings.HasPrefix(w, ":") && len(w) > 1 && strings.Trim(w[1:], "0123456789") != "":
			key = strings.ToLower(w[1:])
		default:
			o.pos = append(o.pos, w)
			continue
		}
		if !contains(allowed, key) {
			return o, fmt.Errorf("unknown option %s (expected one of %s)", visible.Short(w), optionList(allowed))
		}
		if !hasVal {
			if i+1 >= len(words) {
				return o, fmt.Errorf("option %s needs a value", visible.Short(w))
			}
			i++
			val = words[i]
		}
		o.vals[key] = strings.Trim(val, `"`)
	}
	return o, nil
}

func optionList(allowed []string) string {
	parts := make([]string, len(allowed))
	for i, a := range allowed {
		parts[i] = "--" + a
	}
	return strings.Join(parts, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parsePort checks a port number; min is 0 where an ephemeral port is
// allowed and 1 otherwise.
func parsePort(s string, min int) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < min || p > 65535 {
		return 0, fmt.Errorf("bad port %s: want a number from %d to 65535", visible.Quote(s), min)
	}
	return p, nil
}

// takeFlag removes every word equal to flag from args and reports
// whether there was one.
func takeFlag(args []string, flag string) ([]string, bool) {
	var out []string
	found := false
	for _, a := range args {
		if a == flag {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}
