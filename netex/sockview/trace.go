package sockview

import (
	"fmt"
	"strings"
)

// Event is the bytes one read or write moved on a traced socket.
type Event struct {
	In          bool   // received from the peer; false for sent
	FD          int    // the socket's fd
	Local, Peer string // the connection's addresses
	Data        []byte
}

// TraceOptions say how Format renders an event.
type TraceOptions struct {
	Hex bool // a hex dump instead of escaped text
	Max int  // bytes shown at most; 0 or less shows all
}

// Format renders an event in the manner of socat -v: a direction arrow
// between the connection's ends (< for bytes received, > for bytes
// sent), the byte count, and the data, as text with \r, \n, \t, \\ and
// \" escaped and other non-printable bytes as \xHH, or as a hex dump of
// 16 bytes a line. Data past opts.Max is cut, with a note of how much.
func Format(ev Event, opts TraceOptions) []string {
	arrow := ">"
	if ev.In {
		arrow = "<"
	}
	data, cut := ev.Data, 0
	if opts.Max > 0 && len(data) > opts.Max {
		data, cut = data[:opts.Max], len(data)-opts.Max
	}
	head := fmt.Sprintf("fd %d %s %s %s %d bytes", ev.FD, ev.Local, arrow, ev.Peer, len(ev.Data))
	note := ""
	if cut > 0 {
		note = fmt.Sprintf(" (%d more bytes cut; --max %d)", cut, opts.Max)
	}
	if !opts.Hex {
		return []string{head + " " + Escape(data) + note}
	}
	lines := []string{head + note}
	for off := 0; off < len(data); off += 16 {
		lines = append(lines, hexLine(off, data[off:min(off+16, len(data))]))
	}
	return lines
}

// Escape quotes data as one line of text: printable ASCII as it is,
// \r \n \t \\ \" escaped, and any other byte as \xHH.
func Escape(data []byte) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range data {
		switch {
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hexLine is one line of a hex dump: the offset, up to 16 bytes in hex
// and the same bytes as text, non-printable ones as dots.
func hexLine(off int, chunk []byte) string {
	var hx, txt strings.Builder
	for i, c := range chunk {
		if i == 8 {
			hx.WriteByte(' ')
		}
		fmt.Fprintf(&hx, "%02x ", c)
		if c >= 0x20 && c < 0x7f {
			txt.WriteByte(c)
		} else {
			txt.WriteByte('.')
		}
	}
	return fmt.Sprintf("  %04x  %-49s %s", off, hx.String(), txt.String())
}
