package repl

import (
	"io"
	"os"
	"strings"

	"github.com/muesli/reflow/wordwrap"
	"golang.org/x/term"
)

// defaultColumns is the width help and other text is laid out for when
// the output is not a terminal.
const defaultColumns = 80

// terminalWidth returns a function giving w's width in columns, asked
// afresh each time so a resized window is followed; it gives 0 when w
// is not a terminal.
func terminalWidth(w io.Writer) func() int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() int { return 0 }
	}
	return func() int {
		cols, _, err := term.GetSize(int(f.Fd()))
		if err != nil || cols <= 0 {
			return defaultColumns
		}
		return cols
	}
}

// wrap word-wraps each line of text to width columns. A line keeps its
// leading spaces, and its continuation lines are indented hang columns
// more. Words longer than a line are left whole; a width of 0 leaves
// the text as it is. Escape sequences take no columns.
func wrap(text string, width, hang int) string {
	if width <= 0 {
		return text
	}
	trailing := strings.HasSuffix(text, "\n")
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		body := strings.TrimLeft(line, " ")
		lead := strings.Repeat(" ", len(line)-len(body))
		b.WriteString(lead)
		b.WriteString(hangIndent(wordWrap(body, width-len(lead)-hang), lead+strings.Repeat(" ", hang)))
	}
	if trailing {
		b.WriteByte('\n')
	}
	return b.String()
}

// wordWrap breaks s at spaces into lines of at most limit columns; it
// never breaks at a hyphen, since ex1-server is one word.
func wordWrap(s string, limit int) string {
	ww := wordwrap.NewWriter(max(limit, 20))
	ww.Breakpoints = nil
	ww.Write([]byte(s))
	ww.Close()
	return ww.String()
}

// hangIndent prefixes every line of s but the first with indent.
func hangIndent(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// twoColumns lays out left and right side by side, right starting at
// column col and wrapped to width; a left too wide for its column gets
// a line of its own.
func twoColumns(left, right string, col, width int) string {
	pad := strings.Repeat(" ", col)
	body := hangIndent(wordWrap(right, width-col), pad)
	if len(left)+2 > col {
		return wrap(left, width, 4) + "\n" + pad + body + "\n"
	}
	return left + pad[len(left):] + body + "\n"
}
