package repl

import (
	"bytes"
	"strings"
	"testing"
)

// TestPrinterQueueBounded holds a live printer (as a watch does) while
// far more than maxQueue bytes of lines arrive: the queue stays bounded,
// and when the printer writes again it says how much it skipped and
// shows the newest lines whole.
func TestPrinterQueueBounded(t *testing.T) {
	var out bytes.Buffer
	p := newPrinter(&out, true)
	p.hold(true)
	line := []byte(strings.Repeat("x", 99) + "\n")
	for i := 0; i < 3*maxQueue/len(line); i++ {
		p.put(line)
		p.mu.Lock()
		n := len(p.queue)
		p.mu.Unlock()
		if n > maxQueue {
			t.Fatalf("queue holds %d bytes, more than %d", n, maxQueue)
		}
	}
	p.put([]byte("last line\n"))
	p.hold(false)
	p.close()
	got := out.String()
	if !strings.HasPrefix(got, "(") || !strings.Contains(got, " bytes of output not shown: the terminal fell behind") {
		t.Fatalf("no note of the skipped output: %.200q", got)
	}
	if !strings.HasSuffix(got, "\n"+string(line)+"last line\n") {
		t.Fatalf("the newest lines are not shown whole: ...%q", got[len(got)-300:])
	}
}
