package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ionetsh/ionetsh/internal/visible"
)

// maxScriptLine is the longest script line run; a longer one is an
// error for that line only.
const maxScriptLine = 1 << 20

// runScript runs commands read line by line from r: no prompt, # starts
// a comment, and at the end every live session is stopped in reverse
// start order. The status is 1 if any command failed.
func runScript(r io.Reader, echo, colour bool, stdout, stderr io.Writer) int {
	stderr = visible.NewWriter(stderr)
	sh := newShell(stdout, stderr, false, colour)
	failed := false
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		text, long, err := readScriptLine(br)
		if long > 0 {
			fmt.Fprintf(stderr, "ionetsh: line %d: line too long (%d bytes, at most %d); skipped\n", n, long, maxScriptLine)
			failed = true
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(stderr, "ionetsh: reading commands: %v\n", err)
				failed = true
			}
			if text == "" {
				break
			}
		}
		line := strings.TrimSpace(strings.TrimSuffix(text, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			if err != nil {
				break
			}
			continue
		}
		sh.settle()
		if echo {
			sh.printf("ionet> %s\n", line)
		}
		err = sh.Exec(line)
		if errors.Is(err, errQuit) {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "ionetsh: line %d: %v\n", n, err)
			failed = true
		}
	}
	sh.settle()
	sh.Close()
	if failed {
		return 1
	}
	return 0
}

// readScriptLine reads one line without its newline. A line longer
// than maxScriptLine is read to its end and thrown away: it comes back
// as "" with its length in long. err is io.EOF after the last line
// (text may still hold that line if it had no newline).
func readScriptLine(br *bufio.Reader) (text string, long int64, err error) {
	var b []byte
	var n int64
	for {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if n <= maxScriptLine+1 {
			b = append(b, chunk...)
		} else {
			b = nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			n--
		}
		if n > maxScriptLine {
			return "", n, err
		}
		return strings.TrimSuffix(string(b), "\n"), 0, err
	}
}
