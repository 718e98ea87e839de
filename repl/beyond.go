package repl

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/ionetsh/ionetsh/netex"
)

// The shell's side of the examples beyond the tutorial (ex9 and up):
// their own run options, ex9-client's several servers, and send
// --urgent.

// takeExampleFlags removes from args (run's words after the example's
// name) the options only ex takes (netex.Example.Flags) and records them.
// For an example that takes servers (ex9-client), --host and --port
// given more than once are paired up into servers too.
func takeExampleFlags(ex *netex.Example, args []string) ([]string, netex.ExampleOptions, error) {
	var opts netex.ExampleOptions
	var rest []string
	_, takesTargets := ex.FindFlag("target")
	for i := 0; i < len(args); i++ {
		key, val, hasVal := optionWord(args[i])
		f, ok := ex.FindFlag(key)
		if !ok && takesTargets && strings.HasPrefix(args[i], "::") {
			// An IPv6 server such as ::1:9999, which would read as a
			// Lisp keyword.
			f, _ = ex.FindFlag("target")
			ok, val, hasVal = true, args[i], true
		}
		if !ok && key != "" && !hasVal && i+1 < len(args) {
			rest = append(rest, args[i], args[i+1]) // run's own option and its value
			i++
			continue
		}
		if !ok {
			rest = append(rest, args[i])
			continue
		}
		if f.Arg != "" && !hasVal {
			if i+1 >= len(args) {
				return nil, opts, fmt.Errorf("option --%s needs a value (%s)", f.Name, f.Arg)
			}
			i++
			val = args[i]
		}
		if err := f.Set(&opts, val); err != nil {
			return nil, opts, err
		}
	}
	if _, ok := ex.FindFlag("target"); ok {
		var err error
		if rest, opts.Targets, err = repeatedHostPort(rest, opts.Targets); err != nil {
			return nil, opts, err
		}
	}
	return rest, opts, nil
}

// optionWord reads w as an option, --key, --key=V or the Lisp keyword
// :key, as parseOptions does; key is "" when w is not one.
func optionWord(w string) (key, val string, hasVal bool) {
	switch {
	case strings.HasPrefix(w, "--") && len(w) > 2:
		key, val, hasVal = strings.Cut(w[2:], "=")
	case strings.HasPrefix(w, ":") && len(w) > 1:
		key = w[1:]
	}
	return strings.ToLower(key), val, hasVal
}

// repeatedHostPort pairs up --host and --port given more than once
// (one host with several ports, several hosts with one port, or as many
// of each) into servers, appended to targets; given once each they are
// left in args for run's usual options.
func repeatedHostPort(args, targets []string) ([]string, []string, error) {
	var hosts, ports, rest []string
	for i := 0; i < len(args); i++ {
		key, val, hasVal := optionWord(args[i])
		if key != "host" && key != "port" {
			rest = append(rest, args[i])
			continue
		}
		if !hasVal && i+1 < len(args) {
			i++
			val = args[i]
		}
		if key == "host" {
			hosts = append(hosts, val)
		} else {
			ports = append(ports, val)
		}
	}
	if len(hosts) <= 1 && len(ports) <= 1 {
		return args, targets, nil
	}
	if len(hosts) == 0 {
		hosts = []string{"localhost"}
	}
	n := max(len(hosts), len(ports))
	if (len(hosts) != 1 && len(hosts) != n) || (len(ports) != 1 && len(ports) != n) {
		return nil, nil, fmt.Errorf("%d --host and %d --port: give one of either, or as many of each", len(hosts), len(ports))
	}
	for i := range n {
		t := net.JoinHostPort(hosts[min(i, len(hosts)-1)], ports[min(i, len(ports)-1)])
		if _, err := netex.ParseTarget(t); err != nil {
			return nil, nil, err
		}
		targets = append(targets, t)
	}
	return rest, targets, nil
}

// positionalTargets takes run's words after the example's name as
// servers, for an example that takes them.
func positionalTargets(ex *netex.Example, words []string, opts *netex.ExampleOptions) error {
	if len(words) == 0 {
		return nil
	}
	if _, ok := ex.FindFlag("target"); !ok {
		return fmt.Errorf("usage: run EXAMPLE [--name N] [--host H] [--port P] [--bind ADDR]%s", flagUsage(ex))
	}
	for _, w := range words {
		if _, err := netex.ParseTarget(w); err != nil {
			return err
		}
		opts.Targets = append(opts.Targets, w)
	}
	return nil
}

// flagUsage lists ex's own options, as run's usage shows them.
func flagUsage(ex *netex.Example) string {
	var b strings.Builder
	for _, f := range ex.Flags {
		fmt.Fprintf(&b, " [%s]", f.Usage())
	}
	return b.String()
}

// beyondRunHelp is run's help on the options of the examples beyond
// the tutorial.
func beyondRunHelp() string {
	var b strings.Builder
	b.WriteString("The examples beyond the tutorial take options of their own:")
	for _, ex := range netex.Examples() {
		for _, f := range ex.Flags {
			fmt.Fprintf(&b, " %s %s (%s);", ex.Name, f.Usage(), f.Help)
		}
	}
	return strings.TrimSuffix(b.String(), ";") + ". ex9-client also takes its servers as words, run ex9-client HOST:PORT HOST:PORT..., or --host and --port repeated."
}

// urgentSend turns send --urgent NAME X into the line ex10-client reads
// as urgent data.
func urgentSend(s *Session, text string) (string, error) {
	if s.ex.Name != "ex10-client" {
		return "", fmt.Errorf("send --urgent is for ex10-client; %s sends no urgent data", s.ex.Name)
	}
	if len(text) != 1 {
		return "", fmt.Errorf("send --urgent takes one byte: TCP has a single urgent byte (got %q)", text)
	}
	return netex.UrgentLine(text[0]), nil
}

// beyondHeading introduces the examples beyond the tutorial in
// examples' list.
const beyondHeading = "Beyond the tutorial (its Future Directions, after Stevens' UNIX Network Programming; explain NAME says which chapter):\n"

// firstBeyond is the name of the first example beyond the tutorial.
func firstBeyond() string {
	for _, ex := range netex.Examples() {
		if ex.Beyond() {
			return ex.Name
		}
	}
	return ""
}

// withBeyondHeading puts beyondHeading into a table of the examples,
// whose rows start after header lines, before the first row beyond the
// tutorial.
func withBeyondHeading(table string, header int) string {
	lines := strings.SplitAfter(table, "\n")
	for i, ex := range netex.Examples() {
		if ex.Beyond() && header+i < len(lines) {
			return strings.Join(lines[:header+i], "") + "\n" + beyondHeading + strings.Join(lines[header+i:], "")
		}
	}
	return table
}

// standaloneExampleFlags takes from ionetsh run's arguments the options
// of the example they name (the first word that is an example's name).
func standaloneExampleFlags(args []string) ([]string, netex.ExampleOptions, error) {
	for i, a := range args {
		if ex, ok := netex.Lookup(a); ok {
			rest, opts, err := takeExampleFlags(ex, slices.Concat(args[:i], args[i+1:]))
			return append([]string{a}, rest...), opts, err
		}
	}
	return args, netex.ExampleOptions{}, nil
}

// takeClientFlags takes from connect's words the options of the client
// examples beyond the tutorial (all but ex9-client's servers, which
// connect gives). Once the client is known, check says whether it takes
// every option given.
func takeClientFlags(args []string) ([]string, netex.ExampleOptions, func(*netex.Example) error, error) {
	all := &netex.Example{}
	for _, ex := range netex.Examples() {
		if ex.Role != netex.Client {
			continue
		}
		for _, f := range ex.Flags {
			if _, dup := all.FindFlag(f.Name); !dup && f.Name != "target" {
				all.Flags = append(all.Flags, f)
			}
		}
	}
	var given []string
	for _, a := range args {
		key, _, _ := optionWord(a)
		if _, ok := all.FindFlag(key); ok {
			given = append(given, key)
		}
	}
	rest, opts, err := takeExampleFlags(all, args)
	check := func(ex *netex.Example) error {
		for _, g := range given {
			if _, ok := ex.FindFlag(g); !ok {
				return fmt.Errorf("--%s is not an option of %s", g, ex.Name)
			}
		}
		return nil
	}
	return rest, opts, check, err
}
