package sockview

import (
	"fmt"
	"strconv"
)

// stateNames are the kernel's TCP states (include/net/tcp_states.h), by
// number, as ss and /proc/net/tcp name them.
var stateNames = [...]string{
	1:  "ESTABLISHED",
	2:  "SYN_SENT",
	3:  "SYN_RECV",
	4:  "FIN_WAIT1",
	5:  "FIN_WAIT2",
	6:  "TIME_WAIT",
	7:  "CLOSE",
	8:  "CLOSE_WAIT",
	9:  "LAST_ACK",
	10: "LISTEN",
	11: "CLOSING",
	12: "NEW_SYN_RECV",
}

// Kernel TCP state numbers that change how a socket's figures read.
const (
	stateTimeWait   = 6
	stateListen     = 10
	stateSynRecv    = 3
	stateNewSynRecv = 12
)

// StateName names a kernel TCP state number, e.g. 10 is LISTEN.
func StateName(n uint8) string {
	if int(n) < len(stateNames) && stateNames[n] != "" {
		return stateNames[n]
	}
	return "STATE_" + strconv.Itoa(int(n))
}

// Opt is a kernel figure that may be missing: its String is "-" when
// the kernel does not give it.
type Opt struct {
	N  uint64
	OK bool
}

// Some is a figure the kernel gave.
func Some(n uint64) Opt { return Opt{N: n, OK: true} }

// String prints the figure, or "-" when it is missing.
func (o Opt) String() string {
	if !o.OK {
		return "-"
	}
	return strconv.FormatUint(o.N, 10)
}

// Kernel is what the kernel says about one TCP socket.
type Kernel struct {
	State    string // LISTEN, ESTABLISHED, CLOSE_WAIT, ...
	RecvQ    Opt    // bytes not yet read; for a listener the accept queue
	SendQ    Opt    // bytes not yet acknowledged; for a listener the backlog
	BytesIn  Opt    // bytes received over the connection's life
	BytesOut Opt    // data bytes sent over its life, retransmissions not counted
	RTTMicro Opt    // smoothed round-trip time in microseconds
	Inode    uint64 // the socket's inode, 0 if unknown
}

// RTT prints the round-trip time in milliseconds, or "-".
func (k Kernel) RTT() string {
	if !k.RTTMicro.OK {
		return "-"
	}
	return fmt.Sprintf("%.3fms", float64(k.RTTMicro.N)/1000)
}
