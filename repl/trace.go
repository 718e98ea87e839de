package repl

import (
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"math"
	"strconv"

	"github.com/ionetsh/ionetsh/netex/sockview"
)

// traceSource orders trace lines after every thread's lines and before
// the session's end line, when a script groups lines by thread.
const traceSource = math.MaxInt - 1

// traceMark starts every trace line, so that log, save --transcript and
// a reader tell them from what the example printed.
const traceMark = "trace "

func cmdTrace(sh *Shell, args []string) error {
	const usage = "usage: trace NAME [on|off] [--hex] [--max 256]"
	var rest []string
	hex := false
	for _, a := range args {
		if a == "--hex" {
			hex = true
		} else {
			rest = append(rest, a)
		}
	}
	o, err := parseOptions(rest, "max")
	if err != nil || len(o.pos) < 1 || len(o.pos) > 2 {
		return fmt.Errorf("%s", usage)
	}
	s, err := sh.session(o.pos[0])
	if err != nil {
		return err
	}
	on := len(o.pos) == 1 || o.pos[1] == "on"
	if len(o.pos) == 2 && o.pos[1] != "on" && o.pos[1] != "off" {
		return fmt.Errorf("trace takes on or off, not %s; %s", visible.Quote(o.pos[1]), usage)
	}
	opts := sockview.TraceOptions{Hex: hex, Max: 256}
	if v, ok := o.vals["max"]; ok {
		if opts.Max, err = strconv.Atoi(v); err != nil || opts.Max < 1 {
			return fmt.Errorf("bad --max %s: want a positive number of bytes", visible.Quote(v))
		}
	}
	if !on {
		s.run.SetTrace(nil)
		return nil
	}
	s.run.SetTrace(func(ev sockview.Event) { s.trace(sockview.Format(ev, opts)) })
	return nil
}

// trace records the lines of one traced event as the session's trace
// lines, shown in its colour like its other lines.
func (s *Session) trace(ls []string) {
	for i, l := range ls {
		ls[i] = traceMark + l
	}
	s.record(traceSource, ls, true)
}
