package iolib

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

var (
	loopback6   = netip.MustParseAddr("::1")
	unspecified = netip.IPv6Unspecified()
)

func TestIPv6StreamPrintForms(t *testing.T) {
	leakCheck(t)
	for _, bind := range []netip.Addr{loopback6, unspecified} {
		inRun(t, func(th *Thread) error {
			l, err := listenerForms(t, th, IPv6, bind)
			if l != nil {
				defer l.Abort()
			}
			if err != nil {
				return err
			}
			port := l.LocalAddr().Port()
			c, err := MakeSocket(th.Env, Options{Family: IPv6})
			if err != nil {
				return err
			}
			defer c.Abort()
			wantForm(t, c, "#<active IPv6 stream socket, unconnected")
			if err := c.Connect(th.Ctx, "::1", int(port)); err != nil {
				return err
			}
			wantForm(t, c, "#<active IPv6 stream socket connected to ::1/%d", port)
			a, err := l.Accept(th.Ctx)
			if err != nil {
				return err
			}
			defer a.Abort()
			cport := c.LocalAddr().Port()
			wantForm(t, a, "#<active IPv6 stream socket connected to ::1/%d", cport)
			if got, want := HostPort(a.RemoteAddr()), "::1:"+itoa(cport); got != want {
				t.Errorf("H:P of an IPv6 peer is %q, want %q", got, want)
			}
			if got, want := HostPortList(a.RemoteAddr()), "(::1 "+itoa(cport)+")"; got != want {
				t.Errorf("(H P) of an IPv6 peer is %q, want %q", got, want)
			}
			if err := c.WriteLine(th.Ctx, "over IPv6"); err != nil {
				return err
			}
			if err := c.Close(th.Ctx); err != nil {
				return err
			}
			if line, err := a.ReadLine(th.Ctx); line != "over IPv6" || err != nil {
				t.Errorf("read %q, %v over IPv6", line, err)
			}
			wantForm(t, c, "#<active IPv6 stream socket, closed")
			l.Abort()
			wantForm(t, l, "#<passive IPv6 stream socket, closed")
			return nil
		})
	}
}

func TestDualStackServerAcceptsIPv4(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		l, err := listenerForms(t, th, IPv6, unspecified)
		if l != nil {
			defer l.Abort()
		}
		if err != nil {
			return err
		}
		port := l.LocalAddr().Port()
		if got, want := HostPort(l.LocalAddr()), ":::"+itoa(port); got != want {
			t.Errorf("the listener's H:P is %q, want %q", got, want)
		}
		c, err := th.Env.MakeSocket(false) // IPv4
		if err != nil {
			return err
		}
		defer c.Abort()
		if err := c.Connect(th.Ctx, "127.0.0.1", int(port)); err != nil {
			return err
		}
		wantForm(t, c, "#<active IPv4 stream socket connected to 127.0.0.1/%d", port)
		a, err := l.Accept(th.Ctx)
		if err != nil {
			return err
		}
		defer a.Abort()
		cport := c.LocalAddr().Port()
		wantForm(t, a, "#<active IPv6 stream socket connected to ::ffff:127.0.0.1/%d", cport)
		if got, want := HostPort(a.RemoteAddr()), "::ffff:127.0.0.1:"+itoa(cport); got != want {
			t.Errorf("an IPv4 client of a dual-stack server is %q, want %q", got, want)
		}
		if err := a.WriteLine(th.Ctx, "mapped"); err != nil {
			return err
		}
		if err := a.FinishOutput(th.Ctx); err != nil {
			return err
		}
		if line, err := c.ReadLine(th.Ctx); line != "mapped" || err != nil {
			t.Errorf("the IPv4 client read %q, %v", line, err)
		}
		return nil
	})
}

func TestFamilyMismatch(t *testing.T) {
	leakCheck(t)
	inRun(t, func(th *Thread) error {
		s, err := th.Env.MakeSocket(true) // IPv4
		if err != nil {
			return err
		}
		defer s.Abort()
		var c *Condition
		if err := s.Bind(loopback6, 0); !errors.As(err, &c) || c.Kind != SocketError || c.Errno.Error() != "address family not supported by protocol" {
			t.Errorf("binding an IPv4 socket to ::1: %v, want EAFNOSUPPORT", err)
		}
		wantForm(t, s, "#<passive IPv4 stream socket, unbound")
		if err := s.Connect(th.Ctx, "::1", 9); !errors.Is(err, ResolverError) {
			t.Errorf("connecting an IPv4 socket to ::1: %v, want RESOLVER-NO-NAME-ERROR", err)
		}
		return nil
	})
}

func TestLookupFamilies(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		host string
		fam  Family
		want string // "" for a resolver error
	}{
		{"127.0.0.1", IPv4, "127.0.0.1"},
		{"localhost", IPv4, "127.0.0.1"},
		{"::1", IPv4, ""},
		{"::1", IPv6, "::1"},
		{"::", IPv6, "::"},
		{"127.0.0.1", IPv6, "127.0.0.1"},
		{"nowhere.invalid", IPv6, ""},
	} {
		a, err := Lookup(ctx, c.host, c.fam)
		switch {
		case c.want == "" && !errors.Is(err, ResolverError):
			t.Errorf("Lookup(%q, %v) = %v, %v; want a resolver error", c.host, c.fam, a, err)
		case c.want != "" && (err != nil || a.String() != c.want):
			t.Errorf("Lookup(%q, %v) = %v, %v; want %s", c.host, c.fam, a, err, c.want)
		}
	}
	// localhost with an IPv6 preference: ::1 where the hosts file says
	// so, else its IPv4 address, which an IPv6 socket reaches mapped.
	if a, err := Lookup(ctx, "localhost", IPv6); err != nil || !a.IsLoopback() {
		t.Errorf("Lookup(localhost, IPv6) = %v, %v; want a loopback address", a, err)
	}
	if a, err := LookupHostname(ctx, "localhost"); err != nil || a.String() != "127.0.0.1" {
		t.Errorf("LookupHostname(localhost) = %v, %v; want the first IPv4 address", a, err)
	}
}
