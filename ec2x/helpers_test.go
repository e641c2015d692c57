package ec2x_test

import (
	"context"
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

func byName(name string) []types.Filter {
	return []types.Filter{{Name: aws.String("tag:Name"), Values: []string{name}}}
}

func TestSecurityGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := sim.New().Config()
	client := ec2.NewFromConfig(cfg)
	id, err := ec2x.SecurityGroup(ctx, cfg, "", "web", "the web servers", ec2x.SSHFrom("203.0.113.7/32"), ec2x.HTTPFrom("0.0.0.0/0"))
	if err != nil {
		t.Fatal(err)
	}
	// Again, with one more rule: the same group, the rule added, none twice.
	again, err := ec2x.SecurityGroup(ctx, cfg, "", "web", "the web servers", ec2x.HTTPFrom("0.0.0.0/0"), ec2x.Rule{Port: 443, CIDR: "0.0.0.0/0"})
	if err != nil || again != id {
		t.Fatalf("again: %s %v, want %s", again, err, id)
	}
	g := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}}))(t).SecurityGroups[0]
	var ports []int32
	for _, p := range g.IpPermissions {
		ports = append(ports, aws.ToInt32(p.FromPort))
	}
	if len(ports) != 3 || aws.ToString(g.Tags[0].Value) != "web" {
		t.Errorf("rules on ports %v, tags %v", ports, g.Tags)
	}
	// A group's rule may name another group.
	db, err := ec2x.SecurityGroup(ctx, cfg, "", "db", "the database", ec2x.Rule{Port: 3306, Group: id})
	if err != nil || db == "" {
		t.Fatalf("a rule by group: %v", err)
	}
	// A refused rule leaves no group behind.
	_, err = ec2x.SecurityGroup(ctx, cfg, "", "broken", "d", ec2x.Rule{Port: 22, Group: "sg-0123456789abcdef0"})
	if err == nil || !strings.Contains(err.Error(), "was deleted") {
		t.Errorf("a refused rule: %v", err)
	}
	if n := len(must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: byName("broken")}))(t).SecurityGroups); n != 0 {
		t.Errorf("%d groups left behind", n)
	}
	if _, err := ec2x.SecurityGroup(ctx, cfg, "", "x", "d", ec2x.Rule{Port: 22}); err == nil {
		t.Error("a rule from nowhere was taken")
	}
}

func TestElasticIP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := sim.New().Config()
	client := ec2.NewFromConfig(cfg)
	web := must(ec2x.Launch(ctx, cfg, "web"))(t)
	eip, err := ec2x.AttachElasticIP(ctx, cfg, "web", web.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{web.ID}}))(t).Reservations[0].Instances[0]
	if aws.ToString(i.PublicIpAddress) != eip.PublicIP {
		t.Errorf("the instance's public address %s, the Elastic IP %s", aws.ToString(i.PublicIpAddress), eip.PublicIP)
	}
	for range 2 { // again: no error
		if err := ec2x.ReleaseElasticIP(ctx, cfg, eip.AllocationID); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses); n != 0 {
		t.Errorf("%d addresses left", n)
	}
	// An association refused: the address is released again.
	if _, err := ec2x.AttachElasticIP(ctx, cfg, "ghost", "i-0123456789abcdef0"); err == nil || !strings.Contains(err.Error(), "released") {
		t.Errorf("to no instance: %v", err)
	}
	if n := len(must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses); n != 0 {
		t.Errorf("%d addresses left after a refusal", n)
	}
}

func TestAttachVolume(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A clock a hundred times fast and waits that ask every few milliseconds: a volume's
	// seconds of creating and attaching pass at once.
	start := time.Now()
	cfg := sim.New(sim.WithClock(func() time.Time { return start.Add(100 * time.Since(start)) })).Config()
	fast := func(o *ec2x.VolumeOptions) { o.Poll = 5 * time.Millisecond }
	client := ec2.NewFromConfig(cfg)
	web := must(ec2x.Launch(ctx, cfg, "web"))(t)
	v, err := ec2x.AttachVolume(ctx, cfg, "data", web.ID, fast, func(o *ec2x.VolumeOptions) { o.SizeGiB = 20 })
	if err != nil {
		t.Fatal(err)
	}
	got := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{v.ID}}))(t).Volumes[0]
	if got.State != types.VolumeStateInUse || aws.ToInt32(got.Size) != 20 || aws.ToString(got.Attachments[0].InstanceId) != web.ID ||
		aws.ToString(got.Attachments[0].Device) != "/dev/sdf" || v.Zone != web.Zone {
		t.Errorf("the volume: %+v", got)
	}
	// A device the instance has already: refused, and the volume made for it is deleted.
	_, err = ec2x.AttachVolume(ctx, cfg, "twice", web.ID, fast)
	if err == nil || !strings.Contains(err.Error(), "was deleted") {
		t.Errorf("a second volume on /dev/sdf: %v", err)
	}
	for _, v := range must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: byName("twice")}))(t).Volumes {
		t.Errorf("left behind: %s %s", aws.ToString(v.VolumeId), v.State)
	}
}

func TestTeardown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A clock a hundred times fast, and waits that ask every few milliseconds: the volume's
	// detaching takes no wall time, where Teardown's default poll would wait seconds.
	start := time.Now()
	cfg := sim.New(sim.WithClock(func() time.Time { return start.Add(100 * time.Since(start)) })).Config()
	client := ec2.NewFromConfig(cfg)
	const name = "lab"
	if err := ec2x.CreateKeyPair(ctx, cfg, name, filepath.Join(t.TempDir(), "lab.pem")); err != nil {
		t.Fatal(err)
	}
	sg := must(ec2x.SecurityGroup(ctx, cfg, "", name, "the lab", ec2x.SSHFrom("203.0.113.7/32")))(t)
	web := must(ec2x.Launch(ctx, cfg, name, func(o *ec2x.LaunchOptions) { o.KeyName, o.SecurityGroupIDs = name, []string{sg} }))(t)
	if web.User != "ec2-user" || !strings.HasPrefix(web.SSHCommand("lab.pem"), "ssh -i lab.pem ec2-user@") {
		t.Errorf("the SSH line: %q (user %q)", web.SSHCommand("lab.pem"), web.User)
	}
	must(ec2x.AttachElasticIP(ctx, cfg, name, web.ID))(t)
	must(ec2x.AttachVolume(ctx, cfg, name, web.ID, func(o *ec2x.VolumeOptions) { o.Poll = 5 * time.Millisecond }))(t)
	other := must(ec2x.Launch(ctx, cfg, "other"))(t) // not the lab's: kept
	for range 2 {
		if err := ec2x.Teardown(ctx, cfg, name, time.Minute, fastTeardown); err != nil {
			t.Fatal(err)
		}
	}
	running := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{
		{Name: aws.String("instance-state-name"), Values: []string{"running"}}}}))(t)
	if n := len(running.Reservations); n != 1 || aws.ToString(running.Reservations[0].Instances[0].InstanceId) != other.ID {
		t.Errorf("running after the teardown: %d reservations", n)
	}
	left := len(must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses) +
		len(must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: byName(name)}))(t).Volumes) +
		len(must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: byName(name)}))(t).SecurityGroups) +
		len(must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}))(t).KeyPairs)
	if left != 0 {
		t.Errorf("%d of the lab's resources left", left)
	}
}

func TestDefaultUser(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64": "ec2-user", "amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2": "ec2-user",
		"ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206": "ubuntu", "debian-12-amd64-20241201-1949": "admin",
		"RHEL-9.5.0_HVM-20241211-x86_64-0-Hourly2-GP3": "ec2-user", "Windows_Server-2022-English-Full-Base-2024.12.13": "", "my-own-image": "",
	} {
		if got := ec2x.DefaultUser(name); got != want {
			t.Errorf("DefaultUser(%q) = %q, want %q", name, got, want)
		}
	}
}

// must returns v, failing the test at once on err.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
