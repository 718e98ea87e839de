// Package sockview reads what the kernel knows about TCP sockets, for
// the shell's sockets, watch sockets and trace commands.
//
// It owns three things:
//
//   - Owned: the state, queues, byte counts and round-trip time of a
//     socket this process holds an fd for, from TCP_INFO
//     (getsockopt) and the SIOCINQ and SIOCOUTQ ioctls;
//   - Dump: every TCP socket of the network namespace, from the
//     kernel's socket diagnostics (NETLINK_SOCK_DIAG, through
//     github.com/vishvananda/netlink), for sockets no fd of ours holds:
//     TIME_WAIT after a server stopped, connections still waiting in a
//     listener's accept queue, and clients that are not ours;
//   - Format: the socat -v style rendering of the bytes a socket sent or
//     received, for trace.
//
// A figure the kernel does not give is an Opt that is not OK, shown as
// "-", never a made-up value. For a listening socket RecvQ is the accept
// queue's length and SendQ the backlog, as ss shows them.
package sockview
