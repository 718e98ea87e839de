package repl

import (
	"strings"

	"github.com/ionetsh/ionetsh/netex"
)

// completer implements readline's AutoCompleter from the command table.
type completer struct{ sh *Shell }

// Do returns the completions of the word before pos, as suffixes.
func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	head := string(line[:pos])
	words, err := tokenize(head)
	if err != nil {
		return nil, 0
	}
	partial := ""
	if len(words) > 0 && !strings.HasSuffix(head, " ") {
		partial, words = words[len(words)-1], words[:len(words)-1]
	}
	var cands []string
	if len(words) == 0 {
		cands = commandNames()
	} else if cmd, ok := lookupCommand(words[0]); ok && cmd.Complete != nil {
		cands = cmd.Complete(c.sh, words[1:])
	}
	var out [][]rune
	for _, cand := range cands {
		if strings.HasPrefix(cand, partial) {
			out = append(out, []rune(cand[len(partial):]+" "))
		}
	}
	return out, len([]rune(partial))
}

func completeCommands(sh *Shell, args []string) []string {
	if len(args) > 0 {
		return nil
	}
	return commandNames()
}

func completeExamples(sh *Shell, args []string) []string {
	if len(args) > 0 {
		return nil
	}
	return netex.Names()
}

func completeRun(sh *Shell, args []string) []string {
	if len(args) == 0 {
		return netex.Names()
	}
	words := []string{"--name", "--host", "--port", "--bind"}
	if ex, ok := netex.Lookup(args[0]); ok {
		for _, f := range ex.Flags {
			words = append(words, "--"+f.Name)
		}
	}
	return words
}

func (sh *Shell) sessionNames() []string {
	var names []string
	for _, s := range sh.list() {
		names = append(names, s.name)
	}
	return names
}

func completeSessions(sh *Shell, args []string) []string {
	if len(args) > 0 {
		return nil
	}
	return sh.sessionNames()
}

func completeSessionsAll(sh *Shell, args []string) []string {
	return append(sh.sessionNames(), "all")
}

func completeConnect(sh *Shell, args []string) []string {
	switch len(args) {
	case 0:
		return sh.sessionNames()
	case 1:
		if s, err := sh.session(args[0]); err == nil && s.raw != nil {
			return append(clientList(), rawName)
		} else if err == nil && s.ex.Role == netex.Server {
			return append(append([]string(nil), s.ex.Peers...), rawName)
		}
	}
	return []string{"--name", "--count", "--detach", "--raw"}
}

func completeForget(sh *Shell, args []string) []string {
	if len(args) > 0 {
		return nil
	}
	names := []string{"exited"}
	for _, s := range sh.list() {
		if s.Ended() {
			names = append(names, s.name)
		}
	}
	return names
}

// rawNames lists the names the raw verbs take: raw clients, listeners
// and listeners' connections.
func (sh *Shell) rawNames() []string {
	var names []string
	for _, s := range sh.list() {
		if s.raw == nil {
			continue
		}
		if s.raw.listener {
			names = append(names, s.name)
		}
		for _, p := range s.raw.list() {
			names = append(names, p.name)
		}
	}
	return names
}

func completeRaw(sh *Shell, args []string) []string {
	if len(args) > 0 {
		return nil
	}
	return sh.rawNames()
}

func completeSend(sh *Shell, args []string) []string {
	switch {
	case len(args) == 0:
		return append([]string{"-n", "-x"}, sh.sessionNames()...)
	case len(args) == 1 && (args[0] == "-n" || args[0] == "-x"):
		return sh.rawNames()
	}
	return nil
}

func completeFlood(sh *Shell, args []string) []string {
	switch len(args) {
	case 0:
		return sh.rawNames()
	case 1:
		return []string{"stop", "64KiB", "1MiB", "64MiB", "1GiB"}
	}
	return []string{"--line", "--detach"}
}

func completeListen(sh *Shell, args []string) []string {
	return []string{"--name", "--bind"}
}
