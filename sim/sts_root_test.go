package sim_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// TestAssumeRoot: the standalone account has no member accounts with centralized root
// access. The request is checked as STS's model says, authorized as sts:AssumeRoot on the
// target's root with sts:TaskPolicyArn, refused for root credentials, and then refused.
func TestAssumeRoot(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no AssumeRoot")
		task := &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy")}
		in := func(target string, task *ststypes.PolicyDescriptorType, d *int32) *sts.AssumeRootInput {
			return &sts.AssumeRootInput{TargetPrincipal: aws.String(target), TaskPolicyArn: task, DurationSeconds: d}
		}
		root := sts.NewFromConfig(c.Config())
		_, err := root.AssumeRoot(ctx, in("111122223333", task, nil))
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "root user credentials") {
			t.Errorf("root: %v", err)
		}

		c.Require(t, conformance.EnforcesIAM)
		admin := sts.NewFromConfig(policyUser(t, c, "admin", `{"Effect":"Allow","Action":"sts:AssumeRoot","Resource":"arn:aws:iam::*:root","Condition":{"StringEquals":{"sts:TaskPolicyArn":"arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"}}}`))
		for _, target := range []string{"111122223333", "arn:aws:iam::111122223333:root"} {
			_, err = admin.AssumeRoot(ctx, in(target, task, aws.Int32(900)))
			wantCode(t, err, "AccessDenied")
			wantHTTPStatus(t, err, 403)
			if !strings.Contains(err.Error(), "on resource: arn:aws:iam::111122223333:root because no organization") {
				t.Errorf("%s: %v", target, err)
			}
		}
		// The condition on the task policy: another task policy is not allowed.
		other := &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")}
		_, err = admin.AssumeRoot(ctx, in("111122223333", other, nil))
		wantCode(t, err, "AccessDenied")
		if strings.Contains(err.Error(), "no organization") {
			t.Errorf("task policy outside the condition: %v", err)
		}
		nobody := sts.NewFromConfig(newUser(t, c, "nobody"))
		_, err = nobody.AssumeRoot(ctx, in("111122223333", task, nil))
		wantCode(t, err, "AccessDenied")
		if strings.Contains(err.Error(), "no organization") {
			t.Errorf("unauthorized: %v", err)
		}

		for name, bad := range map[string]*sts.AssumeRootInput{
			"short target":     in("1111", task, nil),
			"not an account":   in("arn:aws:iam::111122223333:user/alex", task, nil),
			"duration":         in("111122223333", task, aws.Int32(901)),
			"negative":         in("111122223333", task, aws.Int32(-1)),
			"not a task":       in("111122223333", &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}, nil),
			"short task":       in("111122223333", &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam")}, nil),
			"task without arn": in("111122223333", &ststypes.PolicyDescriptorType{}, nil),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := admin.AssumeRoot(ctx, bad)
				wantCode(t, err, "ValidationError")
			})
		}

		// Many callers at once.
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if _, err := admin.AssumeRoot(ctx, in("111122223333", task, nil)); apiCode(t, err) != "AccessDenied" {
					t.Errorf("concurrent: %v", err)
				}
			})
		}
		wg.Wait()
	})
}

// TestGetDelegatedAccessToken: no delegation request exists, so no trade-in token can be
// exchanged; the permission is checked first.
func TestGetDelegatedAccessToken(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no temporary delegation")
		root := sts.NewFromConfig(c.Config())
		_, err := root.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String("dt-0123456789abcdef")})
		wantCode(t, err, "ExpiredTradeInTokenException")
		wantHTTPStatus(t, err, 400)
		var expired *ststypes.ExpiredTradeInTokenException
		if !errors.As(err, &expired) {
			t.Errorf("not the modeled error: %T %v", err, err)
		}
		_, err = root.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{})
		if err == nil {
			t.Fatal("no token accepted")
		}
		c.Require(t, conformance.EnforcesIAM)
		nobody := sts.NewFromConfig(newUser(t, c, "nobody"))
		_, err = nobody.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String("dt-0123456789abcdef")})
		wantCode(t, err, "AccessDenied")
	})
}
