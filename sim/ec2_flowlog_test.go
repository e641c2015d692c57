package sim_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

const flowRole = "arn:aws:iam::123456789012:role/flow-logs"

// Flow logs as records: to CloudWatch Logs with a role, or to S3; one per resource, the
// unsuccessful ones listed; filters; deletion.
func TestEC2FlowLogs(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc, subnets := newVPC(t, client, "10.0.0.0/16", "10.0.1.0/24")

		t.Run("errors", func(t *testing.T) {
			for _, tc := range []struct {
				name, code string
				in         ec2.CreateFlowLogsInput
			}{
				{"no role", "InvalidParameter", ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll, LogGroupName: aws.String("g")}},
				{"no group", "InvalidParameter", ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll, DeliverLogsPermissionArn: aws.String(flowRole)}},
				{"bucket not an ARN", "InvalidParameterValue", ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll,
					LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("my-bucket")}},
				{"interval", "InvalidParameterValue", ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll,
					LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::logs"), MaxAggregationInterval: aws.Int32(120)}},
				{"transit gateway", "NotImplemented", ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeTransitGateway, ResourceIds: []string{"tgw-0123456789abcdef0"},
					LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::logs")}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateFlowLogs(ctx, &tc.in)
					wantCode(t, err, tc.code)
				})
			}
		})

		made := must(client.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc, "vpc-0123456789abcdef0"},
			TrafficType: types.TrafficTypeReject, LogGroupName: aws.String("vpc-rejects"), DeliverLogsPermissionArn: aws.String(flowRole),
			TagSpecifications: nameTag(types.ResourceTypeVpcFlowLog, "rejects")}))(t)
		if len(made.FlowLogIds) != 1 || !strings.HasPrefix(made.FlowLogIds[0], "fl-") || len(made.Unsuccessful) != 1 ||
			*made.Unsuccessful[0].Error.Code != "InvalidVpcID.NotFound" || *made.Unsuccessful[0].ResourceId != "vpc-0123456789abcdef0" {
			t.Fatalf("CreateFlowLogs = %+v", made)
		}
		fl := made.FlowLogIds[0]
		again := must(client.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc},
			TrafficType: types.TrafficTypeReject, LogGroupName: aws.String("vpc-rejects"), DeliverLogsPermissionArn: aws.String(flowRole)}))(t)
		if len(again.FlowLogIds) != 0 || len(again.Unsuccessful) != 1 || *again.Unsuccessful[0].Error.Code != "FlowLogAlreadyExists" {
			t.Errorf("the same flow log again = %+v", again)
		}
		s3 := must(client.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeSubnet, ResourceIds: subnets, TrafficType: types.TrafficTypeAll,
			LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::flow-logs/vpc"), MaxAggregationInterval: aws.Int32(60),
			LogFormat: aws.String("${srcaddr} ${dstaddr} ${action}")}))(t).FlowLogIds

		f := must(client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: []string{fl}}))(t).FlowLogs[0]
		if *f.ResourceId != vpc || f.TrafficType != types.TrafficTypeReject || f.LogDestinationType != types.LogDestinationTypeCloudWatchLogs ||
			*f.LogGroupName != "vpc-rejects" || *f.LogDestination != "arn:aws:logs:us-east-1:123456789012:log-group:vpc-rejects" ||
			*f.DeliverLogsPermissionArn != flowRole || *f.FlowLogStatus != "ACTIVE" || *f.MaxAggregationInterval != 600 || !strings.HasPrefix(*f.LogFormat, "${version}") {
			t.Errorf("DescribeFlowLogs = %+v", f)
		}
		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("resource-id", vpc), 1},
			{filter("log-destination-type", "s3"), 1},
			{filter("traffic-type", "REJECT"), 1},
			{filter("log-group-name", "vpc-rejects"), 1},
			{filter("deliver-log-status", "SUCCESS"), 2},
			{filter("tag:Name", "rejects"), 1},
			{filter("flow-log-id", s3[0]), 1},
		} {
			if got := must(client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: []types.Filter{tc.f}}))(t).FlowLogs; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d flow logs, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}
		_, err := client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: []string{"fl-0123456789abcdef0"}})
		wantCode(t, err, "InvalidFlowLogId.NotFound")

		del := must(client.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: []string{fl, "fl-0123456789abcdef0"}}))(t)
		if len(del.Unsuccessful) != 1 || *del.Unsuccessful[0].Error.Code != "InvalidFlowLogId.NotFound" {
			t.Errorf("DeleteFlowLogs = %+v", del.Unsuccessful)
		}
		if n := len(must(client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{}))(t).FlowLogs); n != 1 {
			t.Errorf("%d flow logs after the deletion", n)
		}
	})
}

// CreateFlowLogs to CloudWatch Logs passes its role: iam:PassRole, to vpc-flow-logs.amazonaws.com.
func TestEC2FlowLogsPassRole(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		vpc, _ := newVPC(t, root, "10.0.0.0/16")
		in := func(role string) *ec2.CreateFlowLogsInput {
			return &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll,
				LogGroupName: aws.String("g-" + role), DeliverLogsPermissionArn: aws.String("arn:aws:iam::123456789012:role/" + role)}
		}
		user := ec2.NewFromConfig(policyUser(t, c, "flo", `{"Effect":"Allow","Action":"ec2:CreateFlowLogs","Resource":"*"},
			{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/flow-logs",
			"Condition":{"StringEquals":{"iam:PassedToService":"vpc-flow-logs.amazonaws.com"}}}`))
		must(user.CreateFlowLogs(ctx, in("flow-logs")))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := user.CreateFlowLogs(ctx, in("admin"))
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), "iam:PassRole") {
			t.Errorf("the refusal does not name iam:PassRole: %v", err)
		}
	})
}

// Flow logs survive Close and Open.
func TestEC2FlowLogsPersist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	vpc, _ := newVPC(t, client, "10.0.0.0/16")
	must(client.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll,
		LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::logs"), TagSpecifications: nameTag(types.ResourceTypeVpcFlowLog, "all")}))(t)
	before := must(jsonOf(must(client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{}))(t).FlowLogs))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	if after := must(jsonOf(must(client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{}))(t).FlowLogs))(t); after != before {
		t.Errorf("after Open:\n%s\nbefore:\n%s", after, before)
	}
}

// Many goroutines making and deleting flow logs at once.
func TestEC2FlowLogsRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	vpc, _ := newVPC(t, client, "10.0.0.0/16")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				out, err := client.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc}, TrafficType: types.TrafficTypeAll,
					LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::logs")})
				if err != nil {
					t.Error(err)
					continue
				}
				if len(out.FlowLogIds) == 1 {
					if _, err := client.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: out.FlowLogIds}); err != nil {
						t.Error(err)
					}
				} else if len(out.Unsuccessful) != 1 || *out.Unsuccessful[0].Error.Code != "FlowLogAlreadyExists" {
					t.Errorf("CreateFlowLogs = %+v", out)
				}
			}
		})
	}
	wg.Wait()
	if n := len(must(client.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{}))(t).FlowLogs); n != 0 {
		t.Errorf("%d flow logs left", n)
	}
}
