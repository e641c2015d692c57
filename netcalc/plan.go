package netcalc

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// Summarize returns the fewest blocks that together hold exactly the
// addresses from first to last inclusive, in order: 10.0.0.0–10.0.2.255 is
// 10.0.0.0/23 and 10.0.2.0/24. Both addresses must be of the same family,
// without zones, and first must not come after last.
func Summarize(first, last netip.Addr) ([]Block, error) {
	switch {
	case !first.IsValid() || !last.IsValid():
		return nil, fmt.Errorf("netcalc: summarize %q to %q: both ends must be addresses", first.String(), last.String())
	case first.Zone() != "" || last.Zone() != "":
		return nil, fmt.Errorf("netcalc: summarize %s to %s: drop the zones", first, last)
	case first.BitLen() != last.BitLen():
		return nil, fmt.Errorf("netcalc: summarize %s to %s: the ends must both be IPv4 or both IPv6", first, last)
	case last.Less(first):
		return nil, fmt.Errorf("netcalc: summarize %s to %s: the range is backwards; did you mean %s to %s?", first, last, last, first)
	}
	return summarize(nil, addrInt(first), addrInt(last), first.Is4()), nil
}

// summarize appends to out the fewest aligned blocks covering lo..hi.
func summarize(out []Block, lo, hi uint128, is4 bool) []Block {
	width := 128
	if is4 {
		width = 32
	}
	for {
		// The biggest block starting at lo is limited by lo's alignment
		// and by how many addresses remain.
		host := min(lo.trailingZeros(), width)
		if span := hi.sub(lo); span != lowBits(width) { // span+1 addresses remain
			n, _ := span.add(uint128{lo: 1})
			host = min(host, n.bitLen()-1)
		}
		out = append(out, blockAt(lo, width-host, is4))
		end := lo.or(lowBits(host))
		if end.cmp(hi) >= 0 {
			return out
		}
		lo, _ = end.add(uint128{lo: 1})
	}
}

// Merge returns the fewest blocks that together hold exactly the addresses
// of blocks, sorted with [Block.Compare]: duplicates and blocks inside
// others disappear, and neighbours join, so 10.0.0.0/24 and 10.0.1.0/24 are
// 10.0.0.0/23. Zero Blocks are ignored.
func Merge(blocks []Block) []Block {
	sorted := make([]Block, 0, len(blocks))
	for _, b := range blocks {
		if b.IsValid() {
			sorted = append(sorted, b)
		}
	}
	slices.SortFunc(sorted, Block.Compare)
	var out []Block
	for i := 0; i < len(sorted); {
		is4 := sorted[i].Is4()
		lo, hi := sorted[i].first(), sorted[i].last()
		top := lowBits(sorted[i].width())
		// Extend the run while the next block overlaps or touches it; once
		// the run reaches the family's last address it holds all the rest.
		for i++; i < len(sorted) && sorted[i].Is4() == is4; i++ {
			if next, _ := hi.add(uint128{lo: 1}); hi != top && sorted[i].first().cmp(next) > 0 {
				break
			}
			if l := sorted[i].last(); l.cmp(hi) > 0 {
				hi = l
			}
		}
		out = summarize(out, lo, hi, is4)
	}
	return out
}

// Exclude returns the addresses of b that are not in o, as the fewest
// blocks, in order: 10.0.0.0/24 without 10.0.0.64/26 is 10.0.0.0/26 and
// 10.0.0.128/25. It is b alone if they do not overlap and nothing if o
// covers b.
func (b Block) Exclude(o Block) []Block {
	if !b.Overlaps(o) {
		if !b.IsValid() {
			return nil
		}
		return []Block{b}
	}
	if o.Covers(b) {
		return nil
	}
	// o overlaps b without covering it, so o lies inside b.
	var out []Block
	if o.first() != b.first() {
		out = summarize(out, b.first(), o.first().sub(uint128{lo: 1}), b.Is4())
	}
	if o.last() != b.last() {
		next, _ := o.last().add(uint128{lo: 1})
		out = summarize(out, next, b.last(), b.Is4())
	}
	return out
}

// NextFree returns the first block of prefix length bits inside within that
// overlaps none of used: the next subnet a planner can hand out. Used blocks
// outside within, or of the other family, do not matter.
//
// If no block of that size is free, the error says the largest free block.
func NextFree(within Block, bits int, used []Block) (Block, error) {
	if !within.IsValid() {
		return Block{}, errors.New("netcalc: next free block in the zero Block")
	}
	if bits < within.Bits() || bits > within.width() {
		return Block{}, fmt.Errorf("netcalc: next free /%d in %s: use a prefix length from %d to %d", bits, within, within.Bits(), within.width())
	}
	start, end := within.first(), within.last()
	// The used ranges inside within, as integers sorted by first address.
	inside := make([]span, 0, len(used))
	for _, u := range used {
		if u.IsValid() && u.Is4() == within.Is4() {
			if lo, hi := u.first(), u.last(); lo.cmp(end) <= 0 && hi.cmp(start) >= 0 {
				inside = append(inside, span{lo, hi})
			}
		}
	}
	slices.SortFunc(inside, func(a, b span) int { return a.lo.cmp(b.lo) })

	host := lowBits(within.width() - bits)
	at := start
	for _, u := range inside {
		if u.lo.cmp(at.or(host)) > 0 {
			break // sorted by first address: nothing later reaches the candidate
		}
		if u.hi.cmp(at) < 0 {
			continue
		}
		// u overlaps the candidate: try the first aligned block after u.
		if u.hi.cmp(end) >= 0 {
			return Block{}, noFree(within, bits, inside)
		}
		after, _ := u.hi.add(uint128{lo: 1})
		next, wrapped := after.add(host)
		at = next.andNot(host)
		if wrapped || at.cmp(end) > 0 {
			return Block{}, noFree(within, bits, inside)
		}
	}
	return blockAt(at, bits, within.Is4()), nil
}

// span is a range of addresses as integers, first and last inclusive.
type span struct{ lo, hi uint128 }

// noFree explains that within has no free /bits, naming the largest free
// block between the used spans, which are sorted by first address.
func noFree(within Block, bits int, used []span) error {
	var largest Block
	consider := func(lo, hi uint128) {
		for _, b := range summarize(nil, lo, hi, within.Is4()) {
			if !largest.IsValid() || b.Bits() < largest.Bits() {
				largest = b
			}
		}
	}
	at, end := within.first(), within.last()
	full := false // whether the used spans reach the end of within
	for _, u := range used {
		if u.lo.cmp(at) > 0 {
			consider(at, u.lo.sub(uint128{lo: 1}))
		}
		if u.hi.cmp(end) >= 0 {
			full = true
			break
		}
		if next, _ := u.hi.add(uint128{lo: 1}); next.cmp(at) > 0 {
			at = next
		}
	}
	if !full {
		consider(at, end)
	}
	if !largest.IsValid() {
		return fmt.Errorf("netcalc: no free /%d in %s: the used blocks fill it", bits, within)
	}
	return fmt.Errorf("netcalc: no free /%d in %s: the largest free block is %s; ask for /%d or longer", bits, within, largest, largest.Bits())
}
