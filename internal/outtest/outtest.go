// Package outtest helps tests compare ionetsh output between runs: it
// blanks what legitimately changes from run to run and groups lines by
// session.
package outtest

import (
	"regexp"
	"sort"
	"strings"
)

// normalizers replace what changes from run to run (addresses and ports,
// identity tokens, fds, the time of day) with fixed words.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d+\.\d+\.\d+\.\d+[:/]\d+`), "ADDR"},
	{regexp.MustCompile(`\{[0-9A-F]+\}`), "{ID}"},
	{regexp.MustCompile(`fd=\d+`), "fd=N"},
	{regexp.MustCompile(`FD: \d+`), "FD: N"},
	{regexp.MustCompile(`\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{1,2}:\d{1,2}`), "TIME"},
}

// Normalize rewrites s so that two runs of the same script compare equal.
func Normalize(s string) string {
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}

// BySession returns the "[NAME] text" lines of out, normalised, grouped
// by session in order of first appearance and sorted within each: live
// output shows lines in real time, so the interleaving of sessions, and
// of one session's threads, is down to timing; what each printed is not.
func BySession(out string) string {
	var order []string
	by := map[string][]string{}
	for _, l := range strings.Split(Normalize(out), "\n") {
		i := strings.Index(l, "]")
		if !strings.HasPrefix(l, "[") || i < 0 {
			continue
		}
		name := l[:i+1]
		if by[name] == nil {
			order = append(order, name)
		}
		by[name] = append(by[name], l)
	}
	var b strings.Builder
	for _, n := range order {
		sort.Strings(by[n])
		b.WriteString(strings.Join(by[n], "\n") + "\n")
	}
	return b.String()
}
