package repl

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ionetsh/ionetsh/history"
	"github.com/ionetsh/ionetsh/netex"
	"github.com/ionetsh/ionetsh/repl/visible"
	"golang.org/x/sys/unix"
)

// keepLimits bounds each session's transcript: at most lines lines
// holding at most bytes bytes of text.
type keepLimits struct {
	lines int
	bytes int64
}

// defaultKeep is what a session keeps unless set log-lines or set
// log-bytes says otherwise.
var defaultKeep = keepLimits{lines: history.DefaultTranscriptLines, bytes: history.DefaultTranscriptBytes}

// setKeep handles set log-lines N and set log-bytes SIZE. The new bound
// applies to every session, live or ended, dropping its oldest lines
// beyond it. It reports whether key was one of these settings.
func (sh *Shell) setKeep(key, val string) (bool, error) {
	k := sh.keep
	switch key {
	case "log-lines":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return true, fmt.Errorf("bad line count %s: want a positive number", visible.Quote(val))
		}
		k.lines = n
	case "log-bytes":
		n, err := parseKeepBytes(val)
		if err != nil {
			return true, err
		}
		k.bytes = n
	default:
		return false, nil
	}
	sh.keep = k
	for _, s := range sh.list() {
		s.drain() // lines printed before are recorded under the bounds then
		s.log.SetLimits(k.lines, k.bytes)
	}
	return true, nil
}

// parseKeepBytes reads the byte bound of a transcript: a byte count
// (byteCount) of at least 1 KiB.
func parseKeepBytes(s string) (int64, error) {
	n, ok := byteCount(s)
	if !ok || n < 1<<10 || n > 1<<40 {
		return 0, fmt.Errorf("bad size %s: want a byte count of 1KiB or more, such as 4MiB", visible.Quote(s))
	}
	return n, nil
}

// formatSize prints a byte count in the largest unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name  string
		shift uint
	}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d%s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// raiseFileLimit raises the soft limit on open files to the hard limit,
// so that every session has as many descriptors as the process may
// have. It returns the error from setrlimit, if any.
func raiseFileLimit() error {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur >= lim.Max {
		return nil
	}
	lim.Cur = lim.Max
	return unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
}

// fileLimits returns how many descriptors the process has open (-1 if
// unknown) and its soft and hard limits.
func fileLimits() (open int, soft, hard uint64) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return -1, 0, 0
	}
	open = -1
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		open = len(ents) - 1 // less the descriptor reading the directory
	}
	return open, lim.Cur, lim.Max
}

// limitsLine is the header line of sessions --verbose.
func limitsLine() string {
	open, soft, hard := fileLimits()
	return fmt.Sprintf("file descriptors: %d open, limit %d (soft) of %d (hard)\n", open, soft, hard)
}

// isEMFILE reports whether err is the process running out of file
// descriptors, as a netex condition or a bare errno.
func isEMFILE(err error) bool {
	var c *netex.Condition
	return errors.Is(err, unix.EMFILE) || errors.As(err, &c) && c.Errno == unix.EMFILE
}

// unhandledLines reports an example's unhandled condition: the
// debugger's first line and, when the process ran out of descriptors, a
// line of advice.
func unhandledLines(err error) []string {
	lines := []string{netex.Unhandled(err)}
	if isEMFILE(err) {
		// EMFILE means every descriptor up to the soft limit was in use
		// when the call failed; by now the cleanup has closed some, so
		// the count at the time is the limit itself.
		_, soft, _ := fileLimits()
		lines = append(lines, fmt.Sprintf("(the process had %d of %d file descriptors open; ulimit -n raises %d)", soft, soft, soft))
	}
	return lines
}

// limitsHeader is what sessions --verbose prints above the table: the
// descriptor limits and the transcript bounds, with what each session
// keeps.
func (sh *Shell) limitsHeader() string {
	var b strings.Builder
	b.WriteString(limitsLine())
	fmt.Fprintf(&b, "transcripts: each keeps at most %d lines and %s (set log-lines, set log-bytes)\n",
		sh.keep.lines, formatSize(sh.keep.bytes))
	for _, s := range sh.list() {
		log := s.transcript()
		n, size := log.Size()
		fmt.Fprintf(&b, "  %s: %d lines, %s kept, %d dropped\n", s.name, n, formatSize(size), log.Dropped())
	}
	return b.String()
}
