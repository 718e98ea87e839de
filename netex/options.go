package netex

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// ExampleOptions are the settings only the examples beyond the tutorial
// take (ex9 and up). The zero value is each one's default.
type ExampleOptions struct {
	// Targets are ex9-client's servers, HOST:PORT each ([::1]:9999 or
	// ::1:9999 for IPv6); none means Config's Host and Port.
	Targets []string
	// AcceptDelay makes ex9-server wait this long between the listener
	// turning readable and its accept, as UNP §16.6 adds a sleep there,
	// so that a client can reset in between.
	AcceptDelay time.Duration
	// OOBInline makes ex10-server read urgent data inline (SO_OOBINLINE).
	OOBInline bool
	// Drop is the percentage of ex11-client's requests it drops instead
	// of sending, spread evenly and the same every run.
	Drop int
	// Connect makes ex11-client connect its UDP socket.
	Connect bool
	// Timeout is how long ex11-client waits for a reply (default 1s);
	// Retries how many times it sends a request (default 3).
	Timeout time.Duration
	Retries int
}

// Flag is one option an example takes beyond --host, --port and --bind.
type Flag struct {
	Name string // without dashes, e.g. "drop"
	Arg  string // what its value is, e.g. "N%"; "" for a switch
	Help string
	// Set records the option's value (a switch gets "").
	Set func(o *ExampleOptions, val string) error
}

// Usage is the flag as help shows it, e.g. --drop N%.
func (f Flag) Usage() string {
	if f.Arg == "" {
		return "--" + f.Name
	}
	return "--" + f.Name + " " + f.Arg
}

// FindFlag returns ex's flag called name.
func (ex *Example) FindFlag(name string) (Flag, bool) {
	for _, f := range ex.Flags {
		if f.Name == name {
			return f, true
		}
	}
	return Flag{}, false
}

var (
	flagTarget = Flag{Name: "target", Arg: "HOST:PORT", Help: "a server to connect to; repeat it, or list them after the name",
		Set: func(o *ExampleOptions, v string) error {
			if _, err := ParseTarget(v); err != nil {
				return err
			}
			o.Targets = append(o.Targets, v)
			return nil
		}}
	flagAcceptDelay = Flag{Name: "accept-delay", Arg: "DURATION", Help: "wait this long before each accept (UNP §16.6's sleep), so that a client can reset first",
		Set: func(o *ExampleOptions, v string) (err error) { o.AcceptDelay, err = parseSeconds(v); return err }}
	flagInline = Flag{Name: "inline", Help: "read urgent data inline, at the mark (SO_OOBINLINE)",
		Set: func(o *ExampleOptions, _ string) error { o.OOBInline = true; return nil }}
	flagDrop = Flag{Name: "drop", Arg: "N%", Help: "drop N% of the requests instead of sending them (evenly spread, the same every run)",
		Set: func(o *ExampleOptions, v string) error {
			n, err := strconv.Atoi(strings.TrimSuffix(v, "%"))
			if err != nil || n < 0 || n > 100 {
				return fmt.Errorf("bad --drop %q: want a percentage from 0%% to 100%%", v)
			}
			o.Drop = n
			return nil
		}}
	flagConnect = Flag{Name: "connect", Help: "connect the UDP socket, so that an ICMP port unreachable is a refused error",
		Set: func(o *ExampleOptions, _ string) error { o.Connect = true; return nil }}
	flagTimeout = Flag{Name: "timeout", Arg: "DURATION", Help: "how long to wait for each reply (default 1s)",
		Set: func(o *ExampleOptions, v string) (err error) { o.Timeout, err = parseSeconds(v); return err }}
	flagRetries = Flag{Name: "retries", Arg: "N", Help: "how many times to send each request (default 3)",
		Set: func(o *ExampleOptions, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				return fmt.Errorf("bad --retries %q: want a number from 1 to 100", v)
			}
			o.Retries = n
			return nil
		}}
)

// parseSeconds reads a duration: 200ms, 2s, or a bare number of seconds.
func parseSeconds(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q: want e.g. 200ms, 2s or 2", v)
	}
	return d, nil
}

// Target is one of ex9-client's servers.
type Target struct {
	Host string
	Port int
}

// ParseTarget reads HOST:PORT, [V6]:PORT or V6:PORT (the last colon
// separates the port, as IOLib prints an IPv6 H:P).
func ParseTarget(s string) (Target, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		i := strings.LastIndexByte(s, ':')
		if i <= 0 {
			return Target{}, fmt.Errorf("bad server %q: want HOST:PORT", s)
		}
		host, port = s[:i], s[i+1:]
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 || host == "" {
		return Target{}, fmt.Errorf("bad server %q: want HOST:PORT with a port from 1 to 65535", s)
	}
	return Target{Host: host, Port: p}, nil
}
