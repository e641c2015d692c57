package sim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// The call log records who called what, the decision and the statement that made it, and the
// error answered.
func TestCallLog(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		alex := newUser(t, c, "alex") // an IAM user with no policy
		c.Cloud(t).ResetCalls()

		must(sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		_, err := ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		wantCode(t, err, "UnauthorizedOperation")
		must(ec2Client(t, c).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t)
		_, err = s3.NewFromConfig(c.Config()).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("nothing-here")})
		if err == nil {
			t.Fatal("HeadBucket of a missing bucket succeeded")
		}

		calls := c.Cloud(t).Calls()
		if len(calls) != 4 {
			t.Fatalf("%d calls logged, want 4: %+v", len(calls), calls)
		}
		user := "arn:aws:iam::123456789012:user/alex"
		want := []sim.Call{
			{Principal: user, Service: "sts", Operation: "GetCallerIdentity", Region: "us-east-1", Status: 200},
			{Principal: user, Service: "ec2", Operation: "DescribeRegions", Region: "us-east-1", Decision: "implicit deny", Status: 403, Error: "UnauthorizedOperation"},
			{Principal: "arn:aws:iam::123456789012:root", Service: "ec2", Operation: "DescribeVpcs", Region: "us-east-1", Status: 200},
			{Principal: "arn:aws:iam::123456789012:root", Service: "s3", Operation: "HeadBucket", Region: "us-east-1", Status: 404, Error: "NoSuchBucket"},
		}
		for i, w := range want {
			got := calls[i]
			if got.Time.IsZero() {
				t.Errorf("call %d has no time", i)
			}
			got.Time = time.Time{}
			if got != w {
				t.Errorf("call %d = %+v\nwant     %+v", i, got, w)
			}
		}

		// An allow names the statement that allowed.
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("regions"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"Regions","Effect":"Allow","Action":"ec2:DescribeRegions","Resource":"*"}]}`)}))(t)
		c.Cloud(t).ResetCalls()
		must(ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{}))(t)
		got := c.Cloud(t).Calls()
		if len(got) != 1 || got[0].Decision != "allow" || got[0].Statement != `identity-based policy "user/alex inline policy regions", statement 0 (Sid "Regions")` {
			t.Errorf("calls after the allow = %+v", got)
		}
	})
}

// The log keeps the latest calls only.
func TestCallLogBounded(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, sim.WithCallLog(3))
		client := sts.NewFromConfig(c.Config())
		for range 5 {
			must(client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		}
		if n := len(c.Cloud(t).Calls()); n != 3 {
			t.Errorf("%d calls kept, want 3", n)
		}
		if n := len(sim.New(sim.WithCallLog(0)).Calls()); n != 0 {
			t.Errorf("WithCallLog(0) keeps %d calls", n)
		}
	})
}

func TestInjectedFaults(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)

		t.Run("error once", func(t *testing.T) {
			c.Cloud(t).Inject(sim.Fault{Service: "ec2", Operation: "DescribeVpcs", Times: 1, Code: "InternalError", Message: "boom", Status: 500})
			cfg := c.Config()
			cfg.RetryMaxAttempts = 1
			_, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
			wantCode(t, err, "InternalError")
			must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t) // retired after one answer
		})
		t.Run("throttle, in each service's words", func(t *testing.T) {
			cfg := c.Config()
			cfg.RetryMaxAttempts = 1
			for _, tc := range []struct {
				svc  string
				call func() error
				code string
			}{
				{"ec2", func() error { _, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); return err }, "RequestLimitExceeded"},
				{"sts", func() error {
					_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
					return err
				}, "Throttling"},
				{"s3", func() error { _, err := s3.NewFromConfig(cfg).ListBuckets(ctx, &s3.ListBucketsInput{}); return err }, "SlowDown"},
			} {
				remove := c.Cloud(t).Inject(sim.Fault{Service: tc.svc, Throttle: true})
				wantCode(t, tc.call(), tc.code)
				remove()
				if err := tc.call(); err != nil {
					t.Errorf("%s after remove: %v", tc.svc, err)
				}
			}
		})
		t.Run("an S3 output is refused, not a panic", func(t *testing.T) {
			remove := c.Cloud(t).Inject(sim.Fault{Service: "s3", Operation: "ListBuckets", Times: 1,
				Answer: func(context.Context, any) (any, error) { return &s3.ListBucketsOutput{}, nil }})
			defer remove()
			cfg := c.Config()
			cfg.RetryMaxAttempts = 1
			_, err := s3.NewFromConfig(cfg).ListBuckets(ctx, &s3.ListBucketsInput{})
			wantCode(t, err, "InternalFailure")
		})
		t.Run("match by input", func(t *testing.T) {
			remove := c.Cloud(t).Inject(sim.Fault{Operation: "RunInstances", Code: "InsufficientInstanceCapacity", Message: "no capacity",
				Match: func(in any) bool { return in.(*ec2.RunInstancesInput).InstanceType == types.InstanceTypeP548xlarge }})
			defer remove()
			run := func(it types.InstanceType) error {
				_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), InstanceType: it, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
				return err
			}
			wantCode(t, run(types.InstanceTypeP548xlarge), "InsufficientInstanceCapacity")
			if err := run(types.InstanceTypeT3Micro); err != nil {
				t.Errorf("a t3.micro was refused too: %v", err)
			}
		})
		t.Run("custom answer", func(t *testing.T) {
			remove := c.Cloud(t).Inject(sim.Fault{Service: "ec2", Operation: "DescribeRegions", Answer: func(context.Context, any) (any, error) {
				return &ec2.DescribeRegionsOutput{Regions: []types.Region{{RegionName: aws.String("mars-north-1")}}}, nil
			}})
			defer remove()
			out := must(client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}))(t)
			if len(out.Regions) != 1 || aws.ToString(out.Regions[0].RegionName) != "mars-north-1" {
				t.Errorf("regions = %+v", out.Regions)
			}
		})
		t.Run("latency, cancelled by the caller", func(t *testing.T) {
			remove := c.Cloud(t).Inject(sim.Fault{Service: "sts", Latency: 5 * time.Second})
			defer remove()
			cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := sts.NewFromConfig(c.Config()).GetCallerIdentity(cctx, &sts.GetCallerIdentityInput{})
			if err == nil || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want the deadline", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the call took %v", d)
			}
		})
		t.Run("a refused request stays refused", func(t *testing.T) {
			remove := c.Cloud(t).Inject(sim.Fault{Service: "ec2", Answer: func(context.Context, any) (any, error) { return &ec2.DescribeRegionsOutput{}, nil }})
			defer remove()
			_, err := ec2.NewFromConfig(newUser(t, c, "noone")).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
			wantCode(t, err, "UnauthorizedOperation")
		})
		for _, call := range c.Cloud(t).Calls() {
			if call.Error == "InsufficientInstanceCapacity" && !call.Injected {
				t.Errorf("an injected answer is not marked: %+v", call)
			}
		}
	})
}
