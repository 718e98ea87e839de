package toxproxy

import (
	"math/rand/v2"
	"sort"
)

// SetRand sets the random source that decides, per connection, whether
// a toxic applies to it (its toxicity); nil restores math/rand/v2's
// own. One number is drawn for each toxic a connection meets, when the
// connection is set up (for the toxics there then) or when the toxic is
// added (for the connections open then, oldest first), so that a test
// with a seeded source can foretell every decision.
func (p *Proxy) SetRand(r *rand.Rand) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rnd = r
}

// decideLocked decides, as toxiproxy does, whether toxic e applies to
// link l: it does when a number drawn from [0, 1) is below its
// toxicity, so always at 1 and never at 0. A toxicity below 1 has its
// decision logged.
func (p *Proxy) decideLocked(l *link, e *entry) {
	draw := rand.Float64
	if p.rnd != nil {
		draw = p.rnd.Float64
	}
	on := draw() < e.Chance()
	l.on[e] = on
	if e.Chance() == 1 {
		return
	}
	verdict := "applies"
	if !on {
		verdict = "does not apply"
	}
	p.logf("#%d: toxic %s (toxicity %v) %s to this connection\n", l.id, e.Name, e.Chance(), verdict)
}

// decideLinksLocked decides whether a new toxic applies to each open
// link, oldest first.
func (p *Proxy) decideLinksLocked(e *entry) {
	ls := make([]*link, 0, len(p.links))
	for l := range p.links {
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].id < ls[j].id })
	for _, l := range ls {
		p.decideLocked(l, e)
	}
}
