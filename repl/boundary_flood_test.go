package repl

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionetsh/ionetsh/internal/racecheck"
)

// floodEnd matches a raw peer's line saying its flood is over.
var floodEnd = regexp.MustCompile(`Flood: (done|.* after \d+ bytes)|Connection lost`)

// TestLabFlood1GiB floods ex5, ex6, ex7 and ex8, one after another in
// one shell, with 1 GiB and no newline at the default 64 MiB budget:
// ex5's thread, ex6 and ex7 die of HEAP-EXHAUSTED-ERROR and ex8 serves
// on. Throughout, sessions answers (within floodProbeBound); the process's peak
// resident memory (VmHWM, reset first) stays under 400 MiB (not checked
// under -race, whose shadow memory multiplies it). Under -race ex8's
// flood, which ex8 echoes in full, is 256 MiB.
//
// It runs in a child process of its own (the test binary again), so that
// its peak memory is its own and the memory it took from the OS does not
// count against later tests.
func TestLabFlood1GiB(t *testing.T) {
	if os.Getenv(floodChild) == "" {
		floodInChild(t)
		return
	}
	leakCheck(t)
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("cannot reset the peak resident memory: %v", err)
	}
	s := newStepper(t)
	var worst time.Duration
	probes := 0
	for _, server := range []string{"ex5-server", "ex6-server", "ex7-server", "ex8-server"} {
		srv, cli, size := server[:3], "f"+server[:3], "1GiB"
		if server == "ex8-server" && racecheck.Enabled {
			size = "256MiB"
		}
		s.do("run " + server + " --port 0 --bind 127.0.0.1 --name " + srv)
		if srv == "ex8" {
			s.do("mute ex8") // two lines per 16 KiB echoed
		}
		s.do("connect " + srv + " raw --name " + cli + " --detach")
		s.do("flood " + cli + " " + size + " --detach")
		deadline := time.Now().Add(5 * time.Minute)
		for !floodOver(t, s, cli) {
			if time.Now().After(deadline) {
				t.Fatalf("the flood into %s did not end", server)
			}
			start := time.Now()
			if err := s.sh.Exec("sessions"); err != nil {
				t.Fatal(err)
			}
			worst = max(worst, time.Since(start))
			probes++
			time.Sleep(20 * time.Millisecond) // the probe's pace, not a synchronisation
		}
	}
	s.do("unmute ex8")
	s.do("connect ex8 raw --name after --detach")
	s.do("send after still served")
	out := s.since()
	wantLab(t, out,
		`[ex5] Unhandled HEAP-EXHAUSTED-ERROR in #<THREAD "PROCESS-EX5-CLIENT-THREAD" RUNNING {ID}>: #<HEAP-EXHAUSTED-ERROR: {N} bytes requested, budget 67108864 bytes>`,
		"[ex6] Unhandled HEAP-EXHAUSTED-ERROR: #<HEAP-EXHAUSTED-ERROR: {N} bytes requested, budget 67108864 bytes>",
		"[ex7] Unhandled HEAP-EXHAUSTED-ERROR: #<HEAP-EXHAUSTED-ERROR: {N} bytes requested, budget 67108864 bytes>",
		"[fex8] Flood: done: ...", "[after] still served")
	hwm := vmHWM(t)
	t.Logf("peak resident memory (VmHWM) %d MiB; sessions answered %d probes, the slowest in %v", hwm>>20, probes, worst.Round(time.Microsecond))
	// The race detector's shadow memory multiplies the heap several
	// times over (806 MiB measured), so the bound holds for the shell as
	// built, without -race.
	if hwm >= 400<<20 && !racecheck.Enabled {
		t.Errorf("peak resident memory %d MiB, want under 400 MiB", hwm>>20)
	}
	// The figure is logged, and reported in the issue (2.4 ms and 43.8 ms
	// on a quiet machine); the test bound only proves that the flood never
	// blocks the shell, since a loaded two-core machine under -race
	// stretches a 3 ms answer past 100 ms.
	if worst >= floodProbeBound {
		t.Errorf("sessions took %v at worst, want under %v", worst, floodProbeBound)
	}
}

const floodChild = "IONETSH_TEST_FLOOD_CHILD"

// floodProbeBound is how long sessions may take at worst during the
// floods: far above its answer on a quiet machine, far below a shell
// that the flood blocks.
const floodProbeBound = 2 * time.Second

// floodInChild runs TestLabFlood1GiB in a child process and reports its
// figures.
func floodInChild(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLabFlood1GiB$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), floodChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the flood test failed: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "peak resident memory") {
			t.Log(strings.TrimSpace(l))
		}
	}
}

// floodOver reports whether raw session name has said its flood ended.
func floodOver(t *testing.T, s *stepper, name string) bool {
	ses, err := s.sh.session(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ses.transcript().Last(5) {
		if floodEnd.MatchString(l.Text) {
			return true
		}
	}
	return false
}

// vmHWM returns the process's peak resident memory in bytes.
func vmHWM(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
