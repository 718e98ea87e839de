package repl

import (
	"errors"

	"github.com/ionetsh/ionetsh/netex"
)

// rawName is the example name of raw line clients.
const rawName = "raw"

// rawClient is not a tutorial example: it is a line client for talking
// to any TCP server by hand. Lines from standard input are sent as they
// come; a reader thread prints every line that comes back.
func rawClient() *netex.Example {
	return &netex.Example{
		Name: rawName, Role: netex.Client, ReadsStdin: true,
		Summary: "a raw line client: lines sent, replies printed",
		Run:     runRawClient,
	}
}

func runRawClient(t *netex.Thread) (bool, error) {
	s, err := t.Env.MakeSocket(false)
	if err != nil {
		return false, err
	}
	defer s.Abort()
	if err := s.Connect(t.Ctx, t.Env.Host, t.Env.Port); err != nil {
		return false, err
	}
	t.Printf("Connected to %s from %s\n", s.RemoteAddr(), s.LocalAddr())
	reader := t.Env.Spawn("raw-reader", func(rt *netex.Thread) {
		for {
			line, err := s.ReadLine(rt.Ctx)
			if err != nil {
				if errors.Is(err, netex.EndOfFile) {
					rt.Printf("Server closed the connection.\n")
				}
				return
			}
			rt.Printf("%s\n", line)
		}
	})
	defer reader.Destroy()
	return sendLines(t, s, reader)
}

// sendLines sends standard input's lines until it ends, then half-closes
// and waits for the reader to see the server finish.
func sendLines(t *netex.Thread, s *netex.Socket, reader *netex.Thread) (bool, error) {
	for {
		line, newline, err := t.Env.ReadStdinChunk(t.Ctx)
		if errors.Is(err, netex.EndOfFile) {
			if err := s.ShutdownWrite(t.Ctx); err != nil {
				return false, err
			}
			if err := t.Await(reader.Done()); err != nil {
				return false, err
			}
			return true, nil
		}
		if err != nil {
			return false, err
		}
		write := s.WriteText
		if newline {
			write = s.WriteLine
		}
		if err := write(t.Ctx, line); err != nil {
			return false, err
		}
		if err := s.FinishOutput(t.Ctx); err != nil {
			return false, err
		}
	}
}
