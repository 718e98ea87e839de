package sockview

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Owned reads what the kernel knows about the TCP socket open as fd:
// TCP_INFO for its state, byte counts and round-trip time, and for a
// connection the SIOCINQ and SIOCOUTQ ioctls for its queues.
func Owned(fd int) (Kernel, error) {
	ti, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return Kernel{}, err
	}
	k := fromTCPInfo(ti)
	if ti.State != stateListen {
		k.RecvQ = ioctlQueue(fd, unix.SIOCINQ)
		k.SendQ = ioctlQueue(fd, unix.SIOCOUTQ)
	}
	var st unix.Stat_t
	if unix.Fstat(fd, &st) == nil {
		k.Inode = st.Ino
	}
	return k, nil
}

// ioctlQueue reads one queue length; a failure leaves it missing.
func ioctlQueue(fd int, req uint) Opt {
	n, err := unix.IoctlGetInt(fd, req)
	if err != nil || n < 0 {
		return Opt{}
	}
	return Some(uint64(n))
}

// fromTCPInfo decodes the figures of a tcp_info. For a listener the
// kernel puts the accept queue's length in tcpi_unacked and the backlog
// in tcpi_sacked, and a listener has no bytes or round trips. Queues of
// a connection are left missing: tcp_info does not carry them. Bytes out
// are tcpi_bytes_sent less tcpi_bytes_retrans: tcpi_bytes_acked also
// counts the SYN of an active open.
func fromTCPInfo(ti *unix.TCPInfo) Kernel {
	k := Kernel{State: StateName(ti.State)}
	if ti.State == stateListen {
		k.RecvQ, k.SendQ = Some(uint64(ti.Unacked)), Some(uint64(ti.Sacked))
		return k
	}
	k.BytesIn, k.BytesOut = Some(ti.Bytes_received), Some(ti.Bytes_sent-ti.Bytes_retrans)
	if ti.Rtt > 0 {
		k.RTTMicro = Some(uint64(ti.Rtt))
	}
	return k
}

// tcpInfoSize is the size of the tcp_info this package decodes.
const tcpInfoSize = int(unsafe.Sizeof(unix.TCPInfo{}))

// decodeTCPInfo reads a tcp_info as the kernel wrote it. A shorter one,
// from an older kernel, leaves the later fields zero.
func decodeTCPInfo(b []byte) (*unix.TCPInfo, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("tcp_info of %d bytes is too short", len(b))
	}
	var ti unix.TCPInfo
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&ti)), tcpInfoSize), b)
	return &ti, nil
}
