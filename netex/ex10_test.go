package netex

import (
	"slices"
	"testing"
)

// TestEx10UrgentData sends abc, one urgent byte X and def from
// ex10-client to ex10-server, out of band and inline, and checks every
// line of both sides: out of band the byte is read apart through the
// error handler and the stream goes on at the mark; inline it is read in
// the stream, at the mark, and not echoed.
func TestEx10UrgentData(t *testing.T) {
	for _, inline := range []bool{false, true} {
		name := map[bool]string{false: "out-of-band", true: "inline"}[inline]
		t.Run(name, func(t *testing.T) {
			beEach(t, func(t *testing.T, loop string) { ex10Converse(t, loop, inline) })
		})
	}
}

func ex10Converse(t *testing.T, loop string, inline bool) {
	srv, sout, port := beServer(t, "ex10-server", loop, ExampleOptions{OOBInline: inline})
	in := NewStdinPipe()
	cli, cout := start(t, "ex10-client", Config{Host: loop, Port: port, Stdin: in})
	in.Send("abc")
	cout.waitFor(t, "^abc$")
	in.Send(UrgentLine('X'))
	urgent := `^Got urgent byte 'X' from .*, out of band \(exceptional condition, recv MSG_OOB\)\.$`
	if inline {
		urgent = `^Read the urgent byte 'X' from .* inline; not echoed\.$`
	}
	sout.waitFor(t, urgent)
	in.Send("def")
	cout.waitFor(t, "^def$")
	in.Close()
	if res := wait(t, cli); res.Value || res.Err != nil {
		t.Fatalf("ex10-client result %+v, want NIL", res)
	}
	hp := beHP(loop, port)
	lines := cout.Lines()
	matchLines(t, lines, "Connected to server "+hp+" from my local connection at {H:P}!", "abc",
		"Sent urgent byte 'X' (MSG_OOB).", "def", "End of input: closing the connection.", "Client Exited.")
	from := dtLocal(t, lines[0])
	sout.waitFor(t, "^Closing connection to ")
	beStop(t, srv)
	mode := "out of band (recv MSG_OOB)"
	mark := []string{"Got urgent byte 'X' from " + from + ", out of band (exceptional condition, recv MSG_OOB).",
		"At the urgent mark in the stream from " + from + "."}
	if inline {
		mode = "inline, at the mark (SO_OOBINLINE)"
		mark = []string{"At the urgent mark in the stream from " + from + ".",
			"Read the urgent byte 'X' from " + from + " inline; not echoed."}
	}
	got := sout.Lines()
	if inline {
		// The event base may see the urgent pointer (EPOLLPRI) a moment
		// before the byte is readable: the error handler then reports the
		// exceptional condition first. Either is right; nothing else is.
		early := "Exceptional condition on " + from + ": urgent data; it will be read inline at the mark."
		if i := slices.Index(got, early); i >= 0 && i+1 < len(got) && got[i+1] == mark[0] {
			got = slices.Delete(got, i, i+1)
		}
	}
	matchLines(t, got, slices.Concat(beStreamPrologue(loop, port),
		[]string{"Accepted a client from " + from, "Urgent data from " + from + " will be read " + mode + ".",
			`Read 5 bytes from ` + from + `: "abc\r\n"`, "Wrote 5 bytes to " + from},
		mark,
		[]string{`Read 5 bytes from ` + from + `: "def\r\n"`, "Wrote 5 bytes to " + from,
			"Client " + from + " produced end-of-file on a read.", "Closing connection to " + from, "Server Exited."})...)
}
