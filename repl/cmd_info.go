package repl

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ionetsh/ionetsh/internal/visible"
	"github.com/ionetsh/ionetsh/netex"
)

// table prints rows aligned in columns through the printer.
func (sh *Shell) table(header string, rows [][]string) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	sh.printf("%s", b.String())
}

func cmdSessions(sh *Shell, args []string) error {
	verbose := len(args) == 1 && args[0] == "--verbose"
	if len(args) > 0 && !verbose {
		return fmt.Errorf("usage: sessions [--verbose]")
	}
	if verbose {
		sh.printf("%s", sh.limitsHeader())
	}
	ss := sh.list()
	if len(ss) == 0 {
		sh.printf("no sessions\n")
		return nil
	}
	var rows [][]string
	for _, s := range ss {
		rows = append(rows, []string{visible.String(s.name), s.ex.Name, s.State(), s.Addr(),
			fmt.Sprint(s.run.Conns()), s.Uptime().String()})
	}
	sh.table("NAME\tEXAMPLE\tSTATE\tADDRESS\tCONNS\tUPTIME", rows)
	return nil
}

func cmdThreads(sh *Shell, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: threads [NAME]")
	}
	ss := sh.list()
	if len(args) == 1 {
		s, err := sh.session(args[0])
		if err != nil {
			return err
		}
		ss = []*Session{s}
	}
	var b strings.Builder
	for _, s := range ss {
		threads := s.run.Threads()
		if len(threads) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s:\n", s.name)
		for _, t := range threads {
			fmt.Fprintf(&b, "  %s\n", t)
		}
		for _, h := range s.run.Handlers() {
			evs := make([]string, len(h.Events))
			for i, e := range h.Events {
				evs[i] = e.String()
			}
			fmt.Fprintf(&b, "  fd %d: %s\n", h.FD, strings.Join(evs, " "))
		}
	}
	if b.Len() == 0 {
		b.WriteString("no live threads\n")
	}
	sh.printf("%s", b.String())
	return nil
}

func cmdExamples(sh *Shell, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("usage: examples")
	}
	var rows [][]string
	for _, ex := range netex.Examples() {
		rows = append(rows, []string{ex.Name, ex.Role.String(), ex.Protocol.String(), ex.Design.String(),
			ex.IO.String(), strings.Join(ex.Peers, ","), ex.Summary})
	}
	sh.table("NAME\tROLE\tPROTOCOL\tDESIGN\tI/O\tPAIRS WITH\tSUMMARY", rows)
	return nil
}

func cmdExplain(sh *Shell, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: explain EXAMPLE")
	}
	ex, ok := netex.Lookup(args[0])
	if !ok {
		return fmt.Errorf("unknown example %s; examples: %s", visible.Quote(args[0]), exampleNames())
	}
	sh.printf("%s (%s %s, %s, %s I/O)\n  %s\n  Pairs with: %s.\n", ex.Name, ex.Protocol, ex.Role,
		ex.Design, ex.IO, ex.Explain, strings.Join(ex.Peers, ", "))
	return nil
}

func cmdSet(sh *Shell, args []string) error {
	if len(args) == 0 {
		sh.printf("%s", sh.settings())
		return nil
	}
	if len(args) != 2 {
		return fmt.Errorf("usage: set host H | set port P | set color on|off | set log-lines N | set log-bytes SIZE")
	}
	if ok, err := sh.setKeep(args[0], args[1]); ok {
		return err
	}
	switch args[0] {
	case "host":
		sh.host = args[1]
	case "port":
		p, err := parsePort(args[1], 0)
		if err != nil {
			return err
		}
		sh.port = p
	case "color", "colour":
		switch args[1] {
		case "on":
			sh.colour = true
		case "off":
			sh.colour = false
		default:
			return fmt.Errorf("set color takes on or off, not %s", visible.Quote(args[1]))
		}
	default:
		return fmt.Errorf("unknown setting %s; settings: host, port, color, log-lines, log-bytes", visible.Quote(args[0]))
	}
	return nil
}
