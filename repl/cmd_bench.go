package repl

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/netex/loadgen"
)

// benchOptions is the bench command's options, with their defaults;
// benchArgs is the short form the command table shows.
const (
	benchOptions = "[--clients 1,10,50,200] [--duration 3s | --rounds N] [--size 32] [--mode echo|batch|daytime|connect] [--idle N] [--csv FILE]"
	benchArgs    = "TARGET... [--clients N,...] [--duration 3s] [...]"
	benchSummary = "measure servers (sessions or HOST:PORT) under load: rate, latency, errors, CPU per operation, and a chart; " +
		"--clients defaults to 1,10,50,200; also --rounds N (per client, instead of a duration), --size 32 (line bytes), --mode echo|batch|daytime|connect (default from the protocol), --idle N (connections held open), --csv FILE"
)

// errBenchUsage is bench without a target.
var errBenchUsage = errors.New("usage: bench TARGET... " + benchOptions)

// benchTimeout bounds each connect and each operation of a bench run.
const benchTimeout = 5 * time.Second

// benchPlan is what a bench command line asks for.
type benchPlan struct {
	targets []string // as given: session names or HOST:PORT
	clients []int
	mode    loadgen.Mode // "" means from each target's protocol
	step    loadgen.Config
	csv     string
}

// parseBench reads bench's arguments, for the shell and standalone alike.
func parseBench(args []string) (benchPlan, error) {
	o, err := parseOptions(args, "clients", "duration", "rounds", "size", "mode", "idle", "csv")
	if err != nil {
		return benchPlan{}, err
	}
	p := benchPlan{targets: o.pos, clients: []int{1, 10, 50, 200}, csv: o.vals["csv"],
		step: loadgen.Config{Duration: 3 * time.Second, Size: 32, Timeout: benchTimeout}}
	if len(p.targets) == 0 {
		return p, errBenchUsage
	}
	if v, ok := o.vals["clients"]; ok {
		if p.clients, err = parseClients(v); err != nil {
			return p, err
		}
	}
	_, hasDur := o.vals["duration"]
	if _, hasRounds := o.vals["rounds"]; hasDur && hasRounds {
		return p, fmt.Errorf("give --duration or --rounds, not both")
	}
	if v, ok := o.vals["duration"]; ok {
		if p.step.Duration, err = time.ParseDuration(v); err != nil || p.step.Duration <= 0 {
			return p, fmt.Errorf("bad duration %q: want e.g. 3s or 500ms", v)
		}
	}
	for key, dst := range map[string]*int{"rounds": &p.step.Rounds, "size": &p.step.Size, "idle": &p.step.Idle} {
		if v, ok := o.vals[key]; ok {
			if *dst, err = strconv.Atoi(v); err != nil {
				return p, fmt.Errorf("bad --%s %q: want a number", key, v)
			}
		}
	}
	if v, ok := o.vals["mode"]; ok {
		if p.mode, err = loadgen.ParseMode(v); err != nil {
			return p, err
		}
	}
	check := p.step
	check.Addr, check.Clients, check.Mode = "-", 1, loadgen.Echo
	return p, check.Check()
}

// parseClients reads a list of client counts such as 1,10,50.
func parseClients(v string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad --clients %q: want counts of 1 or more, such as 1,10,50", v)
		}
		out = append(out, n)
	}
	return out, nil
}

// benchTarget is one thing bench measures.
type benchTarget struct {
	name string
	addr string
	mode loadgen.Mode
	s    *Session // nil for a HOST:PORT target
}

// addrTarget makes a HOST:PORT target; its mode defaults to echo.
func addrTarget(word string, mode loadgen.Mode) (benchTarget, error) {
	host, ps, err := net.SplitHostPort(word)
	if err != nil || host == "" {
		return benchTarget{}, fmt.Errorf("bad target %q: want a server session or HOST:PORT", word)
	}
	if _, err := parsePort(ps, 1); err != nil {
		return benchTarget{}, err
	}
	if mode == "" {
		mode = loadgen.Echo
	}
	return benchTarget{name: word, addr: word, mode: mode}, nil
}

// benchTargets resolves the plan's targets: server sessions by name,
// else HOST:PORT.
func (sh *Shell) benchTargets(p benchPlan) ([]benchTarget, error) {
	var out []benchTarget
	for _, word := range p.targets {
		s, err := sh.session(word)
		if err != nil {
			if !strings.Contains(word, ":") {
				return nil, err
			}
			t, err := addrTarget(word, p.mode)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
			continue
		}
		t, err := sessionTarget(s, p.mode)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// sessionTarget makes a target of a listening server session. Its mode
// defaults from the server's protocol.
func sessionTarget(s *Session, mode loadgen.Mode) (benchTarget, error) {
	switch {
	case s.ex.Role != netex.Server:
		return benchTarget{}, fmt.Errorf("session %q runs %s, a client; bench needs a server session", s.name, s.ex.Name)
	case s.ex.Name == "ex1-server":
		return benchTarget{}, fmt.Errorf("%s serves one client and returns, so it cannot be benchmarked; try ex2-server, ex3-server or ex4-server", s.name)
	}
	a, ok := s.run.Addr()
	if !ok || s.Ended() {
		return benchTarget{}, fmt.Errorf("session %q is not a listening server (%s)", s.name, s.State())
	}
	host := a.Addr().String()
	if a.Addr().IsUnspecified() {
		host = "127.0.0.1"
	}
	if mode == "" {
		mode = loadgen.Echo
		if s.ex.Protocol == netex.Daytime {
			mode = loadgen.Daytime
		}
	}
	return benchTarget{name: s.name, addr: net.JoinHostPort(host, strconv.Itoa(int(a.Port()))), mode: mode, s: s}, nil
}

// benchMute hides s's lines while a bench step runs; the returned
// function shows them again and says how many s printed meanwhile. The
// hidden lines count as shown, so a script does not report them as
// dropped from the transcript.
func (s *Session) benchMute() func() int64 {
	s.flush()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainLocked()
	was, from := s.muted, s.log.Total()
	s.muted = true
	return func() int64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.drainLocked() // what it printed while muted stays hidden
		s.muted = was
		if !s.live {
			s.shown = s.log.Total()
		}
		return s.log.Total() - from
	}
}

func cmdBench(sh *Shell, args []string) error {
	p, err := parseBench(args)
	if err != nil {
		return err
	}
	targets, err := sh.benchTargets(p)
	if err != nil {
		return err
	}
	b := bench{plan: p, targets: targets, colour: sh.colour.Load()}
	if sh.tty {
		b.progress = func(s string) { sh.pr.put([]byte(s)) } // the shell's own control codes
	}
	var out strings.Builder
	err = b.run(sh.commandContext(), &out)
	sh.printf("%s", out.String())
	return err
}
