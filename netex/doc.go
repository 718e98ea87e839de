// Package netex owns the fourteen examples of the IOLib network tutorial,
// ported to Go, one file each, with their registry (Examples, Lookup,
// Pairs), the named threads they run as (Thread, Env.Spawn), and the Runs
// that start and stop them (Start, Run).
//
// Beyond the tutorial it owns the examples the tutorial's Future
// Directions planned and never wrote, after Stevens' UNIX Network
// Programming (Example.Origin says which chapter): ex9-client and
// ex9-server (nonblocking connect and accept), ex10-client and
// ex10-server (TCP urgent data), ex11-client and ex11-server (UDP). They
// take options of their own (Example.Flags, Config.Opts).
//
// The layer the examples are written against lives in two packages of its
// own: iolib (sockets, line and raw I/O, conditions, printed forms) and
// iomux (the epoll event base). This package re-exports the names the
// examples and the shell use (Socket, EventBase, EndOfFile, ...) as
// aliases, so that callers need only netex.
//
// An example runs as a Run, started with Start. Each Run has an Env that
// makes the example's sockets (Env.MakeSocket) and event bases
// (Env.NewEventBase) and tracks them, through iolib's Owner hook and
// iomux's close hook, with every thread the example starts. Stopping a
// Run interrupts whatever the example is blocked in, lets the example's
// own cleanup run and print, and then leaves nothing behind. Each thread's
// context carries it as an iolib.Waiter, which is how Run.Idle knows that
// every thread is blocked on something not ready.
//
// The contract for what each example prints is ../shared/spec/netex.md.
package netex
