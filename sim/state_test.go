package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestSaveLoad(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		alex := newUser(t, c, "alex")
		root := iam.NewFromConfig(c.Config())
		if _, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{
			PolicyName:     aws.String("ec2-no-terminate"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`),
		}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := c.Cloud(t).Save(&buf); err != nil {
			t.Fatal(err)
		}

		d := b.Open(t)
		if err := d.Cloud(t).Load(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
		// The user's key works on the loaded cloud.
		key, _ := alex.Credentials.Retrieve(ctx)
		cfg := d.Config(conformance.WithCredentials(key.AccessKeyID, key.SecretAccessKey, ""))
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if *id.Arn != "arn:aws:iam::123456789012:user/alex" {
			t.Errorf("loaded identity = %s", *id.Arn)
		}
		pols, err := iam.NewFromConfig(d.Config()).ListPolicies(ctx, &iam.ListPoliciesInput{Scope: "Local"})
		if err != nil {
			t.Fatal(err)
		}
		if len(pols.Policies) != 1 || *pols.Policies[0].PolicyName != "ec2-no-terminate" {
			t.Errorf("loaded policies = %+v", pols.Policies)
		}
		// The ID generator goes on where it stopped: both clouds hand out the same next ID,
		// and it is not one already used.
		u1, err := iam.NewFromConfig(c.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
		if err != nil {
			t.Fatal(err)
		}
		u2, err := iam.NewFromConfig(d.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
		if err != nil {
			t.Fatal(err)
		}
		if *u1.User.UserId != *u2.User.UserId {
			t.Errorf("IDs diverged after load: %s and %s", *u1.User.UserId, *u2.User.UserId)
		}

		if err := sim.New(sim.WithAccount("111122223333")).Load(bytes.NewReader(buf.Bytes())); err == nil {
			t.Error("loading another account's state succeeded")
		}
	})
}

// EC2's state survives Save and Load: the network, groups, keys, instances and their clock.
func TestEC2SaveLoad(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: nameTag(ec2types.ResourceTypeVpc, "lab")}))(t).Vpc.VpcId
		must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab"), KeyType: ec2types.KeyTypeEd25519}))(t)
		group := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: group, IpPermissions: []ec2types.IpPermission{tcp(22, 22, "0.0.0.0/0")}}))(t)
		inst := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), KeyName: aws.String("lab"), SecurityGroupIds: []string{*group}})[0]
		gone := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696")})[0].InstanceId
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*gone}}))(t)

		var buf bytes.Buffer
		if err := c.Cloud(t).Save(&buf); err != nil {
			t.Fatal(err)
		}
		d := b.Open(t)
		if err := d.Cloud(t).Load(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
		loaded := ec2Client(t, d)
		got := describeInstance(t, loaded, *inst.InstanceId)
		if *got.PrivateIpAddress != *inst.PrivateIpAddress || *got.PublicIpAddress != *inst.PublicIpAddress || *got.KeyName != "lab" || *got.SecurityGroups[0].GroupId != *group {
			t.Errorf("loaded instance = %+v", got)
		}
		if g := must(loaded.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{*group}}))(t).SecurityGroups[0]; len(g.IpPermissions) != 1 {
			t.Errorf("loaded group rules = %+v", g.IpPermissions)
		}
		if v := must(loaded.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{*vpc}}))(t).Vpcs[0]; *v.Tags[0].Value != "lab" {
			t.Errorf("loaded VPC = %+v", v)
		}
		_, err := loaded.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab")})
		wantCode(t, err, "InvalidKeyPair.Duplicate")
		// The terminated instance goes an hour after its termination, on the loaded cloud too.
		describeInstance(t, loaded, *gone)
		d.Advance(t, time.Hour)
		_, err = loaded.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{*gone}})
		wantCode(t, err, "InvalidInstanceID.NotFound")
		// Both clouds launch the next instance with the same ID and address.
		x := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696")})[0]
		y := run(t, loaded, ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696")})[0]
		if *x.InstanceId != *y.InstanceId || *x.PrivateIpAddress != *y.PrivateIpAddress || *x.PublicIpAddress != *y.PublicIpAddress {
			t.Errorf("after load: %s %s %s and %s %s %s", *x.InstanceId, *x.PrivateIpAddress, *x.PublicIpAddress, *y.InstanceId, *y.PrivateIpAddress, *y.PublicIpAddress)
		}

		// A state saved before EC2 kept any (no "ec2" member) loads, with a fresh default network.
		var st map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		delete(st, "ec2")
		old, _ := json.Marshal(st)
		e := b.Open(t)
		if err := e.Cloud(t).Load(bytes.NewReader(old)); err != nil {
			t.Fatalf("loading a state without EC2: %v", err)
		}
		if vpcs := must(ec2Client(t, e).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs; len(vpcs) != 1 || !*vpcs[0].IsDefault {
			t.Errorf("VPCs of a state without EC2 = %+v", vpcs)
		}
		// A bad EC2 state changes nothing.
		st["ec2"] = json.RawMessage(`{"moon-1":{}}`)
		bad, _ := json.Marshal(st)
		if err := d.Cloud(t).Load(bytes.NewReader(bad)); err == nil {
			t.Error("loaded EC2 state of an unknown region")
		}
		describeInstance(t, loaded, *inst.InstanceId)
	})
}
