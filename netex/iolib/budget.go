package iolib

import (
	"fmt"
	"sync/atomic"
)

// DefaultHeap is the heap budget a Budget made with a limit of 0 has:
// 64 MiB of buffered input.
const DefaultHeap = 64 << 20

// Budget is a heap budget for buffered input, shared by every socket
// made with it (a session's): the bytes of lines read but not yet ended
// may not go past its limit. A nil *Budget is unbounded.
type Budget struct {
	limit int64
	used  atomic.Int64
}

// NewBudget returns a budget of limit bytes; 0 or less means DefaultHeap.
func NewBudget(limit int64) *Budget {
	if limit <= 0 {
		limit = DefaultHeap
	}
	return &Budget{limit: limit}
}

// Limit returns the budget's size in bytes, 0 for a nil (unbounded) one.
func (b *Budget) Limit() int64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// Used returns how many bytes are held against the budget now.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	return b.used.Load()
}

// reserve takes n more bytes from the budget, or returns a
// HEAP-EXHAUSTED-ERROR and takes nothing when that would go past it.
func (b *Budget) reserve(n int) error {
	if b == nil {
		return nil
	}
	if after := b.used.Add(int64(n)); after > b.limit {
		b.used.Add(-int64(n))
		return HeapExhaustedError(after, b.limit)
	}
	return nil
}

// release gives n bytes back.
func (b *Budget) release(n int) {
	if b != nil && n != 0 {
		b.used.Add(-int64(n))
	}
}

// HeapExhaustedError is the condition of a read that would hold
// requested bytes against a budget of limit bytes. It prints as
// #<HEAP-EXHAUSTED-ERROR: 67112960 bytes requested, budget 67108864 bytes>.
func HeapExhaustedError(requested, limit int64) error {
	return &Condition{Kind: HeapExhausted, FD: -1,
		Msg: fmt.Sprintf("%d bytes requested, budget %d bytes", requested, limit)}
}
