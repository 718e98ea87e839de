package repl

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/netex/sockview"
)

// socketsHeader is the sockets table's header.
const socketsHeader = "SESSION\tFD\tROLE\tLOCAL\tPEER\tSTATE\tRECV-Q\tSEND-Q\tAPP-BUF\tBYTES IN/OUT\tRTT"

// sessionPort remembers the port a server session listened on, so that
// sockets --all still finds its TIME_WAIT entries after it stopped.
type sessionPort struct {
	mu   sync.Mutex
	port uint16
}

// notePort records the session's listening port once it listens. It
// returns when the session listens or ends.
func (s *Session) notePort() {
	<-s.run.Listening()
	if a, ok := s.run.Addr(); ok {
		s.port.mu.Lock()
		s.port.port = a.Port()
		s.port.mu.Unlock()
	}
}

// listenPort is the port the session listens or listened on, 0 if none.
func (s *Session) listenPort() uint16 {
	s.port.mu.Lock()
	defer s.port.mu.Unlock()
	return s.port.port
}

func cmdSockets(sh *Shell, args []string) error {
	o, err := parseFlagsOnly(args, "all")
	if err != nil {
		return fmt.Errorf("%v; usage: sockets [NAME...] [--all]", err)
	}
	ss, err := sh.pick(o.pos)
	if err != nil {
		return err
	}
	text, err := socketsTable(ss, sh.list(), o.flags["all"])
	if err != nil {
		return err
	}
	sh.printf("%s", text)
	return nil
}

// pick returns the named sessions, or every session if names is empty.
func (sh *Shell) pick(names []string) ([]*Session, error) {
	if len(names) == 0 {
		return sh.list(), nil
	}
	var ss []*Session
	for _, n := range names {
		s, err := sh.session(n)
		if err != nil {
			return nil, err
		}
		ss = append(ss, s)
	}
	return ss, nil
}

// socketsTable renders the sockets of ss as one table grouped by
// session; with all, kernel sockets on the sessions' ports that no
// session of everyone owns are added to the group of the session whose
// port they are on.
func socketsTable(ss, everyone []*Session, all bool) (string, error) {
	owned := make([][]netex.SocketInfo, len(ss))
	for i, s := range ss {
		owned[i] = s.run.Sockets()
	}
	var extra [][]sockview.Entry
	if all {
		dump, err := sockview.Dump()
		if err != nil {
			return "", fmt.Errorf("reading the kernel's socket diagnostics: %v", err)
		}
		inodes := map[uint64]bool{}
		for _, s := range everyone {
			for _, si := range s.run.Sockets() {
				inodes[si.Kernel.Inode] = true
			}
		}
		extra = unowned(ss, dump, inodes)
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, socketsHeader)
	rows := 0
	for i, s := range ss {
		first := true
		name := func() string {
			if first {
				first = false
				return s.name
			}
			return ""
		}
		for _, si := range owned[i] {
			fmt.Fprintln(tw, ownedRow(name(), si))
			rows++
		}
		if all {
			for _, e := range extra[i] {
				fmt.Fprintln(tw, kernelRow(name(), e))
				rows++
			}
		}
	}
	if rows == 0 {
		return "no sockets\n", nil
	}
	tw.Flush()
	return b.String(), nil
}

// ownedRow is a table row for a socket a session holds.
func ownedRow(session string, si netex.SocketInfo) string {
	k := si.Kernel
	appBuf := "-"
	if si.AppBuf >= 0 {
		appBuf = fmt.Sprint(si.AppBuf)
	}
	return strings.Join([]string{session, fmt.Sprint(si.FD), si.Role, addr(si.Local), addr(si.Peer), k.State,
		k.RecvQ.String(), k.SendQ.String(), appBuf, inOut(k), k.RTT()}, "\t")
}

// kernelRow is a table row for a socket only the kernel holds: waiting
// in an accept queue (queued), in TIME_WAIT after its fd closed, or a
// client that is not a session (peer).
func kernelRow(session string, e sockview.Entry) string {
	role := "peer"
	switch {
	case e.State == "TIME_WAIT":
		role = "closed"
	case e.Inode == 0:
		role = "queued"
	}
	return strings.Join([]string{session, "-", role, addr(e.Local), addr(e.Peer), e.State,
		e.RecvQ.String(), e.SendQ.String(), "-", inOut(e.Kernel), e.RTT()}, "\t")
}

func addr(a netip.AddrPort) string {
	if !a.IsValid() || a.Port() == 0 {
		return "-"
	}
	return a.String()
}

func inOut(k sockview.Kernel) string {
	if !k.BytesIn.OK && !k.BytesOut.OK {
		return "-"
	}
	return k.BytesIn.String() + "/" + k.BytesOut.String()
}

// unowned sorts the dump's sockets that no session holds (by inode) into
// the groups of the sessions whose listening port they are on, as local
// port (TIME_WAIT, the accept queue) or as peer port (clients that are
// not sessions).
func unowned(ss []*Session, dump []sockview.Entry, inodes map[uint64]bool) [][]sockview.Entry {
	listen := map[uint16]int{}
	for i, s := range ss {
		if p := s.listenPort(); p != 0 {
			listen[p] = i
		}
	}
	out := make([][]sockview.Entry, len(ss))
	for _, e := range dump {
		if e.Inode != 0 && inodes[e.Inode] {
			continue
		}
		i, ok := listen[e.Local.Port()]
		if !ok {
			i, ok = listen[e.Peer.Port()]
		}
		if ok {
			out[i] = append(out[i], e)
		}
	}
	return out
}
