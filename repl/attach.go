package repl

import "strings"

// attach gives the terminal to s until it ends, Ctrl-Z or Ctrl-D,
// unless more input is already waiting (a pasted block): the client
// would swallow the rest of the block, so it stays detached instead.
func (t *terminal) attach(s *Session) {
	if t.pending() {
		t.sh.printf("(%s not attached: more input follows; fg %s attaches it)\n", s.name, s.name)
		return
	}
	t.mu.Lock()
	t.attached = s
	t.mu.Unlock()
	t.ed.SetPrompt(s.name + "> ")
	t.sh.printf("%s", attachNotice(s.name))
	go func() {
		<-s.ended
		if t.detach(s) {
			t.ed.Refresh()
		}
	}()
}

// detach returns the terminal to the prompt if s is attached.
func (t *terminal) detach(s *Session) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.attached != s {
		return false
	}
	t.attached = nil
	t.ed.SetPrompt(prompt)
	return true
}

// attachedNow returns the attached session, or nil.
func (t *terminal) attachedNow() *Session {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.attached
}

// pending reports whether typed or pasted input is waiting beyond the
// line just read.
func (t *terminal) pending() bool {
	if t.plain != nil {
		return t.plain.pending() || inputPending(t.fd)
	}
	return t.lines.buffered() || inputPending(t.fd)
}

// addHistory stores a typed command in the persistent history (when it
// is on) and in the shell's own, for Up, Down and Ctrl-R.
func (t *terminal) addHistory(line string) {
	if _, err := t.sh.store.Add(line); err != nil {
		t.sh.errorf("ionetsh: %v\n", err)
	}
	h := t.hist
	if strings.TrimSpace(line) == "" || line[0] == ' ' || len(h) > 0 && h[len(h)-1] == line {
		return
	}
	t.hist = append(h, line)
	if t.rl != nil && t.histFor == nil {
		t.rl.SaveHistory(line)
	}
}

// clientHistory records a line typed to an attached client, for Up,
// Down and Ctrl-R while it is attached.
func (t *terminal) clientHistory(s *Session, line string) {
	h := t.clientHis[s]
	if line == "" || len(h) > 0 && h[len(h)-1] == line {
		return
	}
	t.clientHis[s] = append(h, line)
	if t.rl != nil && t.histFor == s {
		t.rl.SaveHistory(line)
	}
}

// useHistory gives readline the history of what the terminal is about
// to read: the shell's commands, or the attached client's lines.
func (t *terminal) useHistory() {
	s := t.attachedNow()
	if t.rl == nil || t.histReady && s == t.histFor {
		return
	}
	t.rl.ResetHistory()
	lines := t.hist
	if s != nil {
		lines = t.clientHis[s]
	}
	for _, l := range lines {
		t.rl.SaveHistory(l)
	}
	t.histFor, t.histReady = s, true
}

// termCompleter completes commands at the prompt and nothing while a
// client is attached: what is typed there is the client's input.
type termCompleter struct{ t *terminal }

func (c termCompleter) Do(line []rune, pos int) ([][]rune, int) {
	if c.t.attachedNow() != nil {
		return nil, 0
	}
	return completer{c.t.sh}.Do(line, pos)
}
