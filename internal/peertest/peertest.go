package peertest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"time"
)

// Hostile is what a hostile peer sends: it sets the window title, clears
// the screen and turns the text red, if it reaches a terminal raw.
const Hostile = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"

// Echo connects to the echo server at addr, sends line and a newline,
// and checks that the echo is line followed by CRLF (the servers end
// lines so): the bytes on the wire are untouched.
func Echo(addr, line string) error {
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return err
	}
	echo, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the echo: %w", err)
	}
	if echo != line+"\r\n" {
		return fmt.Errorf("echo %.60q, want %.60q: the wire must stay byte-exact", echo, line+"\r\n")
	}
	return nil
}
