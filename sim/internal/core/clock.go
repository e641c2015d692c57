package core

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the simulator's time: a base clock (the wall clock unless the user set one) moved
// forward by [Clock.Advance]. It is safe for concurrent use.
type Clock struct {
	mu     sync.RWMutex
	base   func() time.Time
	offset time.Duration
}

// NewClock returns a clock over base, or over the wall clock when base is nil.
func NewClock(base func() time.Time) *Clock {
	if base == nil {
		base = time.Now
	}
	return &Clock{base: base}
}

// Now returns the simulated time, in UTC and truncated to the second as AWS reports times
// of resources.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.base().Add(c.offset).UTC().Truncate(time.Second)
}

// Offset returns how far the clock was advanced. Signature checks add it to the wall clock:
// clients sign with the real time, and an advanced clock must still expire what they signed.
func (c *Clock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// SetOffset restores an offset saved with the state.
func (c *Clock) SetOffset(d time.Duration) {
	c.mu.Lock()
	c.offset = d
	c.mu.Unlock()
}

// Generation counts the changes to a store's state, so that saving can tell a store that
// changed from one that did not without comparing their contents. A store bumps it whenever
// it takes its lock to write; reads leave it alone. Its zero value is ready to use.
type Generation struct{ n atomic.Uint64 }

// Bump records a change.
func (g *Generation) Bump() { g.n.Add(1) }

// Load returns the number of changes so far.
func (g *Generation) Load() uint64 { return g.n.Load() }
