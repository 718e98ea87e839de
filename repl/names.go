package repl

import (
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"regexp"
	"strings"
	"time"
)

// nameRE is what a session name may hold: one word of letters, digits,
// -, _, . and / (the slash is for listener connections such as L/1).
var nameRE = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

// checkName refuses a session name that is not one word of the allowed
// characters, or that a command reads as a keyword.
func checkName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("bad session name %s: use one word of letters, digits, -, _, . and /", visible.Quote(name))
	}
	if name == "all" || name == "exited" {
		return fmt.Errorf("session name %s is reserved (stop all, forget exited)", visible.Quote(name))
	}
	return nil
}

// suggest returns the candidates word most likely meant: the shortest
// one it is a prefix of, else the one or two closest by edit distance.
// Very short words that are nobody's prefix get no suggestion, since
// any two-letter word is close to many names.
func suggest(word string, cands []string) []string {
	lower := strings.ToLower(word)
	best := ""
	for _, c := range cands {
		if strings.HasPrefix(c, lower) && c != word && (best == "" || len(c) < len(best)) {
			best = c
		}
	}
	if best != "" {
		return []string{best}
	}
	if len(word) <= 2 {
		return nil
	}
	var out []string
	bestD := min(2, max(1, len(word)/3)) + 1
	for _, c := range cands {
		switch d := distance(lower, c); {
		case d < bestD:
			out, bestD = []string{c}, d
		case d == bestD && !contains(out, c):
			out = append(out, c)
		}
	}
	if len(out) > 2 {
		return nil // too many equally close: none is a good guess
	}
	return out
}

// didYouMean is "; did you mean "x"?" (or "x" or "y") for word among
// cands, or "" when nothing is close.
func didYouMean(word string, cands []string) string {
	s := suggest(word, cands)
	switch len(s) {
	case 1:
		return fmt.Sprintf("; did you mean %q?", s[0])
	case 2:
		return fmt.Sprintf("; did you mean %q or %q?", s[0], s[1])
	}
	return ""
}

// noSession is the error for a name no session has: a suggestion among
// every session's name, and the live sessions.
func (sh *Shell) noSession(name string) error {
	var all, live []string
	for _, s := range sh.list() {
		all = append(all, s.name)
		if !s.Ended() {
			live = append(live, s.name)
		}
	}
	list := "no live sessions"
	if len(live) > 0 {
		list = "live sessions: " + strings.Join(live, ", ")
	}
	return fmt.Errorf("no session named %s%s (%s)", visible.Quote(name), didYouMean(name, all), list)
}

// liveSession finds a session that has not ended.
func (sh *Shell) liveSession(name string) (*Session, error) {
	s, err := sh.session(name)
	if err != nil {
		return nil, err
	}
	if s.Ended() {
		return nil, sh.endedError(s)
	}
	return s, nil
}

// endedError says that s has ended, how and when, and names a live
// session running the same example if there is one.
func (sh *Shell) endedError(s *Session) error {
	msg := fmt.Sprintf("%s has ended (%s %s ago)", s.name, s.State(), ago(time.Since(s.EndedAt())))
	for _, o := range sh.list() {
		if o != s && o.ex.Name == s.ex.Name && !o.Ended() {
			msg += fmt.Sprintf("; %s is live", o.name)
			break
		}
	}
	return fmt.Errorf("%s", msg)
}

// ago rounds d for "stopped 12s ago": tenths under ten seconds, whole
// seconds after.
func ago(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// claimName returns name if it is free, or if the session holding it has
// ended, in which case that session is returned to be replaced. A live
// session holding it is an error.
func (sh *Shell) claimName(name string) (*Session, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	s := sh.find(name)
	if s == nil {
		return nil, nil
	}
	if !s.Ended() {
		return nil, fmt.Errorf("session name %s is taken by a live session (stop it first, or use --name)", visible.Quote(name))
	}
	return s, nil
}

// defaultName is base if no live session has it, else base-2, base-3,
// and so on; a name held by an ended session counts as free.
func (sh *Shell) defaultName(base string) string {
	name := base
	for i := 2; ; i++ {
		if s := sh.find(name); s == nil || s.Ended() {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}
