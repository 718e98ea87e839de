package iomux

import (
	"fmt"
	"net"
	"reflect"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestMuxErrorHandlerSeesUrgentData: an error handler is called for the
// exceptional condition of TCP urgent data (EPOLLPRI), with no
// exception, and a read handler alone is not.
func TestMuxErrorHandlerSeesUrgentData(t *testing.T) {
	muxTest(t, false, "", func(th *Thread, b *EventBase, s *Socket, peer net.Conn) error {
		var got []Event
		record := func(fd int, ev Event, exc Exception) error {
			if exc != ExcNone {
				return fmt.Errorf("%s handler called with exception %d", ev, exc)
			}
			got = append(got, ev)
			if ev == Error {
				if _, err := s.ReceiveUrgent(); err != nil {
					return err
				}
			}
			return nil
		}
		if err := b.SetIOHandler(s.FD(), Read, record); err != nil {
			return err
		}
		if err := sendUrgent(peer, 'U'); err != nil {
			return err
		}
		if _, err := waitFD(s.FD(), unix.POLLPRI); err != nil {
			return err
		}
		if err := b.Dispatch(th.Ctx, DispatchOptions{OnceOnly: true, Timeout: 50 * time.Millisecond}); err != nil || len(got) != 0 {
			return fmt.Errorf("with a read handler only, a lone urgent byte: %v, handlers called %v", err, got)
		}
		if err := b.SetIOHandler(s.FD(), Error, record); err != nil {
			return err
		}
		if err := b.Dispatch(th.Ctx, dispatchOnce); err != nil || !reflect.DeepEqual(got, []Event{Error}) {
			return fmt.Errorf("with an error handler: %v, handlers called %v, want [error]", err, got)
		}
		b.RemoveFDHandlers(s.FD())
		return nil
	})
}

// sendUrgent sends b from a Go connection as TCP urgent data.
func sendUrgent(c net.Conn, b byte) error {
	rc, err := c.(syscall.Conn).SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.Send(int(fd), []byte{b}, unix.MSG_OOB) }); err != nil {
		return err
	}
	return serr
}
