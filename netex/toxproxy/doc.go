// Package toxproxy owns the shell's fault-injecting TCP proxy: it listens
// on a port of its own, forwards each accepted connection to a target,
// and passes the bytes of each direction through a chain of toxics that
// can be added and removed while connections are live.
//
// The toxics, their names, parameters and default direction are those of
// Shopify's toxiproxy (latency, bandwidth, slicer, reset_peer, timeout,
// limit_data, slow_close), so that what a learner sees here carries over
// to it. They are written here rather than imported: toxiproxy's toxics
// package logs through a global zerolog logger and can only be run by
// the link machinery of its root package, which brings in its HTTP API
// and Prometheus metrics.
//
// Unlike toxiproxy, a half-close is passed on: end-of-file from one side
// shuts down the write side towards the other, so half-closing clients
// (ex5b) work through the proxy. A reset from either side is passed on
// as a reset. A toxic's toxicity (the chance that it applies to a
// connection) is decided once per connection by a number drawn from the
// proxy's seed, the toxic's name and the connection's number (Draw), so
// that a script's decisions are the same every run. Removing a toxic acts at once, on the data
// it holds too; and the timeout toxic holds data rather than dropping
// it, so that removing it lets the data flow on, in order.
package toxproxy
