package repl

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/repl/visible"
)

func cmdLog(sh *Shell, args []string) error {
	o, err := parseFlagsOnly(args, "time")
	if err != nil || len(o.pos) < 1 || len(o.pos) > 2 {
		return fmt.Errorf("usage: log NAME [N] [--time]")
	}
	s, err := sh.session(o.pos[0])
	if err != nil {
		return err
	}
	n := 0
	if len(o.pos) == 2 {
		if n, err = strconv.Atoi(o.pos[1]); err != nil || n < 1 {
			return fmt.Errorf("bad line count %s: want a positive number", visible.Quote(o.pos[1]))
		}
	}
	var b []byte
	log := s.transcript()
	lines := log.Last(n)
	if d := log.Dropped(); d > 0 && (n == 0 || n > len(lines)) {
		b = appendLine(b, s.label.text(), fmt.Sprintf("(%d older lines dropped)", d), false)
	}
	for _, l := range lines {
		label := s.label.text()
		if o.flags["time"] {
			label = since(s.run.Started(), l.Time) + " " + s.label.text()
		}
		b = appendLine(b, label, l.Text, false)
	}
	sh.pr.writeLines(b)
	return nil
}

// since prints t relative to start, as +1.234s.
func since(start, t time.Time) string {
	return fmt.Sprintf("+%.3fs", t.Sub(start).Seconds())
}

// flagOptions are a command's positional words and its boolean --flags.
type flagOptions struct {
	pos   []string
	flags map[string]bool
}

// parseFlagsOnly separates positional words from boolean --flags.
func parseFlagsOnly(words []string, allowed ...string) (flagOptions, error) {
	o := flagOptions{flags: map[string]bool{}}
	for _, w := range words {
		if !strings.HasPrefix(w, "--") {
			o.pos = append(o.pos, w)
			continue
		}
		if !contains(allowed, w[2:]) {
			return o, fmt.Errorf("unknown option %s (expected one of %s)", visible.Short(w), optionList(allowed))
		}
		o.flags[w[2:]] = true
	}
	return o, nil
}

func cmdMute(sh *Shell, args []string) error   { return sh.setMuted(args, true) }
func cmdUnmute(sh *Shell, args []string) error { return sh.setMuted(args, false) }

// setMuted mutes or unmutes the named sessions: their lines are still
// recorded, only not shown.
func (sh *Shell) setMuted(args []string, muted bool) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: mute NAME... / unmute NAME...")
	}
	for _, name := range args {
		s, err := sh.session(name)
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.drainLocked() // lines printed before are recorded as they were
		s.muted = muted
		s.mu.Unlock()
	}
	return nil
}

func cmdForget(sh *Shell, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: forget NAME | forget exited")
	}
	if args[0] != "exited" {
		if _, err := sh.session(args[0]); err != nil {
			return err
		}
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	kept := sh.sessions[:0:0]
	for _, s := range sh.sessions {
		match := s.name == args[0] || args[0] == "exited" && s.Ended()
		if match && !s.Ended() {
			return fmt.Errorf("session %s is still %s; stop it first", visible.Quote(s.name), s.State())
		}
		if match {
			s.flush()
		} else {
			kept = append(kept, s)
		}
	}
	sh.sessions = kept
	return nil
}

func cmdHistory(sh *Shell, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: history [N]")
	}
	if sh.store == nil {
		return fmt.Errorf("history is kept only at an interactive prompt, and is off here")
	}
	n := 0
	if len(args) == 1 {
		var err error
		if n, err = strconv.Atoi(args[0]); err != nil || n < 1 {
			return fmt.Errorf("bad count %s: want a positive number", visible.Quote(args[0]))
		}
	}
	var b strings.Builder
	for _, e := range sh.store.Last(n) {
		fmt.Fprintf(&b, "%5d  %s\n", e.N, e.Text)
	}
	sh.printf("%s", b.String())
	return nil
}

// notSaved are commands that a saved script leaves out: they would fail
// in a script, or only look at or save the shell.
var notSaved = []string{"save", "quit", "exit", "fg", "history", "log", "help"}

func cmdSave(sh *Shell, args []string) error {
	o, err := parseFlagsOnly(args, "transcript", "force")
	if err != nil || len(o.pos) != 1 {
		return fmt.Errorf("usage: save [--force] FILE | save [--force] --transcript FILE")
	}
	path := o.pos[0]
	text, n := sh.script()
	what := fmt.Sprintf("%d commands", n)
	if o.flags["transcript"] {
		text, n = sh.transcript()
		what = fmt.Sprintf("a transcript of %d lines", n)
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !o.flags["force"] {
		flag |= os.O_EXCL
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; save --force %s replaces it", path, strings.Join(args, " "))
	}
	if err == nil {
		_, err = f.WriteString(text)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		return fmt.Errorf("save: %v", err)
	}
	sh.printf("saved %s to %s\n", what, path)
	return nil
}

// script returns the commands that worked so far, as a script, and how
// many there are.
func (sh *Shell) script() (string, int) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var b strings.Builder
	n := 0
	fmt.Fprintf(&b, "# ionetsh script saved %s; run it with: ionetsh FILE\n", time.Now().Format(time.DateTime))
	for _, c := range sh.cmds {
		if f := strings.Fields(c.text); c.ok && len(f) > 0 && !contains(notSaved, f[0]) {
			b.WriteString(c.text + "\n")
			n++
		}
	}
	return b.String(), n
}

// transcript returns every command, what each printed (tables, errors,
// attach notices) and every kept session line, in time order, with
// times relative to the shell's start, and how many lines that is.
func (sh *Shell) transcript() (string, int) {
	type entry struct {
		at   time.Time
		text string
	}
	var es []entry
	sh.mu.Lock()
	for _, c := range sh.cmds {
		es = append(es, entry{c.time, "ionet> " + c.text})
	}
	ss := append([]*Session(nil), sh.sessions...)
	sh.mu.Unlock()
	for _, l := range sh.shown.Last(0) {
		es = append(es, entry{l.Time, l.Text})
	}
	for _, s := range ss {
		for _, l := range s.transcript().Last(0) {
			es = append(es, entry{l.Time, "[" + s.name + "] " + l.Text})
		}
	}
	for i := range es {
		es[i].text = visible.String(es[i].text) // nothing raw in the file either
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].at.Before(es[j].at) })
	var b strings.Builder
	fmt.Fprintf(&b, "# ionetsh transcript saved %s\n", time.Now().Format(time.DateTime))
	for _, e := range es {
		fmt.Fprintf(&b, "%s %s\n", since(sh.begun, e.at), e.text)
	}
	return b.String(), len(es)
}

// historyStore opens the command history for an interactive shell;
// warnings go to warn. An empty path turns history off.
func historyStore(path string, warn func(string)) *history.Store {
	if path == "" {
		return nil
	}
	st, err := history.Open(path, history.DefaultLimit)
	if err != nil {
		warn(err.Error())
	}
	return st
}
