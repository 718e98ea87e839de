package history

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// openOK opens the history at path and fails the test on a warning.
func openOK(t *testing.T, path string, limit int) *Store {
	t.Helper()
	s, err := Open(path, limit)
	if err != nil {
		t.Fatalf("Open(%q): unexpected warning: %v", path, err)
	}
	return s
}

// addOK adds line and checks whether it was stored, failing on a warning.
func addOK(t *testing.T, s *Store, line string, want bool) {
	t.Helper()
	stored, err := s.Add(line)
	if err != nil || stored != want {
		t.Fatalf("Add(%q) = %v, %v; want %v, nil", line, stored, err, want)
	}
}

// fileLines returns the lines of the file at path.
func fileLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// checkWarning checks that err is a one-line warning mentioning want.
func checkWarning(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no warning; want one mentioning %q", want)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "history: ") || !strings.Contains(msg, want) {
		t.Fatalf("warning %q: want one line starting \"history: \" and mentioning %q", msg, want)
	}
}

func TestCapAndCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ionetsh", "history")
	const limit = 10
	var all []string
	s := openOK(t, path, limit)
	for i := range 2*limit + 5 {
		all = append(all, fmt.Sprintf("cmd %d", i))
		addOK(t, s, all[i], true)
	}
	want := all[len(all)-limit:]
	if got := s.Entries(); !slices.Equal(got, want) {
		t.Fatalf("Entries() = %q; want %q", got, want)
	}
	// The file was compacted at 2*limit+1 lines, then got 4 more.
	if got := fileLines(t, path); !slices.Equal(got, all[len(all)-limit-4:]) {
		t.Fatalf("file holds %q; want it compacted to %q", got, all[len(all)-limit-4:])
	}
	if got := openOK(t, path, limit).Entries(); !slices.Equal(got, want) {
		t.Fatalf("after reopening, Entries() = %q; want %q", got, want)
	}
	last := s.Last(2)
	if len(last) != 2 || last[0] != (Entry{9, all[len(all)-2]}) || last[1] != (Entry{10, all[len(all)-1]}) {
		t.Fatalf("Last(2) = %v", last)
	}
	if got := s.Last(0); len(got) != limit || got[0] != (Entry{1, want[0]}) {
		t.Fatalf("Last(0) = %v; want all %d entries numbered from 1", got, limit)
	}
	if got := s.Last(limit + 5); len(got) != limit {
		t.Fatalf("Last(%d) returned %d entries; want %d", limit+5, len(got), limit)
	}
	for _, mode := range []string{"history", "history.lock"} {
		if info, err := os.Stat(filepath.Join(filepath.Dir(path), mode)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", mode, info.Mode(), err)
		}
	}
	if info, err := os.Stat(filepath.Dir(path)); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("directory: %v, %v; want mode 0700", info.Mode(), err)
	}
}

func TestWhatIsStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	s := openOK(t, path, 0)
	for _, c := range []struct {
		line string
		want bool
	}{
		{"ls", true},
		{"ls", false},       // consecutive duplicate
		{"pwd", true},       //
		{"ls", true},        // non-consecutive duplicate
		{" secret", false},  // leading space
		{"", false},         // empty
		{" \t ", false},     // blank
		{"echo a\n", true},  // trailing newline dropped
		{"echo a", false},   // so this repeats it
		{"a\nb\r\nc", true}, // one line
		{"nul\x00 bad\xff", true},
	} {
		addOK(t, s, c.line, c.want)
	}
	want := []string{"ls", "pwd", "ls", "echo a", "a b  c", "nul  bad\uFFFD"}
	if got := s.Entries(); !slices.Equal(got, want) {
		t.Fatalf("Entries() = %q; want %q", got, want)
	}
	if got := fileLines(t, path); !slices.Equal(got, want) {
		t.Fatalf("file holds %q; want %q", got, want)
	}
	if got := openOK(t, path, 0).Entries(); !slices.Equal(got, want) {
		t.Fatalf("after reopening, Entries() = %q; want %q", got, want)
	}
}

func TestPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	one, two := openOK(t, path, 0), openOK(t, path, 0)
	addOK(t, one, "one 1", true)
	addOK(t, two, "two 1", true)
	addOK(t, one, "one 2", true)
	if got, want := one.Entries(), []string{"one 1", "one 2"}; !slices.Equal(got, want) {
		t.Fatalf("first shell's Entries() = %q; want only its own %q", got, want)
	}
	want := []string{"one 1", "two 1", "one 2"}
	if got := openOK(t, path, 0).Entries(); !slices.Equal(got, want) {
		t.Fatalf("after reopening, Entries() = %q; want %q", got, want)
	}
}

func TestTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	if err := os.WriteFile(path, []byte("a\r\n\n\nb"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := openOK(t, path, 0)
	addOK(t, s, "c", true)
	if got, want := s.Entries(), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("Entries() = %q; want %q", got, want)
	}
	if got, want := fileLines(t, path), []string{"a\r", "", "", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("file holds %q; want %q", got, want)
	}
}

func TestHistoryOff(t *testing.T) {
	var null *Store
	off := openOK(t, "", 0)
	for _, s := range []*Store{null, off} {
		addOK(t, s, "ls", false)
		if got := s.Entries(); got != nil {
			t.Errorf("Entries() = %q; want nil", got)
		}
		if got := s.Last(0); got != nil {
			t.Errorf("Last(0) = %v; want nil", got)
		}
	}
}

func TestCorruptFile(t *testing.T) {
	for _, c := range []struct{ name, content, why string }{
		{"NUL", "ls\n\x00\x00\x00\npwd\n", "NUL bytes"},
		{"UTF-8", "ls\ncat caf\xe9\n", "invalid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, 0)
			checkWarning(t, err, c.why)
			checkWarning(t, err, path+".corrupt")
			if got := s.Entries(); got != nil {
				t.Fatalf("Entries() = %q; want an empty history", got)
			}
			if kept, err := os.ReadFile(path + ".corrupt"); err != nil || string(kept) != c.content {
				t.Fatalf("corrupt file set aside holds %q, %v; want %q", kept, err, c.content)
			}
			addOK(t, s, "date", true)
			if got := openOK(t, path, 0).Entries(); !slices.Equal(got, []string{"date"}) {
				t.Fatalf("after reopening, Entries() = %q; want [date]", got)
			}
		})
	}
}

func TestUnreadableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	if os.Geteuid() == 0 {
		// Permissions do not stop root, but a directory is no file.
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := os.WriteFile(path, []byte("ls\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0); err != nil {
			t.Fatal(err)
		}
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, 0)
	checkWarning(t, err, "cannot read")
	checkWarning(t, err, "memory only")
	addOK(t, s, "pwd", true) // no second warning
	addOK(t, s, "pwd", false)
	if got := s.Entries(); !slices.Equal(got, []string{"pwd"}) {
		t.Fatalf("Entries() = %q; want [pwd]", got)
	}
	after, err := os.Stat(path)
	if err != nil || after.Mode() != before.Mode() || after.Size() != before.Size() || !os.SameFile(before, after) {
		t.Fatalf("a memory-only history touched the file: %v", err)
	}
}

func TestUnwritableFile(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openOK(t, filepath.Join(notDir, "ionetsh", "history"), 0)
	stored, err := s.Add("ls")
	if !stored {
		t.Errorf("the entry that failed to save was not stored in memory")
	}
	checkWarning(t, err, "cannot save")
	addOK(t, s, "pwd", true)
	addOK(t, s, "pwd", false)
	if got, want := s.Entries(), []string{"ls", "pwd"}; !slices.Equal(got, want) {
		t.Fatalf("Entries() = %q; want %q", got, want)
	}
}

func TestDefaultPath(t *testing.T) {
	home, state := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	for _, c := range []struct{ xdg, want string }{
		{state, filepath.Join(state, "ionetsh", "history")},
		{"", filepath.Join(home, ".local", "state", "ionetsh", "history")},
		{"relative/dir", filepath.Join(home, ".local", "state", "ionetsh", "history")},
	} {
		t.Setenv("XDG_STATE_HOME", c.xdg)
		if c.xdg == "" {
			os.Unsetenv("XDG_STATE_HOME")
		}
		if got, err := DefaultPath(); err != nil || got != c.want {
			t.Errorf("with XDG_STATE_HOME=%q, DefaultPath() = %q, %v; want %q", c.xdg, got, err, c.want)
		}
	}
}
