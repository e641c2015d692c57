package s3x_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/s3x"
	"github.com/awsxlab/awsx/sim"
)

// benchFile writes a file of n bytes and makes the bucket "bench" on a fresh simulator.
func benchFile(b *testing.B, n int) (string, s3x.API) {
	b.Helper()
	c := s3.NewFromConfig(sim.New().Config())
	if _, err := s3x.CreateBucket(context.Background(), c, "bench", "us-east-1"); err != nil {
		b.Fatal(err)
	}
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i % 251)
	}
	path := filepath.Join(b.TempDir(), "obj.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path, c
}

// BenchmarkUploadFile uploads a 1 MiB file (one PutObject) and a 24 MiB file (a multipart
// upload of three 8 MiB parts) to the in-memory simulator.
func BenchmarkUploadFile(b *testing.B) {
	for _, bc := range []struct {
		name string
		size int
	}{{"1MiB", 1 << 20}, {"24MiB", 24 << 20}} {
		b.Run(bc.name, func(b *testing.B) {
			path, c := benchFile(b, bc.size)
			b.SetBytes(int64(bc.size))
			for b.Loop() {
				if err := s3x.UploadFile(context.Background(), c, path, "bench", "obj.bin"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDownloadFile downloads a 24 MiB object (three ranged GETs) from the simulator.
func BenchmarkDownloadFile(b *testing.B) {
	ctx := context.Background()
	path, c := benchFile(b, 24<<20)
	if err := s3x.UploadFile(ctx, c, path, "bench", "obj.bin"); err != nil {
		b.Fatal(err)
	}
	dest := filepath.Join(b.TempDir(), "out.bin")
	b.SetBytes(24 << 20)
	for b.Loop() {
		if err := s3x.DownloadFile(ctx, c, "bench", "obj.bin", dest); err != nil {
			b.Fatal(err)
		}
	}
}
