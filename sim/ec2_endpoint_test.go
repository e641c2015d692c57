package sim_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// awsPrefixList returns the ID of the prefix list AWS manages for a service of us-east-1.
func awsPrefixList(t *testing.T, client *ec2.Client, service string) string {
	t.Helper()
	ps := must(client.DescribeManagedPrefixLists(context.Background(), &ec2.DescribeManagedPrefixListsInput{Filters: []types.Filter{
		filter("prefix-list-name", "com.amazonaws.us-east-1."+service)}}))(t).PrefixLists
	if len(ps) != 1 {
		t.Fatalf("the prefix list of %s: %+v", service, ps)
	}
	return *ps[0].PrefixListId
}

func entriesOf(t *testing.T, client *ec2.Client, id string, version *int64) []string {
	t.Helper()
	var out []string
	for _, e := range must(client.GetManagedPrefixListEntries(context.Background(), &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(id), TargetVersion: version}))(t).Entries {
		out = append(out, *e.Cidr)
	}
	return out
}

// Managed prefix lists: AWS's for S3 and DynamoDB, one's own with versions, in security group
// rules and routes.
func TestEC2ManagedPrefixLists(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)

		all := must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{}))(t).PrefixLists
		if len(all) != 2 || *all[0].PrefixListName != "com.amazonaws.us-east-1.dynamodb" || *all[1].PrefixListName != "com.amazonaws.us-east-1.s3" || *all[1].OwnerId != "AWS" {
			t.Fatalf("AWS's prefix lists: %+v", all)
		}
		s3pl := *all[1].PrefixListId
		if es := entriesOf(t, client, s3pl, nil); len(es) < 3 || es[0] != "3.5.0.0/19" {
			t.Errorf("S3's entries: %v", es)
		}
		old := must(client.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{PrefixListIds: []string{s3pl}}))(t).PrefixLists
		if len(old) != 1 || *old[0].PrefixListName != "com.amazonaws.us-east-1.s3" || len(old[0].Cidrs) < 3 {
			t.Errorf("DescribePrefixLists = %+v", old)
		}
		_, err := client.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String(s3pl), AddEntries: []types.AddPrefixListEntry{{Cidr: aws.String("10.0.0.0/8")}}})
		wantCode(t, err, "InvalidPrefixListModification")

		t.Run("errors", func(t *testing.T) {
			for _, tc := range []struct {
				name, code string
				in         ec2.CreateManagedPrefixListInput
			}{
				{"family", "InvalidParameterValue", ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("x"), MaxEntries: aws.Int32(5), AddressFamily: aws.String("IPv5")}},
				{"AWS's name", "InvalidParameterValue", ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("com.amazonaws.mine"), MaxEntries: aws.Int32(5), AddressFamily: aws.String("IPv4")}},
				{"max", "InvalidParameterValue", ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("x"), MaxEntries: aws.Int32(0), AddressFamily: aws.String("IPv4")}},
				{"IPv6 entry in IPv4", "InvalidParameterValue", ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("x"), MaxEntries: aws.Int32(5), AddressFamily: aws.String("IPv4"),
					Entries: []types.AddPrefixListEntry{{Cidr: aws.String("2001:db8::/32")}}}},
				{"too many", "PrefixListMaxEntriesExceeded", ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("x"), MaxEntries: aws.Int32(1), AddressFamily: aws.String("IPv4"),
					Entries: []types.AddPrefixListEntry{{Cidr: aws.String("10.0.0.0/8")}, {Cidr: aws.String("192.168.0.0/16")}}}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateManagedPrefixList(ctx, &tc.in)
					wantCode(t, err, tc.code)
				})
			}
			_, err := client.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String("pl-0123456789abcdef0")})
			wantCode(t, err, "InvalidPrefixListID.NotFound")
		})

		made := must(client.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office"), MaxEntries: aws.Int32(3), AddressFamily: aws.String("IPv4"),
			Entries:           []types.AddPrefixListEntry{{Cidr: aws.String("203.0.113.0/24"), Description: aws.String("HQ")}, {Cidr: aws.String("198.51.100.7/24")}},
			TagSpecifications: nameTag(types.ResourceTypePrefixList, "office")}))(t).PrefixList
		pl := *made.PrefixListId
		if *made.Version != 1 || *made.OwnerId != "123456789012" || *made.PrefixListArn != "arn:aws:ec2:us-east-1:123456789012:prefix-list/"+pl || made.State != types.PrefixListStateCreateInProgress {
			t.Errorf("CreateManagedPrefixList = %+v", made)
		}
		if es := entriesOf(t, client, pl, nil); strings.Join(es, ",") != "203.0.113.0/24,198.51.100.0/24" {
			t.Errorf("entries: %v", es)
		}
		_, err = client.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String(pl), CurrentVersion: aws.Int64(2),
			AddEntries: []types.AddPrefixListEntry{{Cidr: aws.String("192.0.2.0/24")}}})
		wantCode(t, err, "PrefixListVersionMismatch")
		must(client.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String(pl), CurrentVersion: aws.Int64(1),
			AddEntries: []types.AddPrefixListEntry{{Cidr: aws.String("192.0.2.0/24")}}, RemoveEntries: []types.RemovePrefixListEntry{{Cidr: aws.String("198.51.100.0/24")}}}))(t)
		_, err = client.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String(pl),
			AddEntries: []types.AddPrefixListEntry{{Cidr: aws.String("10.0.0.0/8")}, {Cidr: aws.String("10.1.0.0/16")}}})
		wantCode(t, err, "PrefixListMaxEntriesExceeded")
		if es := entriesOf(t, client, pl, nil); strings.Join(es, ",") != "203.0.113.0/24,192.0.2.0/24" {
			t.Errorf("version 2's entries: %v", es)
		}
		if es := entriesOf(t, client, pl, aws.Int64(1)); strings.Join(es, ",") != "203.0.113.0/24,198.51.100.0/24" {
			t.Errorf("version 1's entries: %v", es)
		}
		now := must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{pl}}))(t).PrefixLists[0]
		if *now.Version != 2 || now.State != types.PrefixListStateModifyComplete {
			t.Errorf("after a change: %+v", now)
		}
		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("owner-id", "AWS"), 2},
			{filter("owner-id", "123456789012"), 1},
			{filter("prefix-list-name", "office"), 1},
			{filter("tag:Name", "office"), 1},
		} {
			if got := must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{Filters: []types.Filter{tc.f}}))(t).PrefixLists; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d lists, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}
		p1 := must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(2)}))(t)
		p2 := must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(2), NextToken: p1.NextToken}))(t)
		if len(p1.PrefixLists) != 2 || len(p2.PrefixLists) != 1 || p2.NextToken != nil || *p2.PrefixLists[0].PrefixListId != pl {
			t.Errorf("pages: %d then %d", len(p1.PrefixLists), len(p2.PrefixLists))
		}

		// In a security group rule and a route; then not deletable.
		vpc, _ := newVPC(t, client, "10.0.0.0/16")
		g := *must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpc), GroupName: aws.String("office"), Description: aws.String("office")}))(t).GroupId
		_, err = client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-0123456789abcdef0")}}}}})
		wantCode(t, err, "InvalidPrefixListID.NotFound")
		must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String(pl)}}}}}))(t)
		igw := attachGateway(t, client, vpc)
		table := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)}))(t).RouteTable.RouteTableId
		must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationPrefixListId: aws.String(pl), GatewayId: aws.String(igw)}))(t)
		if r := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("route.destination-prefix-list-id", pl)}}))(t).RouteTables; len(r) != 1 || aws.ToString(r[0].Routes[1].DestinationPrefixListId) != pl {
			t.Errorf("a route to a prefix list: %+v", r)
		}
		_, err = client.DeleteManagedPrefixList(ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: aws.String(pl)})
		wantCode(t, err, "DependencyViolation")
		must(client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(table), DestinationPrefixListId: aws.String(pl)}))(t)
		must(client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(g)}))(t)
		must(client.DeleteManagedPrefixList(ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: aws.String(pl)}))(t)
		_, err = client.DeleteManagedPrefixList(ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: aws.String(s3pl)})
		wantCode(t, err, "InvalidPrefixListModification")
	})
}

// VPC endpoints: an S3 gateway endpoint and its routes, an interface endpoint in subnets,
// changes, deletion, and the services.
func TestEC2VpcEndpoints(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc, subnets := newVPC(t, client, "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24")
		private := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)}))(t).RouteTable.RouteTableId
		other := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)}))(t).RouteTable.RouteTableId
		s3 := "com.amazonaws.us-east-1.s3"
		s3pl := awsPrefixList(t, client, "s3")

		svcs := must(client.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{s3}}))(t)
		if len(svcs.ServiceNames) != 1 || len(svcs.ServiceDetails) != 2 {
			t.Errorf("DescribeVpcEndpointServices s3 = %v, %d details", svcs.ServiceNames, len(svcs.ServiceDetails))
		}
		if g := must(client.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []types.Filter{filter("service-type", "Gateway")}}))(t); len(g.ServiceNames) != 2 {
			t.Errorf("gateway services: %v", g.ServiceNames)
		}
		_, err := client.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-east-1.nothing"}})
		wantCode(t, err, "InvalidServiceName")

		t.Run("errors", func(t *testing.T) {
			for _, tc := range []struct {
				name, code string
				in         ec2.CreateVpcEndpointInput
			}{
				{"unknown service", "InvalidServiceName", ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.nothing")}},
				{"gateway of an interface service", "InvalidParameter", ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.ssm")}},
				{"gateway with subnets", "InvalidParameter", ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String(s3), SubnetIds: subnets[:1]}},
				{"no such table", "InvalidRouteTableID.NotFound", ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String(s3), RouteTableIds: []string{"rtb-0123456789abcdef0"}}},
				{"bad policy", "InvalidPolicyDocument", ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String(s3), PolicyDocument: aws.String("{")}},
				{"no VPC", "InvalidVpcID.NotFound", ec2.CreateVpcEndpointInput{VpcId: aws.String("vpc-0123456789abcdef0"), ServiceName: aws.String(s3)}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateVpcEndpoint(ctx, &tc.in)
					wantCode(t, err, tc.code)
				})
			}
		})

		gw := must(client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String(s3), RouteTableIds: []string{private},
			TagSpecifications: nameTag(types.ResourceTypeVpcEndpoint, "s3")}))(t).VpcEndpoint
		id := *gw.VpcEndpointId
		if !strings.HasPrefix(id, "vpce-") || gw.VpcEndpointType != types.VpcEndpointTypeGateway || gw.State != "available" ||
			len(gw.RouteTableIds) != 1 || !strings.Contains(*gw.PolicyDocument, `"Principal":"*"`) {
			t.Fatalf("CreateVpcEndpoint gateway = %+v", gw)
		}
		routeTo := func(table string) *types.Route {
			t.Helper()
			for _, r := range must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}}))(t).RouteTables[0].Routes {
				if aws.ToString(r.DestinationPrefixListId) == s3pl {
					return &r
				}
			}
			return nil
		}
		if r := routeTo(private); r == nil || aws.ToString(r.GatewayId) != id || r.State != types.RouteStateActive {
			t.Errorf("the endpoint's route: %+v", r)
		}
		_, err = client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(private), DestinationPrefixListId: aws.String(s3pl)})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String(s3), RouteTableIds: []string{private}})
		wantCode(t, err, "RouteAlreadyExists")
		must(client.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id), AddRouteTableIds: []string{other}, RemoveRouteTableIds: []string{private},
			PolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`)}))(t)
		if routeTo(private) != nil || routeTo(other) == nil {
			t.Errorf("after moving the endpoint: %+v %+v", routeTo(private), routeTo(other))
		}
		_, err = client.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id), AddSubnetIds: subnets[:1]})
		wantCode(t, err, "InvalidParameter")

		ifc := must(client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.ssm"),
			VpcEndpointType: types.VpcEndpointTypeInterface, SubnetIds: subnets[:1]}))(t).VpcEndpoint
		if ifc.State != "pending" || len(ifc.NetworkInterfaceIds) != 1 || len(ifc.Groups) != 1 || !*ifc.PrivateDnsEnabled || len(ifc.DnsEntries) != 2 {
			t.Errorf("CreateVpcEndpoint interface = %+v", ifc)
		}
		sn2 := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: subnets}))(t).Subnets
		if *sn2[0].AvailabilityZone == *sn2[1].AvailabilityZone {
			_, err = client.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: ifc.VpcEndpointId, AddSubnetIds: subnets[1:]})
			wantCode(t, err, "DuplicateSubnetsInSameZone")
		} else {
			must(client.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: ifc.VpcEndpointId, AddSubnetIds: subnets[1:]}))(t)
		}
		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("vpc-endpoint-type", "Interface"), 1},
			{filter("service-name", s3), 1},
			{filter("vpc-id", vpc), 2},
			{filter("vpc-endpoint-state", "available"), 2},
			{filter("tag:Name", "s3"), 1},
		} {
			if got := must(client.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{tc.f}}))(t).VpcEndpoints; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d endpoints, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}
		if e := must(client.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}}))(t).VpcEndpoints[0]; !strings.Contains(*e.PolicyDocument, "s3:GetObject") {
			t.Errorf("the endpoint's policy: %s", *e.PolicyDocument)
		}

		_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
		wantCode(t, err, "DependencyViolation")
		del := must(client.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{id, *ifc.VpcEndpointId, "vpce-0123456789abcdef0"}}))(t)
		if len(del.Unsuccessful) != 1 || *del.Unsuccessful[0].ResourceId != "vpce-0123456789abcdef0" || *del.Unsuccessful[0].Error.Code != "InvalidVpcEndpointId.NotFound" {
			t.Errorf("DeleteVpcEndpoints unsuccessful = %+v", del.Unsuccessful)
		}
		if routeTo(other) != nil {
			t.Errorf("a deleted endpoint's route remains")
		}
		_, err = client.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
		wantCode(t, err, "InvalidVpcEndpointId.NotFound")
	})
}

// The ARNs of prefix lists and endpoints.
func TestEC2EndpointAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		vpc, _ := newVPC(t, root, "10.0.0.0/16")
		table := mainTable(t, root, vpc)
		arn := "arn:aws:ec2:us-east-1:123456789012:"
		user := ec2.NewFromConfig(policyUser(t, c, "eve", `{"Effect":"Allow","Action":"ec2:CreateVpcEndpoint",
			"Resource":["`+arn+`vpc/`+vpc+`","`+arn+`vpc-endpoint/*"]}`))
		must(user.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.dynamodb")}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := user.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{table}})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), arn+"route-table/"+table) {
			t.Errorf("the refusal does not name the route table: %v", err)
		}
		_, err = user.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("x"), MaxEntries: aws.Int32(1), AddressFamily: aws.String("IPv4")})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// Prefix lists, endpoints and their routes survive Close and Open.
func TestEC2EndpointPersist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	vpc, subnets := newVPC(t, client, "10.0.0.0/16", "10.0.1.0/24")
	must(client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{mainTable(t, client, vpc)}}))(t)
	must(client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.sts"), VpcEndpointType: types.VpcEndpointTypeInterface, SubnetIds: subnets}))(t)
	pl := must(client.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("p"), MaxEntries: aws.Int32(2), AddressFamily: aws.String("IPv6"),
		Entries: []types.AddPrefixListEntry{{Cidr: aws.String("2001:db8::/32")}}}))(t).PrefixList.PrefixListId
	must(client.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: pl, AddEntries: []types.AddPrefixListEntry{{Cidr: aws.String("2001:db9::/32")}}}))(t)
	describe := func() string {
		es := must(client.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{}))(t).VpcEndpoints
		ps := must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{}))(t).PrefixLists
		v1 := entriesOf(t, client, *pl, aws.Int64(1))
		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", vpc)}}))(t).RouteTables
		return must(jsonOf([]any{es, ps, v1, rts}))(t)
	}
	before := describe()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	if after := describe(); after != before {
		t.Errorf("after Open:\n%s\nbefore:\n%s", after, before)
	}
}

// Many goroutines changing a prefix list and making and deleting endpoints at once.
func TestEC2EndpointRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	vpc, _ := newVPC(t, client, "10.0.0.0/16")
	pl := must(client.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("p"), MaxEntries: aws.Int32(100), AddressFamily: aws.String("IPv4")}))(t).PrefixList.PrefixListId
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 8 {
				cidr := fmt.Sprintf("10.%d.%d.0/24", g, k)
				if _, err := client.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: pl, AddEntries: []types.AddPrefixListEntry{{Cidr: aws.String(cidr)}}}); err != nil {
					t.Error(err)
				}
				e, err := client.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.ec2"), VpcEndpointType: types.VpcEndpointTypeInterface})
				if err != nil {
					t.Error(err)
					continue
				}
				if _, err := client.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{*e.VpcEndpoint.VpcEndpointId}}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if es := entriesOf(t, client, *pl, nil); len(es) != 64 {
		t.Errorf("%d entries, want 64", len(es))
	}
	if v := *must(client.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{*pl}}))(t).PrefixLists[0].Version; v != 65 {
		t.Errorf("version %d, want 65", v)
	}
}
