package history

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// helperEnv tells TestHelperAppender, run in a child process, what to
// append: "PATH\tPREFIX\tCOUNT\tLIMIT".
const helperEnv = "IONETSH_HISTORY_HELPER"

// TestHelperAppender is not a test: run as a child process by
// TestConcurrentProcesses, it waits for its standard input to close,
// then appends COUNT entries PREFIX-0, PREFIX-1... to the history.
func TestHelperAppender(t *testing.T) {
	spec := os.Getenv(helperEnv)
	if spec == "" {
		return
	}
	f := strings.Split(spec, "\t")
	count, _ := strconv.Atoi(f[2])
	limit, _ := strconv.Atoi(f[3])
	io.Copy(io.Discard, os.Stdin) // start together with the other child
	s := openOK(t, f[0], limit)
	for i := range count {
		addOK(t, s, fmt.Sprintf("%s-%d", f[1], i), true)
	}
}

// appendFromTwoProcesses has two child processes append count entries
// each to the history at path at the same time.
func appendFromTwoProcesses(t *testing.T, path string, count, limit int) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var cmds []*exec.Cmd
	var gates []io.WriteCloser
	var out [2]strings.Builder
	for i, prefix := range []string{"childA", "childB"} {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperAppender$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s\t%s\t%d\t%d", helperEnv, path, prefix, count, limit))
		cmd.Stdout, cmd.Stderr = &out[i], &out[i]
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		defer stdin.Close()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, gates = append(cmds, cmd), append(gates, stdin)
	}
	for _, gate := range gates {
		gate.Close()
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, out[i].String())
		}
	}
}

// checkAppends checks that the history file at path holds only whole
// entries from the two children, each child's in order and each a
// suffix of what it appended, as compaction keeps the last lines.
func checkAppends(t *testing.T, path string, count int) (total int) {
	entry := regexp.MustCompile(`^child([AB])-(\d+)$`)
	next := map[string]int{}
	for _, line := range fileLines(t, path) {
		m := entry.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("torn or foreign line %q", line)
		}
		n, _ := strconv.Atoi(m[2])
		if first, seen := next[m[1]]; seen && n != first {
			t.Fatalf("child%s: entry %d follows %d: lost or repeated entries", m[1], n, first-1)
		}
		next[m[1]] = n + 1
		total++
	}
	for child, n := range next {
		if n != count {
			t.Fatalf("child%s: last entry %d; want %d", child, n-1, count-1)
		}
	}
	return total
}

func TestConcurrentProcesses(t *testing.T) {
	const count = 500
	t.Run("compacting", func(t *testing.T) {
		const limit = 300
		path := filepath.Join(t.TempDir(), "history")
		appendFromTwoProcesses(t, path, count, limit)
		if n := checkAppends(t, path, count); n < limit || n > 2*limit {
			t.Fatalf("file holds %d lines; want between %d and %d", n, limit, 2*limit)
		}
		if got := openOK(t, path, limit).Entries(); len(got) != limit {
			t.Fatalf("after reopening, %d entries; want %d", len(got), limit)
		}
	})
	t.Run("all kept", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "history")
		appendFromTwoProcesses(t, path, count, 5000)
		if n := checkAppends(t, path, count); n != 2*count {
			t.Fatalf("file holds %d lines; want all %d", n, 2*count)
		}
	})
}
