package ec2x_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
)

func TestLatestImage(t *testing.T) {
	cfg := sim.New().Config()
	for _, tc := range []struct{ owner, pattern, wantName string }{
		{"amazon", ec2x.AmazonLinuxName, "al2023-ami-2023"},
		{"099720109477", "ubuntu/images/*noble-24.04-amd64*", "ubuntu-noble-24.04-amd64"},
	} {
		id, err := ec2x.LatestImage(context.Background(), cfg, tc.owner, tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		out, err := ec2.NewFromConfig(cfg).DescribeImages(context.Background(), &ec2.DescribeImagesInput{ImageIds: []string{id}})
		if err != nil || !strings.Contains(*out.Images[0].Name, tc.wantName) {
			t.Errorf("LatestImage(%s, %s) = %s: %v %v", tc.owner, tc.pattern, id, err, out)
		}
	}
	if _, err := ec2x.LatestImage(context.Background(), cfg, "amazon", "no-such-*"); err == nil || !strings.Contains(err.Error(), `ec2x: latest image "no-such-*" of amazon: no image matches`) {
		t.Errorf("no image: %v", err)
	}
}

func TestCreateKeyPair(t *testing.T) {
	ctx := context.Background()
	cfg := sim.New().Config()
	path := filepath.Join(t.TempDir(), "lab.pem")
	if err := ec2x.CreateKeyPair(ctx, cfg, "lab", path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o400 {
		t.Fatalf("the .pem: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "-----BEGIN RSA PRIVATE KEY-----\n") {
		t.Errorf("the .pem holds %.40q", b)
	}
	// Not over an existing file, and then no key pair is made.
	if err := ec2x.CreateKeyPair(ctx, cfg, "other", path); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("over an existing file: %v", err)
	}
	if _, err := ec2.NewFromConfig(cfg).DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"other"}}); err == nil {
		t.Error("the key pair other was made")
	}
	if err := ec2x.CreateKeyPair(ctx, cfg, "lab", filepath.Join(t.TempDir(), "again.pem")); err == nil || !strings.Contains(err.Error(), "InvalidKeyPair.Duplicate") {
		t.Errorf("a second key pair lab: %v", err)
	}
}

func TestLaunch(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	client := ec2.NewFromConfig(cfg)
	sg, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("ssh"), Description: aws.String("ssh")})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time is a duplicate, which is no error
		if err := ec2x.OpenPort(ctx, cfg, *sg.GroupId, 22, "203.0.113.0/24"); err != nil {
			t.Fatal(err)
		}
	}
	if err := ec2x.CreateKeyPair(ctx, cfg, "lab", filepath.Join(t.TempDir(), "lab.pem")); err != nil {
		t.Fatal(err)
	}
	i, err := ec2x.Launch(ctx, cfg, "web", func(o *ec2x.LaunchOptions) {
		o.KeyName, o.SecurityGroupIDs, o.InstanceType = "lab", []string{*sg.GroupId}, types.InstanceTypeT3Micro
		o.UserData = "#!/bin/bash\necho hi\n"
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(i.ID, "i-") || i.Type != "t3.micro" || i.PublicIP == "" || i.PrivateIP == "" || i.VPCID == "" || i.Zone != "us-east-1a" {
		t.Errorf("instance = %+v", i)
	}
	out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{i.ID}})
	if err != nil {
		t.Fatal(err)
	}
	got := out.Reservations[0].Instances[0]
	if got.State.Name != types.InstanceStateNameRunning || aws.ToString(got.KeyName) != "lab" || aws.ToString(got.Tags[0].Value) != "web" ||
		aws.ToString(got.SecurityGroups[0].GroupId) != *sg.GroupId {
		t.Errorf("described = %+v", got)
	}
	attr, err := client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &i.ID, Attribute: types.InstanceAttributeNameUserData})
	if err != nil || aws.ToString(attr.UserData.Value) != "IyEvYmluL2Jhc2gKZWNobyBoaQo=" {
		t.Errorf("user data = %v %v", attr, err)
	}
	if err := ec2x.Terminate(ctx, cfg, time.Minute, i.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ec2x.Launch(ctx, cfg, "bad", func(o *ec2x.LaunchOptions) { o.ImageID = "ami-00000000000000000" }); err == nil ||
		!strings.HasPrefix(err.Error(), `ec2x: launch "bad": `) || !strings.Contains(err.Error(), "InvalidAMIID") {
		t.Errorf("an unknown image: %v", err)
	}
	if err := ec2x.OpenPort(ctx, cfg, "sg-00000000000000000", 22, "0.0.0.0/0"); err == nil || !strings.Contains(err.Error(), "InvalidGroup.NotFound") {
		t.Errorf("an unknown group: %v", err)
	}
}

func TestParameterImage(t *testing.T) {
	ctx := context.Background()
	cfg := sim.New().Config()
	for _, tc := range []struct{ param, wantName string }{
		{ec2x.AmazonLinux2023, "al2023-ami-2023"},
		{ec2x.AmazonLinux2023Arm64, "arm64"},
		{ec2x.Ubuntu2404, "ubuntu-noble-24.04-amd64"},
		{ec2x.WindowsServer2022, "Windows_Server-2022-English-Full-Base"},
	} {
		id, err := ec2x.ParameterImage(ctx, cfg, tc.param)
		if err != nil {
			t.Fatal(err)
		}
		out, err := ec2.NewFromConfig(cfg).DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
		if err != nil || len(out.Images) != 1 || !strings.Contains(*out.Images[0].Name, tc.wantName) {
			t.Errorf("ParameterImage(%s) = %s: %v %v", tc.param, id, err, out)
		}
	}
	if _, err := ec2x.ParameterImage(ctx, cfg, "/aws/service/none"); err == nil || !strings.Contains(err.Error(), `ec2x: image of parameter "/aws/service/none"`) || !strings.Contains(err.Error(), "ParameterNotFound") {
		t.Errorf("no parameter: %v", err)
	}
}

// A Launch whose wait fails terminates what it started: nothing runs, nothing is billed.
// Only when the termination fails too does it hand back the instance, with the error.
func TestLaunchNeverOrphans(t *testing.T) {
	ctx := context.Background()
	states := func(t *testing.T, cloud *sim.Cloud, name string) []types.InstanceStateName {
		t.Helper()
		out, err := ec2.NewFromConfig(cloud.Config()).DescribeInstances(ctx, &ec2.DescribeInstancesInput{
			Filters: []types.Filter{{Name: aws.String("tag:Name"), Values: []string{name}}}})
		if err != nil {
			t.Fatal(err)
		}
		var s []types.InstanceStateName
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				s = append(s, i.State.Name)
			}
		}
		return s
	}
	refuse := func(op string) sim.Fault {
		return sim.Fault{Service: "ec2", Operation: op, Code: "UnauthorizedOperation", Status: 403,
			Message: "You are not authorized to perform this operation."}
	}

	t.Run("terminated", func(t *testing.T) {
		cloud := sim.New()
		var token string
		cloud.Inject(sim.Fault{Service: "ec2", Operation: "RunInstances", Latency: time.Nanosecond,
			Match: func(in any) bool { token = aws.ToString(in.(*ec2.RunInstancesInput).ClientToken); return true }})
		remove := cloud.Inject(refuse("DescribeInstances"))
		i, err := ec2x.Launch(ctx, cloud.Config(), "web")
		remove()
		if i != nil || err == nil || !strings.Contains(err.Error(), "UnauthorizedOperation") || !strings.Contains(err.Error(), "(it was terminated)") {
			t.Fatalf("Launch = %+v, %v", i, err)
		}
		if len(token) != 32 {
			t.Errorf("client token %q", token)
		}
		if got := states(t, cloud, "web"); len(got) != 1 || (got[0] != types.InstanceStateNameShuttingDown && got[0] != types.InstanceStateNameTerminated) {
			t.Errorf("states %v, want one terminated", got)
		}
	})

	t.Run("termination refused too", func(t *testing.T) {
		cloud := sim.New()
		removeD := cloud.Inject(refuse("DescribeInstances"))
		removeT := cloud.Inject(refuse("TerminateInstances"))
		i, err := ec2x.Launch(ctx, cloud.Config(), "web")
		removeD()
		removeT()
		if i == nil || !strings.HasPrefix(i.ID, "i-") || err == nil || !strings.Contains(err.Error(), "may still run") {
			t.Fatalf("Launch = %+v, %v", i, err)
		}
		if got := states(t, cloud, "web"); len(got) != 1 || got[0] == types.InstanceStateNameTerminated {
			t.Errorf("states %v", got)
		}
		if err := ec2x.Terminate(ctx, cloud.Config(), time.Minute, i.ID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("cancelled while RunInstances is in flight", func(t *testing.T) {
		cloud := sim.New()
		cctx, cancel := context.WithCancel(ctx)
		cloud.Inject(sim.Fault{Service: "ec2", Operation: "RunInstances", Latency: time.Nanosecond,
			Match: func(any) bool { cancel(); return true }}) // cancelled as the instance starts
		i, err := ec2x.Launch(cctx, cloud.Config(), "web")
		if i != nil || err == nil {
			t.Fatalf("Launch = %+v, %v", i, err)
		}
		if got := states(t, cloud, "web"); len(got) > 1 || (len(got) == 1 && got[0] != types.InstanceStateNameShuttingDown && got[0] != types.InstanceStateNameTerminated) {
			t.Errorf("states %v, want none running", got)
		}
	})
}
