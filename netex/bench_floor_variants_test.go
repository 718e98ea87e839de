package netex

import (
	"fmt"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/benchload"
	"golang.org/x/sys/unix"
)

// floorOpts are the ways the floor can wait and serve.
type floorOpts struct {
	netpoll bool          // park through Go's poller, as iomux does; else block in epoll_wait on a locked thread
	spin    time.Duration // poll epoll without blocking for this long before waiting
	reread  bool          // read again after a send, before going back to epoll
	busy    int           // SO_BUSY_POLL µs on each connection; a kernel that asks CAP_NET_ADMIN for it skips the row
	slice   time.Duration // the locked thread's scheduler slice (sched_setattr), if not 0
	nice    int           // the locked thread's nice value (below 0 needs CAP_SYS_NICE)
	pin     bool          // pin the locked thread to the first CPU it may run on
}

// floorVariant is a way the floor can wait, named.
type floorVariant struct {
	name string
	opts floorOpts
}

// floorVariants are BenchmarkFloorVariants' rows, in its order; the
// first is the floor of BenchmarkVsBaseline.
var floorVariants = []floorVariant{
	{"floor", floorOpts{}},
	{"floor-reread", floorOpts{reread: true}},
	{"floor-netpoll", floorOpts{netpoll: true}},
	{"floor-spin10us", floorOpts{spin: 10 * time.Microsecond}},
	{"floor-spin50us", floorOpts{spin: 50 * time.Microsecond}},
	{"floor-netpoll-spin50us", floorOpts{netpoll: true, spin: 50 * time.Microsecond}},
	{"floor-slice100us", floorOpts{slice: 100 * time.Microsecond}},
	{"floor-slice1ms", floorOpts{slice: time.Millisecond}},
	{"floor-slice3ms", floorOpts{slice: 3 * time.Millisecond}},
	{"floor-busypoll", floorOpts{busy: 50}},
	{"floor-nice-10", floorOpts{nice: -10}},
	{"floor-pin", floorOpts{pin: true}},
}

// floorNamed returns the options of the floor variant of that name.
func floorNamed(name string) (floorOpts, bool) {
	for _, v := range floorVariants {
		if v.name == name {
			return v.opts, true
		}
	}
	return floorOpts{}, false
}

// BenchmarkFloorVariants pairs each way the floor can wait or be
// scheduled (floorVariants) with the baseline under the echo load, as
// BenchmarkVsBaseline does: what one thread can reach, and what holds it
// back (README, "The single-thread floor"). A variant whose setting the
// process may not make (nice -10 without CAP_SYS_NICE) is skipped.
//
//	go test -run '^$' -bench 'FloorVariants' -benchtime 2s -count 3 ./netex
func BenchmarkFloorVariants(b *testing.B) {
	var cases []benchload.Case
	for _, v := range floorVariants {
		cases = append(cases, benchload.Case{Mode: "echo", Server: v.name})
	}
	benchload.Pairs(b, cases, func(b *testing.B, server string) string {
		opts, _ := floorNamed(server)
		return startFloorEcho(b, benchload.Backlog, opts)
	}, childArgs...)
}

// setThread gives the calling thread the opts' slice and nice value.
func (o floorOpts) setThread() error {
	if o.nice != 0 {
		if err := unix.Setpriority(unix.PRIO_PROCESS, 0, o.nice); err != nil {
			return fmt.Errorf("nice %d: %w", o.nice, err)
		}
	}
	if o.pin {
		var set unix.CPUSet
		if err := unix.SchedGetaffinity(0, &set); err != nil {
			return err
		}
		cpu := 0
		for cpu < 1024 && !set.IsSet(cpu) {
			cpu++
		}
		set.Zero()
		set.Set(cpu)
		if err := unix.SchedSetaffinity(0, &set); err != nil {
			return fmt.Errorf("pin to CPU %d: %w", cpu, err)
		}
	}
	if o.slice > 0 {
		attr := unix.SchedAttr{Policy: unix.SCHED_NORMAL, Runtime: uint64(o.slice)}
		if err := unix.SchedSetAttr(0, &attr, 0); err != nil {
			return fmt.Errorf("slice %v: %w", o.slice, err)
		}
	}
	return nil
}
