package repl

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/ionetsh/ionetsh/internal/visible"
	"github.com/ionetsh/ionetsh/netex"
)

func cmdRun(sh *Shell, args []string) error {
	var exOpts netex.ExampleOptions
	if len(args) > 0 {
		if ex, ok := netex.Lookup(args[0]); ok {
			rest, opts, err := takeExampleFlags(ex, args[1:])
			if err != nil {
				return err
			}
			args, exOpts = append([]string{args[0]}, rest...), opts
		}
	}
	o, err := parseOptions(args, "name", "host", "port", "bind", "backlog")
	if err != nil {
		return err
	}
	if len(o.pos) < 1 {
		return fmt.Errorf("usage: run EXAMPLE [--name N] [--host H] [--port P] [--bind ADDR] [--backlog N]")
	}
	ex, ok := netex.Lookup(o.pos[0])
	if !ok {
		return unknownExample(o.pos[0])
	}
	if err := positionalTargets(ex, o.pos[1:], &exOpts); err != nil {
		return err
	}
	if err := roleOptions(o, ex); err != nil {
		return err
	}
	cfg, err := sh.config(o, ex.Role == netex.Server)
	if err != nil {
		return err
	}
	cfg.Opts = exOpts
	name := o.vals["name"]
	if name == "" {
		name = sh.defaultName(ex.Name)
	}
	s, err := sh.startSession(name, ex, cfg)
	if err != nil {
		return err
	}
	return sh.afterStart(s)
}

// roleOptions rejects --bind for a client and --host for a server, which
// would otherwise be ignored.
func roleOptions(o options, ex *netex.Example) error {
	if _, ok := o.vals["bind"]; ok && ex.Role == netex.Client {
		return fmt.Errorf("--bind is for servers; %s is a client (use --host)", ex.Name)
	}
	if _, ok := o.vals["host"]; ok && ex.Role == netex.Server {
		return fmt.Errorf("--host is for clients; %s is a server (use --bind)", ex.Name)
	}
	if _, ok := o.vals["backlog"]; ok && ex.Role == netex.Client {
		return fmt.Errorf("--backlog is for servers; %s is a client", ex.Name)
	}
	return nil
}

// config builds an example's configuration from the shell's defaults and
// a command's options.
func (sh *Shell) config(o options, server bool) (netex.Config, error) {
	cfg := netex.Config{Host: sh.host, Port: sh.port, Bind: o.vals["bind"], Backlog: sh.backlog}
	if b, ok := o.vals["backlog"]; ok {
		n, err := parseBacklog(b)
		if err != nil {
			return cfg, err
		}
		cfg.Backlog = n
	}
	if _, ok := o.vals["bind"]; !ok && server {
		cfg.Bind = sh.bind
	}
	if h := o.vals["host"]; h != "" {
		cfg.Host = h
	}
	if p, ok := o.vals["port"]; ok {
		min := 1
		if server {
			min = 0
		}
		port, err := parsePort(p, min)
		if err != nil {
			return cfg, err
		}
		cfg.Port = port
	}
	if cfg.Bind != "" {
		ip, err := resolveBind(cfg.Bind)
		if err != nil {
			return cfg, err
		}
		cfg.Bind = ip
	}
	return cfg, nil
}

// afterStart waits for a server to listen, and attaches a client that
// reads standard input to the terminal when there is one.
func (sh *Shell) afterStart(s *Session) error {
	if s.ex.Role == netex.Server {
		<-s.run.Listening()
		if _, ok := s.run.Addr(); !ok {
			<-s.ended
			s.flush()
			return fmt.Errorf("%s did not start listening (%s)", s.name, s.State())
		}
		return nil
	}
	if s.stdin != nil && sh.attach != nil {
		sh.attach(s)
	}
	return nil
}

func cmdConnect(sh *Shell, args []string) error {
	args, detach := takeFlag(args, "--detach")
	args, raw := takeFlag(args, "--raw")
	args, exOpts, takesAll, err := takeClientFlags(args)
	if err != nil {
		return err
	}
	o, err := parseOptions(args, "name", "count")
	if err != nil {
		return err
	}
	if len(o.pos) < 1 || len(o.pos) > 2 {
		return fmt.Errorf("usage: connect SERVER [CLIENT|raw] [--name N] [--count N] [--detach] | connect HOST:PORT | connect HOST PORT | connect :PORT")
	}
	if hostport, ok := rawTarget(sh, o.pos); ok {
		cfg, err := rawAddress(hostport)
		if err != nil {
			return err
		}
		if err := takesAll(rawClientExample(nil)); err != nil {
			return err
		}
		return sh.startClients(o, detach, rawClientExample(nil), cfg, rawDisplay(raw))
	}
	srv, err := sh.liveSession(o.pos[0])
	if err != nil {
		return err
	}
	client, err := clientFor(srv, o.pos[1:])
	if err != nil {
		return err
	}
	if err := takesAll(client); err != nil {
		return err
	}
	host, port, err := sh.serverAddr(srv)
	if err != nil {
		return err
	}
	return sh.startClients(o, detach, client, netex.Config{Host: host, Port: port, Opts: exOpts}, rawDisplay(raw))
}

// rawTarget reads connect's words as an address when they name no
// session: HOST:PORT, :PORT (localhost), or HOST PORT as ncat takes it.
func rawTarget(sh *Shell, pos []string) (string, bool) {
	if sh.find(pos[0]) != nil {
		return "", false
	}
	if len(pos) == 2 {
		if _, err := strconv.Atoi(pos[1]); err == nil {
			return net.JoinHostPort(pos[0], pos[1]), true
		}
		return "", false
	}
	return pos[0], strings.Contains(pos[0], ":")
}

// clientFor picks the client example for a server session: the one named,
// which must speak the server's protocol, or else the lowest-numbered one
// that pairs with it (spec §4), ex1-client for a daytime server.
func clientFor(srv *Session, named []string) (*netex.Example, error) {
	if srv.ex.Role != netex.Server {
		return nil, fmt.Errorf("session %s runs %s, a client; connect needs a server session", visible.Quote(srv.name), srv.ex.Name)
	}
	if srv.raw != nil {
		return listenerClient(srv, named)
	}
	if len(named) == 0 {
		named = []string{rawName} // a proxy to a HOST:PORT: protocol unknown
		if len(srv.ex.Peers) > 0 {
			named = srv.ex.Peers[:1]
		}
	}
	name := named[0]
	if name == rawName {
		return rawClientExample(nil), nil
	}
	ex, ok := netex.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown example %s%s; clients for %s: %s, or raw",
			visible.Quote(name), didYouMean(name, netex.Names()), srv.ex.Name, strings.Join(srv.ex.Peers, ", "))
	}
	if ex.Role != netex.Client || !netex.Pairs(ex, srv.ex) {
		if len(srv.ex.Peers) == 0 {
			return nil, fmt.Errorf("%s forwards to a HOST:PORT whose protocol is unknown; use raw", srv.name)
		}
		return nil, fmt.Errorf("%s does not speak %s's protocol (%s); use one of: %s, or raw",
			name, srv.ex.Name, srv.ex.Protocol, strings.Join(srv.ex.Peers, ", "))
	}
	return ex, nil
}

// rawAddress checks a HOST:PORT for connect.
func rawAddress(hostport string) (netex.Config, error) {
	host, ps, err := net.SplitHostPort(hostport)
	if err != nil {
		return netex.Config{}, fmt.Errorf("bad address %s: want HOST:PORT, :PORT or HOST PORT", visible.Quote(hostport))
	}
	if host == "" {
		host = "localhost"
	}
	port, err := parsePort(ps, 1)
	if err != nil {
		return netex.Config{}, err
	}
	return netex.Config{Host: host, Port: port}, nil
}
