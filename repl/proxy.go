package repl

import (
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/netex/toxproxy"
	"golang.org/x/sys/unix"
)

// proxyName is the example name of proxy sessions.
const proxyName = "proxy"

// cmdProxy starts a fault-injecting proxy session in front of a server
// session or any HOST:PORT.
func cmdProxy(sh *Shell, args []string) error {
	o, err := parseOptions(args, "name", "port", "bind")
	if err != nil {
		return err
	}
	if len(o.pos) != 1 {
		return fmt.Errorf("usage: proxy SERVER|HOST:PORT [--name N] [--port P] [--bind ADDR]")
	}
	target, like, err := sh.proxyTarget(o.pos[0])
	if err != nil {
		return err
	}
	if _, ok := o.vals["port"]; !ok {
		o.vals["port"] = "0"
	}
	cfg, err := sh.config(o, true)
	if err != nil {
		return err
	}
	ex := &netex.Example{Name: proxyName, Role: netex.Server,
		Summary: "a fault-injecting proxy to " + target}
	if like != nil {
		ex.Protocol, ex.Peers = like.Protocol, like.Peers
	}
	ex.Run = func(t *netex.Thread) (bool, error) { return sh.runProxy(t, ex, target) }
	name := o.vals["name"]
	if name == "" {
		name = sh.defaultName(proxyName)
	}
	s, err := sh.startSession(name, ex, cfg)
	if err != nil {
		return err
	}
	return sh.afterStart(s)
}

// proxyTarget resolves a proxy's target: a listening server session
// (whose example it then stands in for) or HOST:PORT.
func (sh *Shell) proxyTarget(arg string) (string, *netex.Example, error) {
	srv, err := sh.session(arg)
	if err != nil {
		if _, _, serr := net.SplitHostPort(arg); serr == nil {
			return arg, nil, checkHostPort(arg)
		}
		if _, ok := netex.Lookup(arg); ok {
			return "", nil, fmt.Errorf("no session named %s; start it first (run %s) or give HOST:PORT", visible.Quote(arg), arg)
		}
		return "", nil, err
	}
	if srv.ex.Role != netex.Server {
		return "", nil, fmt.Errorf("session %s runs %s, a client; a proxy needs a server session or HOST:PORT", visible.Quote(srv.name), srv.ex.Name)
	}
	host, port, err := sh.serverAddr(srv)
	if err != nil {
		return "", nil, err
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), srv.ex, nil
}

// serverAddr is where a client reaches a listening server session.
func (sh *Shell) serverAddr(srv *Session) (string, int, error) {
	a, ok := srv.run.Addr()
	if !ok {
		return "", 0, fmt.Errorf("session %s is not a listening server (%s)", visible.Quote(srv.name), srv.State())
	}
	host := a.Addr().String()
	if a.Addr().IsUnspecified() {
		host = sh.host
	}
	return host, int(a.Port()), nil
}

func checkHostPort(hostport string) error {
	_, ps, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("bad address %s: want HOST:PORT", visible.Quote(hostport))
	}
	_, err = parsePort(ps, 1)
	return err
}

// runProxy is a proxy session's main thread: it listens as a server
// does, then serves through a toxproxy.Proxy until stopped.
func (sh *Shell) runProxy(t *netex.Thread, ex *netex.Example, target string) (bool, error) {
	s, err := t.Env.MakeSocket(true)
	if err != nil {
		return false, err
	}
	defer s.Abort()
	if err := s.Bind(t.Env.Bind, t.Env.Port); err != nil {
		return false, err
	}
	// The proxy is known to the toxic command before the session counts
	// as listening, so a toxic can be added as soon as proxy returns.
	px := toxproxy.New(target, t.Printf)
	sh.setProxy(ex, px)
	defer sh.setProxy(ex, nil)
	t.Printf("Listening on %s, forwarding to %s\n", s.LocalAddr(), target)
	if err := s.Listen(128); err != nil {
		return false, err
	}
	ln, err := dupListener(s.FD())
	if err != nil {
		return false, err
	}
	done := make(chan struct{})
	var serr error
	go func() { defer close(done); serr = px.Serve(ln) }()
	err = awaitProxy(t, px, done)
	px.Close()
	<-done
	if serr != nil {
		return false, serr
	}
	return true, err
}

// awaitProxy waits until the proxy has ended (done) or the thread is
// interrupted. The thread counts as idle only while the proxy holds
// nothing, so that a script waits for traffic through the proxy (and
// its toxics) to come to rest, as it does for an example's.
func awaitProxy(t *netex.Thread, px *toxproxy.Proxy, done <-chan struct{}) error {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		wake := px.Wake()
		if !px.Busy() {
			if err := t.Await(wake); err != nil {
				return err
			}
		} else {
			select {
			case <-tick.C:
			case <-t.Ctx.Done():
				return t.Await(make(chan struct{})) // the Interrupted condition
			}
		}
		select {
		case <-done:
			return nil
		default:
		}
	}
}

// dupListener makes a net.Listener on a duplicate of a listening fd.
func dupListener(fd int) (net.Listener, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(nfd), "proxy listener")
	defer f.Close()
	return net.FileListener(f)
}

// setProxy records (or, with nil, forgets) the proxy of a session's
// example, for the toxic command.
func (sh *Shell) setProxy(ex *netex.Example, px *toxproxy.Proxy) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if px == nil {
		delete(sh.proxies, ex)
		return
	}
	if sh.proxies == nil {
		sh.proxies = map[*netex.Example]*toxproxy.Proxy{}
	}
	sh.proxies[ex] = px
}

// conns is a session's connections, as sessions shows them: a proxy's
// live proxied connections; for any other session, its connected
// sockets (a raw listener's accepted connections, a raw client's one).
func (sh *Shell) conns(s *Session) int {
	sh.mu.Lock()
	px, ok := sh.proxies[s.ex]
	sh.mu.Unlock()
	if ok {
		return px.Conns()
	}
	return s.run.Conns()
}

// proxy finds the running proxy of the session called name.
func (sh *Shell) proxy(name string) (*toxproxy.Proxy, error) {
	s, err := sh.session(name)
	if err != nil {
		return nil, err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	px, ok := sh.proxies[s.ex]
	if !ok {
		if s.ex.Name == proxyName {
			return nil, fmt.Errorf("proxy %s is not running (%s)", visible.Quote(name), s.State())
		}
		return nil, fmt.Errorf("session %s runs %s, not a proxy (start one with proxy SERVER)", visible.Quote(name), s.ex.Name)
	}
	return px, nil
}

// proxyNames lists the running proxy sessions, for completion.
func (sh *Shell) proxyNames() []string {
	var names []string
	for _, s := range sh.list() {
		if s.ex.Name == proxyName && !s.Ended() {
			names = append(names, s.name)
		}
	}
	return names
}

func completeProxy(sh *Shell, args []string) []string {
	if len(args) > 0 {
		return []string{"--name", "--port", "--bind"}
	}
	var names []string
	for _, s := range sh.list() {
		if s.ex.Role == netex.Server && !s.Ended() {
			names = append(names, s.name)
		}
	}
	return names
}
