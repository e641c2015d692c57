package iamx_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/iamx"
	"github.com/awsxlab/awsx/sim"
)

func ExampleCreateAdminUser() {
	ctx := context.Background()
	cloud := sim.New()
	creds, err := iamx.CreateAdminUser(ctx, cloud.Config(), "alex", func(o *iamx.AdminOptions) {
		o.Password = "Lab-Passw0rd!"
	})
	if err != nil {
		panic(err)
	}
	// From now on, work as alex, not as root.
	alex := cloud.Config(sim.WithCredentials(creds.AccessKeyID, creds.SecretAccessKey, ""))
	id, err := sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(*id.Arn)
	// Output: arn:aws:iam::123456789012:user/alex
}

func ExampleCreateUserWithPolicy() {
	ctx := context.Background()
	cloud := sim.New()
	creds, err := iamx.CreateUserWithPolicy(ctx, cloud.Config(), "reader", "DescribeOnly",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`)
	if err != nil {
		panic(err)
	}
	reader := ec2.NewFromConfig(cloud.Config(sim.WithCredentials(creds.AccessKeyID, creds.SecretAccessKey, "")))
	_, err = reader.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	fmt.Println("describe-regions:", err == nil)
	_, err = iam.NewFromConfig(cloud.Config(sim.WithCredentials(creds.AccessKeyID, creds.SecretAccessKey, ""))).
		ListUsers(ctx, &iam.ListUsersInput{})
	fmt.Println("list-users:", err == nil)
	// Output:
	// describe-regions: true
	// list-users: false
}

func ExampleCreateInstanceRole() {
	ctx := context.Background()
	cloud := sim.New()
	role, err := iamx.CreateInstanceRole(ctx, cloud.Config(), "web", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	if err != nil {
		panic(err)
	}
	fmt.Println(role.RoleARN)
	fmt.Println(role.InstanceProfileARN)
	// Output:
	// arn:aws:iam::123456789012:role/web
	// arn:aws:iam::123456789012:instance-profile/web
}

func ExampleExplain() {
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	client := iam.NewFromConfig(cfg)
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}); err != nil {
		panic(err)
	}
	if _, err := client.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: aws.String("alex"), PolicyName: aws.String("ec2-no-terminate"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
			{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`),
	}); err != nil {
		panic(err)
	}
	for _, action := range []string{"ec2:RunInstances", "ec2:TerminateInstances", "s3:ListBucket"} {
		e, err := iamx.Explain(ctx, cfg, "arn:aws:iam::123456789012:user/alex", action, "*")
		if err != nil {
			panic(err)
		}
		fmt.Println(e)
	}
	// Output:
	// ec2:RunInstances on *: allowed by ec2-no-terminate (user)
	// ec2:TerminateInstances on *: explicitDeny by ec2-no-terminate (user)
	// s3:ListBucket on *: implicitDeny
}

// A user with a key, a password and an admin group is deleted in one call, which IAM
// alone refuses (DeleteConflict) until each of them is gone; run again, it is a no-op.
func ExampleDeleteUser() {
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	if _, err := iamx.CreateAdminUser(ctx, cfg, "alex", func(o *iamx.AdminOptions) { o.Password = "Lab-Passw0rd!" }); err != nil {
		panic(err)
	}
	_, err := iam.NewFromConfig(cfg).DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alex")})
	fmt.Println(err != nil)
	fmt.Println(iamx.DeleteUser(ctx, cfg, "alex"))
	fmt.Println(iamx.DeleteUser(ctx, cfg, "alex"))
	// Output:
	// true
	// <nil>
	// <nil>
}

// A role for another account — here the same one, as a sandbox has only one — that its
// users assume with the external ID agreed, then act as.
func ExampleAssumeRole() {
	ctx := context.Background()
	cloud := sim.New()
	role, err := iamx.CreateCrossAccountRole(ctx, cloud.Config(), "auditor", "123456789012",
		[]string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, func(o *iamx.RoleOptions) { o.ExternalID = "customer-42" })
	if err != nil {
		panic(err)
	}
	creds, err := iamx.CreateAdminUser(ctx, cloud.Config(), "alex")
	if err != nil {
		panic(err)
	}
	alex := cloud.Config(sim.WithCredentials(creds.AccessKeyID, creds.SecretAccessKey, ""))
	auditor, err := iamx.AssumeRole(ctx, alex, role.ARN, func(o *iamx.AssumeOptions) {
		o.ExternalID, o.SessionName = "customer-42", "audit"
	})
	if err != nil {
		panic(err)
	}
	id, err := sts.NewFromConfig(auditor).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(*id.Arn)
	// Output: arn:aws:sts::123456789012:assumed-role/auditor/audit
}

// A role for a Lambda function that reads S3, and the role deleted again with its
// attachments.
func ExampleCreateServiceRole() {
	ctx := context.Background()
	cfg := sim.New().Config()
	role, err := iamx.CreateServiceRole(ctx, cfg, "thumbnailer", "lambda",
		[]string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"})
	if err != nil {
		panic(err)
	}
	fmt.Println(role.ARN)
	if err := iamx.DeleteRole(ctx, cfg, role.Name); err != nil {
		panic(err)
	}
	// Output: arn:aws:iam::123456789012:role/thumbnailer
}
