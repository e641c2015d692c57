package sim_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

// Many goroutines write IAM at once, and read and sign with what they made, on one Cloud.
// Run with -race.
func TestConcurrentIAMWrites(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	root := iam.NewFromConfig(config(t, c))
	if _, err := root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{
		GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess"),
	}); err != nil {
		t.Fatal(err)
	}
	const workers, each = 16, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				name := fmt.Sprintf("user-%d-%d", w, i)
				if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
					errs <- err
					return
				}
				if _, err := root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String(name)}); err != nil {
					errs <- err
					return
				}
				key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
				if err != nil {
					errs <- err
					return
				}
				cfg := config(t, c, sim.WithCredentials(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, ""))
				if _, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
				if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	users, err := root.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	if err != nil {
		t.Fatal(err)
	}
	group, err := root.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("admin"), MaxItems: aws.Int32(1000)})
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != workers*each || len(group.Users) != workers*each {
		t.Errorf("%d users, %d in admin; want %d", len(users.Users), len(group.Users), workers*each)
	}
	seen := map[string]bool{}
	for _, u := range users.Users {
		if seen[*u.UserId] {
			t.Errorf("duplicate user ID %s", *u.UserId)
		}
		seen[*u.UserId] = true
	}
}
