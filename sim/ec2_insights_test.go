package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
)

// TestNetworkInsights: the Reachability Analyzer's paths and analyses over the course's
// two-tier VPC, each block named with AWS's explanation code, in memory and over loopback.
func TestNetworkInsights(t *testing.T) {
	t.Parallel()
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		n := newNetwork(t)
		testNetworkInsights(t, n, n.client)
	})
	t.Run("loopback", func(t *testing.T) {
		t.Parallel()
		n := newNetwork(t)
		srv := httptest.NewServer(n.c)
		t.Cleanup(srv.Close)
		client := ec2.NewFromConfig(n.c.Config(), func(o *ec2.Options) {
			o.BaseEndpoint, o.HTTPClient = aws.String(srv.URL), http.DefaultClient
		})
		testNetworkInsights(t, n, client)
	})
}

func testNetworkInsights(t *testing.T, n *network, client *ec2.Client) {
	ctx := context.Background()
	web, db := *n.web.InstanceId, *n.db.InstanceId
	path := func(in ec2.CreateNetworkInsightsPathInput) types.NetworkInsightsPath {
		t.Helper()
		in.ClientToken = aws.String(fmt.Sprint(&in))
		return *must(client.CreateNetworkInsightsPath(ctx, &in))(t).NetworkInsightsPath
	}
	starts := 0
	analyze := func(p types.NetworkInsightsPath) types.NetworkInsightsAnalysis {
		t.Helper()
		starts++
		a := *must(client.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: p.NetworkInsightsPathId,
			ClientToken: aws.String(fmt.Sprint("start-", starts))}))(t).NetworkInsightsAnalysis
		if a.Status != types.AnalysisStatusRunning || a.NetworkPathFound != nil || !strings.HasPrefix(*a.NetworkInsightsAnalysisId, "nia-") {
			t.Errorf("a started analysis: %s %v %s", a.Status, a.NetworkPathFound, *a.NetworkInsightsAnalysisId)
		}
		out := must(client.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsAnalysisIds: []string{*a.NetworkInsightsAnalysisId}}))(t)
		if len(out.NetworkInsightsAnalyses) != 1 {
			t.Fatalf("describe %s: %d analyses", *a.NetworkInsightsAnalysisId, len(out.NetworkInsightsAnalyses))
		}
		return out.NetworkInsightsAnalyses[0]
	}
	// explained checks that the analysis found no path, for code, with component.
	explained := func(a types.NetworkInsightsAnalysis, code, component, direction string) types.Explanation {
		t.Helper()
		if a.Status != types.AnalysisStatusSucceeded || aws.ToBool(a.NetworkPathFound) || len(a.Explanations) != 1 {
			t.Fatalf("analysis: %s found=%v %d explanations (%v)", a.Status, aws.ToBool(a.NetworkPathFound), len(a.Explanations), aws.ToString(a.StatusMessage))
		}
		e := a.Explanations[0]
		if aws.ToString(e.ExplanationCode) != code || aws.ToString(e.Component.Id) != component || aws.ToString(e.Direction) != direction {
			t.Errorf("explanation: %s %s %s, want %s %s %s", aws.ToString(e.ExplanationCode), aws.ToString(e.Component.Id), aws.ToString(e.Direction), code, component, direction)
		}
		return e
	}
	found := func(a types.NetworkInsightsAnalysis) {
		t.Helper()
		if a.Status != types.AnalysisStatusSucceeded || !aws.ToBool(a.NetworkPathFound) || len(a.Explanations) != 0 {
			t.Errorf("analysis: %s found=%v %+v %v", a.Status, aws.ToBool(a.NetworkPathFound), a.Explanations, aws.ToString(a.StatusMessage))
		}
	}

	// From the internet (the internet gateway) to the web server: SSH from the learner only.
	ssh := path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(n.igw), SourceIp: aws.String("203.0.113.10"),
		Destination: aws.String(web), Protocol: "tcp", DestinationPort: aws.Int32(22),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNetworkInsightsPath, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("ssh")}}}}})
	if *ssh.SourceArn != "arn:aws:ec2:us-east-1:123456789012:internet-gateway/"+n.igw || *ssh.DestinationArn != "arn:aws:ec2:us-east-1:123456789012:instance/"+web ||
		!strings.HasPrefix(*ssh.NetworkInsightsPathArn, "arn:aws:ec2:us-east-1:123456789012:network-insights-path/nip-") || ssh.Protocol != types.ProtocolTcp || len(ssh.Tags) != 1 {
		t.Errorf("the path: %+v", ssh)
	}
	found(analyze(ssh))
	stranger := path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(n.igw), SourceIp: aws.String("198.51.100.7"),
		Destination: aws.String(web), Protocol: "TCP", DestinationPort: aws.Int32(22)})
	e := explained(analyze(stranger), "ENI_SG_RULES_MISMATCH", n.webSG, "ingress")
	if aws.ToString(e.SecurityGroup.Id) != n.webSG || len(e.SecurityGroups) != 1 || *e.Component.Arn != "arn:aws:ec2:us-east-1:123456789012:security-group/"+n.webSG {
		t.Errorf("the security group's explanation: %+v", e)
	}
	// The database server has no public address; the web server reaches it on 5432 only.
	explained(analyze(path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(n.igw), Destination: aws.String(db), Protocol: "tcp", DestinationPort: aws.Int32(5432)})),
		"IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", db, "")
	found(analyze(path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(web), Destination: aws.String(db), Protocol: "tcp", DestinationPort: aws.Int32(5432)})))
	explained(analyze(path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(web), Destination: aws.String(db), Protocol: "tcp",
		FilterAtSource: &types.PathRequestFilter{DestinationPortRange: &types.RequestFilterPortRange{FromPort: aws.Int32(22), ToPort: aws.Int32(22)}}})),
		"ENI_SG_RULES_MISMATCH", n.dbSG, "ingress")
	// Out to an address on the internet: the database server through the NAT gateway.
	found(analyze(path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(db), DestinationIp: aws.String("1.1.1.1"), Protocol: "tcp", DestinationPort: aws.Int32(443)})))

	// A network ACL that denies SSH: the rule that decides, inbound.
	defaultACL := aclOfPublic(n)
	acl := n.customACL(t, aclEntry("", 90, false, "6", false, "0.0.0.0/0", 22, 22), aclEntry("", 100, false, "-1", true, "0.0.0.0/0", 0, 0),
		aclEntry("", 100, true, "-1", true, "0.0.0.0/0", 0, 0))
	e = explained(analyze(ssh), "SUBNET_ACL_RESTRICTION", acl, "ingress")
	if r := e.AclRule; r == nil || *r.RuleNumber != 90 || *r.RuleAction != "deny" || *r.Egress || *r.PortRange.From != 22 || aws.ToString(e.Acl.Id) != acl {
		t.Errorf("the ACL's explanation: %+v %+v", e, e.AclRule)
	}
	must(client.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(aclAssociation(t, client, n.public)), NetworkAclId: aws.String(defaultACL)}))(t)
	// A route table without its route to the internet gateway.
	must(client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(n.publicRT), DestinationCidrBlock: aws.String("0.0.0.0/0")}))(t)
	e = explained(analyze(ssh), "NO_ROUTE_TO_DESTINATION", n.publicRT, "")
	if aws.ToString(e.RouteTable.Id) != n.publicRT {
		t.Errorf("the route table's explanation: %+v", e)
	}
	// A stopped instance.
	must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{db}}))(t)
	explained(analyze(path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(web), Destination: aws.String(db), Protocol: "tcp", DestinationPort: aws.Int32(5432)})),
		"BAD_STATE", db, "")
	// No port: the simulator's analysis fails and says why.
	if a := analyze(path(ec2.CreateNetworkInsightsPathInput{Source: aws.String(web), Destination: aws.String(db), Protocol: "udp"})); a.Status != types.AnalysisStatusFailed ||
		!strings.Contains(aws.ToString(a.StatusMessage), "one destination port") {
		t.Errorf("no port: %s %v", a.Status, aws.ToString(a.StatusMessage))
	}

	// Listing, filters, pages.
	paths := must(client.DescribeNetworkInsightsPaths(ctx, &ec2.DescribeNetworkInsightsPathsInput{}))(t).NetworkInsightsPaths
	if len(paths) != 8 {
		t.Errorf("%d paths, want 8", len(paths))
	}
	byDest := must(client.DescribeNetworkInsightsPaths(ctx, &ec2.DescribeNetworkInsightsPathsInput{Filters: []types.Filter{filter("destination", db), filter("protocol", "tcp")}}))(t).NetworkInsightsPaths
	if len(byDest) != 4 {
		t.Errorf("%d tcp paths to the database server, want 4", len(byDest))
	}
	notFound := must(client.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsPathId: ssh.NetworkInsightsPathId,
		Filters: []types.Filter{filter("path-found", "false")}}))(t).NetworkInsightsAnalyses
	if len(notFound) != 2 {
		t.Errorf("%d analyses of the ssh path that found no path, want 2", len(notFound))
	}
	page := must(client.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{MaxResults: aws.Int32(5)}))(t)
	if len(page.NetworkInsightsAnalyses) != 5 || page.NextToken == nil {
		t.Errorf("a page of 5: %d %v", len(page.NetworkInsightsAnalyses), page.NextToken)
	}

	// Refusals.
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"delete a path with analyses", err2(client.DeleteNetworkInsightsPath(ctx, &ec2.DeleteNetworkInsightsPathInput{NetworkInsightsPathId: ssh.NetworkInsightsPathId})), "AnalysisExistsForNetworkInsightsPath"},
		{"no such path", err2(client.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: aws.String("nip-0123456789abcdef0"), ClientToken: aws.String("x")})), "InvalidNetworkInsightsPathId.NotFound"},
		{"no such analysis", err2(client.DeleteNetworkInsightsAnalysis(ctx, &ec2.DeleteNetworkInsightsAnalysisInput{NetworkInsightsAnalysisId: aws.String("nia-0123456789abcdef0")})), "InvalidNetworkInsightsAnalysisId.NotFound"},
		{"no such instance", err2(client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: aws.String("i-0123456789abcdef0"), Destination: aws.String(web), Protocol: "tcp", ClientToken: aws.String("y")})), "InvalidInstanceID.NotFound"},
		{"a protocol", err2(client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: aws.String(web), Destination: aws.String(db), Protocol: "icmp", ClientToken: aws.String("z")})), "InvalidParameterValue"},
		{"no destination", err2(client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: aws.String(web), Protocol: "tcp", ClientToken: aws.String("w")})), "MissingParameter"},
		{"a transit gateway", err2(client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: aws.String("tgw-0123456789abcdef0"), Destination: aws.String(web), Protocol: "tcp", ClientToken: aws.String("v")})), "NotImplemented"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, tc.code) })
	}

	// Deleting: the analyses, then the path.
	for _, a := range must(client.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsPathId: ssh.NetworkInsightsPathId}))(t).NetworkInsightsAnalyses {
		must(client.DeleteNetworkInsightsAnalysis(ctx, &ec2.DeleteNetworkInsightsAnalysisInput{NetworkInsightsAnalysisId: a.NetworkInsightsAnalysisId}))(t)
	}
	must(client.DeleteNetworkInsightsPath(ctx, &ec2.DeleteNetworkInsightsPathInput{NetworkInsightsPathId: ssh.NetworkInsightsPathId}))(t)
	_, err := client.DescribeNetworkInsightsPaths(ctx, &ec2.DescribeNetworkInsightsPathsInput{NetworkInsightsPathIds: []string{*ssh.NetworkInsightsPathId}})
	wantCode(t, err, "InvalidNetworkInsightsPathId.NotFound")

	// What was analyzed is kept with the state.
	var saved bytes.Buffer
	if err := n.c.Save(&saved); err != nil {
		t.Fatal(err)
	}
	loaded := sim.New()
	if err := loaded.Load(&saved); err != nil {
		t.Fatal(err)
	}
	again := must(ec2.NewFromConfig(loaded.Config()).DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{
		Filters: []types.Filter{filter("path-found", "false")}}))(t).NetworkInsightsAnalyses
	if len(again) != 4 || aws.ToString(again[0].Explanations[0].ExplanationCode) != "ENI_SG_RULES_MISMATCH" || aws.ToString(again[1].Explanations[0].ExplanationCode) != "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" {
		t.Errorf("after a save and a load: %d analyses that found no path", len(again))
	}
}

func err2[T any](_ T, err error) error { return err }

// aclAssociation returns the ID of the subnet's association with its network ACL.
func aclAssociation(t *testing.T, client *ec2.Client, subnet string) string {
	t.Helper()
	out := must(client.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("association.subnet-id", subnet)}}))(t)
	for _, a := range out.NetworkAcls[0].Associations {
		if *a.SubnetId == subnet {
			return *a.NetworkAclAssociationId
		}
	}
	t.Fatalf("subnet %s has no ACL association", subnet)
	return ""
}

// TestNetworkInsightsAuthorization: the paths and analyses are authorized on their ARNs.
func TestNetworkInsightsAuthorization(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	root := ec2.NewFromConfig(c.Config())
	vpc, subnets := newVPC(t, root, "10.0.0.0/16", "10.0.0.0/24")
	a := run(t, root, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, SubnetId: aws.String(subnets[0])})[0]
	_ = vpc
	ana := newUser(t, c, "ana")
	must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ana"), PolicyName: aws.String("paths"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInsightsPath","ec2:DescribeNetworkInsightsPaths"],"Resource":"*"},
		{"Effect":"Allow","Action":"ec2:StartNetworkInsightsAnalysis","Resource":"arn:aws:ec2:*:*:network-insights-path/*"}]}`)}))(t)
	client := ec2.NewFromConfig(ana)
	p := must(client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: a.InstanceId, DestinationIp: aws.String("1.1.1.1"),
		Protocol: "tcp", DestinationPort: aws.Int32(443), ClientToken: aws.String("t")}))(t).NetworkInsightsPath
	// The analysis needs the action on network-insights-analysis/* too.
	_, err := client.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: p.NetworkInsightsPathId, ClientToken: aws.String("s")})
	wantCode(t, err, "UnauthorizedOperation")
	if !strings.Contains(err.Error(), "network-insights-analysis/*") {
		t.Errorf("the refusal names %v", err)
	}
	_, err = client.DeleteNetworkInsightsPath(ctx, &ec2.DeleteNetworkInsightsPathInput{NetworkInsightsPathId: p.NetworkInsightsPathId})
	wantCode(t, err, "UnauthorizedOperation")
}

// TestNetworkInsightsRace: paths made and analyzed from many goroutines (go test -race).
func TestNetworkInsightsRace(t *testing.T) {
	t.Parallel()
	n := newNetwork(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := n.client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: n.web.InstanceId, Destination: n.db.InstanceId,
				Protocol: "tcp", DestinationPort: aws.Int32(int32(5430 + i%4)), ClientToken: aws.String(fmt.Sprint("race-", i))})
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := n.client.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: p.NetworkInsightsPath.NetworkInsightsPathId,
				ClientToken: aws.String(fmt.Sprint("race-a-", i))}); err != nil {
				t.Error(err)
			}
			if _, err := n.client.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	out := must(n.client.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{Filters: []types.Filter{filter("path-found", "true")}}))(t)
	if len(out.NetworkInsightsAnalyses) != 4 { // port 5432 only
		t.Errorf("%d analyses found a path, want 4", len(out.NetworkInsightsAnalyses))
	}
}
