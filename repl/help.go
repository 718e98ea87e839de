package repl

import (
	"fmt"
	"strings"
)

// columns is the width to lay text out for: one less than the
// terminal's (a line filling the last column makes some terminals wrap
// early), or 79 when the output is not a terminal.
func (sh *Shell) columns() int {
	if w := sh.width(); w > 0 {
		return max(w, 20) - 1
	}
	return defaultColumns - 1
}

// say prints text word-wrapped to the output's width, continuation
// lines indented hang more.
func (sh *Shell) say(text string, hang int) {
	sh.printf("%s", wrap(text, sh.columns(), hang))
}

func cmdHelp(sh *Shell, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: help [COMMAND]")
	}
	if len(args) == 1 {
		c, ok := lookupCommand(args[0])
		if !ok {
			return unknownCommand(args[0])
		}
		sh.printf("%s", helpPage(c, sh.columns()))
		return nil
	}
	sh.printf("%s", helpList(sh.columns()))
	return nil
}

// helpList is the list of commands, laid out for width columns: usage,
// and the summary beside it or, for a long usage, below it.
func helpList(width int) string {
	col := 26
	if width < 60 {
		col = 6
	}
	var b strings.Builder
	b.WriteString("Commands (help COMMAND for options and examples):\n")
	for _, c := range commands() {
		b.WriteString(twoColumns("  "+c.usage(), c.Summary, col, width))
	}
	return b.String()
}

// helpPage is help COMMAND: usage, what it does, each option with its
// default, other names, and examples.
func helpPage(c Command, width int) string {
	var b strings.Builder
	b.WriteString(wrap("usage: "+c.usage(), width, 7))
	b.WriteString("\n\n")
	b.WriteString(wrap(capitalise(c.Summary)+".", width, 0))
	b.WriteString("\n")
	if c.Details != "" {
		b.WriteString(wrap(c.Details, width, 0) + "\n")
	}
	if len(c.Options) > 0 {
		b.WriteString("\noptions:\n")
		for _, o := range c.Options {
			text := o.Help
			if o.Default != "" {
				text += " (default: " + o.Default + ")"
			}
			b.WriteString(twoColumns("  "+o.Name, text, 18, width))
		}
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\nalso: " + strings.Join(c.Aliases, ", ") + "\n")
	}
	if len(c.Examples) > 0 {
		b.WriteString("\nexamples:\n")
		for _, e := range c.Examples {
			b.WriteString("  " + e + "\n")
		}
	}
	return b.String()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
