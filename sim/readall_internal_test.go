package sim

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"
)

// readAll gives the bytes of the body and its error, whatever the body declared and however
// its reader hands them over.
func TestReadAll(t *testing.T) {
	t.Parallel()
	body := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*7 + i>>9)
		}
		return b
	}
	readers := map[string]func([]byte) io.Reader{
		"bytes":           func(b []byte) io.Reader { return bytes.NewReader(b) },
		"one byte a time": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"EOF with data":   func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
		"half reads":      func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
	}
	for _, n := range []int{0, 1, 511, 512, 513, maxPrealloc - 1, maxPrealloc, maxPrealloc + 1, 9*maxPrealloc + 3} {
		data := body(n)
		for _, declared := range []int64{-1, 0, int64(n), int64(n) - 1, int64(n) + 1, int64(n) * 3, int64(n) * 20} {
			for name, reader := range readers {
				if name == "one byte a time" && n > maxPrealloc+1 {
					continue
				}
				got, err := readAll(reader(data), declared)
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("%d bytes declared %d, %s: %d bytes, %v; want them all", n, declared, name, len(got), err)
				}
			}
		}
	}
	boom := errors.New("boom")
	r := io.MultiReader(bytes.NewReader(body(3*maxPrealloc)), iotest.ErrReader(boom))
	if got, err := readAll(r, 20*maxPrealloc); !errors.Is(err, boom) || len(got) != 3*maxPrealloc {
		t.Errorf("a body that breaks: %d bytes, %v; want %d and the error", len(got), err, 3*maxPrealloc)
	}
}

// A large body that declared its length costs about its size, not the doublings of a buffer
// it outgrows (issue 20: 64 MiB allocated 255 MiB).
func TestReadAllAllocatesAboutTheBody(t *testing.T) {
	data := make([]byte, 64<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := readAll(bytes.NewReader(data), int64(len(data)))
	runtime.ReadMemStats(&after)
	if err != nil || len(got) != len(data) {
		t.Fatalf("%d bytes, %v", len(got), err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 73<<20 {
		t.Errorf("reading 64 MiB allocated %d MiB, want at most 73", grew>>20)
	}
}
