package netcalc

import (
	"net/netip"
	"strings"
)

// Layout draws b's bits as the course notes do, X for a network bit and #
// for a host bit, grouped like [Binary] so the two lines align:
//
//	10.0.0.0/24   XXXX XXXX.XXXX XXXX.XXXX XXXX.#### ####
//
// IPv6 blocks show eight 16-bit groups separated by colons. The zero Block
// draws as "".
func (b Block) Layout() string {
	if !b.IsValid() {
		return ""
	}
	return drawBits(b.width(), func(i int) byte {
		if i < b.Bits() {
			return 'X'
		}
		return '#'
	})
}

// Binary writes the address a in binary, in groups of four bits, with a dot
// between IPv4 octets and a colon between IPv6 16-bit groups:
//
//	10.0.0.0   0000 1010.0000 0000.0000 0000.0000 0000
//
// The invalid address writes as "".
func Binary(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	u := addrInt(a)
	w := a.BitLen()
	return drawBits(w, func(i int) byte {
		// Bit i counts from the most significant bit of the address.
		from := w - 1 - i
		word := u.lo
		if from >= 64 {
			word, from = u.hi, from-64
		}
		return '0' + byte(word>>from&1)
	})
}

// drawBits writes width bits given by bit, most significant first.
func drawBits(width int, bit func(i int) byte) string {
	group, sep := 8, byte('.')
	if width == 128 {
		group, sep = 16, ':'
	}
	var s strings.Builder
	s.Grow(width + width/4)
	for i := range width {
		switch {
		case i == 0:
		case i%group == 0:
			s.WriteByte(sep)
		case i%4 == 0:
			s.WriteByte(' ')
		}
		s.WriteByte(bit(i))
	}
	return s.String()
}
