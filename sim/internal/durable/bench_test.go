package durable

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// BenchmarkCommit commits one 1 KiB part into a directory holding 1,000 others.
func BenchmarkCommit(b *testing.B) {
	d := openT(b, b.TempDir(), ReadWrite)
	val := make([]byte, 1024)
	all := map[string][]byte{}
	for i := range 1000 {
		all[fmt.Sprint("svc/part", i)] = val
	}
	if err := d.Commit(all); err != nil {
		b.Fatal(err)
	}
	if err := d.Compact(nil); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		val[0] = byte(i)
		if err := d.Commit(map[string][]byte{fmt.Sprint("svc/part", i%1000): val}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitParallel is BenchmarkCommit from 8 goroutines per CPU: waiting commits
// share a record and its fsync.
func BenchmarkCommitParallel(b *testing.B) {
	d := openT(b, b.TempDir(), ReadWrite)
	var n atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		val := make([]byte, 1024)
		for pb.Next() {
			i := n.Add(1)
			if err := d.Commit(map[string][]byte{fmt.Sprint("svc/part", i%1000): val}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(n.Load())/float64(d.Seq()), "commits/record")
}

// BenchmarkRewriteFile is the old way, for comparison with BenchmarkCommit: the whole state,
// 1 MB, written to a temporary file, synced, renamed over the state, and the directory synced.
func BenchmarkRewriteFile(b *testing.B) {
	dir := b.TempDir()
	data := make([]byte, 1<<20)
	for b.Loop() {
		f, err := os.CreateTemp(dir, "state-*")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if err := os.Rename(f.Name(), filepath.Join(dir, "state.json")); err != nil {
			b.Fatal(err)
		}
		if err := syncDir(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutBlob stores a new 64 KiB blob.
func BenchmarkPutBlob(b *testing.B) {
	d := openT(b, b.TempDir(), ReadWrite)
	data := make([]byte, 64<<10)
	i := 0
	for b.Loop() {
		i++
		data[0], data[1], data[2] = byte(i), byte(i>>8), byte(i>>16)
		if _, err := d.PutBlob(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenPart opens a directory read-only and reads one part: "meta" from an empty
// directory, and "meta" or the 500 KB "iam" from one holding 50 MB of blobs (see fill).
func BenchmarkOpenPart(b *testing.B) {
	for _, bc := range []struct {
		name string
		full bool
		part string
	}{
		{"empty/meta", false, "meta"},
		{"50MB-blobs/meta", true, "meta"},
		{"50MB-blobs/iam", true, "iam"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			path := b.TempDir()
			d := openT(b, path, ReadWrite)
			if bc.full {
				fill(b, d)
			}
			closeT(b, d)
			for b.Loop() {
				d, err := Open(context.Background(), path, ReadOnly)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := d.Part(bc.part); bc.full && err != nil {
					b.Fatal(err)
				}
				d.Close()
			}
		})
	}
}

// fill gives d 50 blobs of 1 MB, referenced by an "s3" part, a 500 KB "iam" part, and a
// small "meta" part; compacts; and commits changes to "iam" and "ec2" after, so that parts
// are in the snapshot and in the journal.
func fill(b *testing.B, d *Dir) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s3 []byte
	for range 50 {
		body := make([]byte, 1<<20)
		for i := range body {
			body[i] = byte(rng.Uint32())
		}
		ref, err := d.PutBlob(body)
		if err != nil {
			b.Fatal(err)
		}
		s3 = fmt.Appendf(s3, "%s\n", ref)
	}
	iam := make([]byte, 500<<10)
	for i := range iam {
		iam[i] = 'a' + byte(rng.IntN(26))
	}
	if err := d.Commit(map[string][]byte{"s3": s3, "iam": iam, "meta": []byte(`{"account":"123456789012"}`)}); err != nil {
		b.Fatal(err)
	}
	if err := d.Compact(nil); err != nil {
		b.Fatal(err)
	}
	for i := range 20 {
		iam[i] = 'z'
		if err := d.Commit(map[string][]byte{"iam": iam, "ec2": fmt.Appendf(nil, "ec2 %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}
