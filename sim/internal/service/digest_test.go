package service

import (
	"bytes"
	"crypto/md5"
	"testing"
)

// A Digest's sum is the hash of what was added, in the order it was added, whether the body
// was small enough to hash where it was added or moved to the goroutine; Sum closes it and
// gives the same sum again.
func TestDigest(t *testing.T) {
	for _, size := range []int{0, 1, asyncDigest, asyncDigest + 1, 3*asyncDigest + 7} {
		body := make([]byte, size)
		for i := range body {
			body[i] = byte(i*31 + i>>11)
		}
		d := NewDigest(md5.New())
		for p := body; len(p) > 0; {
			n := min(len(p), 64<<10+3)
			d.Add(p[:n])
			p = p[n:]
		}
		want := md5.Sum(body)
		if got := d.Sum(); !bytes.Equal(got, want[:]) {
			t.Errorf("%d bytes: %x, want %x", size, got, want)
		}
		d.Close()
		if got := d.Sum(); !bytes.Equal(got, want[:]) {
			t.Errorf("%d bytes, Sum again: %x, want %x", size, got, want)
		}
	}
	var none *Digest
	none.Add([]byte("x"))
	none.Close()
}
