package vpcx_test

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/vpcx"
)

// fastCloud is a simulator whose clock runs a hundred times fast, and the options that make
// the waits ask every few milliseconds.
func fastCloud() (*sim.Cloud, func(*vpcx.Options)) {
	start := time.Now()
	return sim.New(sim.WithClock(func() time.Time { return start.Add(100 * time.Since(start)) })),
		func(o *vpcx.Options) { o.Poll = 5 * time.Millisecond }
}

// inVPC counts what is left in the VPC id, and the Elastic IPs of the account.
func inVPC(t *testing.T, client *ec2.Client, id string) map[string]int {
	t.Helper()
	ctx := context.Background()
	f := []types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}
	left := map[string]int{}
	is, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: append(f,
		types.Filter{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped"}})})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range is.Reservations {
		left["instances"] += len(r.Instances)
	}
	enis, err := client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	left["interfaces"] = len(enis.NetworkInterfaces)
	sgs, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	left["groups"] = len(sgs.SecurityGroups)
	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	left["subnets"] = len(subnets.Subnets)
	addrs, err := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil {
		t.Fatal(err)
	}
	left["addresses"] = len(addrs.Addresses)
	vpcs, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}})
	if err != nil {
		t.Fatal(err)
	}
	left["vpcs"] = len(vpcs.Vpcs)
	for k, n := range left {
		if n == 0 {
			delete(left, k)
		}
	}
	return left
}

// The bastion pattern: SSH reaches the bastion from my address alone, and the private
// instances from the bastion alone; Delete then takes the whole network down, instances,
// Elastic IPs, NAT gateway and loose interfaces included.
func TestBastion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud, fast := fastCloud()
	cfg := cloud.Config()
	client := ec2.NewFromConfig(cfg)
	v, err := vpcx.Create(ctx, cfg, "lab", "10.50.0.0/16", fast, func(o *vpcx.Options) { o.NAT = true })
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "lab.pem")
	if err := ec2x.CreateKeyPair(ctx, cfg, "lab", key); err != nil {
		t.Fatal(err)
	}
	b, err := vpcx.CreateBastion(ctx, cfg, v, "lab", func(o *vpcx.BastionOptions) { o.KeyName = "lab" })
	if err != nil {
		t.Fatal(err)
	}
	if b.Host.SubnetID != v.Public[0].ID || b.Host.PublicIP == "" || b.Host.User != "ec2-user" {
		t.Errorf("the bastion: %+v", b.Host)
	}
	g := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{b.GroupID}}))(t).SecurityGroups[0]
	if got := aws.ToString(g.IpPermissions[0].IpRanges[0].CidrIp); got != cloud.InternetAddress().String()+"/32" {
		t.Errorf("SSH into the bastion from %s, want my IP", got)
	}
	db, err := ec2x.Launch(ctx, cfg, "db", func(o *ec2x.LaunchOptions) {
		o.SubnetID, o.SecurityGroupIDs, o.KeyName = v.Private[0].ID, []string{b.PrivateGroupID}, "lab"
	})
	if err != nil {
		t.Fatal(err)
	}
	internet, bastion, private := sim.Endpoint{Internet: true}, sim.Endpoint{Instance: b.Host.ID}, sim.Endpoint{Instance: db.ID}
	for _, tc := range []struct {
		name     string
		from, to sim.Endpoint
		ok       bool
	}{
		{"me to the bastion", internet, bastion, true},
		{"me to the private instance", internet, private, false},
		{"the bastion to the private instance", bastion, private, true},
	} {
		if v := cloud.Reach(tc.from, tc.to, "tcp", 22); v.OK != tc.ok {
			t.Errorf("%s: %+v, want OK %v", tc.name, v, tc.ok)
		}
	}
	want := `ssh -i ` + key + ` -o ProxyCommand="ssh -i ` + key + ` -W %h:%p ec2-user@` + b.Host.PublicIP + `" ec2-user@` + db.PrivateIP
	if got := b.SSHCommand(key, db); got != want {
		t.Errorf("SSHCommand:\n%s\nwant\n%s", got, want)
	}
	// Another address is not let in.
	cloud.SetInternetAddress(netip.MustParseAddr("198.51.100.99"))
	if v := cloud.Reach(internet, bastion, "tcp", 22); v.OK {
		t.Error("SSH into the bastion from another address")
	}
	// Again: the same bastion and groups.
	again, err := vpcx.CreateBastion(ctx, cfg, v, "lab", func(o *vpcx.BastionOptions) { o.From = "203.0.113.10/32" })
	if err != nil || again.Host.ID != b.Host.ID || again.Host.User != "ec2-user" || again.Host.PublicIP != b.Host.PublicIP || again.GroupID != b.GroupID || again.PrivateGroupID != b.PrivateGroupID {
		t.Errorf("again: %+v %v", again, err)
	}

	// More for Delete to find: an Elastic IP on the bastion, a loose interface, a rule of the
	// default group that names the bastion's.
	must(ec2x.AttachElasticIP(ctx, cfg, "lab", b.Host.ID))(t)
	must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(v.Private[1].ID)}))(t)
	must(ec2x.SecurityGroup(ctx, cfg, v.ID, "default", "", ec2x.Rule{Port: 443, Group: b.GroupID}))(t)

	// A refusal halfway through: an error naming the step; the next run finishes.
	remove := cloud.Inject(sim.Fault{Service: "ec2", Operation: "DeleteSubnet", Code: "UnauthorizedOperation", Status: 403, Times: 1})
	if err := vpcx.Delete(ctx, cfg, v.ID, fast); err == nil || !strings.Contains(err.Error(), "subnet") {
		t.Errorf("Delete with DeleteSubnet refused: %v", err)
	}
	remove()
	for range 2 {
		if err := vpcx.Delete(ctx, cfg, v.ID, fast); err != nil {
			t.Fatal(err)
		}
	}
	if left := inVPC(t, client, v.ID); len(left) != 0 {
		t.Errorf("left after Delete: %v", left)
	}
}

// A bastion that cannot start leaves neither an instance nor the groups made for it.
func TestBastionUndoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud, fast := fastCloud()
	cfg := cloud.Config()
	client := ec2.NewFromConfig(cfg)
	v := must(vpcx.Create(ctx, cfg, "lab", "10.60.0.0/16", fast))(t)
	for _, tc := range []struct {
		name  string
		fault sim.Fault
		want  string
	}{
		{"instance refused", sim.Fault{Service: "ec2", Operation: "RunInstances", Code: "InstanceLimitExceeded", Times: 1}, "InstanceLimitExceeded"},
		{"rule refused", sim.Fault{Service: "ec2", Operation: "AuthorizeSecurityGroupIngress", Code: "RulesPerSecurityGroupLimitExceeded", Times: 2}, "RulesPerSecurityGroupLimitExceeded"},
		{"no address", sim.Fault{Service: "ec2", Operation: "CheckIP", Code: "ServiceUnavailable", Status: 503, Times: 1}, "your address"},
	} {
		remove := cloud.Inject(tc.fault)
		b, err := vpcx.CreateBastion(ctx, cfg, v, "lab")
		remove()
		if err == nil || !strings.Contains(err.Error(), tc.want) || b != nil {
			t.Errorf("%s: %+v %v, want %q", tc.name, b, err, tc.want)
		}
		if left := inVPC(t, client, v.ID); left["instances"] != 0 || left["groups"] != 1 {
			t.Errorf("%s: left %v, want the default group alone", tc.name, left)
		}
	}
	if _, err := vpcx.CreateBastion(ctx, cfg, &vpcx.VPC{ID: v.ID}, "lab"); err == nil || !strings.Contains(err.Error(), "no public subnet") {
		t.Errorf("no public subnet: %v", err)
	}
	if err := vpcx.Delete(ctx, cfg, v.ID, fast); err != nil {
		t.Fatal(err)
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
