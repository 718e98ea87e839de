package repl

import (
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"strconv"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/netex/toxproxy"
)

// toxicUsage is the toxic command's synopsis.
const toxicUsage = "usage: toxic PROXY add TYPE [VALUE] [--OPTION V]... [--up|--down] [--toxicity F] [--name N] | toxic PROXY list | toxic PROXY remove NAME"

// toxicParam is one parameter of a toxic type: its option names (the
// first is ours, the last toxiproxy's attribute name) and how a value
// sets it.
type toxicParam struct {
	names []string
	set   func(t *toxproxy.Toxic, v string) error
}

// toxicParams lists each type's parameters; the first one can also be
// given as the positional VALUE.
func toxicParams(typ string) []toxicParam {
	dur := func(f func(t *toxproxy.Toxic) *time.Duration) func(*toxproxy.Toxic, string) error {
		return func(t *toxproxy.Toxic, v string) (err error) { *f(t), err = parseMillis(v); return }
	}
	switch typ {
	case toxproxy.Latency:
		return []toxicParam{
			{[]string{"latency"}, dur(func(t *toxproxy.Toxic) *time.Duration { return &t.Latency })},
			{[]string{"jitter"}, dur(func(t *toxproxy.Toxic) *time.Duration { return &t.Jitter })}}
	case toxproxy.Bandwidth:
		return []toxicParam{{[]string{"rate"}, func(t *toxproxy.Toxic, v string) (err error) { t.Rate, err = parseRate(v); return }}}
	case toxproxy.Slicer:
		return []toxicParam{
			{[]string{"size", "average_size"}, func(t *toxproxy.Toxic, v string) (err error) { t.AverageSize, err = parseCount(v); return }},
			{[]string{"variation", "size_variation"}, func(t *toxproxy.Toxic, v string) (err error) { t.SizeVariation, err = parseCount(v); return }},
			{[]string{"delay"}, dur(func(t *toxproxy.Toxic) *time.Duration { return &t.Delay })}}
	case toxproxy.ResetPeer, toxproxy.Timeout:
		return []toxicParam{{[]string{"after", "timeout"}, dur(func(t *toxproxy.Toxic) *time.Duration { return &t.Timeout })}}
	case toxproxy.LimitData:
		return []toxicParam{{[]string{"bytes"}, func(t *toxproxy.Toxic, v string) (err error) { t.Bytes, err = parseBytes(v); return }}}
	case toxproxy.SlowClose:
		return []toxicParam{{[]string{"delay"}, dur(func(t *toxproxy.Toxic) *time.Duration { return &t.Delay })}}
	}
	return nil
}

func cmdToxic(sh *Shell, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("%s", toxicUsage)
	}
	px, err := sh.proxy(args[0])
	if err != nil {
		return err
	}
	switch args[1] {
	case "add":
		t, err := parseToxic(args[2:])
		if err != nil {
			return err
		}
		return px.Add(t)
	case "list":
		if len(args) != 2 {
			return fmt.Errorf("usage: toxic PROXY list")
		}
		sh.printf("%s", toxicTable(args[0], px.List()))
		return nil
	case "remove", "rm":
		if len(args) != 3 {
			return fmt.Errorf("usage: toxic PROXY remove NAME")
		}
		return px.Remove(args[2])
	}
	return fmt.Errorf("unknown toxic action %s; %s", visible.Quote(args[1]), toxicUsage)
}

// parseToxic reads TYPE [VALUE] [--OPTION V]... [--up|--down] [--name N].
func parseToxic(words []string) (toxproxy.Toxic, error) {
	var t toxproxy.Toxic
	if len(words) == 0 {
		return t, fmt.Errorf("toxic add needs a type: %s", strings.Join(toxicTypeWords(), ", "))
	}
	typ, ok := toxproxy.NormalType(words[0])
	if !ok {
		return t, fmt.Errorf("unknown toxic %s; toxics: %s", visible.Quote(words[0]), strings.Join(toxicTypeWords(), ", "))
	}
	t.Type, t.Name = typ, typ
	var rest []string
	t.Stream, rest = streamFlag(words[1:])
	params := toxicParams(typ)
	allowed := []string{"name", "toxicity"}
	for _, p := range params {
		allowed = append(allowed, p.names...)
	}
	o, err := parseOptions(rest, allowed...)
	if err != nil {
		return t, fmt.Errorf("%s: %v", typ, err)
	}
	if len(o.pos) > 1 {
		return t, fmt.Errorf("%s takes one value (its %s), got %s", typ, params[0].names[0], visible.Quote(strings.Join(o.pos, " ")))
	}
	if len(o.pos) == 1 {
		o.vals[params[0].names[0]] = o.pos[0]
	}
	if n := o.vals["name"]; n != "" {
		t.Name = n
	}
	t = toxicDefaults(t)
	if v, ok := o.vals["toxicity"]; ok {
		f, err := parseToxicity(v)
		if err != nil {
			return t, fmt.Errorf("%s --toxicity: %v", typ, err)
		}
		t.Toxicity = &f
	}
	for _, p := range params {
		for _, n := range p.names {
			if v, ok := o.vals[n]; ok {
				if err := p.set(&t, v); err != nil {
					return t, fmt.Errorf("%s --%s: %v", typ, n, err)
				}
			}
		}
	}
	return t, t.Validate()
}

// parseToxicity reads a toxicity: the chance, from 0 to 1, that a toxic
// applies to a connection.
func parseToxicity(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= 0 && f <= 1) {
		return 0, fmt.Errorf("bad toxicity %s: want a number from 0 to 1, the chance that the toxic applies to a connection", visible.Quote(v))
	}
	return f, nil
}

// streamFlag takes --up and --down (the last one counts; toxiproxy's
// default is downstream) out of words.
func streamFlag(words []string) (toxproxy.Direction, []string) {
	d, rest := toxproxy.Downstream, []string(nil)
	for _, w := range words {
		switch w {
		case "--up", "--upstream":
			d = toxproxy.Upstream
		case "--down", "--downstream":
			d = toxproxy.Downstream
		default:
			rest = append(rest, w)
		}
	}
	return d, rest
}

// toxicDefaults gives the parameters toxiproxy's defaults where it has
// useful ones: a slicer with no size cuts into single bytes.
func toxicDefaults(t toxproxy.Toxic) toxproxy.Toxic {
	if t.Type == toxproxy.Slicer {
		t.AverageSize = 1
	}
	return t
}

// toxicTypeWords are the toxic types as typed at the shell, hyphenated.
func toxicTypeWords() []string {
	var ws []string
	for _, t := range toxproxy.Types() {
		ws = append(ws, strings.ReplaceAll(t, "_", "-"))
	}
	return ws
}

// toxicTable formats a proxy's toxics for toxic list.
func toxicTable(proxy string, ts []toxproxy.Toxic) string {
	if len(ts) == 0 {
		return fmt.Sprintf("no toxics on %s\n", proxy)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %-11s %-11s %-9s %s\n", "NAME", "TYPE", "STREAM", "TOXICITY", "ATTRIBUTES")
	for _, t := range ts {
		fmt.Fprintf(&b, "%-12s %-11s %-11s %-9s %s\n", t.Name, t.Type, t.Stream,
			strconv.FormatFloat(t.Chance(), 'g', -1, 64), t.Attributes())
	}
	return b.String()
}

// parseMillis reads a duration such as 200ms or 2s; a bare number is in
// milliseconds, toxiproxy's unit.
func parseMillis(v string) (time.Duration, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Duration(n) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %s: want e.g. 200ms, 2s, or a number of milliseconds", visible.Quote(v))
	}
	return d, nil
}

func parseCount(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad number %s", visible.Quote(v))
	}
	return n, nil
}

// parseBytes reads a size such as 0, 100B, 4KB (1000) or 4KiB (1024): a
// whole byte count (byteCount), zero allowed.
func parseBytes(v string) (int64, error) {
	n, ok := byteCount(v)
	if !ok || strings.Contains(v, ".") {
		return 0, fmt.Errorf("bad size %s: want e.g. 100B, 4KB or 1MiB", visible.Quote(v))
	}
	return n, nil
}

// parseRate reads a rate in toxiproxy's KB/s (1 KB = 1000 bytes): 1KB/s,
// 2MB/s, or a bare number of KB/s.
func parseRate(v string) (int64, error) {
	s, mult := strings.TrimSuffix(strings.ToLower(v), "/s"), int64(1)
	switch {
	case strings.HasSuffix(s, "mb"):
		s, mult = strings.TrimSuffix(s, "mb"), 1000
	case strings.HasSuffix(s, "kb"):
		s = strings.TrimSuffix(s, "kb")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("bad rate %s: want a whole number of KB/s or MB/s, e.g. 1KB/s (toxiproxy's unit)", visible.Quote(v))
	}
	return n * mult, nil
}

func completeToxic(sh *Shell, args []string) []string {
	switch {
	case len(args) == 0:
		return sh.proxyNames()
	case len(args) == 1:
		return []string{"add", "list", "remove"}
	case len(args) == 2 && args[1] == "add":
		return toxicTypeWords()
	case len(args) == 2 && args[1] == "remove":
		if px, err := sh.proxy(args[0]); err == nil {
			var names []string
			for _, t := range px.List() {
				names = append(names, t.Name)
			}
			return names
		}
	case len(args) > 2 && args[1] == "add":
		typ, _ := toxproxy.NormalType(args[2])
		opts := []string{"--up", "--down", "--name", "--toxicity"}
		for _, p := range toxicParams(typ) {
			opts = append(opts, "--"+p.names[0])
		}
		return opts
	}
	return nil
}
