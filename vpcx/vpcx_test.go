package vpcx_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/iamx"
	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/vpcx"
)

func TestCreate(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	v, err := vpcx.Create(ctx, cfg, "lab", "10.20.0.0/16", func(o *vpcx.Options) { o.Zones = 3; o.SubnetBits = 20 })
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Public) != 3 || len(v.Private) != 3 || v.Public[2].CIDR != "10.20.32.0/20" || v.Private[0].CIDR != "10.20.48.0/20" || v.Private[2].Zone != "us-east-1c" {
		t.Fatalf("network = %+v", v)
	}
	client := ec2.NewFromConfig(cfg)
	// The public subnets route to the gateway; the private ones use the main table, local only.
	tables, err := client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{v.PublicRouteTableID}})
	if err != nil {
		t.Fatal(err)
	}
	var associated []string
	for _, a := range tables.RouteTables[0].Associations {
		associated = append(associated, aws.ToString(a.SubnetId))
	}
	if len(associated) != 3 || associated[0] != v.Public[0].ID {
		t.Errorf("public table associations = %v", associated)
	}
	if r := tables.RouteTables[0].Routes; len(r) != 2 || aws.ToString(r[1].GatewayId) != v.InternetGatewayID || r[1].State != types.RouteStateActive {
		t.Errorf("public routes = %+v", r)
	}
	// An instance in a public subnet gets a public address; one in a private subnet none.
	for _, tc := range []struct {
		subnet string
		public bool
	}{{v.Public[1].ID, true}, {v.Private[1].ID, false}} {
		out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &tc.subnet})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Instances[0].PublicIpAddress != nil; got != tc.public {
			t.Errorf("instance in %s has a public address: %v, want %v", tc.subnet, got, tc.public)
		}
		if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*out.Instances[0].InstanceId}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: &v.ID}); err != nil {
		t.Fatal(err)
	}
	if err := vpcx.Delete(ctx, cfg, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{v.ID}}); code(err) != "InvalidVpcID.NotFound" {
		t.Errorf("the VPC after Delete: %v", err)
	}
	gws, _ := client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{v.InternetGatewayID}})
	if gws != nil && len(gws.InternetGateways) > 0 {
		t.Errorf("the gateway outlived Delete")
	}
}

// Delete finds the VPC's endpoints, peering connections and egress-only gateways first.
func TestDeleteNetDependents(t *testing.T) {
	ctx := context.Background()
	cfg := sim.New().Config()
	client := ec2.NewFromConfig(cfg)
	v, err := vpcx.Create(ctx, cfg, "lab", "10.20.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	other, err := vpcx.Create(ctx, cfg, "other", "10.21.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &v.ID, ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{v.PublicRouteTableID}}))
	pcx, err := client.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &other.ID, PeerVpcId: &v.ID})
	must(pcx, err)
	must(client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: pcx.VpcPeeringConnection.VpcPeeringConnectionId}))
	must(client.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &v.ID}))
	must(client.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &other.ID}))
	if _, err := client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &v.ID}); code(err) != "DependencyViolation" {
		t.Fatalf("DeleteVpc with dependents: %v", err)
	}
	if err := vpcx.Delete(ctx, cfg, v.ID); err != nil {
		t.Fatal(err)
	}
	ps, err := client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{*pcx.VpcPeeringConnection.VpcPeeringConnectionId}})
	must(ps, err)
	if ps.VpcPeeringConnections[0].Status.Code != types.VpcPeeringConnectionStateReasonCodeDeleted {
		t.Errorf("the peering after Delete: %+v", ps.VpcPeeringConnections[0].Status)
	}
	gs, err := client.DescribeEgressOnlyInternetGateways(ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{})
	must(gs, err)
	if len(gs.EgressOnlyInternetGateways) != 1 || *gs.EgressOnlyInternetGateways[0].Attachments[0].VpcId != other.ID {
		t.Errorf("egress-only gateways after Delete: %+v", gs.EgressOnlyInternetGateways)
	}
	if err := vpcx.Delete(ctx, cfg, other.ID); err != nil {
		t.Fatal(err)
	}
}

func TestCreateRefuses(t *testing.T) {
	ctx := context.Background()
	cfg := sim.New().Config()
	for _, tc := range []struct {
		name, cidr string
		opts       func(*vpcx.Options)
		want       string
	}{
		{"bad", "10.0.0.0/33", nil, `"10.0.0.0/33"`},
		{"big", "10.0.0.0/8", nil, "/16"},
		{"zones", "10.0.0.0/16", func(o *vpcx.Options) { o.Zones = 9 }, "available zones"},
		{"none", "10.0.0.0/16", func(o *vpcx.Options) { o.Zones = 0 }, "at least one zone"},
		{"small", "10.0.0.0/28", func(o *vpcx.Options) { o.SubnetBits = 28 }, "holds 1 subnets of /28"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []func(*vpcx.Options)
			if tc.opts != nil {
				opts = append(opts, tc.opts)
			}
			_, err := vpcx.Create(ctx, cfg, tc.name, tc.cidr, opts...)
			if err == nil || !strings.HasPrefix(err.Error(), `vpcx: create "`+tc.name+`": `) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Create %s = %v, want an error with %q", tc.cidr, err, tc.want)
			}
		})
	}
}

// TestCreateUndoes: when a step is refused, what was made is taken apart.
func TestCreateUndoes(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	creds, err := iamx.CreateUserWithPolicy(ctx, cloud.Config(), "netadmin", "NoSubnets", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
		{"Effect":"Deny","Action":"ec2:CreateSubnet","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	cfg := cloud.Config(sim.WithCredentials(creds.AccessKeyID, creds.SecretAccessKey, ""))
	_, err = vpcx.Create(ctx, cfg, "lab", "10.0.0.0/16")
	if code(err) != "UnauthorizedOperation" {
		t.Fatalf("Create without ec2:CreateSubnet = %v", err)
	}
	vpcs, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"lab"}}}})
	if err != nil || len(vpcs.Vpcs) != 0 {
		t.Errorf("after a failed Create: %v, %+v", err, vpcs)
	}
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// With NAT, an instance in a private subnet reaches the internet and is not reached from it;
// Delete takes the NAT gateway and its Elastic IP away too.
func TestCreateWithNAT(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A clock that runs a hundred times fast and waits that ask every few milliseconds: the
	// NAT gateway's minute of pending passes in under a second.
	start := time.Now()
	cloud := sim.New(sim.WithClock(func() time.Time { return start.Add(100 * time.Since(start)) }))
	cfg := cloud.Config()
	client := ec2.NewFromConfig(cfg)
	fast := func(o *vpcx.Options) { o.Poll = 5 * time.Millisecond }
	v, err := vpcx.Create(ctx, cfg, "lab", "10.40.0.0/16", fast, func(o *vpcx.Options) { o.NAT = true })
	if err != nil {
		t.Fatal(err)
	}
	if v.NATGatewayID == "" || v.PrivateRouteTableID == "" || v.NATAllocationID == "" {
		t.Fatalf("network = %+v", v)
	}
	run, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image(t, cfg)), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: types.InstanceTypeT3Micro, SubnetId: aws.String(v.Private[1].ID)})
	if err != nil {
		t.Fatal(err)
	}
	worker := aws.ToString(run.Instances[0].InstanceId)
	out := cloud.Reach(sim.Endpoint{Instance: worker}, sim.Endpoint{Address: netip.MustParseAddr("1.1.1.1")}, "tcp", 443)
	if !out.OK {
		t.Errorf("out through the NAT gateway: %+v", out)
	}
	in := cloud.Reach(sim.Endpoint{Internet: true}, sim.Endpoint{Instance: worker}, "tcp", 22)
	if in.OK {
		t.Errorf("a private instance is reached from the internet: %+v", in)
	}
	if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{worker}}); err != nil {
		t.Fatal(err)
	}
	if err := vpcx.Delete(ctx, cfg, v.ID, fast); err != nil {
		t.Fatal(err)
	}
	if a, _ := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}); len(a.Addresses) != 0 {
		t.Errorf("%d Elastic IPs left", len(a.Addresses))
	}
	if _, err := vpcx.Create(ctx, cfg, "x", "10.41.0.0/16", func(o *vpcx.Options) { o.NAT, o.NoPrivate = true, true }); err == nil {
		t.Error("NAT without private subnets was taken")
	}
}

// image is the newest Amazon Linux 2023 of the simulator's catalog.
func image(t *testing.T, cfg aws.Config) string {
	t.Helper()
	out, err := ec2.NewFromConfig(cfg).DescribeImages(context.Background(), &ec2.DescribeImagesInput{Owners: []string{"amazon"},
		Filters: []types.Filter{{Name: aws.String("name"), Values: []string{"al2023-ami-2023*-x86_64"}}}})
	if err != nil || len(out.Images) == 0 {
		t.Fatalf("no Amazon Linux 2023: %v", err)
	}
	return aws.ToString(out.Images[0].ImageId)
}
