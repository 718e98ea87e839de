package toxproxy

import (
	"fmt"
	"strings"
	"time"
)

// Direction is the stream a toxic acts on.
type Direction int

// The two streams. Upstream is client to target, downstream target to
// client; toxiproxy's default is downstream.
const (
	Downstream Direction = iota
	Upstream
)

func (d Direction) String() string { return [...]string{"downstream", "upstream"}[d] }

// The toxic types, named as toxiproxy names them.
const (
	Latency   = "latency"
	Bandwidth = "bandwidth"
	Slicer    = "slicer"
	ResetPeer = "reset_peer"
	Timeout   = "timeout"
	LimitData = "limit_data"
	SlowClose = "slow_close"
)

// Types lists the toxic types in the order toxiproxy documents them.
func Types() []string {
	return []string{Latency, Bandwidth, Slicer, ResetPeer, Timeout, LimitData, SlowClose}
}

// NormalType returns the toxiproxy name of a toxic type, accepting a
// hyphen for the underscore (reset-peer), and whether it is known.
func NormalType(s string) (string, bool) {
	t := strings.ReplaceAll(strings.ToLower(s), "-", "_")
	for _, k := range Types() {
		if k == t {
			return t, true
		}
	}
	return "", false
}

// Toxic is one fault on one stream. Which fields count depends on Type,
// as in toxiproxy's attributes:
//
//	latency     Latency, Jitter (each chunk held Latency ± Jitter)
//	bandwidth   Rate, in KB/s (1 KB = 1000 bytes)
//	slicer      AverageSize, SizeVariation, Delay (between slices)
//	reset_peer  Timeout (after the first data: reset both sides)
//	timeout     Timeout (data dropped; 0: never closes, else close after it)
//	limit_data  Bytes (close once that many bytes have passed)
//	slow_close  Delay (before passing on an end-of-file)
//
// Toxicity, as in toxiproxy, is the chance (0 to 1) that the toxic
// applies to a connection, decided once per connection; nil means 1.
type Toxic struct {
	Name     string
	Type     string
	Stream   Direction
	Toxicity *float64

	Latency, Jitter time.Duration
	Rate            int64
	AverageSize     int
	SizeVariation   int
	Delay           time.Duration
	Timeout         time.Duration
	Bytes           int64
}

// Validate checks a toxic's type and parameters.
func (t Toxic) Validate() error {
	if _, ok := NormalType(t.Type); !ok {
		return fmt.Errorf("unknown toxic %q; toxics: %s", t.Type, strings.Join(Types(), ", "))
	}
	switch {
	case t.Name == "":
		return fmt.Errorf("a toxic needs a name")
	case !(t.Chance() >= 0 && t.Chance() <= 1):
		return fmt.Errorf("%s: toxicity must be between 0 and 1 (the chance that it applies to a connection), got %v", t.Type, t.Chance())
	case t.Latency < 0 || t.Jitter < 0 || t.Delay < 0 || t.Timeout < 0 || t.Bytes < 0 || t.Rate < 0:
		return fmt.Errorf("%s: parameters cannot be negative", t.Type)
	case t.Type == Bandwidth && t.Rate == 0:
		return fmt.Errorf("bandwidth: rate must be at least 1KB/s")
	case t.Type == Slicer && t.AverageSize < 1:
		return fmt.Errorf("slicer: average size must be at least 1 byte")
	case t.Type == Slicer && t.SizeVariation >= t.AverageSize && t.SizeVariation > 0:
		return fmt.Errorf("slicer: size variation must be less than the average size")
	case t.Type == Slicer && t.SizeVariation < 0:
		return fmt.Errorf("slicer: size variation cannot be negative")
	}
	return nil
}

// Chance is the toxic's toxicity: the chance that it applies to a
// connection, 1 unless set.
func (t Toxic) Chance() float64 {
	if t.Toxicity == nil {
		return 1
	}
	return *t.Toxicity
}

// Attributes shows the toxic's parameters with toxiproxy's attribute
// names, e.g. "latency=200ms jitter=50ms".
func (t Toxic) Attributes() string {
	switch t.Type {
	case Latency:
		return fmt.Sprintf("latency=%v jitter=%v", t.Latency, t.Jitter)
	case Bandwidth:
		return fmt.Sprintf("rate=%dKB/s", t.Rate)
	case Slicer:
		return fmt.Sprintf("average_size=%d size_variation=%d delay=%v", t.AverageSize, t.SizeVariation, t.Delay)
	case ResetPeer, Timeout:
		return fmt.Sprintf("timeout=%v", t.Timeout)
	case LimitData:
		return fmt.Sprintf("bytes=%d", t.Bytes)
	case SlowClose:
		return fmt.Sprintf("delay=%v", t.Delay)
	}
	return ""
}

// String is the toxic as one line: name (and type, if the name is not
// the type), stream and attributes.
func (t Toxic) String() string {
	name := t.Name
	if t.Name != t.Type {
		name += " (" + t.Type + ")"
	}
	s := fmt.Sprintf("%s on %s: %s", name, t.Stream, t.Attributes())
	if t.Chance() != 1 {
		s += fmt.Sprintf(" toxicity=%v", t.Chance())
	}
	return s
}
