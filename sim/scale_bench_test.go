package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/sim"
)

// The benchmarks of large objects and large accounts: what a call costs when its body is
// large, or when the account holds many resources the call does not return. Each runs beside
// its floor (the same SDK calls answered from recorded bytes), at each size, so that a cost
// that grows with the account shows as a ratio that grows with it. Each reports its CPU time
// per call (cpu-ns/op) beside its time: on a shared machine, the steadier of the two.
//
//	go test ./sim -run '^$' -bench 'Object64MiB|At/|ListObjectsV2Page|HeapPerObject' -count 5

// replays answers the calls of a sequence with the responses (status, headers and body) the
// simulator once gave them, in turn: the floor of a benchmark that makes more than one call.
// It reads a request's body as a connection would, through Read into a buffer, so that the
// SDK's work on a large body (its checksum) is in the floor.
type replays struct {
	resps []recorded
	next  int
	buf   []byte
}

type recorded struct {
	status int
	header http.Header
	body   []byte
}

func (r *replays) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		if r.buf == nil {
			r.buf = make([]byte, 32<<10)
		}
		io.CopyBuffer(onlyWriter{io.Discard}, onlyReader{req.Body}, r.buf)
		req.Body.Close()
	}
	rec := r.resps[r.next%len(r.resps)]
	r.next++
	return &http.Response{
		StatusCode: rec.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header.Clone(), Body: io.NopCloser(bytes.NewReader(rec.body)),
		ContentLength: int64(len(rec.body)), Request: req,
	}, nil
}

// onlyReader and onlyWriter hide every method but Read and Write, so that a copy moves the
// bytes through a buffer as a socket would.
type onlyReader struct{ io.Reader }
type onlyWriter struct{ io.Writer }

// seqRecorder captures the simulator's responses to a sequence of calls.
type seqRecorder struct {
	next http.RoundTripper
	got  []recorded
}

func (r *seqRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	r.got = append(r.got, recorded{resp.StatusCode, resp.Header.Clone(), b})
	return resp, nil
}

// benchCalls measures call, which may make several SDK calls, on the simulator in memory and
// on the floor, side by side; bytes, when not 0, is what one call moves (for MB/s).
func benchCalls(b *testing.B, cfg aws.Config, bytes int64, call func(aws.Config) error) {
	b.Helper()
	rec := &seqRecorder{next: cfg.HTTPClient.(*http.Client).Transport}
	recCfg := cfg.Copy()
	recCfg.HTTPClient = &http.Client{Transport: rec}
	if err := call(recCfg); err != nil {
		b.Fatal(err)
	}
	floor := cfg.Copy()
	floor.HTTPClient = &http.Client{Transport: &replays{resps: rec.got}}
	for _, side := range []struct {
		name string
		cfg  aws.Config
	}{{"sim", cfg}, {"floor", floor}} {
		b.Run(side.name, func(b *testing.B) {
			b.ReportAllocs()
			if bytes > 0 {
				b.SetBytes(bytes)
			}
			start := cpuTime()
			for b.Loop() {
				if err := call(side.cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

// largeBody is 64 MiB of bytes that do not compress to nothing.
func largeBody() []byte {
	body := make([]byte, 64<<20)
	for i := range body {
		body[i] = byte(i*7 + i>>11)
	}
	return body
}

// BenchmarkS3PutObject64MiB puts a 64 MiB object, as alex, with the SDK's defaults: in
// process it sends the body whole, X-Amz-Content-Sha256 UNSIGNED-PAYLOAD and no checksum, so
// the simulator takes the body's MD5 (its ETag) and S3's default CRC64NVME.
func BenchmarkS3PutObject64MiB(b *testing.B) {
	c, cfg := benchCloud(b)
	if _, err := s3.NewFromConfig(c.Config()).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	body := largeBody()
	benchCalls(b, cfg, int64(len(body)), func(cfg aws.Config) error {
		_, err := s3.NewFromConfig(cfg).PutObject(context.Background(), &s3.PutObjectInput{
			Bucket: aws.String("bench-bucket"), Key: aws.String("large.bin"), Body: bytes.NewReader(body)})
		return err
	})
}

// BenchmarkS3GetObject64MiB gets a 64 MiB object and reads its body, as alex.
func BenchmarkS3GetObject64MiB(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	root := s3.NewFromConfig(c.Config())
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	body := largeBody()
	if _, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("large.bin"), Body: bytes.NewReader(body)}); err != nil {
		b.Fatal(err)
	}
	benchCalls(b, cfg, int64(len(body)), func(cfg aws.Config) error {
		out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("large.bin")})
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, onlyReader{out.Body}) // as a program that reads it does
		out.Body.Close()
		if err == nil && n != int64(len(body)) {
			err = fmt.Errorf("read %d bytes, want %d", n, len(body))
		}
		return err
	})
}

// accountSizes are the numbers of existing resources the scale benchmarks run at.
var accountSizes = []int{0, 1000, 10000}

// fillInstances makes n instances in the config's region beside what is there: launched 100
// at a time, all terminated but up to 500 (the quota is 1,000 running); terminated ones stay
// listed for an hour of the simulator's clock, which the benchmarks do not move.
func fillInstances(b *testing.B, c *sim.Cloud, n int) {
	b.Helper()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	for made := 0; made < n; made += 100 {
		k := int32(min(100, n-made))
		out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(k), MaxCount: aws.Int32(k),
			InstanceType: "t2.micro", TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
				Tags: []ec2types.Tag{{Key: aws.String("batch"), Value: aws.String(strconv.Itoa(made))}}}}})
		if err != nil {
			b.Fatal(err)
		}
		if made < 500 {
			continue
		}
		var ids []string
		for _, i := range out.Instances {
			ids = append(ids, *i.InstanceId)
		}
		if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunTerminateAt launches one instance and terminates it, as alex, in a region that
// has 0, 1,000 or 10,000 instances.
func BenchmarkRunTerminateAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c, cfg := benchCloud(b)
			fillInstances(b, c, n)
			ctx := context.Background()
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				client := ec2.NewFromConfig(cfg)
				out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: "t2.micro"})
				if err != nil {
					return err
				}
				_, err = client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*out.Instances[0].InstanceId}})
				return err
			})
		})
	}
}

// BenchmarkDescribeInstancesAt describes one instance by its ID, and the one stopped instance
// by a filter on its state, as alex, in a region that has 0, 1,000 or 10,000 instances more.
func BenchmarkDescribeInstancesAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			client := ec2.NewFromConfig(c.Config())
			out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: "t2.micro"})
			if err != nil {
				b.Fatal(err)
			}
			id := *out.Instances[0].InstanceId
			if _, err := client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
				b.Fatal(err)
			}
			fillInstances(b, c, n)
			b.Run("ByID", func(b *testing.B) {
				benchCalls(b, cfg, 0, func(cfg aws.Config) error {
					out, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
					if err == nil && (len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1) {
						err = fmt.Errorf("%d reservations, want 1", len(out.Reservations))
					}
					return err
				})
			})
			b.Run("ByState", func(b *testing.B) {
				benchCalls(b, cfg, 0, func(cfg aws.Config) error {
					out, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{
						Filters: []ec2types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"stopped"}}}})
					if err == nil && len(out.Reservations) != 1 {
						err = fmt.Errorf("%d reservations, want 1", len(out.Reservations))
					}
					return err
				})
			})
		})
	}
}

// keysOf returns n keys of the shape dir/0000042.
func keysOf(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("dir/%07d", i)
	}
	return keys
}

// BenchmarkS3GetObjectAt gets a 1 KiB object, as alex, from a bucket of 1 or 10,000 keys.
func BenchmarkS3GetObjectAt(b *testing.B) {
	for _, n := range []int{1, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			if _, err := s3.NewFromConfig(c.Config()).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
				b.Fatal(err)
			}
			if err := c.SeedObjects("bench-bucket", keysOf(n), bytes.Repeat([]byte("x"), 1<<10)); err != nil {
				b.Fatal(err)
			}
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("dir/0000000")})
				if err != nil {
					return err
				}
				_, err = io.Copy(io.Discard, out.Body)
				out.Body.Close()
				return err
			})
		})
	}
}

// BenchmarkS3PutObjectAt puts a 1 KiB object under a new key, as alex, into a bucket of 1 or
// 1,000,000 keys.
func BenchmarkS3PutObjectAt(b *testing.B) {
	for _, n := range []int{1, 1000000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			if _, err := s3.NewFromConfig(c.Config()).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
				b.Fatal(err)
			}
			if err := c.SeedObjects("bench-bucket", keysOf(n), []byte("x")); err != nil {
				b.Fatal(err)
			}
			body := bytes.Repeat([]byte("x"), 1<<10)
			k := 0
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				k++
				_, err := s3.NewFromConfig(cfg).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench-bucket"),
					Key: aws.String("dir/0000000/" + strconv.Itoa(k)), Body: bytes.NewReader(body)})
				return err
			})
		})
	}
}

// BenchmarkS3ListObjectsV2Page lists the first page of 1,000 keys, as alex, of a bucket of
// 1,000,000.
func BenchmarkS3ListObjectsV2Page(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	if _, err := s3.NewFromConfig(c.Config()).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	if err := c.SeedObjects("bench-bucket", keysOf(1000000), []byte("x")); err != nil {
		b.Fatal(err)
	}
	benchCalls(b, cfg, 0, func(cfg aws.Config) error {
		out, err := s3.NewFromConfig(cfg).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bench-bucket")})
		if err == nil && len(out.Contents) != 1000 {
			err = fmt.Errorf("%d keys, want 1000", len(out.Contents))
		}
		return err
	})
}

// BenchmarkS3HeapPerObject reports the heap that each stored 1 KiB object holds, put through
// the SDK as alex: 2,000 objects in a fresh bucket per iteration.
func BenchmarkS3HeapPerObject(b *testing.B) {
	const n = 2000
	ctx := context.Background()
	body := bytes.Repeat([]byte("x"), 1<<10)
	var perObject float64
	for b.Loop() {
		c, cfg := benchCloud(b)
		client := s3.NewFromConfig(cfg)
		if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
			b.Fatal(err)
		}
		before := heapInUse()
		for i := range n {
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench-bucket"),
				Key: aws.String(fmt.Sprintf("dir/%07d", i)), Body: bytes.NewReader(body)}); err != nil {
				b.Fatal(err)
			}
		}
		perObject = float64(heapInUse()-before) / n
		runtime.KeepAlive(c)
	}
	b.ReportMetric(perObject, "heap-B/object")
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
