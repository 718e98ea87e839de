package toxproxy

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// apply passes c through toxic e; next takes what e lets through. It
// follows toxiproxy's toxics, one case each.
func (pm *pump) apply(e *entry, c chunk, next func(chunk) error) error {
	switch e.Type {
	case Latency:
		return pm.latency(e, c, next)
	case Bandwidth:
		return pm.bandwidth(e, c, next)
	case Slicer:
		return pm.slicer(e, c, next)
	case ResetPeer:
		return pm.resetPeer(e, c, next)
	case Timeout:
		if e.Timeout == 0 {
			pm.once(e, "timeout: holding data, never closing")
		} else {
			pm.once(e, "timeout: holding data, closing %v after the toxic began", e.Timeout)
		}
		pm.holdBack(e, c)
		return nil
	case LimitData:
		return pm.limitData(e, c, next)
	}
	return next(c) // slow_close acts at the end of the stream
}

// latency holds each chunk until Latency ± Jitter after it arrived, or
// until the toxic is removed.
func (pm *pump) latency(e *entry, c chunk, next func(chunk) error) error {
	pm.once(e, "latency: holding each chunk %v ± %v", e.Latency, e.Jitter)
	d := e.Latency
	if e.Jitter > 0 {
		d += time.Duration(rand.Int64N(int64(2*e.Jitter))) - e.Jitter
	}
	wait := time.Until(c.at.Add(d))
	switch pm.wait(e, wait) {
	case tornDown:
		return errDone
	case removed:
		return next(c)
	}
	if wait > 0 {
		c.at = c.at.Add(wait)
	}
	return next(c)
}

// bandwidth passes Rate KB/s: it owes len/Rate of time for each chunk,
// sends a chunk bigger than 100ms' worth in 100ms pieces, and pays back
// oversleeping on later chunks, as toxiproxy does. Removed meanwhile, it
// passes the rest at once.
func (pm *pump) bandwidth(e *entry, c chunk, next func(chunk) error) error {
	pm.once(e, "bandwidth: limiting to %dKB/s", e.Rate)
	debt := pm.debt[e] + time.Duration(len(c.data))*time.Millisecond/time.Duration(e.Rate)
	piece := int(e.Rate * 100)
	defer func() { pm.debt[e] = max(debt, -time.Second) }()
	for len(c.data) > 0 {
		n, wait := len(c.data), debt
		if n > piece {
			n, wait = piece, 100*time.Millisecond
		}
		start := time.Now()
		switch pm.wait(e, wait) {
		case tornDown:
			return errDone
		case removed:
			return next(c)
		}
		if err := next(chunk{data: c.data[:n], at: c.at}); err != nil {
			return err
		}
		debt -= time.Since(start)
		c.data = c.data[n:]
	}
	return nil
}

// slicer cuts a chunk into slices of AverageSize ± SizeVariation bytes,
// Delay apart; removed meanwhile, it passes the rest at once.
func (pm *pump) slicer(e *entry, c chunk, next func(chunk) error) error {
	pm.once(e, "slicer: cutting into %d±%d byte slices, %v apart", e.AverageSize, e.SizeVariation, e.Delay)
	cuts := slices(0, len(c.data), e.AverageSize, e.SizeVariation)
	for i := 1; i < len(cuts); i += 2 {
		if err := next(chunk{data: c.data[cuts[i-1]:cuts[i]], at: c.at}); err != nil {
			return err
		}
		switch pm.wait(e, e.Delay) {
		case tornDown:
			return errDone
		case removed:
			if rest := c.data[cuts[i]:]; len(rest) > 0 {
				return next(chunk{data: rest, at: c.at})
			}
			return nil
		}
	}
	return nil
}

// slices returns start and end offsets of slices of [start, end), split
// about in two until each is within variation of avg (toxiproxy's chunk).
func slices(start, end, avg, variation int) []int {
	if (end-start)-avg <= variation {
		return []int{start, end}
	}
	mid := start + (end-start)/2
	if variation > 0 {
		mid += rand.IntN(variation*2) - variation
	}
	return append(slices(start, mid, avg, variation), slices(mid, end, avg, variation)...)
}

// resetPeer waits Timeout after data arrives, drops it, and resets both
// sides. Removed meanwhile, it lets the data through instead.
func (pm *pump) resetPeer(e *entry, c chunk, next func(chunk) error) error {
	pm.logf("reset_peer: data arrived; resetting both sides in %v", e.Timeout)
	switch pm.wait(e, e.Timeout) {
	case tornDown:
		return errDone
	case removed:
		return next(c)
	}
	return &fault{reset: true, why: "reset_peer"}
}

// limitData passes Bytes bytes, then closes both sides.
func (pm *pump) limitData(e *entry, c chunk, next func(chunk) error) error {
	left := e.Bytes - pm.sent[e]
	if int64(len(c.data)) > left {
		c.data = c.data[:max(left, 0)]
	}
	if len(c.data) > 0 {
		if err := next(c); err != nil {
			return err
		}
		pm.sent[e] += int64(len(c.data))
	}
	if pm.sent[e] >= e.Bytes {
		pm.logf("limit_data: %d bytes passed; closing both sides", pm.sent[e])
		return &fault{why: fmt.Sprintf("limit_data %d bytes", e.Bytes)}
	}
	return nil
}
