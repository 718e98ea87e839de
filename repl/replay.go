package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/internal/visible"
)

// Replay pacing at --pace 1: how long each typed character and the pause
// after each command take.
const (
	typeDelay  = 40 * time.Millisecond
	afterDelay = 600 * time.Millisecond
)

// replay runs a saved script the way a presenter would: each command is
// typed out at a prompt, output is shown live as it happens, and with
// step the next command waits for Enter on stdin.
type replay struct {
	pace float64
	step *bufio.Reader // nil unless stepping
}

func runReplay(path string, rp replay, stdout, stderr io.Writer, colour bool) int {
	stderr = visible.NewWriter(stderr)
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "ionetsh: %v\n", err)
		return 2
	}
	sh := newShell(stdout, stderr, true, colour)
	failed := false
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sh.settle()
		rp.wait()
		sh.pr.typed("ionet> ", line, rp.scale(typeDelay))
		err := sh.Exec(line)
		if errors.Is(err, errQuit) {
			break
		}
		if err != nil {
			sh.pr.sync()
			fmt.Fprintf(stderr, "ionetsh: line %d: %v\n", n+1, err)
			failed = true
		}
		time.Sleep(rp.scale(afterDelay))
	}
	sh.settle()
	sh.Close()
	if failed {
		return 1
	}
	return 0
}

// scale applies the pace to a delay.
func (rp replay) scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * rp.pace)
}

// wait waits for Enter when stepping; at the end of stdin it stops
// waiting.
func (rp *replay) wait() {
	if rp.step == nil {
		return
	}
	if _, err := rp.step.ReadString('\n'); err != nil {
		rp.step = nil
	}
}

// typed writes prompt and then text a character at a time, as if being
// typed, after everything queued; session lines wait meanwhile.
func (p *printer) typed(prompt, text string, perChar time.Duration) {
	text = visible.String(text)
	p.sync()
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.writing {
		p.idle.Wait()
	}
	io.WriteString(p.w, prompt)
	for _, r := range text {
		io.WriteString(p.w, string(r))
		if perChar > 0 {
			time.Sleep(perChar)
		}
	}
	io.WriteString(p.w, "\n")
}
