package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

// replay is the floor of the benchmarks: a RoundTripper that answers every request with the
// bytes the simulator once answered, so that only the SDK's own work is left.
type replay struct {
	status int
	body   []byte
}

func (r replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: r.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/xml"}, "Content-Length": {strconv.Itoa(len(r.body))}},
		Body:          io.NopCloser(bytes.NewReader(r.body)),
		ContentLength: int64(len(r.body)), Request: req,
	}, nil
}

// benchCall measures call on the simulator in memory and on the floor, side by side.
func benchCall(b *testing.B, c *sim.Cloud, cfg aws.Config, call func(aws.Config) error) {
	rec := &seqRecorder{next: cfg.HTTPClient.(*http.Client).Transport}
	recCfg := cfg.Copy()
	recCfg.HTTPClient = &http.Client{Transport: rec}
	if err := call(recCfg); err != nil {
		b.Fatal(err)
	}
	floor := cfg.Copy()
	floor.HTTPClient = &http.Client{Transport: &replays{resps: rec.got}}
	b.Run("sim", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			if err := call(cfg); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			if err := call(floor); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	})
}

// benchCloud is a cloud with a user "alex" in an admin group, and a config signing as alex.
func benchCloud(b *testing.B, opts ...sim.Option) (*sim.Cloud, aws.Config) {
	ctx := context.Background()
	c := sim.New(opts...)
	root := iam.NewFromConfig(c.Config())
	must := func(_ any, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	must(root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))
	must(root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("alex")}))
	key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")})
	must(key, err)
	return c, c.Config(sim.WithCredentials(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, ""))
}

func BenchmarkGetCallerIdentity(b *testing.B) {
	c, cfg := benchCloud(b)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		return err
	})
}

func BenchmarkGetUser(b *testing.B) {
	c, cfg := benchCloud(b)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		_, err := iam.NewFromConfig(cfg).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("alex")})
		return err
	})
}

// BenchmarkIAMCreateDeleteUser creates and deletes a user, as alex: two writes.
func BenchmarkIAMCreateDeleteUser(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		client := iam.NewFromConfig(cfg)
		if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bench-user")}); err != nil {
			return err
		}
		_, err := client.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bench-user")})
		return err
	})
}

func BenchmarkDescribeRegions(b *testing.B) {
	c, cfg := benchCloud(b)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		_, err := ec2.NewFromConfig(cfg).DescribeRegions(context.Background(), &ec2.DescribeRegionsInput{})
		return err
	})
}

// BenchmarkCheckIP asks checkip.amazonaws.com for the learner's address, as ec2x.MyIP does.
func BenchmarkCheckIP(b *testing.B) {
	c, cfg := benchCloud(b)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		req, err := http.NewRequest(http.MethodGet, "https://checkip.amazonaws.com/", nil)
		if err != nil {
			return err
		}
		resp, err := cfg.HTTPClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if b, err := io.ReadAll(resp.Body); err != nil || string(b) != "203.0.113.10\n" {
			return fmt.Errorf("checkip answered %q: %v", b, err)
		}
		return nil
	})
}

// BenchmarkDescribeInstances lists 50 instances in 5 reservations, tagged, as alex.
func BenchmarkDescribeInstances(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	client := ec2.NewFromConfig(c.Config())
	for range 5 {
		if _, err := client.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(10), MaxCount: aws.Int32(10), InstanceType: "t2.micro",
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}},
		}); err != nil {
			b.Fatal(err)
		}
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
		if err == nil && len(out.Reservations) != 5 {
			err = fmt.Errorf("%d reservations, want 5", len(out.Reservations))
		}
		return err
	})
}

// BenchmarkS3PutObject puts a 1 KiB object, as alex.
func BenchmarkS3PutObject(b *testing.B) {
	c, cfg := benchCloud(b)
	if _, err := s3.NewFromConfig(c.Config()).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), 1<<10)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		_, err := s3.NewFromConfig(cfg).PutObject(context.Background(), &s3.PutObjectInput{
			Bucket: aws.String("bench-bucket"), Key: aws.String("dir/object.bin"), Body: bytes.NewReader(body)})
		return err
	})
}

// BenchmarkS3GetObject gets a 1 KiB object and reads its body, as alex.
func BenchmarkS3GetObject(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	root := s3.NewFromConfig(c.Config())
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	if _, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("dir/object.bin"),
		Body: bytes.NewReader(bytes.Repeat([]byte("x"), 1<<10))}); err != nil {
		b.Fatal(err)
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("dir/object.bin")})
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, out.Body)
		out.Body.Close()
		if err == nil && n != 1<<10 {
			err = fmt.Errorf("read %d bytes, want 1024", n)
		}
		return err
	})
}

// BenchmarkS3Select runs an S3 Select over a 1,000-row CSV object, as alex, reading the
// event stream to its end.
func BenchmarkS3Select(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	root := s3.NewFromConfig(c.Config())
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	var rows bytes.Buffer
	rows.WriteString("id,name,score\n")
	for i := range 1000 {
		fmt.Fprintf(&rows, "%d,user-%d,%d\n", i, i, i*37%100)
	}
	if _, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("rows.csv"), Body: bytes.NewReader(rows.Bytes())}); err != nil {
		b.Fatal(err)
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := s3.NewFromConfig(cfg).SelectObjectContent(ctx, &s3.SelectObjectContentInput{
			Bucket: aws.String("bench-bucket"), Key: aws.String("rows.csv"), ExpressionType: s3types.ExpressionTypeSql,
			Expression:          aws.String("SELECT s.name FROM S3Object s WHERE CAST(s.score AS INT) > 90"),
			InputSerialization:  &s3types.InputSerialization{CSV: &s3types.CSVInput{FileHeaderInfo: s3types.FileHeaderInfoUse}},
			OutputSerialization: &s3types.OutputSerialization{CSV: &s3types.CSVOutput{}},
		})
		if err != nil {
			return err
		}
		stream := out.GetStream()
		n := 0
		for ev := range stream.Events() {
			if r, ok := ev.(*s3types.SelectObjectContentEventStreamMemberRecords); ok {
				n += bytes.Count(r.Value.Payload, []byte("\n"))
			}
		}
		stream.Close()
		if err := stream.Err(); err != nil {
			return err
		}
		if n != 90 {
			return fmt.Errorf("%d records, want 90", n)
		}
		return nil
	})
}

// BenchmarkLoopback compares `awsx sim serve`'s handler with moto_server over loopback TCP,
// the same Go SDK client calling IAM GetUser on each (moto_server when it is installed).
func BenchmarkLoopback(b *testing.B) {
	ctx := context.Background()
	c, _ := benchCloud(b)
	srv := httptest.NewServer(c)
	defer srv.Close()
	endpoints := map[string]string{"sim": srv.URL}
	if path, err := exec.LookPath("moto_server"); err == nil {
		port := freePort(b)
		cmd := exec.Command(path, "-p", strconv.Itoa(port))
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		endpoints["moto"] = "http://127.0.0.1:" + strconv.Itoa(port)
	} else {
		b.Log("moto_server is not installed: benchmarking the simulator alone")
	}
	for _, name := range []string{"sim", "moto"} {
		url, ok := endpoints[name]
		if !ok {
			continue
		}
		cfg := aws.Config{
			Region:       "us-east-1",
			Credentials:  credentials.NewStaticCredentialsProvider(sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, ""),
			BaseEndpoint: aws.String(url),
		}
		client := iam.NewFromConfig(cfg)
		waitUp(b, func() error {
			_, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bench")})
			return err
		})
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bench")}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func freePort(b *testing.B) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitUp retries call until the server answers, for up to 20 seconds.
func waitUp(b *testing.B, call func() error) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := call()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			b.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkPutMetricData puts 20 data points of 4 metrics with two dimensions each, as alex,
// through the SDK's CloudWatch client (Smithy RPC v2 CBOR).
func BenchmarkPutMetricData(b *testing.B) {
	c, cfg := benchCloud(b)
	now := c.Now()
	in := &cloudwatch.PutMetricDataInput{Namespace: aws.String("App/Web")}
	for i := range 20 {
		in.MetricData = append(in.MetricData, cwtypes.MetricDatum{
			MetricName: aws.String("Latency"), Unit: cwtypes.StandardUnitMilliseconds, Value: aws.Float64(float64(i) * 1.5), Timestamp: aws.Time(now),
			Dimensions: []cwtypes.Dimension{{Name: aws.String("Host"), Value: aws.String(fmt.Sprint("web-", i%4))}, {Name: aws.String("Path"), Value: aws.String("/api")}},
		})
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		_, err := cloudwatch.NewFromConfig(cfg).PutMetricData(context.Background(), in)
		return err
	})
}
