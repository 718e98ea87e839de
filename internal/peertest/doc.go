// Package peertest plays a hostile network peer for tests: it sends
// escape sequences to an echo server and checks that the echo comes back
// byte for byte.
package peertest
