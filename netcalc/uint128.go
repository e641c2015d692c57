package netcalc

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// uint128 is an address read as an unsigned integer. IPv4 addresses use the
// low 32 bits, so the arithmetic below is the same for both families; callers
// keep the results inside the family's range.
type uint128 struct{ hi, lo uint64 }

func addrInt(a netip.Addr) uint128 {
	if a.Is4() {
		b := a.As4()
		return uint128{lo: uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return uint128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func intAddr(u uint128, is4 bool) netip.Addr {
	if is4 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(u.lo))
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], u.hi)
	binary.BigEndian.PutUint64(b[8:], u.lo)
	return netip.AddrFrom16(b)
}

// lowBits returns the integer with the low n bits set, 0 <= n <= 128.
func lowBits(n int) uint128 {
	switch {
	case n <= 0:
		return uint128{}
	case n < 64:
		return uint128{lo: 1<<n - 1}
	case n < 128:
		return uint128{hi: 1<<(n-64) - 1, lo: ^uint64(0)}
	default:
		return uint128{^uint64(0), ^uint64(0)}
	}
}

func (u uint128) cmp(v uint128) int {
	switch {
	case u.hi < v.hi:
		return -1
	case u.hi > v.hi:
		return 1
	case u.lo < v.lo:
		return -1
	case u.lo > v.lo:
		return 1
	}
	return 0
}

func (u uint128) or(v uint128) uint128 { return uint128{u.hi | v.hi, u.lo | v.lo} }
func (u uint128) andNot(v uint128) uint128 {
	return uint128{u.hi &^ v.hi, u.lo &^ v.lo}
}

// add returns u+v and whether the sum wrapped past 2^128.
func (u uint128) add(v uint128) (uint128, bool) {
	lo, c := bits.Add64(u.lo, v.lo, 0)
	hi, c := bits.Add64(u.hi, v.hi, c)
	return uint128{hi, lo}, c != 0
}

// sub returns u-v, wrapping below zero.
func (u uint128) sub(v uint128) uint128 {
	lo, b := bits.Sub64(u.lo, v.lo, 0)
	hi, _ := bits.Sub64(u.hi, v.hi, b)
	return uint128{hi, lo}
}

// trailingZeros returns the number of trailing zero bits; 128 for zero.
func (u uint128) trailingZeros() int {
	if u.lo != 0 {
		return bits.TrailingZeros64(u.lo)
	}
	return 64 + bits.TrailingZeros64(u.hi)
}

// bitLen returns the minimum number of bits needed to represent u.
func (u uint128) bitLen() int {
	if u.hi != 0 {
		return 64 + bits.Len64(u.hi)
	}
	return bits.Len64(u.lo)
}
