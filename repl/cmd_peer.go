package repl

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"path"
	"strings"
	"time"
)

// The verbs of raw sessions: connections made with connect HOST:PORT or
// connect SERVER raw, and those a listen session accepted. A verb takes
// a raw client's name, a listener connection's (L/2), a listener's own
// (its last accepted connection), or a glob over those (c-*, L/*).

// rawHelp, floodHelp and listenHelp are the longer help of the raw verbs.
const (
	rawHelp    = "NAME is a raw client (connect HOST:PORT, connect SERVER raw), a listener's connection (L/2), a listener's own name (its last accepted connection), or a glob over those (c-*, L/*). Example sessions refuse these verbs."
	floodHelp  = "SIZE is a byte count: 4096, 100KB, 64MiB, 1GiB. Without --line the bytes have no newline; with it they are 64-byte lines ending in CRLF. The flood is sent from one small reused buffer, a round at a time, and reports each quarter, then the bytes sent and how long the peer took to accept them. flood waits for that end: Ctrl-C stops the flood and keeps the connection. With --detach it returns at once; flood NAME stop or stop NAME ends it. What comes back meanwhile is counted, not shown, until the next verb."
	sendHelp   = "For raw sessions NAME may also be a listener's connection (L/2), a listener's own name or a glob, and -x sends bytes given in hex, e.g. send -x c ff fe 68 69 0d 0a; -n and -x are for raw sessions only."
	listenHelp = "PORT defaults to the shell's port (set port); 0 takes a free one, shown in the Listening line and in sessions. connect N CLIENT --detach runs a tutorial client against the listener."
)

// verbCalm bounds how long a raw verb, and a detached connect, wait for
// the sessions to come to rest. At the interactive prompt commands are
// not settled as in scripts, and a pasted "connect L ex3-client
// --detach" then "close L" must close the connection the first line
// made. A running flood keeps sessions busy, hence the short bound.
const verbCalm = 500 * time.Millisecond

// rawVerb is the usage and loop action of a verb that takes only NAME.
type rawVerb struct {
	usage string
	do    func(p *peer) error
}

var rawVerbs = map[string]rawVerb{
	"pause":    {"pause NAME", (*peer).pause},
	"resume":   {"resume NAME", (*peer).resume},
	"shutdown": {"shutdown NAME", (*peer).shutdown},
	"reset":    {"reset NAME", (*peer).reset},
	"close":    {"close NAME", (*peer).closeConn},
}

// verbCommand returns the Run function of a NAME-only verb.
func verbCommand(verb string) func(sh *Shell, args []string) error {
	return func(sh *Shell, args []string) error {
		v := rawVerbs[verb]
		if len(args) != 1 {
			return fmt.Errorf("usage: %s", v.usage)
		}
		return sh.onPeers(verb, args[0], v.do)
	}
}

// onPeers has each peer NAME resolves to carry out do, in order.
// It first lets what earlier commands set going come to rest (see
// verbCalm), so that pasted lines act in the order they were written.
func (sh *Shell) onPeers(verb, name string, do func(p *peer) error) error {
	sh.calm(verbCalm)
	ps, err := sh.rawTargets(verb, name)
	if err != nil {
		return err
	}
	var errs []string
	for _, p := range ps {
		if err := p.call(sh.commandContext(), do); err != nil {
			if errors.Is(err, errInterrupted) {
				return err
			}
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// rawTargets resolves a verb's NAME to the peers it acts on.
func (sh *Shell) rawTargets(verb, name string) ([]*peer, error) {
	if strings.ContainsAny(name, "*?[") {
		return sh.rawGlob(name)
	}
	if i := strings.LastIndexByte(name, '/'); i > 0 {
		if s, err := sh.session(name[:i]); err == nil && s.raw != nil && s.raw.listener {
			for _, p := range s.raw.list() {
				if p.name == name {
					return []*peer{p}, nil
				}
			}
			return nil, fmt.Errorf("listener %s has no connection %s", visible.Quote(s.name), visible.Quote(name))
		}
	}
	s, err := sh.session(name)
	if err != nil {
		return nil, err
	}
	if s.raw == nil {
		return nil, fmt.Errorf("session %s runs %s, an example: %s works on raw sessions (connect HOST:PORT, connect SERVER raw, listen)", visible.Quote(s.name), s.ex.Name, verb)
	}
	ps := s.raw.list()
	switch {
	case len(ps) > 0:
		return ps[len(ps)-1:], nil
	case s.Ended():
		return nil, fmt.Errorf("session %s has ended (%s)", visible.Quote(s.name), s.State())
	case s.raw.listener:
		return nil, fmt.Errorf("listener %s has accepted no connection yet", visible.Quote(s.name))
	}
	return nil, fmt.Errorf("%s is not connected yet", s.name)
}

// rawGlob returns the live peers whose names match pattern (path.Match).
func (sh *Shell) rawGlob(pattern string) ([]*peer, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("bad pattern %s: %v", visible.Quote(pattern), err)
	}
	var out []*peer
	for _, p := range sh.rawPeers() {
		if ok, _ := path.Match(pattern, p.name); ok && !p.ended() {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no live raw connection matches %s", visible.Quote(pattern))
	}
	return out, nil
}

// rawPeers lists every raw session's connections, in start order.
func (sh *Shell) rawPeers() []*peer {
	var out []*peer
	for _, s := range sh.list() {
		if s.raw != nil {
			out = append(out, s.raw.list()...)
		}
	}
	return out
}

// sendRaw is send for raw targets: -x sends bytes given in hex, -n text
// with no newline, and plain send a line ending in CRLF. It reports
// false when NAME is an example session, which send serves as before.
func (sh *Shell) sendRaw(args []string) (bool, error) {
	flag := ""
	if len(args) > 0 && (args[0] == "-n" || args[0] == "-x") {
		flag, args = args[0], args[1:]
	}
	if len(args) < 1 {
		return true, fmt.Errorf("usage: send [-n|-x] NAME TEXT...")
	}
	if s, err := sh.session(args[0]); err == nil && s.raw == nil {
		if flag == "-x" {
			_, err := sh.rawTargets("send -x", args[0])
			return true, err
		}
		return false, nil
	}
	data := []byte(strings.Join(args[1:], " "))
	switch flag {
	case "-x":
		b, err := hex.DecodeString(strings.Join(args[1:], ""))
		if err != nil || len(b) == 0 {
			return true, fmt.Errorf("send -x wants hex bytes, e.g. send -x c ff fe 68 69 0d 0a")
		}
		data = b
	case "":
		data = append(data, '\r', '\n')
	}
	return true, sh.onPeers("send", args[0], func(p *peer) error { return p.queue(data) })
}

func cmdFlood(sh *Shell, args []string) error {
	args, lines := takeFlag(args, "--line")
	args, detach := takeFlag(args, "--detach")
	if len(args) != 2 {
		return fmt.Errorf("usage: flood NAME SIZE [--line] [--detach] | flood NAME stop")
	}
	if args[1] == "stop" {
		return sh.onPeers("flood", args[0], (*peer).stopFlood)
	}
	size, err := parseSize(args[1])
	if err != nil {
		return err
	}
	started := map[*peer]*flood{}
	err = sh.onPeers("flood", args[0], func(p *peer) error {
		f, err := p.startFlood(size, lines)
		if f != nil {
			started[p] = f
		}
		return err
	})
	if detach {
		sh.calm(verbCalm)
		return err
	}
	if werr := sh.awaitFloods(started); werr != nil {
		return werr
	}
	return err
}

// awaitFloods waits until the floods end. Ctrl-C stops them; the
// connections stay.
func (sh *Shell) awaitFloods(started map[*peer]*flood) error {
	ctx := sh.commandContext()
	for _, f := range started {
		select {
		case <-f.done:
		case <-ctx.Done():
			for p, f := range started {
				p.call(context.Background(), func(p *peer) error {
					if p.fl == f {
						p.endFlood("stopped")
					}
					return nil
				})
			}
			return errInterrupted
		}
	}
	return nil
}
