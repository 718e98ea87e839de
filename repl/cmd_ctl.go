package repl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"

	"github.com/ionetsh/ionetsh/repl/visible"
)

// defaultWait bounds wait and expect when no timeout is given.
const defaultWait = 10 * time.Second

func cmdStop(sh *Shell, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: stop NAME... | stop all")
	}
	if len(args) == 1 && args[0] == "all" {
		sh.stopAll()
		return nil
	}
	var targets []*Session
	for _, name := range args {
		s, err := sh.session(name)
		if err != nil {
			return err
		}
		targets = append(targets, s)
	}
	var errs []string
	for _, s := range targets {
		if s.Ended() {
			s.flush()
			errs = append(errs, sh.endedError(s).Error())
			continue
		}
		sh.stop(s)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func cmdSend(sh *Shell, args []string) error {
	args, urgent := takeFlag(args, "--urgent")
	if !urgent {
		if raw, err := sh.sendRaw(args); raw {
			return err
		}
	}
	partial := len(args) > 0 && args[0] == "-n"
	if partial {
		args = args[1:]
	}
	if len(args) < 1 {
		return fmt.Errorf("usage: send [-n|--urgent] NAME TEXT...")
	}
	s, err := sh.inputSession(args[0])
	if err != nil {
		return err
	}
	if urgent {
		line, err := urgentSend(s, strings.Join(args[1:], " "))
		if err != nil {
			return err
		}
		args = []string{args[0], line}
	}
	send := s.stdin.Send
	if partial {
		if s.ex.Name != rawName {
			return fmt.Errorf("send -n is for raw connect sessions; %s reads whole lines", s.ex.Name)
		}
		send = s.stdin.SendPartial
	}
	if !send(strings.Join(args[1:], " ")) {
		return fmt.Errorf("session %s: standard input is already closed", visible.Quote(s.name))
	}
	return nil
}

func cmdEOF(sh *Shell, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: eof NAME")
	}
	s, err := sh.inputSession(args[0])
	if err != nil {
		return err
	}
	s.stdin.Close()
	return nil
}

// inputSession finds a running session that reads standard input.
func (sh *Shell) inputSession(name string) (*Session, error) {
	s, err := sh.liveSession(name)
	if err != nil {
		return nil, err
	}
	if s.stdin == nil {
		return nil, fmt.Errorf("session %s (%s) does not read standard input", visible.Quote(s.name), s.ex.Name)
	}
	return s, nil
}

func cmdFg(sh *Shell, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: fg NAME")
	}
	if sh.attach == nil {
		return fmt.Errorf("fg works only at an interactive prompt; use send and eof in scripts")
	}
	s, err := sh.inputSession(args[0])
	if err != nil {
		return err
	}
	sh.attach(s)
	return nil
}

// timeoutArg parses an optional timeout argument.
func timeoutArg(args []string, i int) (time.Duration, error) {
	if len(args) <= i {
		return defaultWait, nil
	}
	d, err := parseDuration(args[i])
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad timeout %s: want seconds or a duration such as 5, 5s or 500ms", visible.Quote(args[i]))
	}
	return d, nil
}

func cmdWait(sh *Shell, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("usage: wait NAME [TIMEOUT]")
	}
	s, err := sh.session(args[0])
	if err != nil {
		return err
	}
	d, err := timeoutArg(args, 1)
	if err != nil {
		return err
	}
	select {
	case <-s.ended:
		if r := s.failure(); r != "" {
			return fmt.Errorf("%s failed: %s", s.name, r)
		}
		return nil
	case <-sh.commandContext().Done():
		return errInterrupted
	case <-time.After(d):
		return fmt.Errorf("wait %s: still %s after %v", visible.Short(s.name), s.State(), d)
	}
}

func cmdExpect(sh *Shell, args []string) error {
	if len(args) < 2 || len(args) > 3 {
		return fmt.Errorf("usage: expect NAME REGEX [TIMEOUT]")
	}
	s, err := sh.session(args[0])
	if err != nil {
		return err
	}
	re, err := regexp.Compile(args[1])
	if err != nil {
		return fmt.Errorf("bad regular expression %s: %v", visible.Quote(args[1]), regexpProblem(err))
	}
	d, err := timeoutArg(args, 2)
	if err != nil {
		return err
	}
	return s.expect(sh.commandContext(), re, d)
}

// expect waits until a line matching re appears after the last line an
// expect on s matched.
func (s *Session) expect(ctx context.Context, re *regexp.Regexp, d time.Duration) error {
	deadline := time.After(d)
	s.mu.Lock()
	from := s.expectAt
	s.mu.Unlock()
	for {
		log := s.transcript()
		changed := log.Changed()
		ended := s.Ended()
		lines, first := log.Since(from)
		for i, l := range lines {
			if re.MatchString(l.Text) {
				at := first + int64(i) + 1
				s.mu.Lock()
				s.expectAt = at
				s.mu.Unlock()
				return nil
			}
		}
		from = first + int64(len(lines))
		if ended {
			return fmt.Errorf("expect %s %s: the session ended (%s) without printing it", visible.Short(s.name), visible.Quote(re.String()), s.State())
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return errInterrupted
		case <-deadline:
			return fmt.Errorf("expect %s %s: no matching line within %v%s", visible.Short(s.name), visible.Quote(re.String()), d, s.lastLines(5))
		}
	}
}

func cmdSleep(sh *Shell, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: sleep DURATION")
	}
	d, err := parseDuration(args[0])
	if err != nil || d < 0 {
		return fmt.Errorf("bad duration %s: want seconds or a duration such as 2, 2s or 200ms", visible.Quote(args[0]))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-sh.commandContext().Done():
		return errInterrupted
	}
}

// parseDuration reads a duration argument: a bare number is seconds
// (5 or 0.5), anything else is Go's form (5s, 500ms, 1m30s).
func parseDuration(arg string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(arg, 64); err == nil {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
			return 0, fmt.Errorf("bad duration %s", visible.Quote(arg))
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	return time.ParseDuration(arg)
}

// lastLines shows the last n lines s printed, for an expect that timed
// out: what the session said instead.
func (s *Session) lastLines(n int) string {
	lines := s.transcript().Last(n)
	if len(lines) == 0 {
		return "; " + s.name + " printed nothing"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "; the last lines %s printed:", s.name)
	for _, l := range lines {
		fmt.Fprintf(&b, "\n  [%s] %s", s.name, l.Text)
	}
	return b.String()
}

// regexpProblem is what is wrong with a regular expression, without
// repeating all of it: the parser's error quotes the offending part,
// which may be the whole argument.
func regexpProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("%s: %s", se.Code, visible.Quote(se.Expr))
	}
	return err.Error()
}
