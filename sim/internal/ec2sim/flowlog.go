package ec2sim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// flowLog is a flow log as a record: what it would capture and where it would deliver. The
// simulator writes no flow records to the destination.
type flowLog struct {
	meta
	Resource    string // vpc-, subnet- or eni-…
	Traffic     types.TrafficType
	DestType    types.LogDestinationType
	Destination string // the ARN of the log group or bucket
	LogGroup    string `json:",omitempty"`
	Role        string `json:",omitempty"` // DeliverLogsPermissionArn
	Format      string
	Interval    int32
	Created     time.Time
	ClientToken string `json:",omitempty"`
}

// flowLogState is a region's flow logs.
type flowLogState struct {
	FlowLogs map[string]*flowLog `json:",omitempty"`
}

var flowLogKind = kind{"fl", InvalidFlowLogIDMalformed, InvalidFlowLogIDNotFound, "These flow log ids in the input list are not found: [TotalCount: 1] %s", types.ResourceTypeVpcFlowLog}

func init() {
	taggable[flowLogKind.prefix] = flowLogKind
	tagHolders = append(tagHolders, tagHolder{flowLogKind, func(r *regionState) []*meta { return metas(r.FlowLogs) }})
}

// defaultFlowFormat is the fields of a flow record unless LogFormat says others.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-default
const defaultFlowFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// flowLogsService is the principal a flow log's role is passed to.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
const flowLogsService = "vpc-flow-logs.amazonaws.com"

// flowDestination checks where a request's flow logs go: a CloudWatch Logs group (by name or
// ARN) with a role to deliver with, or an S3 bucket ARN.
func flowDestination(region, account string, in *ec2.CreateFlowLogsInput) (dt types.LogDestinationType, dest, group string, err error) {
	dt = in.LogDestinationType
	if dt == "" {
		dt = types.LogDestinationTypeCloudWatchLogs
	}
	switch dt {
	case types.LogDestinationTypeCloudWatchLogs:
		if in.DeliverLogsPermissionArn == nil {
			return dt, "", "", core.Errorf(InvalidParameter, "DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.")
		}
		switch {
		case in.LogGroupName != nil && in.LogDestination != nil:
			return dt, "", "", core.Errorf(InvalidParameter, "Please only provide LogGroupName or only provide LogDestination.")
		case in.LogGroupName != nil:
			group = *in.LogGroupName
			dest = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group
		case in.LogDestination != nil:
			dest = *in.LogDestination
			rest, ok := strings.CutPrefix(dest, "arn:aws:logs:")
			_, name, found := strings.Cut(rest, ":log-group:")
			if !ok || !found || name == "" {
				return dt, "", "", invalidValue("LogDestination", dest, "It is not the ARN of a CloudWatch Logs log group.")
			}
			group = strings.TrimSuffix(name, ":*")
		default:
			return dt, "", "", core.Errorf(InvalidParameter, "LogDestination or LogGroupName must be provided when LogDestinationType is cloud-watch-logs.")
		}
	case types.LogDestinationTypeS3:
		if in.LogDestination == nil {
			return dt, "", "", core.Errorf(InvalidParameter, "LogDestination can't be empty if LogDestinationType is s3.")
		}
		if in.LogGroupName != nil {
			return dt, "", "", core.Errorf(InvalidParameter, "LogGroupName cannot be used with LogDestinationType s3.")
		}
		dest = *in.LogDestination
		bucket, ok := strings.CutPrefix(dest, "arn:aws:s3:::")
		if !ok || bucket == "" || strings.HasPrefix(bucket, "/") {
			return dt, "", "", invalidValue("LogDestination", dest, "It is not the ARN of an S3 bucket (arn:aws:s3:::bucket[/prefix]).")
		}
	default:
		return dt, "", "", core.Errorf(core.NotImplemented, "The simulator records flow logs to CloudWatch Logs and S3: %s is not simulated.", dt)
	}
	return dt, dest, group, nil
}

// CreateFlowLogs records flow logs of VPCs, subnets or network interfaces: one per resource;
// a resource that does not exist, or already has a flow log of the same traffic to the same
// destination, is listed as unsuccessful.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
func (h *EC2) CreateFlowLogs(ctx context.Context, in *ec2.CreateFlowLogsInput) (*ec2.CreateFlowLogsOutput, error) {
	s := h.s
	region := core.RegionFrom(ctx)
	var k kind
	switch in.ResourceType {
	case "":
		return nil, missingParameter("resourceType")
	case types.FlowLogsResourceTypeVpc:
		k = vpcKind
	case types.FlowLogsResourceTypeSubnet:
		k = subnetKind
	case types.FlowLogsResourceTypeNetworkInterface:
		k = eniKind
	default:
		return nil, core.Errorf(core.NotImplemented, "The simulator records flow logs of VPCs, subnets and network interfaces: %s is not simulated.", in.ResourceType)
	}
	switch {
	case len(in.ResourceIds) == 0:
		return nil, missingParameter("resourceId")
	case len(in.ResourceIds) > 25:
		return nil, invalidValue("resourceIds", fmt.Sprint(len(in.ResourceIds)), "A request takes at most 25 resources.")
	}
	traffic := in.TrafficType
	switch traffic {
	case "":
		return nil, missingParameter("trafficType")
	case types.TrafficTypeAccept, types.TrafficTypeReject, types.TrafficTypeAll:
	default:
		return nil, invalidValue("trafficType", string(traffic), "Valid values are ACCEPT, REJECT and ALL.")
	}
	interval := aws.ToInt32(in.MaxAggregationInterval)
	switch interval {
	case 0:
		interval = 600
	case 60, 600:
	default:
		return nil, invalidValue("maxAggregationInterval", fmt.Sprint(interval), "Valid values are 60 and 600.")
	}
	format := aws.ToString(in.LogFormat)
	if format == "" {
		format = defaultFlowFormat
	} else if !strings.HasPrefix(format, "${") {
		return nil, invalidValue("logFormat", format, "A format is fields of the form ${field}, separated by spaces.")
	}
	dt, dest, group, err := flowDestination(region, s.account, in)
	if err != nil {
		return nil, err
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeVpcFlowLog)
	if err != nil {
		return nil, err
	}
	out := &ec2.CreateFlowLogsOutput{ClientToken: in.ClientToken, FlowLogIds: []string{}, Unsuccessful: []types.UnsuccessfulItem{}}
	return out, s.write(ctx, func(r *regionState) error {
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, f := range inOrder(r.FlowLogs) {
				if f.ClientToken == tok {
					out.FlowLogIds = append(out.FlowLogIds, f.ID)
				}
			}
			if len(out.FlowLogIds) > 0 {
				return nil
			}
		}
		fail := func(id string, e error) {
			ce := e.(*core.Error)
			out.Unsuccessful = append(out.Unsuccessful, types.UnsuccessfulItem{ResourceId: aws.String(id),
				Error: &types.UnsuccessfulItemError{Code: aws.String(string(ce.Code)), Message: aws.String(ce.Message)}})
		}
		for _, id := range dedupe(in.ResourceIds) {
			if err := r.flowResource(k, id); err != nil {
				fail(id, err)
				continue
			}
			if slices.ContainsFunc(inOrder(r.FlowLogs), func(f *flowLog) bool {
				return f.Resource == id && f.Traffic == traffic && f.Destination == dest
			}) {
				fail(id, core.Errorf(FlowLogAlreadyExists, "Error. There is an existing Flow Log with the same configuration and log destination."))
				continue
			}
			f := &flowLog{meta: r.newMeta(s.id("fl"), t.clone()), Resource: id, Traffic: traffic, DestType: dt, Destination: dest, LogGroup: group,
				Role: aws.ToString(in.DeliverLogsPermissionArn), Format: format, Interval: interval, Created: s.now(), ClientToken: aws.ToString(in.ClientToken)}
			if r.FlowLogs == nil {
				r.FlowLogs = map[string]*flowLog{}
			}
			r.FlowLogs[f.ID] = f
			out.FlowLogIds = append(out.FlowLogIds, f.ID)
		}
		return nil
	})
}

// flowResource checks that the resource of a flow log exists.
func (r *regionState) flowResource(k kind, id string) error {
	var err error
	switch k {
	case vpcKind:
		_, err = find(vpcKind, r.VPCs, id)
	case subnetKind:
		_, err = find(subnetKind, r.Subnets, id)
	default:
		if r.primaryOf(id) != nil {
			return nil
		}
		_, err = find(eniKind, r.interfaces(), id)
	}
	return err
}

func (s *Store) flowLogOut(f *flowLog) types.FlowLog {
	out := types.FlowLog{
		FlowLogId: aws.String(f.ID), ResourceId: aws.String(f.Resource), TrafficType: f.Traffic, LogDestinationType: f.DestType,
		LogDestination: aws.String(f.Destination), LogFormat: aws.String(f.Format), MaxAggregationInterval: aws.Int32(f.Interval),
		CreationTime: aws.Time(f.Created), FlowLogStatus: aws.String("ACTIVE"), DeliverLogsStatus: aws.String("SUCCESS"), Tags: f.Tags.out(),
	}
	if f.LogGroup != "" {
		out.LogGroupName = aws.String(f.LogGroup)
	}
	if f.Role != "" {
		out.DeliverLogsPermissionArn = aws.String(f.Role)
	}
	return out
}

var flowLogFields = fields[types.FlowLog]{
	"flow-log-id":          func(f types.FlowLog) []string { return one(*f.FlowLogId) },
	"resource-id":          func(f types.FlowLog) []string { return one(*f.ResourceId) },
	"traffic-type":         func(f types.FlowLog) []string { return one(string(f.TrafficType)) },
	"log-destination-type": func(f types.FlowLog) []string { return one(string(f.LogDestinationType)) },
	"log-group-name":       func(f types.FlowLog) []string { return one(aws.ToString(f.LogGroupName)) },
	"deliver-log-status":   func(f types.FlowLog) []string { return one(aws.ToString(f.DeliverLogsStatus)) },
}

// DescribeFlowLogs lists the region's flow logs.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html
func (h *EC2) DescribeFlowLogs(ctx context.Context, in *ec2.DescribeFlowLogsInput) (*ec2.DescribeFlowLogsOutput, error) {
	s := h.s
	out := &ec2.DescribeFlowLogsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		fs, err := pick(flowLogKind, r.FlowLogs, in.FlowLogIds)
		if err != nil {
			return err
		}
		all := make([]types.FlowLog, len(fs))
		for i, f := range fs {
			all[i] = s.flowLogOut(f)
		}
		out.FlowLogs, out.NextToken, err = describe(all, in.Filter, flowLogFields, func(f types.FlowLog) []types.Tag { return f.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteFlowLogs deletes flow logs; an ID that does not exist is listed as unsuccessful.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html
func (h *EC2) DeleteFlowLogs(ctx context.Context, in *ec2.DeleteFlowLogsInput) (*ec2.DeleteFlowLogsOutput, error) {
	if len(in.FlowLogIds) == 0 {
		return nil, missingParameter("flowLogId")
	}
	out := &ec2.DeleteFlowLogsOutput{Unsuccessful: []types.UnsuccessfulItem{}}
	return out, h.s.write(ctx, func(r *regionState) error {
		for _, id := range in.FlowLogIds {
			f, err := find(flowLogKind, r.FlowLogs, id)
			if err != nil {
				ce := err.(*core.Error)
				out.Unsuccessful = append(out.Unsuccessful, types.UnsuccessfulItem{ResourceId: aws.String(id),
					Error: &types.UnsuccessfulItemError{Code: aws.String(string(ce.Code)), Message: aws.String(ce.Message)}})
				continue
			}
			delete(r.FlowLogs, f.ID)
		}
		return nil
	})
}

// flowLogAccesses are CreateFlowLogs': each resource (vpc/…, subnet/… or
// network-interface/…), the new flow logs (vpc-flow-log/*) with their request tags, and
// iam:PassRole on DeliverLogsPermissionArn, passed to vpc-flow-logs.amazonaws.com.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
func (s *Store) flowLogAccesses(region string, in *ec2.CreateFlowLogsInput) []service.Access {
	prefix := map[types.FlowLogsResourceType]string{types.FlowLogsResourceTypeVpc: "vpc/", types.FlowLogsResourceTypeSubnet: "subnet/",
		types.FlowLogsResourceTypeNetworkInterface: "network-interface/"}[in.ResourceType]
	var out []service.Access
	for _, id := range in.ResourceIds {
		if prefix != "" {
			out = append(out, service.Access{Resource: s.arn(region, prefix+id), Context: regionCond(region)})
		}
	}
	out = append(out, access(s.arn(region, "vpc-flow-log/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeVpcFlowLog))...)
	if role := aws.ToString(in.DeliverLogsPermissionArn); role != "" {
		out = append(out, service.Access{Action: "iam:PassRole", Resource: role, Context: map[string]string{keyPassedToService: flowLogsService}})
	}
	return out
}
