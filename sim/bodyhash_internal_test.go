package sim

import (
	"bytes"
	"crypto/md5"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// A body read by readAll through hashing has the hash of the bytes readAll returns, whatever
// the body declared and however its reader hands them over, the end of the claim told by a
// probe or not; a body that breaks has the hash of what was read.
func TestReadAllHashing(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 512, maxPrealloc, 3*maxPrealloc + 5, 9*maxPrealloc + 3} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i*13 + i>>10)
		}
		for _, declared := range []int64{-1, int64(n), int64(n) - 1, int64(n) * 3} {
			for name, reader := range map[string]func([]byte) io.Reader{
				"bytes":         func(b []byte) io.Reader { return bytes.NewReader(b) },
				"half reads":    func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
				"EOF with data": func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
			} {
				hash := service.NewDigest(md5.New())
				got, err := readAll(hashing(reader(data), hash), declared)
				hash.Close()
				want := md5.Sum(data)
				if sum := hash.Sum(); err != nil || !bytes.Equal(got, data) || !bytes.Equal(sum, want[:]) {
					t.Errorf("%d bytes declared %d, %s: %d bytes, %v, MD5 %x; want them all, MD5 %x", n, declared, name, len(got), err, sum, want)
				}
			}
		}
	}
	boom := errors.New("boom")
	hash := service.NewDigest(md5.New())
	got, err := readAll(hashing(io.MultiReader(bytes.NewReader(make([]byte, 3*maxPrealloc)), iotest.ErrReader(boom)), hash), 20*maxPrealloc)
	hash.Close()
	if want := md5.Sum(got); !errors.Is(err, boom) || !bytes.Equal(hash.Sum(), want[:]) {
		t.Errorf("a body that breaks: %v, MD5 %x; want the error and %x, the MD5 of what was read", err, hash.Sum(), want)
	}
}
