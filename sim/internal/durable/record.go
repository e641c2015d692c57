package durable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A record is the unit of both files that hold parts: a journal is a sequence of records, a
// snapshot is one record. Layout (integers little-endian):
//
//	prefix  magic "DUR1" | header length H uint32 | payload length P uint64 | CRC-32C uint32
//	header  seq uint64 | count uint32 | count × (name length uint16 | name | kind uint8 | size uint32 | CRC-32C uint32)
//	payload the contents of each put entry, in header order (P bytes in all)
//
// The prefix CRC covers the prefix's first 16 bytes and the header; each entry's CRC covers
// its contents, so that a part can be read and checked without reading the rest.
const (
	recordMagic = "DUR1"
	prefixSize  = 20
	// maxHeader bounds the allocation made for a header before its CRC is checked.
	maxHeader = 64 << 20
)

// Limits on parts.
const (
	// MaxPartSize is the largest part [Dir.Commit] accepts.
	MaxPartSize = 1 << 30
	// MaxNameLen is the longest part name, in bytes.
	MaxNameLen = 256
)

const (
	kindPut    = 1
	kindDelete = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// ErrCorrupt is wrapped by errors that report bytes on disk that fail their checksum or make
// no sense, other than a torn record at the end of the journal (which recovery discards).
var ErrCorrupt = errors.New("corrupt data")

// errTorn reports that the bytes at an offset are not a whole record: recovery's end of log.
var errTorn = errors.New("torn record")

// entry is one part named in a record's header.
type entry struct {
	name string
	del  bool
	size int64
	crc  uint32
}

// header is a record's decoded prefix and header.
type header struct {
	seq     uint64
	entries []entry
	hlen    int64 // header length, without the prefix
	plen    int64 // payload length
}

// size is the length of the whole record.
func (h *header) size() int64 { return prefixSize + h.hlen + h.plen }

// encodeHeader returns the prefix and header of a record holding entries.
func encodeHeader(seq uint64, entries []entry) []byte {
	hlen := 12
	var plen int64
	for _, e := range entries {
		hlen += 2 + len(e.name) + 1 + 4 + 4
		plen += e.size
	}
	b := make([]byte, prefixSize, prefixSize+hlen)
	copy(b, recordMagic)
	binary.LittleEndian.PutUint32(b[4:], uint32(hlen))
	binary.LittleEndian.PutUint64(b[8:], uint64(plen))
	b = binary.LittleEndian.AppendUint64(b, seq)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(entries)))
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(e.name)))
		b = append(b, e.name...)
		kind := byte(kindPut)
		if e.del {
			kind = kindDelete
		}
		b = append(b, kind)
		b = binary.LittleEndian.AppendUint32(b, uint32(e.size))
		b = binary.LittleEndian.AppendUint32(b, e.crc)
	}
	crc := crc32.Update(checksum(b[:16]), castagnoli, b[prefixSize:])
	binary.LittleEndian.PutUint32(b[16:], crc)
	return b
}

// window reads a file through a buffer, so that walking many small records costs few reads.
// Its reads start small and double while the walk goes on from the end of the last one, so
// that stepping over large records does not read their contents.
type window struct {
	r    io.ReaderAt
	size int64
	base int64
	buf  []byte
	next int64 // the size of the next read
}

const (
	minWindow = 4 << 10
	maxWindow = 64 << 10
)

// bytes returns the n bytes at off, which must lie within the file. The slice is valid until
// the next call.
func (w *window) bytes(off int64, n int64) ([]byte, error) {
	end := w.base + int64(len(w.buf))
	if off >= w.base && off+n <= end {
		return w.buf[off-w.base:][:n], nil
	}
	if off >= w.base && off <= end && len(w.buf) > 0 {
		w.next = min(2*w.next, maxWindow)
	} else {
		w.next = minWindow
	}
	want := max(n, min(w.next, w.size-off))
	if int64(cap(w.buf)) < want {
		w.buf = make([]byte, want)
	}
	w.buf = w.buf[:want]
	if _, err := w.r.ReadAt(w.buf, off); err != nil {
		w.buf = w.buf[:0]
		return nil, err
	}
	w.base = off
	return w.buf[:n], nil
}

// readHeader decodes the header of the record at off. It returns errTorn when the bytes there
// are not the start of a whole record (short, wrong magic, wrong CRC, or a payload running
// past the end of the file), and an error wrapping [ErrCorrupt] when a header whose CRC is
// right makes no sense.
func readHeader(w *window, off int64) (*header, error) {
	if w.size-off < prefixSize {
		return nil, errTorn
	}
	p, err := w.bytes(off, prefixSize)
	if err != nil {
		return nil, err
	}
	if string(p[:4]) != recordMagic {
		return nil, errTorn
	}
	hlen := int64(binary.LittleEndian.Uint32(p[4:]))
	plen := binary.LittleEndian.Uint64(p[8:])
	want := binary.LittleEndian.Uint32(p[16:])
	if hlen < 12 || hlen > maxHeader || hlen > w.size-off-prefixSize || plen > uint64(w.size) {
		return nil, errTorn
	}
	crc := checksum(p[:16])
	h := &header{hlen: hlen, plen: int64(plen)}
	if off+h.size() > w.size {
		return nil, errTorn
	}
	b, err := w.bytes(off+prefixSize, hlen)
	if err != nil {
		return nil, err
	}
	if crc32.Update(crc, castagnoli, b) != want {
		return nil, errTorn
	}
	if err := h.decode(b); err != nil {
		return nil, fmt.Errorf("%w: record header at offset %d: %v", ErrCorrupt, off, err)
	}
	return h, nil
}

// decode fills h.seq and h.entries from a header whose CRC has been checked.
func (h *header) decode(b []byte) error {
	h.seq = binary.LittleEndian.Uint64(b)
	n := binary.LittleEndian.Uint32(b[8:])
	b = b[12:]
	if uint64(n) > uint64(len(b))/11 {
		return fmt.Errorf("%d entries in %d bytes", n, len(b))
	}
	h.entries = make([]entry, 0, n)
	var plen int64
	for range n {
		if len(b) < 2 {
			return errors.New("short entry")
		}
		l := int(binary.LittleEndian.Uint16(b))
		if len(b) < 2+l+9 {
			return errors.New("short entry")
		}
		e := entry{name: string(b[2 : 2+l])}
		b = b[2+l:]
		if err := validName(e.name); err != nil {
			return err
		}
		switch b[0] {
		case kindPut:
		case kindDelete:
			e.del = true
		default:
			return fmt.Errorf("part %q: unknown kind %d", e.name, b[0])
		}
		e.size = int64(binary.LittleEndian.Uint32(b[1:]))
		e.crc = binary.LittleEndian.Uint32(b[5:])
		b = b[9:]
		if e.del && e.size != 0 {
			return fmt.Errorf("deleted part %q has size %d", e.name, e.size)
		}
		plen += e.size
		h.entries = append(h.entries, e)
	}
	if len(b) != 0 {
		return fmt.Errorf("%d bytes after the entries", len(b))
	}
	if plen != h.plen {
		return fmt.Errorf("entries hold %d bytes, prefix says %d", plen, h.plen)
	}
	return nil
}

// validName reports why name is not a valid part name, or nil.
func validName(name string) error {
	const want = "want a slash-separated path (as io/fs.ValidPath) of 1 to 256 bytes of printable UTF-8 without spaces or backslashes"
	switch {
	case name == "" || len(name) > MaxNameLen:
		return fmt.Errorf("invalid part name %q: %d bytes (%s)", name, len(name), want)
	case !utf8.ValidString(name):
		return fmt.Errorf("invalid part name %q: not UTF-8 (%s)", name, want)
	case strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) || r == ' ' || r == '\\' }):
		return fmt.Errorf("invalid part name %q: unprintable character, space or backslash (%s)", name, want)
	case !fs.ValidPath(name) || name == ".":
		return fmt.Errorf("invalid part name %q: empty, \".\" or \"..\" element, or leading or trailing slash (%s)", name, want)
	}
	return nil
}
