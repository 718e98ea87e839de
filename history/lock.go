package history

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// lock takes an exclusive lock on the file PATH.lock next to the history
// file at path, creating it if need be, and returns what releases it.
// Appends and compactions of one history file all hold this lock, so
// that no append goes to a file a compaction is replacing.
func lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "flock", Path: f.Name(), Err: err}
	}
	return func() {
		_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}

// readFile returns the content of the file at path and what it is.
func readFile(path string) ([]byte, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(f)
	return data, info, err
}

// appendLine saves line at the end of the history file, creating the
// file and its directory if need be, in one write made under the lock.
// It compacts the file when it holds more than twice the limit.
func (s *Store) appendLine(line string) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	unlock, err := lock(s.path)
	if err != nil {
		return err
	}
	defer unlock()
	// Opened under the lock, so that f is the file a compaction left.
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := s.catchUp(f); err != nil {
		return err
	}
	rec := line + "\n"
	if !s.file.endNL {
		rec = "\n" + rec // never glue an entry to a torn last line
	}
	if _, err := f.WriteString(rec); err != nil {
		return err
	}
	s.file.size += int64(len(rec))
	s.file.lines += strings.Count(rec, "\n")
	s.file.endNL = true
	if s.file.lines > 2*s.limit {
		if err := s.compact(f); err != nil {
			return err
		}
	}
	return f.Close()
}

// catchUp brings what the store knows of the locked history file f up
// to date, reading only what was appended since it last looked unless
// the file was replaced or shrank.
func (s *Store) catchUp(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	from := s.file.size
	if s.file.info == nil || !os.SameFile(info, s.file.info) || info.Size() < from {
		s.file = fileState{endNL: true}
		from = 0
	}
	s.file.info = info
	if info.Size() == from {
		return nil
	}
	buf := make([]byte, info.Size()-from)
	if _, err := f.ReadAt(buf, from); err != nil {
		return err
	}
	s.file.size = info.Size()
	s.file.lines += bytes.Count(buf, []byte{'\n'})
	s.file.endNL = buf[len(buf)-1] == '\n'
	return nil
}

// compact replaces the locked history file f with one holding its last
// limit non-blank lines, written to a temporary file and renamed over.
func (s *Store) compact(f *os.File) error {
	buf := make([]byte, s.file.size)
	if _, err := f.ReadAt(buf, 0); err != nil {
		return err
	}
	var keep []string
	for _, line := range strings.Split(string(buf), "\n") {
		if strings.TrimSpace(line) != "" {
			keep = append(keep, line)
		}
	}
	keep = keep[max(0, len(keep)-s.limit):]
	data := strings.Join(keep, "\n")
	if data != "" {
		data += "\n"
	}
	info, err := replace(s.path, data, s.file.info.Mode().Perm())
	if err != nil {
		return err
	}
	s.file = fileState{info: info, size: int64(len(data)), lines: len(keep), endNL: true}
	return nil
}

// replace atomically replaces the file at path with one holding data.
func replace(path, data string, perm fs.FileMode) (os.FileInfo, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	info, err := writeSynced(tmp, data, perm)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	return info, nil
}

// writeSynced writes data to f, sets its permissions, flushes it to
// disk and closes it, returning what it then was.
func writeSynced(f *os.File, data string, perm fs.FileMode) (os.FileInfo, error) {
	defer f.Close()
	if _, err := f.WriteString(data); err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return info, f.Close()
}

// warning is an error whose message is one line starting "history: ".
type warning struct{ err error }

func (w warning) Error() string {
	return "history: " + strings.NewReplacer("\n", " ", "\r", " ").Replace(w.err.Error())
}

func (w warning) Unwrap() error { return w.err }

// warnf formats a warning, wrapping any %w operand.
func warnf(format string, args ...any) error {
	return warning{fmt.Errorf(format, args...)}
}

// cause strips the operation and path from a file error, for messages
// that name the path themselves.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// describe strips the operation and path from err only if the path is
// path, for messages that name path themselves.
func describe(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return pe.Err
	}
	return err
}

// errNotRegular explains why a history file that is not a regular file
// cannot be read.
func errNotRegular(info os.FileInfo) error {
	if info.IsDir() {
		return unix.EISDIR
	}
	return errors.New("not a regular file")
}
