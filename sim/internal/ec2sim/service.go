package ec2sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Service returns EC2 as the door serves it.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:      "ec2",
		State:     s,
		Protocol:  query.EC2.Wire(),
		Handler:   service.Methods(New(s)),
		Resources: s.accesses,
		Dialect:   service.EC2Dialect,
		Regions:   RegionNames(),
	}
}

// accesses names the instances an EC2 request acts on, so that identity policies may name
// them (arn:aws:ec2:region:account:instance/i-…): each instance of StartInstances,
// StopInstances, RebootInstances and TerminateInstances, the instance of Describe- and
// ModifyInstanceAttribute; for RunInstances, the new instances (instance/*) and the image,
// and its Spot requests (spot-instances-request/*) when it launches Spot Instances; for
// RequestSpotInstances the new requests and the image; for CancelSpotInstanceRequests each
// request (spot-instances-request/sir-…).
// Other operations, which AWS authorizes on "*" or which the simulator does not name yet, act
// on "*".
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) accesses(r *service.Request) ([]service.Access, error) {
	instances := "arn:aws:ec2:" + r.Region + ":" + s.account + ":instance/"
	spot := "arn:aws:ec2:" + r.Region + ":" + s.account + ":spot-instances-request/"
	var ids []string
	switch in := r.In.(type) {
	case *ec2.RunInstancesInput:
		out := service.On(instances+"*", "arn:aws:ec2:"+r.Region+"::image/"+aws.ToString(in.ImageId))
		if in.InstanceMarketOptions != nil {
			out = append(out, service.Access{Resource: spot + "*"})
		}
		return out, nil
	case *ec2.RequestSpotInstancesInput:
		out := service.On(spot + "*")
		if in.LaunchSpecification != nil {
			out = append(out, service.Access{Resource: "arn:aws:ec2:" + r.Region + "::image/" + aws.ToString(in.LaunchSpecification.ImageId)})
		}
		return out, nil
	case *ec2.CancelSpotInstanceRequestsInput:
		var arns []string
		for _, id := range in.SpotInstanceRequestIds {
			arns = append(arns, spot+id)
		}
		return service.On(arns...), nil
	case *ec2.StartInstancesInput:
		ids = in.InstanceIds
	case *ec2.StopInstancesInput:
		ids = in.InstanceIds
	case *ec2.RebootInstancesInput:
		ids = in.InstanceIds
	case *ec2.TerminateInstancesInput:
		ids = in.InstanceIds
	case *ec2.DescribeInstanceAttributeInput:
		ids = []string{aws.ToString(in.InstanceId)}
	case *ec2.ModifyInstanceAttributeInput:
		ids = []string{aws.ToString(in.InstanceId)}
	}
	arns := make([]string, len(ids))
	for i, id := range ids {
		arns[i] = instances + id
	}
	return service.On(arns...), nil
}
