package repl

import (
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"strconv"
	"strings"

	"github.com/ionetsh/ionetsh/netex"
)

// maxCount bounds connect --count.
const maxCount = 1000

// startClients starts the client sessions of a connect: one, attached
// to the terminal unless detach, or with --count N, N detached ones
// named NAME-1...NAME-N at once. ex is a tutorial client, or
// rawClientExample(nil) for raw clients, each made with its own state.
func (sh *Shell) startClients(o options, detach bool, ex *netex.Example, cfg netex.Config, opts ...func(*Session)) error {
	count := 1
	if c, ok := o.vals["count"]; ok {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > maxCount {
			return fmt.Errorf("bad count %s: want a number from 1 to %d", visible.Quote(c), maxCount)
		}
		count = n
	}
	base := o.vals["name"]
	if count == 1 {
		if base == "" {
			base = sh.defaultName(ex.Name)
		}
		err := sh.startClient(base, ex, cfg, !detach, opts...)
		if detach {
			sh.calm(verbCalm)
		}
		return err
	}
	if base == "" {
		base = ex.Name
	}
	names := make([]string, count)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%d", base, i+1)
		if s := sh.find(names[i]); s != nil && !s.Ended() {
			return fmt.Errorf("session name %s is taken; choose another with --name", visible.Quote(names[i]))
		}
	}
	for _, name := range names {
		if err := sh.startClient(name, ex, cfg, false, opts...); err != nil {
			return err
		}
	}
	sh.calm(verbCalm)
	return nil
}

// startClient starts one client session, attaching it if asked.
func (sh *Shell) startClient(name string, ex *netex.Example, cfg netex.Config, attach bool, opts ...func(*Session)) error {
	var rs *rawSession
	if ex.Name == rawName {
		rs = &rawSession{name: name}
		ex = rawClientExample(rs)
	}
	s, err := sh.startRawSession(name, ex, cfg, rs, opts...)
	if err != nil {
		return err
	}
	if attach {
		return sh.afterStart(s)
	}
	return nil
}

func cmdListen(sh *Shell, args []string) error {
	o, err := parseOptions(args, "name", "bind")
	if err != nil {
		return err
	}
	if len(o.pos) > 1 {
		return fmt.Errorf("usage: listen [PORT] [--name N] [--bind ADDR]")
	}
	if len(o.pos) == 1 {
		o.vals["port"] = o.pos[0]
	}
	cfg, err := sh.config(o, true)
	if err != nil {
		return err
	}
	name := o.vals["name"]
	if name == "" {
		name = sh.defaultName(listenName)
	}
	rs := &rawSession{name: name, listener: true}
	s, err := sh.startRawSession(name, listenerExample(rs), cfg, rs)
	if err != nil {
		return err
	}
	return sh.afterStart(s)
}

// listenerClient picks the client for connect LISTENER CLIENT: a raw
// listener speaks whatever protocol you type, so any client will do,
// and one must be named.
func listenerClient(srv *Session, named []string) (*netex.Example, error) {
	if len(named) != 1 {
		return nil, fmt.Errorf("%s is a raw listener: name the client, e.g. connect %s ex3-client --detach", srv.name, srv.name)
	}
	if named[0] == rawName {
		return rawClientExample(nil), nil
	}
	ex, ok := netex.Lookup(named[0])
	if !ok || ex.Role != netex.Client {
		return nil, fmt.Errorf("unknown client %s; clients: %s, or raw", visible.Quote(named[0]), strings.Join(clientList(), ", "))
	}
	return ex, nil
}

// clientList lists the client examples.
func clientList() []string {
	var names []string
	for _, ex := range netex.Examples() {
		if ex.Role == netex.Client {
			names = append(names, ex.Name)
		}
	}
	return names
}
