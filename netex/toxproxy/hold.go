package toxproxy

// heldChunk is data a timeout toxic holds: released when the toxic is
// removed, it goes on through the toxics added after it.
type heldChunk struct {
	c  chunk
	by *entry
}

// maxHeld is how many bytes a stream's timeout toxics hold before its
// reader stops reading, so that the sender meets back-pressure, as it
// would from a peer that stopped reading, rather than filling memory.
const maxHeld = 1 << 20

// holdBack keeps c, which timeout toxic e stops.
func (pm *pump) holdBack(e *entry, c chunk) {
	pm.held = append(pm.held, heldChunk{c: c, by: e})
	pm.size += len(c.data)
	pm.gateHeld()
}

// release lets go of the held data whose toxic has been removed, from
// the oldest on, stopping at the first still held, so that nothing
// overtakes. Each chunk goes on through the toxics added after the one
// that held it.
func (pm *pump) release() error {
	freed := map[*entry]int{}
	defer func() {
		for e, n := range freed {
			pm.logf("%s removed; %d bytes it held go on", e.Name, n)
		}
	}()
	for len(pm.held) > 0 && !pm.held[0].by.present() {
		h := pm.held[0]
		pm.held = pm.held[1:]
		pm.size -= len(h.c.data)
		freed[h.by] += len(h.c.data)
		pm.l.p.hold(1)
		chain, _ := pm.l.p.chain(pm.l, pm.dir)
		err := pm.process(h.c, after(chain, h.by))
		pm.l.p.hold(-1)
		if err != nil {
			return err
		}
	}
	if len(pm.held) == 0 {
		pm.held = nil
	}
	pm.gateHeld()
	return nil
}

// after returns the toxics of chain added after e.
func after(chain []*entry, e *entry) []*entry {
	for i, x := range chain {
		if x.seq > e.seq {
			return chain[i:]
		}
	}
	return nil
}

// gateHeld shuts the reader's gate while more than maxHeld bytes are
// held, and opens it otherwise.
func (pm *pump) gateHeld() {
	if pm.size <= maxHeld {
		pm.openGate()
		return
	}
	if pm.l.gate[pm.dir].Load() == nil {
		g := make(chan struct{})
		pm.l.gate[pm.dir].Store(&g)
	}
}

// openGate lets the reader read again.
func (pm *pump) openGate() {
	if g := pm.l.gate[pm.dir].Swap(nil); g != nil {
		close(*g)
	}
}
