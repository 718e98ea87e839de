package repl

import (
	"fmt"
	"sync/atomic"
)

// palette is the colours session names take: 256-colour shades of
// medium brightness that read on dark and light backgrounds alike. There
// is no red (it reads as an error) and no dark blue (unreadable on
// black).
var palette = []int{
	33,  // blue (dodger blue)
	35,  // green
	37,  // teal
	128, // purple
	136, // dark gold
	166, // orange
	163, // magenta
	68,  // steel blue
	100, // olive
	30,  // dark cyan
}

// label is a session's "[name]" prefix, in its colour when the shell's
// colour is on. The colour is chosen once, so a session keeps it.
type label struct {
	hue    int // index into palette
	plain  string
	styled string
	on     *atomic.Bool
}

// text is the label as it is to be printed now.
func (l label) text() string {
	if l.on != nil && l.on.Load() {
		return l.styled
	}
	return l.plain
}

// newLabel makes the label of a new session, in the colour fewest live
// sessions have (the first such in palette order). sh.mu is held.
func (sh *Shell) newLabel(name string) label {
	used := make([]int, len(palette))
	for _, s := range sh.sessions {
		if !s.Ended() {
			used[s.label.hue]++
		}
	}
	hue := 0
	for i, n := range used {
		if n < used[hue] {
			hue = i
		}
	}
	text := "[" + name + "]"
	return label{hue: hue, plain: text, styled: fmt.Sprintf("\x1b[1;38;5;%dm%s\x1b[0m", palette[hue], text), on: &sh.colour}
}
