package sockview

import (
	"slices"
	"strings"
	"testing"
)

func TestFormatText(t *testing.T) {
	ev := Event{In: true, FD: 9, Local: "127.0.0.1:9998", Peer: "127.0.0.1:46000", Data: []byte("hello\r\n")}
	got := Format(ev, TraceOptions{Max: 256})
	want := []string{`fd 9 127.0.0.1:9998 < 127.0.0.1:46000 7 bytes "hello\r\n"`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	ev.In, ev.Data = false, []byte("a\tb\\\"\x00\xff")
	got = Format(ev, TraceOptions{})
	want = []string{`fd 9 127.0.0.1:9998 > 127.0.0.1:46000 7 bytes "a\tb\\\"\x00\xff"`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatCut(t *testing.T) {
	ev := Event{FD: 3, Local: "a", Peer: "b", Data: []byte(strings.Repeat("x", 300))}
	got := Format(ev, TraceOptions{Max: 256})
	want := `fd 3 a > b 300 bytes "` + strings.Repeat("x", 256) + `" (44 more bytes cut; --max 256)`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q", got)
	}
}

func TestFormatHex(t *testing.T) {
	ev := Event{In: true, FD: 5, Local: "l", Peer: "p", Data: []byte("hello, world!\r\n\x00\x01Z")}
	got := Format(ev, TraceOptions{Hex: true, Max: 17})
	want := []string{
		"fd 5 l < p 18 bytes (1 more bytes cut; --max 17)",
		"  0000  68 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0d 0a 00  hello, world!...",
		"  0010  01                                                .",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
