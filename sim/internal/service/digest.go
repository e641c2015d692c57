package service

import "hash"

// asyncDigest is how much of a body a [Digest] hashes where it is added before it moves the
// rest to a goroutine of its own: a small body costs no goroutine.
const asyncDigest = 1 << 20

// Digest hashes a request's body as the door reads it, on a goroutine of its own once the
// body is large, so that a hash slower than reading (MD5, which runs near 800 MB/s, one
// block after another) costs the request the time of the hash alone rather than of the hash
// after the read. One goroutine, the request's, calls its methods.
type Digest struct {
	h      hash.Hash
	n      int         // the bytes hashed where they were added
	in     chan []byte // nil until the goroutine starts
	done   chan struct{}
	closed bool
	sum    []byte
}

// NewDigest returns a Digest that hashes with h.
func NewDigest(h hash.Hash) *Digest { return &Digest{h: h} }

// Add hashes p, the next bytes of the body; a nil Digest takes none. p must not change
// afterwards: the door hands it the runs of the body's own buffer as they fill.
func (d *Digest) Add(p []byte) {
	if d == nil || len(p) == 0 {
		return
	}
	if d.in == nil && d.n+len(p) <= asyncDigest {
		d.n += len(p)
		d.h.Write(p)
		return
	}
	if d.in == nil {
		d.in, d.done = make(chan []byte, 16), make(chan struct{})
		go d.run()
	}
	d.in <- p
}

func (d *Digest) run() {
	for p := range d.in {
		d.h.Write(p)
	}
	close(d.done)
}

// Close says that the body has ended, and lets the goroutine end; on a nil Digest it does
// nothing. The door closes every Digest it adds to.
func (d *Digest) Close() {
	if d == nil {
		return
	}
	if d.in != nil && !d.closed {
		close(d.in)
	}
	d.closed = true
}

// Sum returns the hash of the body, waiting for the hashing to end.
func (d *Digest) Sum() []byte {
	d.Close()
	if d.sum == nil {
		if d.in != nil {
			<-d.done
		}
		d.sum = d.h.Sum(nil)
	}
	return d.sum
}
