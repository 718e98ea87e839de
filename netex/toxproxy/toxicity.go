package toxproxy

import (
	"hash/fnv"
	"math/rand/v2"
	"sort"
)

// DefaultSeed is the seed of a new proxy's toxicity decisions.
const DefaultSeed = 1

// SetSeed sets the seed of the proxy's toxicity decisions (see Draw).
func (p *Proxy) SetSeed(seed uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seed = seed
}

// Draw returns the number in [0, 1) that decides whether the toxic
// named toxic applies to connection conn (numbered from 1) of a proxy
// whose seed is seed. It depends on nothing else: a script gets the same
// decisions every run, whatever order its connections are accepted in,
// and a test can foretell them.
func Draw(seed uint64, toxic string, conn int) float64 {
	h := fnv.New64a()
	h.Write([]byte(toxic))
	return rand.New(rand.NewPCG(seed, h.Sum64()^uint64(conn)*0x9e3779b97f4a7c15)).Float64()
}

// decideLocked decides, as toxiproxy does, whether toxic e applies to
// link l: it does when the number drawn for them is below its toxicity,
// so always at 1 and never at 0. A toxicity below 1 has its decision
// logged.
func (p *Proxy) decideLocked(l *link, e *entry) {
	on := Draw(p.seed, e.Name, l.id) < e.Chance()
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
