package repl

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/repl/visible"
)

// table prints rows aligned in columns through the printer.
func (sh *Shell) table(header string, rows [][]string) {
	sh.printf("%s", tableText(header, rows))
}

// tableText aligns a header and rows of tab-separated cells in columns.
func tableText(header string, rows [][]string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	return b.String()
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
		muted := "-"
		if s.isMuted() {
			muted = "muted"
		}
		rows = append(rows, []string{visible.String(s.name), s.ex.Name, s.State(), s.Addr(),
			fmt.Sprint(sh.conns(s)), muted, s.Uptime().String()})
	}
	sh.table("NAME\tEXAMPLE\tSTATE\tADDRESS\tCONNS\tMUTED\tUPTIME", rows)
	return nil
}

func cmdThreads(sh *Shell, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: threads [NAME]")
	}
	ss := sh.list()
	if len(args) == 1 {
		s, err := sh.liveSession(args[0])
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
	sh.printf("%s", examplesText(sh.columns()))
	return nil
}

// examplesText lists the examples as a table, one line each, when that
// fits in width columns (it takes about 190); otherwise in a narrow
// layout: name, then what it is, its peers and its summary beside it.
func examplesText(width int) string {
	var rows [][]string
	for _, ex := range netex.Examples() {
		rows = append(rows, []string{ex.Name, ex.Role.String(), ex.Protocol.String(), ex.Design.String(),
			ex.IO.String(), strings.Join(ex.Peers, ","), ex.Summary})
	}
	table := tableText("NAME\tROLE\tPROTOCOL\tDESIGN\tI/O\tPAIRS WITH\tSUMMARY", rows)
	if longestLine(table) <= width {
		return withBeyondHeading(table, 1)
	}
	var b strings.Builder
	for _, ex := range netex.Examples() {
		if ex.Name == firstBeyond() {
			b.WriteString(wrap(beyondHeading, width, 0))
		}
		b.WriteString(twoColumns(ex.Name, fmt.Sprintf("%s %s, %s, %s I/O", ex.Protocol, ex.Role, ex.Design, ex.IO), 13, width))
		b.WriteString(twoColumns("", "pairs with "+strings.Join(ex.Peers, ", "), 13, width))
		b.WriteString(twoColumns("", ex.Summary, 13, width))
	}
	return b.String()
}

// longestLine is the length of text's longest line.
func longestLine(text string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		n = max(n, len(l))
	}
	return n
}

func cmdExplain(sh *Shell, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: explain EXAMPLE")
	}
	ex, ok := netex.Lookup(args[0])
	if !ok {
		return unknownExample(args[0])
	}
	sh.say(fmt.Sprintf("%s (%s %s, %s, %s I/O)\n  %s\n  Pairs with: %s.\n", ex.Name, ex.Protocol, ex.Role,
		ex.Design, ex.IO, ex.Explain, strings.Join(ex.Peers, ", ")), 0)
	if ex.Beyond() {
		sh.say(fmt.Sprintf("  Beyond the tutorial: %s.\n", ex.Origin), 0)
	}
	for _, f := range ex.Flags {
		sh.say(fmt.Sprintf("  Option %s: %s.\n", f.Usage(), f.Help), 4)
	}
	if h := ex.WatchHint(); h != "" {
		sh.say(fmt.Sprintf("  Watch the kernel: %s\n", h), 0)
	}
	if bs := ex.Boundaries(); len(bs) > 0 {
		sh.say(boundaryText(bs), 4)
	}
	return nil
}

// boundaryText is explain's Boundary cases part: per case what the
// example prints, the condition, and the lines that induce it, which
// paste at the prompt as they are.
func boundaryText(bs []netex.Boundary) string {
	var b strings.Builder
	b.WriteString("  Boundary cases (each recipe pastes at the prompt as it is, and ends with stop all):\n")
	for _, c := range bs {
		fmt.Fprintf(&b, "  - %s: prints %s", c.Case, c.Prints)
		if c.Condition != "" {
			fmt.Fprintf(&b, " (condition: %s)", c.Condition)
		}
		b.WriteString(".\n")
		if len(c.Recipe) == 0 {
			fmt.Fprintf(&b, "      %s\n", netex.HeldAccept)
		}
		for _, l := range c.Recipe {
			fmt.Fprintf(&b, "      %s\n", l)
		}
	}
	return b.String()
}
