// Command first-lesson plays the course's first IAM lesson on the embedded simulator: a new
// user is refused, joins an admin group with AdministratorAccess, and is allowed.
//
//	go run ./examples/first-lesson
//
// With AWSX_BACKEND=http://127.0.0.1:4566 it runs against `awsx sim serve` instead, and
// with AWSX_BACKEND=aws against the account of your ~/.aws profile (it makes a user "alex"
// and a group "admin" there, which cost nothing; delete them afterwards).
//
// The library's default backend is AWS; this program makes the embedded simulator its own
// default, which needs the simulator linked in: the blank import of package simbackend.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/iamx"
	_ "github.com/awsxlab/awsx/simbackend" // the "sim" backend's simulator
)

func main() {
	ctx := context.Background()
	settings, err := awsx.NewSettings()
	if err != nil {
		log.Fatal(err)
	}
	settings.SetDefault("backend", awsx.BackendSim)
	cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Settings = settings })
	if err != nil {
		log.Fatal(err)
	}
	admin := iam.NewFromConfig(cfg)

	// A user with keys but no permissions.
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}); err != nil {
		log.Fatal(err)
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")})
	if err != nil {
		log.Fatal(err)
	}
	alex := cfg.Copy()
	alex.Credentials = credentials.NewStaticCredentialsProvider(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, "")

	_, err = ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Printf("alex is refused: %s: %s\n", ae.ErrorCode(), ae.ErrorMessage())
	}

	// The fix: an admin group with AdministratorAccess, and alex in it.
	if _, err := admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}); err != nil {
		log.Fatal(err)
	}
	if _, err := admin.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(iamx.AdministratorAccess)}); err != nil {
		log.Fatal(err)
	}
	if _, err := admin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("alex")}); err != nil {
		log.Fatal(err)
	}

	out, err := ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("alex, now in admin, sees %d regions, the first %s\n", len(out.Regions), *out.Regions[0].RegionName)
}
