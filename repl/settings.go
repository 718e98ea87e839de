package repl

import (
	"context"
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/netex"
)

// setting is one row of set's table: a name, the values it takes, what
// it means, and how to read and change it on a shell. set, its help and
// its completion are all generated from the table, so a new setting is
// one more row.
type setting struct {
	Name    string
	Values  string // what set NAME takes, e.g. "on|off"
	Default string
	Help    string
	Get     func(sh *Shell) string
	Set     func(sh *Shell, v string) error
	Choices []string // completions for the value; nil for free text
}

// settings returns the table, in the order set lists it.
func settings() []setting {
	return []setting{
		{Name: "host", Values: "H", Default: "localhost", Help: "the host clients connect to",
			Get: func(sh *Shell) string { return sh.host },
			Set: func(sh *Shell, v string) error { sh.host = v; return nil }},
		{Name: "port", Values: "P", Default: "9999", Help: "the port servers listen on and clients connect to; 0 picks a free one for a server",
			Get: func(sh *Shell) string { return strconv.Itoa(sh.port) },
			Set: setPort},
		{Name: "bind", Values: "ADDR", Default: "0.0.0.0", Help: "the address servers bind; a name such as localhost is resolved as hosts do",
			Get: func(sh *Shell) string { return cmpOr(sh.bind, "0.0.0.0") },
			Set: setBind},
		{Name: "backlog", Values: "N", Default: "5", Help: "the listen backlog of the servers run starts (the tutorial's 5 makes clients queue; use a large one to compare designs under load)",
			Get: func(sh *Shell) string { return strconv.Itoa(shellBacklog(sh)) },
			Set: setBacklog},
		{Name: "heap", Values: "SIZE", Default: "64MiB", Help: "the heap budget each new session has for buffered input: a read that would hold more of a line is a HEAP-EXHAUSTED-ERROR",
			Get: func(sh *Shell) string { return heapString(sh.heap) },
			Set: setHeap},
		{Name: "family", Values: "ipv4|ipv6", Default: "ipv4", Help: "what host names such as localhost resolve to for later commands (run and connect --ipv6 choose IPv6 for one command); an IP address chooses its own",
			Get: func(sh *Shell) string { return strings.ToLower(sh.family.String()) },
			Set: setFamily, Choices: []string{"ipv4", "ipv6"}},
		{Name: "color", Values: "on|off", Default: "on at a terminal", Help: "colour each session's name",
			Get: func(sh *Shell) string { return onOff(sh.colour.Load()) },
			Set: setColour, Choices: []string{"on", "off"}},
		{Name: "log-lines", Values: "N", Default: "10000", Help: "the most lines each session's transcript keeps (log, save --transcript); the oldest go first",
			Get: func(sh *Shell) string { return strconv.Itoa(sh.keep.lines) },
			Set: func(sh *Shell, v string) error { _, err := sh.setKeep("log-lines", v); return err }},
		{Name: "log-bytes", Values: "SIZE", Default: "4MiB", Help: "the most bytes of text each session's transcript keeps; the oldest lines go first",
			Get: func(sh *Shell) string { return formatSize(sh.keep.bytes) },
			Set: func(sh *Shell, v string) error { _, err := sh.setKeep("log-bytes", v); return err }},
		{Name: "errexit", Values: "on|off", Default: "off; ionetsh -e turns it on", Help: "stop a script at the first command that fails",
			Get: func(sh *Shell) string { return onOff(sh.errexit) },
			Set: func(sh *Shell, v string) error { return setBool(&sh.errexit, "errexit", v) }, Choices: []string{"on", "off"}},
	}
}

// lookupSetting finds a setting by name; colour is color.
func lookupSetting(name string) (setting, bool) {
	if name == "colour" {
		name = "color"
	}
	for _, s := range settings() {
		if s.Name == name {
			return s, true
		}
	}
	return setting{}, false
}

func settingNames() []string {
	var names []string
	for _, s := range settings() {
		names = append(names, s.Name)
	}
	return names
}

// setUsage is set's argument synopsis, from the table.
func setUsage() string {
	var parts []string
	for _, s := range settings() {
		parts = append(parts, s.Name+" "+s.Values)
	}
	return "[" + strings.Join(parts, " | ") + "]"
}

func cmdSet(sh *Shell, args []string) error {
	switch len(args) {
	case 0:
		sh.printf("%s", settingsText(sh, sh.columns()))
		return nil
	case 2:
		s, ok := lookupSetting(args[0])
		if !ok {
			return fmt.Errorf("unknown setting %s%s; settings: %s", visible.Quote(args[0]), didYouMean(args[0], settingNames()), strings.Join(settingNames(), ", "))
		}
		return s.Set(sh, args[1])
	}
	return fmt.Errorf("usage: set, or set NAME VALUE (settings: %s)", strings.Join(settingNames(), ", "))
}

func completeSet(sh *Shell, args []string) []string {
	switch len(args) {
	case 0:
		return settingNames()
	case 1:
		if s, ok := lookupSetting(args[0]); ok {
			return s.Choices
		}
	}
	return nil
}

func setPort(sh *Shell, v string) error {
	p, err := parsePort(v, 0)
	if err != nil {
		return err
	}
	sh.port = p
	return nil
}

func setBind(sh *Shell, v string) error {
	if _, err := resolveBind(v); err != nil {
		return err
	}
	sh.bind = v
	return nil
}

func setBool(dst *bool, name, v string) error {
	switch v {
	case "on":
		*dst = true
	case "off":
		*dst = false
	default:
		return fmt.Errorf("set %s takes on or off, not %s", name, visible.Quote(v))
	}
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// resolveBind turns a bind address into the IPv4 address a server binds:
// an address is taken as it is, a name (localhost) is looked up as hosts
// do and its first IPv4 address used.
func resolveBind(addr string) (string, error) {
	if ip := net.ParseIP(addr); ip != nil {
		return ip.String(), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", addr)
	if err != nil || len(ips) == 0 {
		return "", fmt.Errorf("bad bind address %s: not an IP address, and the name has no IPv4 address", visible.Quote(addr))
	}
	return ips[0].String(), nil
}

// settingsText lists every setting, its value and what it means, the
// meanings wrapped to width.
func settingsText(sh *Shell, width int) string {
	rows := [][]string{{"SETTING", "VALUE"}}
	for _, s := range settings() {
		rows = append(rows, []string{s.Name, s.Get(sh)})
	}
	nameCol, valCol := 0, 0
	for _, r := range rows {
		nameCol, valCol = max(nameCol, len(r[0])+2), max(valCol, len(r[1])+2)
	}
	var b strings.Builder
	for i, r := range rows {
		left := r[0] + strings.Repeat(" ", nameCol-len(r[0])) + r[1]
		meaning := "MEANING"
		if i > 0 {
			meaning = settings()[i-1].Help
		}
		b.WriteString(twoColumns(left, meaning, nameCol+valCol, width))
	}
	return b.String()
}

// setColour turns session colours on or off, for every session at once;
// a dumb terminal shows none.
func setColour(sh *Shell, v string) error {
	on := sh.colour.Load()
	if err := setBool(&on, "color", v); err != nil {
		return err
	}
	if on && sh.dumb {
		return fmt.Errorf("this terminal (TERM=dumb) shows no colour; colour stays off")
	}
	sh.colour.Store(on)
	return nil
}

func setHeap(sh *Shell, v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	sh.heap = n
	return nil
}

// heapString shows a heap budget, 0 being netex's default.
func heapString(n int64) string {
	if n == 0 {
		n = netex.DefaultHeap
	}
	return formatSize(n)
}

// setFamily is set family ipv4|ipv6.
func setFamily(sh *Shell, v string) error {
	switch strings.ToLower(v) {
	case "ipv4":
		sh.family = netex.IPv4
	case "ipv6":
		sh.family = netex.IPv6
	default:
		return fmt.Errorf("set family takes ipv4 or ipv6, not %s", visible.Quote(v))
	}
	return nil
}
