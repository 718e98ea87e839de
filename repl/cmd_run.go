package repl

import (
	"fmt"
	"net"
	"strings"

	"github.com/ionetsh/ionetsh/internal/visible"
	"github.com/ionetsh/ionetsh/netex"
)

func cmdRun(sh *Shell, args []string) error {
	o, err := parseOptions(args, "name", "host", "port", "bind")
	if err != nil {
		return err
	}
	if len(o.pos) != 1 {
		return fmt.Errorf("usage: run EXAMPLE [--name N] [--host H] [--port P] [--bind ADDR]")
	}
	ex, ok := netex.Lookup(o.pos[0])
	if !ok {
		return fmt.Errorf("unknown example %s; examples: %s", visible.Quote(o.pos[0]), exampleNames())
	}
	if err := roleOptions(o, ex); err != nil {
		return err
	}
	cfg, err := sh.config(o, ex.Role == netex.Server)
	if err != nil {
		return err
	}
	name := o.vals["name"]
	if name == "" {
		name = sh.freeName(ex.Name)
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
	return nil
}

// config builds an example's configuration from the shell's defaults and
// a command's options.
func (sh *Shell) config(o options, server bool) (netex.Config, error) {
	cfg := netex.Config{Host: sh.host, Port: sh.port, Bind: o.vals["bind"]}
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
		if ip := net.ParseIP(cfg.Bind); ip == nil {
			return cfg, fmt.Errorf("bad bind address %s: want an IP address such as 127.0.0.1 or ::", visible.Quote(cfg.Bind))
		}
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
	args, raw := takeFlag(args, "--raw")
	o, err := parseOptions(args, "name")
	if err != nil {
		return err
	}
	if len(o.pos) < 1 || len(o.pos) > 2 {
		return fmt.Errorf("usage: connect SERVER [CLIENT] [--name N] | connect HOST:PORT [--name N]")
	}
	if _, err := sh.session(o.pos[0]); err != nil && strings.Contains(o.pos[0], ":") {
		if len(o.pos) != 1 {
			return fmt.Errorf("usage: connect HOST:PORT [--name N]")
		}
		return sh.connectRaw(o.pos[0], o.vals["name"], raw)
	}
	srv, err := sh.session(o.pos[0])
	if err != nil {
		return err
	}
	client, err := clientFor(srv, o.pos[1:])
	if err != nil {
		return err
	}
	a, ok := srv.run.Addr()
	if !ok {
		return fmt.Errorf("session %s is not a listening server (%s)", visible.Quote(srv.name), srv.State())
	}
	host := a.Addr().String()
	if a.Addr().IsUnspecified() {
		host = sh.host
	}
	name := o.vals["name"]
	if name == "" {
		name = sh.freeName(client.Name)
	}
	s, err := sh.startSession(name, client, netex.Config{Host: host, Port: int(a.Port())}, rawDisplay(raw))
	if err != nil {
		return err
	}
	return sh.afterStart(s)
}

// clientFor picks the client example for a server session: the one named,
// which must speak the server's protocol, or the preferred one.
func clientFor(srv *Session, named []string) (*netex.Example, error) {
	if srv.ex.Role != netex.Server {
		return nil, fmt.Errorf("session %s runs %s, a client; connect needs a server session", visible.Quote(srv.name), srv.ex.Name)
	}
	name := netex.PreferredClient(srv.ex)
	if len(named) == 1 {
		name = named[0]
	}
	if name == rawName {
		return rawClient(), nil
	}
	ex, ok := netex.Lookup(name)
	if !ok || ex.Role != netex.Client || !netex.Pairs(ex, srv.ex) {
		return nil, fmt.Errorf("%s does not speak %s's protocol (%s); use one of: %s, or raw",
			name, srv.ex.Name, srv.ex.Protocol, strings.Join(srv.ex.Peers, ", "))
	}
	return ex, nil
}

// connectRaw starts a raw line client to host:port.
func (sh *Shell) connectRaw(hostport, name string, raw bool) error {
	host, ps, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("bad address %s: want HOST:PORT", visible.Quote(hostport))
	}
	port, err := parsePort(ps, 1)
	if err != nil {
		return err
	}
	if name == "" {
		name = sh.freeName("raw")
	}
	s, err := sh.startSession(name, rawClient(), netex.Config{Host: host, Port: port}, rawDisplay(raw))
	if err != nil {
		return err
	}
	return sh.afterStart(s)
}
