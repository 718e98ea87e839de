// Package iolib is the socket layer the tutorial's examples are written
// against, shaped after Common Lisp's IOLib: IPv4 and IPv6 stream and
// datagram sockets that print as IOLib prints them, buffered line
// streams, raw nonblocking byte I/O, and the tutorial's conditions as Go
// errors.
//
// The API:
//
//   - MakeSocket(owner, Options{Passive, Family, Type}) makes a Socket
//     of Family IPv4 or IPv6 (dual stack) and Type Stream or Datagram. A
//     stream socket is passive (Bind, Listen, Accept) or active
//     (Connect). Each owns a real nonblocking fd (FD).
//   - Datagrams: Bind, SendTo, ReceiveFrom, Connect (then a refused port
//     is a condition), and WaitReadable with a timeout.
//   - Line streams: ReadLine, WriteLine, WriteText, FinishOutput (flush),
//     ShutdownWrite (half-close), Close (flush, then close) and Abort
//     (close at once, discarding output).
//   - Raw byte I/O: ReceiveInto and SendFrom, one nonblocking call each.
//   - Nonblocking connect and accept, one call each: StartConnect, then
//     FinishConnect (SO_ERROR) once writable; AcceptNow; PeerName asks
//     getpeername at that moment.
//   - TCP urgent data: SendUrgent (MSG_OOB), ReceiveUrgent, AtMark
//     (SIOCATMARK) and SetOOBInline (SO_OOBINLINE).
//   - Addresses: Lookup (for a family; LookupHostname is IPv4 first, as
//     in the tutorial), FamilyOf, LocalAddr, RemoteAddr, and the printed
//     forms HostPort (H:P, ::1:9999 with no brackets) and HostPortList
//     ((H P)); Socket.String is IOLib's print form, e.g. #<passive IPv6
//     stream socket waiting @ ::/9999 {1002000203}> or #<IPv4 datagram
//     socket waiting @ 0.0.0.0/43513 {1002000203}>.
//   - Conditions: every error the package signals is a *Condition whose
//     Kind (EndOfFile, Hangup, ConnectionReset, ...) errors.Is matches;
//     SyscallCondition makes one from an errno.
//
// Blocking calls take a context and return an Interrupted condition once
// it ends. The package knows nothing of the examples; two hooks let a
// caller follow what it does:
//
//   - Owner, given to MakeSocket, numbers the sockets (their {ID} token)
//     and is told when one is opened, listens and is closed, so that the
//     caller can list, count and finally close them.
//   - Waiter, carried by a context (WithWaiter), is told whenever a
//     blocking call made with that context begins and ends its wait, and
//     what would end the wait (Waiting, FDReady), so that the caller can
//     tell when its threads are all idle.
package iolib
