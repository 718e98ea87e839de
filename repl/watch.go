package repl

import (
	"context"
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"strconv"
	"strings"
	"time"
)

// keySource, set in interactive mode, gives a watch the terminal's keys:
// it puts the terminal in raw mode until close.
type keySource interface {
	// wait waits up to d for a key and reports whether one came.
	wait(ctx context.Context, d time.Duration) bool
	close()
}

// watchOptions are the options of watch sockets.
type watchOptions struct {
	names []string
	all   bool
	every time.Duration
	count int // 0: until a key (interactive only)
}

func parseWatch(args []string) (watchOptions, error) {
	const usage = "usage: watch sockets [NAME...] [--all] [--every 500ms] [--count N]"
	w := watchOptions{every: 500 * time.Millisecond}
	if len(args) == 0 || args[0] != "sockets" {
		return w, fmt.Errorf("%s (sockets is the one view there is)", usage)
	}
	var rest []string
	for _, a := range args[1:] {
		if a == "--all" {
			w.all = true
		} else {
			rest = append(rest, a)
		}
	}
	o, err := parseOptions(rest, "every", "count")
	if err != nil {
		return w, fmt.Errorf("%v; %s", err, usage)
	}
	w.names = o.pos
	if v, ok := o.vals["every"]; ok {
		if w.every, err = time.ParseDuration(v); err != nil || w.every < 10*time.Millisecond {
			return w, fmt.Errorf("bad interval %s: want a duration of at least 10ms, e.g. 500ms", visible.Quote(v))
		}
	}
	if v, ok := o.vals["count"]; ok {
		if w.count, err = strconv.Atoi(v); err != nil || w.count < 1 {
			return w, fmt.Errorf("bad count %s: want a positive number", visible.Quote(v))
		}
	}
	return w, nil
}

// cmdWatch shows the sockets table again every interval: at the prompt
// redrawn in place until a key is pressed (or --count snapshots were
// shown); in a script, one snapshot per interval, --count N of them.
func cmdWatch(sh *Shell, args []string) error {
	w, err := parseWatch(args)
	if err != nil {
		return err
	}
	ss, err := sh.pick(w.names)
	if err != nil {
		return err
	}
	if sh.keys == nil {
		if w.count == 0 {
			return fmt.Errorf("watch sockets in a script needs --count N")
		}
		return sh.watchScript(ss, w)
	}
	return sh.watchLive(ss, w)
}

// watchScript prints count snapshots, one per interval, each headed by
// its number.
func (sh *Shell) watchScript(ss []*Session, w watchOptions) error {
	ctx := sh.commandContext()
	for i := 1; i <= w.count; i++ {
		if i > 1 {
			select {
			case <-ctx.Done():
				return errInterrupted
			case <-time.After(w.every):
			}
			sh.settle()
		}
		text, err := socketsTable(ss, sh.list(), w.all)
		if err != nil {
			return err
		}
		sh.printf("-- sockets, snapshot %d of %d (every %s)\n%s", i, w.count, w.every, text)
	}
	return nil
}

// watchLive redraws the table in place until a key, holding back
// session lines meanwhile; they are printed below the last snapshot.
func (sh *Shell) watchLive(ss []*Session, w watchOptions) error {
	ctx := sh.commandContext()
	sh.pr.hold(true)
	defer sh.pr.hold(false)
	keys := sh.keys()
	defer keys.close()
	shown := 0
	for i := 1; w.count == 0 || i <= w.count; i++ {
		text, err := socketsTable(ss, sh.list(), w.all)
		if err != nil {
			return err
		}
		frame := fmt.Sprintf("sockets every %s, snapshot %d; any key returns to the prompt\n%s", w.every, i, text)
		var b strings.Builder
		if shown > 0 {
			fmt.Fprintf(&b, "\x1b[%dA\r\x1b[J", shown)
		}
		b.WriteString(frame)
		sh.pr.writeHeld([]byte(b.String()))
		shown = strings.Count(frame, "\n")
		if w.count != 0 && i == w.count {
			break
		}
		if keys.wait(ctx, w.every) {
			return nil
		}
		if ctx.Err() != nil {
			return errInterrupted
		}
	}
	return nil
}

// completeWatch offers the view, then session names.
func completeWatch(sh *Shell, args []string) []string {
	if len(args) == 0 {
		return []string{"sockets"}
	}
	return sh.sessionNames()
}
