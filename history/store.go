package history

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// DefaultLimit is how many entries a command history keeps by default.
const DefaultLimit = 1000

// Entry is one kept history entry. N numbers entries from 1 for the
// oldest kept one.
type Entry struct {
	N    int
	Text string
}

// Store is the command history of one interactive shell, persisted in a
// file that other shells may append to at the same time. Each Add
// appends one line to the file under an exclusive lock on a sibling
// file PATH.lock; when the file holds more than twice the limit it is
// rewritten with the last limit entries. The in-memory history is what
// the file held at Open plus what this shell added since: entries that
// other shells add later are saved but not merged in.
//
// A nil Store, or one opened with an empty path, is history switched
// off: it stores nothing. A Store is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	path    string
	limit   int
	entries []string // oldest first, at most limit
	memOnly bool     // the file cannot be used; keep entries in memory only
	file    fileState
}

// fileState is what a store last knew of its history file, so that an
// append needs to read only what other shells appended since.
type fileState struct {
	info  os.FileInfo // identifies the file; nil when unknown
	size  int64
	lines int  // newline characters in the file
	endNL bool // the file is empty or ends with a newline
}

// DefaultPath returns where the history is kept by default:
// $XDG_STATE_HOME/ionetsh/history if XDG_STATE_HOME is an absolute
// path, and ~/.local/state/ionetsh/history otherwise.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("history: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ionetsh", "history"), nil
}

// Open loads the history kept in the file at path, keeping at most
// limit entries (DefaultLimit if limit <= 0); an empty path switches
// history off. A missing file is an empty history; the file and its
// directory are created by the first Add.
//
// Open always returns a usable Store. A non-nil error is a one-line
// warning to show the user; the shell should go on. A file that cannot
// be read leaves the history in memory only for this session, so that
// Add never writes to a file Open could not read. A corrupt file (one
// holding NUL bytes or invalid UTF-8) is never overwritten: it is
// renamed to PATH.corrupt, replacing any older one, and the history
// starts empty in a fresh file; if the rename fails, the history is
// kept in memory only.
func Open(path string, limit int) (*Store, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	s := &Store{path: path, limit: limit}
	if path == "" {
		return s, nil
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, unix.ENOTDIR) {
		return s, nil // nothing saved yet; a bad directory shows up at Add
	}
	if err == nil && !info.Mode().IsRegular() {
		err = errNotRegular(info)
	}
	if err != nil {
		s.memOnly = true
		return s, warnf("%s: cannot read (%w); history will be kept in memory only", path, cause(err))
	}
	if unlock, err := lock(path); err == nil {
		defer unlock()
	} // else read unlocked: a read-only directory still holds a history
	return s, s.load()
}

// load reads the history file; the caller holds the lock if it could.
func (s *Store) load() error {
	data, info, err := readFile(s.path)
	if err != nil {
		s.memOnly = true
		return warnf("%s: cannot read (%w); history will be kept in memory only", s.path, cause(err))
	}
	return s.remember(data, info)
}

// remember takes the entries held in data, the content of the history
// file described by info, or sets the file aside if it is corrupt.
func (s *Store) remember(data []byte, info os.FileInfo) error {
	switch {
	case bytes.IndexByte(data, 0) >= 0:
		return s.setAside("contains NUL bytes")
	case !utf8.Valid(data):
		return s.setAside("invalid UTF-8")
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) != "" {
			s.push(line)
		}
	}
	s.file = fileState{
		info:  info,
		size:  int64(len(data)),
		lines: bytes.Count(data, []byte{'\n'}),
		endNL: len(data) == 0 || data[len(data)-1] == '\n',
	}
	return nil
}

// setAside renames the corrupt history file to PATH.corrupt.
func (s *Store) setAside(why string) error {
	aside := s.path + ".corrupt"
	if err := os.Rename(s.path, aside); err != nil {
		s.memOnly = true
		return warnf("%s: file is corrupt (%s) and could not be moved aside (%w); history will be kept in memory only",
			s.path, why, cause(err))
	}
	return warnf("%s: file is corrupt (%s); moved it to %s and starting with an empty history", s.path, why, aside)
}

// Add records a command line and reports whether it was stored. Blank
// lines, lines starting with a space and repeats of the latest entry
// are not. Line breaks inside the line become spaces, and NUL bytes and
// invalid UTF-8 are replaced, so that an entry is one line of text.
//
// The error is a one-line warning returned only the first time saving
// to the file fails; from then on the store keeps entries in memory
// only, and the entry that failed is still stored in memory.
func (s *Store) Add(line string) (stored bool, err error) {
	if s == nil || s.path == "" {
		return false, nil
	}
	line = normalize(line)
	if strings.TrimSpace(line) == "" || line[0] == ' ' {
		return false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.push(line) {
		return false, nil
	}
	if s.memOnly {
		return true, nil
	}
	if err := s.appendLine(line); err != nil {
		s.memOnly = true
		return true, warnf("%s: cannot save (%w); history will be kept in memory only", s.path, describe(s.path, err))
	}
	return true, nil
}

// push appends line to the in-memory entries unless it repeats the
// latest one, dropping the oldest entry beyond the limit.
func (s *Store) push(line string) bool {
	n := len(s.entries)
	if n > 0 && s.entries[n-1] == line {
		return false
	}
	if n >= s.limit {
		copy(s.entries, s.entries[n-s.limit+1:])
		s.entries = s.entries[:s.limit-1]
	}
	s.entries = append(s.entries, line)
	return true
}

// Entries returns the kept entries, oldest first.
func (s *Store) Entries() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.entries) == 0 {
		return nil
	}
	return append([]string(nil), s.entries...)
}

// Last returns the last n kept entries, oldest first, numbered from 1
// for the oldest kept entry; n <= 0 means all of them.
func (s *Store) Last(n int) []Entry {
	all := s.Entries()
	if n <= 0 || n > len(all) {
		n = len(all)
	}
	if n == 0 {
		return nil
	}
	out := make([]Entry, 0, n)
	for i := len(all) - n; i < len(all); i++ {
		out = append(out, Entry{N: i + 1, Text: all[i]})
	}
	return out
}

// normalize makes line one line of valid UTF-8 without NUL bytes, so
// that the file it is saved in never looks corrupt.
func normalize(line string) string {
	line = strings.TrimRight(line, "\r\n")
	line = strings.ToValidUTF8(line, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == 0 {
			return ' '
		}
		return r
	}, line)
}
