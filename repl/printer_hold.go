package repl

// hold makes a live printer queue lines without writing them, while a
// watch redraws its view in place; hold(false) writes what queued.
func (p *printer) hold(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held = on
	if !on && p.live && !p.closed {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

func (p *printer) isHeld() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// writeHeld writes b at once, past the queue: the watch's view, while
// the printer is held.
func (p *printer) writeHeld(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.w.Write(b)
}
