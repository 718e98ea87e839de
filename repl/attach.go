package repl

import (
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/repl/visible"
)

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
	t.ed.SetPrompt(visible.String(visible.Short(s.name)) + "> ")
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
	if strings.TrimSpace(line) == "" || line[0] == ' ' {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.hist = appendNew(t.hist, line)
	t.histDirty = t.histDirty || t.histFor == nil
}

// clientHistory records a line typed to an attached client, for Up,
// Down and Ctrl-R while it is attached.
func (t *terminal) clientHistory(s *Session, line string) {
	if line == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clientHis[s] = appendNew(t.clientHis[s], line)
	t.histDirty = t.histDirty || t.histFor == s
}

// appendNew appends line unless it repeats the last one.
func appendNew(h []string, line string) []string {
	if len(h) > 0 && h[len(h)-1] == line {
		return h
	}
	return append(h, line)
}

// useHistory chooses the history for what the terminal is about to
// read: the shell's commands, or the attached client's lines.
func (t *terminal) useHistory() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.histReady || t.attached != t.histFor {
		t.histFor, t.histReady, t.histDirty = t.attached, true, true
	}
}

// applyHistory gives readline the chosen history if it changed. It runs
// in readline's own goroutine (from filterRune, before a key is
// handled): readline's history is not safe to change from another.
func (t *terminal) applyHistory() {
	t.mu.Lock()
	if !t.histDirty {
		t.mu.Unlock()
		return
	}
	lines := t.hist
	if t.histFor != nil {
		lines = t.clientHis[t.histFor]
	}
	lines = append([]string(nil), lines...)
	t.histDirty = false
	t.mu.Unlock()
	t.rl.ResetHistory()
	for _, l := range lines {
		t.rl.SaveHistory(l)
	}
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

// promptWait bounds how long waitPrompt holds output back.
const promptWait = 100 * time.Millisecond

// waitPrompt holds session output back while readline is starting a
// line: written after the prompt is drawn but before readline reads
// keys, it would land after the prompt and leave none below it
// (chzyer/readline issue #220). Once readline reads, its writer redraws
// the prompt below each write.
func (t *terminal) waitPrompt() {
	deadline := time.Now().Add(promptWait)
	for t.inReadline.Load() && !t.rl.Terminal.IsReading() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}
