package netex

import (
	"errors"
	"fmt"
	"testing"
)

func TestConditionUnhandled(t *testing.T) {
	leakCheck(t)
	var refused error
	port := freePort(t)
	inRun(t, func(th *Thread) error {
		s, err := th.Env.MakeSocket(false)
		if err != nil {
			return err
		}
		defer s.Abort()
		refused = s.Connect(th.Ctx, "127.0.0.1", port)
		if c, ok := refused.(*Condition); !ok || c.FD != s.FD() {
			t.Errorf("refused connect: %#v, want a Condition on fd %d", refused, s.FD())
		}
		return nil
	})
	for _, c := range []struct {
		err  error
		want string
	}{
		{refused, `Unhandled SOCKET-CONNECTION-REFUSED-ERROR: #<SOCKET-CONNECTION-REFUSED-ERROR 111 :ECONNREFUSED "Connection refused", FD: {N}>`},
		{&Condition{Kind: EndOfFile, FD: 0}, "Unhandled END-OF-FILE: #<END-OF-FILE FD: 0>"},
		{fmt.Errorf("in a handler: %w", panicError("boom")), "Unhandled panic: boom"},
		{errors.New("plain trouble"), "Unhandled ERROR: plain trouble"},
	} {
		if got := Unhandled(c.err); !linePattern(c.want).MatchString(got) {
			t.Errorf("Unhandled(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
