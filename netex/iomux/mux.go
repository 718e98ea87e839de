package iomux

import (
	"encoding/binary"
	"os"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/ionetsh/ionetsh/netex/iolib"
	"golang.org/x/sys/unix"
)

// Event is what a handler waits for on a descriptor.
type Event int

// The three events of IOLib's set-io-handler.
const (
	Read Event = iota
	Write
	Error
)

// String returns the event as IOLib's keyword, without the colon.
func (ev Event) String() string { return [...]string{"read", "write", "error"}[ev] }

// Exception is what a handler is told went wrong, if anything.
type Exception int

// The exception values a handler is called with.
const (
	ExcNone Exception = iota
	ExcError
	ExcTimeout
)

// Handler is called by Dispatch when fd is ready for ev. An error it
// returns escapes from Dispatch, as a condition signalled in an IOLib
// handler escapes event-dispatch.
type Handler func(fd int, ev Event, exc Exception) error

// DispatchOptions are event-dispatch's keywords. The zero value
// dispatches until the base is empty (with exit-when-empty) or forever.
type DispatchOptions struct {
	OnceOnly bool          // handle one round of ready events, then return
	Timeout  time.Duration // return after this long with no events; 0 is none
}

// fdEntry is one registered fd. gen numbers the registration, so that an
// event for an fd that was removed and added again in the same round of
// events is not given to the new handlers.
//
// mask is the epoll mask last given to the kernel, and closes the count of
// closed sockets (iolib.Closes) before that: a change of handlers that
// leaves the mask as it is makes no system call, unless a socket was
// closed since, which may have dropped the fd from the epoll set and let
// its number be reused.
type fdEntry struct {
	h      [3]Handler
	gen    int32
	mask   uint32
	closes uint64
}

// EventBase is an IOLib-style multiplexer over Linux epoll. Handlers are
// level-triggered: a handler is called again while its fd stays ready.
// One goroutine dispatches; Wake and FDs may be called from any.
type EventBase struct {
	onClose       func(*EventBase)
	epfd, wakefd  int
	ep            *os.File // epfd, so that Dispatch waits through Go's poller
	rc            syscall.RawConn
	exitWhenEmpty bool

	mu     sync.Mutex
	fds    map[int]*fdEntry
	gen    int32
	closed bool
	ctls   int // epoll_ctl calls on registered fds, for the tests
}

// FDHandlers is one descriptor registered in an event base and the events
// it has handlers for.
type FDHandlers struct {
	FD     int
	Events []Event
}

// New makes an event base. With exitWhenEmpty, Dispatch returns as soon
// as no handler is registered. onClose, if not nil, is called once when
// the base is closed: it is the hook by which an owner that keeps its
// open bases (netex's Env) forgets one.
func New(exitWhenEmpty bool, onClose func(*EventBase)) (*EventBase, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, iolib.SyscallCondition(err, -1)
	}
	wfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, iolib.SyscallCondition(err, -1)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wfd), Pad: -1}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wfd, &ev); err != nil {
		unix.Close(epfd)
		unix.Close(wfd)
		return nil, iolib.SyscallCondition(err, -1)
	}
	b := &EventBase{onClose: onClose, epfd: epfd, wakefd: wfd, exitWhenEmpty: exitWhenEmpty, fds: make(map[int]*fdEntry)}
	// An epoll fd is readable while it has events ready, so Go's poller
	// can wait on it: no OS thread blocks in epoll_wait.
	unix.SetNonblock(epfd, true)
	b.ep = os.NewFile(uintptr(epfd), "epoll")
	if b.rc, err = b.ep.SyscallConn(); err != nil {
		b.ep.Close()
		unix.Close(wfd)
		return nil, err
	}
	return b, nil
}

func epollMask(h *[3]Handler) uint32 {
	var m uint32
	if h[Read] != nil {
		m |= unix.EPOLLIN | unix.EPOLLRDHUP
	}
	if h[Write] != nil {
		m |= unix.EPOLLOUT
	}
	if h[Error] != nil {
		m |= unix.EPOLLPRI // an exceptional condition: TCP urgent data
	}
	return m
}

// SetIOHandler sets fd's handler for ev, replacing any it had.
func (b *EventBase) SetIOHandler(fd int, ev Event, h Handler) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	closes := iolib.Closes()
	ent, ok := b.fds[fd]
	if ok {
		next := ent.h
		next[ev] = h
		if epollMask(&next) == ent.mask && ent.closes == closes {
			ent.h = next
			return nil
		}
	}
	op := unix.EPOLL_CTL_MOD
	if !ok {
		ent, op = &fdEntry{}, unix.EPOLL_CTL_ADD
	}
	next := *ent
	next.h[ev] = h
	if !ok {
		b.gen++
		next.gen = b.gen
	}
	e := unix.EpollEvent{Events: epollMask(&next.h), Fd: int32(fd), Pad: next.gen}
	err := unix.EpollCtl(b.epfd, op, fd, &e)
	b.ctls++
	if err == unix.ENOENT && ok {
		// fd was closed with its handlers left in place, which dropped
		// it from the epoll set: they are stale, and this registers
		// whatever fd is now afresh.
		next = fdEntry{}
		next.h[ev] = h
		b.gen++
		next.gen = b.gen
		e = unix.EpollEvent{Events: epollMask(&next.h), Fd: int32(fd), Pad: next.gen}
		err = unix.EpollCtl(b.epfd, unix.EPOLL_CTL_ADD, fd, &e)
	}
	if err != nil {
		return iolib.SyscallCondition(err, fd)
	}
	next.mask, next.closes = e.Events, closes
	*ent = next
	b.fds[fd] = ent
	return nil
}

// RemoveFDHandlers removes fd's handlers for the given events, or all of
// them when none is given. Removing what is not there is not an error,
// and makes no system call when the mask stays as it is.
func (b *EventBase) RemoveFDHandlers(fd int, evs ...Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ent, ok := b.fds[fd]
	if !ok {
		return
	}
	if len(evs) == 0 {
		evs = []Event{Read, Write, Error}
	}
	for _, ev := range evs {
		ent.h[ev] = nil
	}
	if ent.h[Read] == nil && ent.h[Write] == nil && ent.h[Error] == nil {
		delete(b.fds, fd)
		unix.EpollCtl(b.epfd, unix.EPOLL_CTL_DEL, fd, nil)
		return
	}
	if m := epollMask(&ent.h); m != ent.mask {
		e := unix.EpollEvent{Events: m, Fd: int32(fd), Pad: ent.gen}
		unix.EpollCtl(b.epfd, unix.EPOLL_CTL_MOD, fd, &e)
		b.ctls++
		ent.mask = m
	}
}

// Empty reports whether no handler is registered.
func (b *EventBase) Empty() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.fds) == 0
}

// FDs lists the registered descriptors and their events, by fd.
func (b *EventBase) FDs() []FDHandlers {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]FDHandlers, 0, len(b.fds))
	for fd, ent := range b.fds {
		f := FDHandlers{FD: fd}
		for ev, h := range ent.h {
			if h != nil {
				f.Events = append(f.Events, Event(ev))
			}
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FD < out[j].FD })
	return out
}

// Wake makes a blocked Dispatch look up from its wait.
func (b *EventBase) Wake() {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		unix.Write(b.wakefd, one[:])
	}
}

// Close releases the base's descriptors. The descriptors it watched are
// not closed: they belong to their sockets.
func (b *EventBase) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	b.fds = map[int]*fdEntry{}
	b.ep.Close()
	unix.Close(b.wakefd)
	if b.onClose != nil {
		b.onClose(b)
	}
	return nil
}
