package loadgen

import (
	"fmt"
	"time"
)

// Mode is the kind of load a client generates.
type Mode string

// The four modes.
const (
	// Echo sends a line and waits for its echo, over and over, on one
	// connection per client: the operation is a round trip.
	Echo Mode = "echo"
	// Batch sends every line, half-closes and reads every echo back: the
	// operation is a line, and latency is that of a whole batch.
	Batch Mode = "batch"
	// Daytime connects, reads one line and closes: the operation is a
	// connection.
	Daytime Mode = "daytime"
	// Connect connects and closes at once: the operation is a connection
	// set-up.
	Connect Mode = "connect"
)

// Modes lists the modes in the order help shows them.
var Modes = []Mode{Echo, Batch, Daytime, Connect}

// Unit names what one operation of the mode is, per second.
func (m Mode) Unit() string {
	switch m {
	case Echo:
		return "round trips/s"
	case Batch:
		return "lines/s"
	}
	return "connections/s"
}

// ParseMode checks a mode's name.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown mode %q: want echo, batch, daytime or connect", s)
}

// DefaultBatchLines is how many lines a batch has when the run is bounded
// by time rather than by --rounds.
const DefaultBatchLines = 1000

// StallAfter is the latency or connect time above which an operation
// counts as a stall.
const StallAfter = 500 * time.Millisecond

// Config is one step of a run: one target at one client count.
type Config struct {
	Addr    string `json:"addr"` // HOST:PORT
	Mode    Mode   `json:"mode"`
	Clients int    `json:"clients"`
	// Duration bounds the step when Rounds is 0.
	Duration time.Duration `json:"duration"`
	// Rounds, if not 0, is what each client does: round trips (echo),
	// lines of its one batch (batch) or connections (daytime, connect).
	Rounds int `json:"rounds"`
	// Size is the length of an echo line, newline included.
	Size int `json:"size"`
	// Idle is how many idle connections are opened first and held.
	Idle int `json:"idle"`
	// Timeout bounds each connect and each operation.
	Timeout time.Duration `json:"timeout"`
}

// Check reports the first thing wrong with c, or nil.
func (c Config) Check() error {
	switch {
	case c.Addr == "":
		return fmt.Errorf("no address")
	case c.Clients < 1:
		return fmt.Errorf("clients must be 1 or more, not %d", c.Clients)
	case c.Rounds < 0:
		return fmt.Errorf("rounds must be 1 or more, not %d", c.Rounds)
	case c.Rounds == 0 && c.Duration <= 0:
		return fmt.Errorf("give a duration or a number of rounds")
	case c.Size < 2:
		return fmt.Errorf("size must be 2 or more (a byte and the newline), not %d", c.Size)
	case c.Idle < 0:
		return fmt.Errorf("idle must be 0 or more, not %d", c.Idle)
	case c.Timeout <= 0:
		return fmt.Errorf("timeout must be positive")
	}
	_, err := ParseMode(string(c.Mode))
	return err
}
