package netex

import "testing"

// TestServersAddressInUse starts each server on a port another server
// already listens on. ex1 and ex2 handle nothing, so bind's
// SOCKET-ADDRESS-IN-USE-ERROR is unhandled; the others print the hint
// about :reuse-addr (no newline, so a cleanup's goodbye joins it) and
// return NIL.
func TestServersAddressInUse(t *testing.T) {
	const (
		created = "Created socket: #<passive IPv4 stream socket, unbound {ID}>[fd={N}]"
		hint    = "Bind: Address already in use, forget :reuse-addr t?"
	)
	handled := map[string][]string{
		"ex3-server": {created, hint},
		"ex4-server": {created, hint},
		"ex5-server": {created, hint},
		"ex6-server": {created, hint + "Server Exited"},
		"ex7-server": {created, hint + "Server Exited."},
		"ex8-server": {created, hint + "Server Exited."},
	}
	for _, server := range []string{"ex1-server", "ex2-server", "ex3-server", "ex4-server", "ex5-server", "ex6-server", "ex7-server", "ex8-server"} {
		t.Run(server, func(t *testing.T) {
			leakCheck(t)
			_, _, port := startServer(t, server)
			second, out := start(t, server, Config{Port: port})
			res := wait(t, second)
			if _, ok := second.Addr(); ok {
				t.Fatal("the second server listens")
			}
			want, ok := handled[server]
			if !ok {
				dtUnhandled(t, res, AddressInUse, `98 :EADDRINUSE "Address already in use"`)
				matchLines(t, out.Lines(), created)
				return
			}
			if res.Value || res.Err != nil || res.Stopped {
				t.Fatalf("result %+v, want NIL", res)
			}
			matchLines(t, out.Lines(), want...)
		})
	}
}
