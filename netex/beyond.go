package netex

// The examples beyond the tutorial: its Future Directions ("non-blocking
// connects/accepts, urgent TCP data, UDP examples, and IPV6"), written
// in its manner after the chapters of Stevens' UNIX Network Programming
// they come from.

// Ex9ResetRecipe is the shell commands that make a client reset before
// ex9-server accepts it, as explain ex9-server gives them.
const Ex9ResetRecipe = "run ex9-server --port 0 --bind 127.0.0.1 --accept-delay 2; connect ex9-server raw --name c --detach; reset c"

// Beyond reports whether ex is one of the examples beyond the tutorial.
func (ex *Example) Beyond() bool { return ex.Origin != "" }

func beyondExamples() []*Example {
	return []*Example{
		{Name: "ex9-client", Role: Client, Protocol: Daytime, Design: Multiplexed, IO: Nonblocking, Peers: allDaytimeServers, Run: runEx9Client,
			Origin:  "nonblocking connect: the tutorial's Future Directions; UNP §16.3-16.4",
			Flags:   []Flag{flagTarget},
			Summary: "daytime client that connects to several servers at once with nonblocking connects",
			Explain: "Nonblocking connect (UNP §16.3-16.4). run ex9-client HOST:PORT HOST:PORT... (or --target repeated, or --host and --port repeated; none means --host and --port) starts a nonblocking connect to every server at once, each printing " +
				"\"connect to H:P: EINPROGRESS, #<active IPv4 stream socket, unconnected {ID}>[fd=N] registered for write.\" All are in progress before any completes: the connects overlap in time. " +
				"Each write event then reads SO_ERROR and reports as it happens: \"H:P is writable: SO_ERROR says 0 (connected).\" and \"Connected to server H:P from my local connection at H:P!\", " +
				"or, for a port nobody listens on, \"H:P is writable: SO_ERROR says 111 (connection refused).\" and \"Connect to H:P failed: #<SOCKET-CONNECTION-REFUSED-ERROR ...>\": a refused connect is a write event with an error. " +
				"Then it reads one daytime line from each server that answered (\"H:P: TIME\") and prints \"N of M servers answered.\" and \"Client Exited.\"; it returns T only if all answered. " +
				"Try: run ex9-server --port 9991, run ex2-server --port 9992, then run ex9-client localhost:9991 localhost:9992 localhost:9993.",
		},
		{Name: "ex9-server", Role: Server, Protocol: Daytime, Design: Multiplexed, IO: Nonblocking, Peers: allDaytimeClients, Run: runEx9Server,
			Origin:  "nonblocking accept: the tutorial's Future Directions; UNP §16.6",
			Flags:   []Flag{flagAcceptDelay},
			Summary: "multiplexed daytime server with a nonblocking listener; survives a client that resets before accept",
			Explain: "Nonblocking accept (UNP §16.6). The listener's read handler accepts until EWOULDBLOCK, so accept never blocks the event loop, and serves each client at once: \"Accepted a client from H:P\", \"Sent the time to H:P\", \"Closing connection to H:P\". " +
				"Like the originals it asks each accepted socket for its peer (getpeername). A client that reset before accept is gone by then, which kills ex6, ex7 and ex8 (spec §6); ex9 prints " +
				"\"Accepted a connection from H:P that was reset before accept: getpeername says ENOTCONN.\" and \"Closing it and going on serving.\", and serves on. " +
				"On a system that drops such a connection from the queue, accept finds nothing: \"accept: EWOULDBLOCK, the connection is gone; back to the event loop.\" (Linux keeps it). " +
				"To induce it, pause before accept as UNP does: " + Ex9ResetRecipe + ". ex9 prints \"The listener is readable; pausing 2s before accept.\", then the ENOTCONN lines. On stop: \"Server Exited.\"",
		},
		{Name: "ex10-client", Role: Client, Protocol: EchoUrgent, Design: Iterative, IO: Blocking, Peers: []string{"ex10-server"}, ReadsStdin: true, Run: runEx10Client,
			Origin:  "urgent TCP data: the tutorial's Future Directions; UNP chapter 24",
			Summary: "echo client that sends one byte of TCP urgent data on request",
			Explain: "Urgent data (UNP chapter 24), the sending side. ex4-client with one convention on standard input: a line of exactly two bytes starting with ! (say !X) sends X as TCP urgent data (send with MSG_OOB), prints \"Sent urgent byte 'X' (MSG_OOB).\" and waits for no echo; send --urgent ex10-client X types that line. " +
				"Any other line is echoed as in ex4; at the end of input it prints \"End of input: closing the connection.\" and \"Client Exited.\". " +
				"Only one byte can be urgent: Linux keeps a single urgent byte per connection, the last byte of a MSG_OOB send, and a later urgent byte replaces one not yet read.",
		},
		{Name: "ex10-server", Role: Server, Protocol: EchoUrgent, Design: Multiplexed, IO: Nonblocking, Peers: []string{"ex10-client"}, Run: runEx10Server,
			Origin:  "urgent TCP data: the tutorial's Future Directions; UNP chapter 24",
			Flags:   []Flag{flagInline},
			Summary: "multiplexed echo server that notices TCP urgent data, out of band or inline",
			Explain: "Urgent data (UNP chapter 24), the receiving side: ex7's skeleton echoing raw bytes (\"Read N bytes from H:P: \\\"abc\\r\\n\\\"\", \"Wrote N bytes to H:P\") with an error handler too, which the event base calls for the exceptional condition urgent data raises (EPOLLPRI, select's exceptfds). " +
				"Out of band (the default) the error handler reads the byte apart from the stream with recv MSG_OOB: \"Got urgent byte 'X' from H:P, out of band (exceptional condition, recv MSG_OOB).\" Before each read the read handler asks SIOCATMARK, and at the urgent mark says \"At the urgent mark in the stream from H:P.\" " +
				"With --inline (SO_OOBINLINE) the byte stays in the stream, and at the mark it is read alone: \"At the urgent mark in the stream from H:P.\", \"Read the urgent byte 'X' from H:P inline; not echoed.\" " +
				"(\"Exceptional condition on H:P: urgent data; it will be read inline at the mark.\" comes first when data before the mark is still unread.) " +
				"Linux specifics: one byte only (a MSG_OOB send of abc makes just c urgent, and a second urgent byte before the first is read replaces it), and the mark is that byte's place in the stream: a read stops short of it, so data from before and after the mark never come in one read. " +
				"Try: run ex10-server, connect ex10-server, send ex10-client abc, send --urgent ex10-client X, send ex10-client def; then again with run ex10-server --inline.",
		},
		{Name: "ex11-client", Role: Client, Protocol: UDPDaytimeEcho, Design: Iterative, IO: Blocking, Peers: []string{"ex11-server"}, ReadsStdin: true, Run: runEx11Client,
			Origin:  "UDP: the tutorial's Future Directions; UNP chapter 8 and §22.5",
			Flags:   []Flag{flagDrop, flagConnect, flagTimeout, flagRetries},
			Summary: "UDP client: each line a datagram (empty asks the time), with timeout and retries",
			Explain: "UDP (UNP chapter 8; timeout and retransmission, §22.5). Each line of standard input is one datagram; an empty line asks for the time. " +
				"It prints \"Created socket: #<IPv4 datagram socket waiting @ 0.0.0.0/0 {ID}>[fd=N]\", \"Sent N bytes to H:P (try 1 of 3).\" and after its first send \"My socket is now bound: #<IPv4 datagram socket waiting @ 0.0.0.0/43513 {ID}>\". " +
				"It waits --timeout (1s) for \"Reply from H:P: TEXT\"; with none, \"No reply from H:P within 1s (try 1 of 3).\" and it sends again, up to --retries (3), then \"Gave up on H:P after 3 tries.\" " +
				"--drop 50% loses every second request on purpose, a lost datagram you can see on loopback: \"Dropped N bytes to H:P (try 1 of 3): --drop 50% lost it.\" " +
				"A reply from any other address is ignored: \"Ignored N bytes from H:P: I asked H:P.\" (run ex11-server --bind 0.0.0.0, then run ex11-client --host 127.0.0.2: the reply comes from 127.0.0.1, UNP §8.8). " +
				"Against a port nobody listens on, the unconnected socket only times out; with --connect (\"Connected socket: #<IPv4 datagram socket connected to H/P {ID}>\") the ICMP port unreachable comes back as a refused error: \"Connection refused: ICMP port unreachable from H:P. Nobody is listening there!\" " +
				"Scripts: a timed wait counts as at rest, so use wait NAME to see the timeouts.",
		},
		{Name: "ex11-server", Role: Server, Protocol: UDPDaytimeEcho, Design: Iterative, IO: Blocking, Peers: []string{"ex11-client"}, Run: runEx11Server,
			Origin:  "UDP: the tutorial's Future Directions; UNP chapter 8",
			Summary: "iterative UDP server with recvfrom/sendto: an empty datagram gets the time, others an echo",
			Explain: "UDP (UNP chapter 8): no connection, no accept, one datagram socket (\"Created socket: #<IPv4 datagram socket waiting @ 0.0.0.0/0 {ID}>[fd=N]\", \"Bound socket: #<IPv4 datagram socket waiting @ 0.0.0.0/P {ID}>\", \"Waiting for datagrams on H:P...\") and a loop of recvfrom and sendto to whoever sent. " +
				"An empty datagram gets the time: \"Got an empty datagram from H:P: it asks for the time.\", \"Sent the time to H:P: TIME\"; any other an echo: \"Got N bytes from H:P: \\\"TEXT\\\"\", \"Echoed N bytes to H:P\". On stop: \"Server Exited.\" Try connect ex11-server, then send it lines and empty lines.",
		},
	}
}
