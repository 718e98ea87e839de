// Package netex owns the fourteen examples of the IOLib network tutorial,
// ported to Go, and the layer they are written against: IOLib-shaped IPv4
// stream sockets with buffered line I/O and raw nonblocking I/O, the
// tutorial's conditions as Go errors, an epoll event base, and a registry
// of named threads.
//
// An example runs as a Run, started with Start. Each Run has an Env that
// tracks every socket, event base and thread the example creates, so that
// stopping a Run interrupts whatever the example is blocked in, lets the
// example's own cleanup run and print, and then leaves nothing behind.
//
// The contract for what each example prints is ../shared/spec/netex.md.
package netex
