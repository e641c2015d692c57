package ec2sim

import (
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

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

// accesses names what an EC2 request acts on, with the condition keys EC2 documents for each
// (conditions.go), so that identity policies may name instances by ARN
// (arn:aws:ec2:region:account:instance/i-…) and by their properties and tags:
//
//   - RunInstances: the new instances (instance/*), the image, the Spot requests it makes
//     (spot-instances-request/*) when it launches Spot Instances, and iam:PassRole on the role
//     of its instance profile;
//   - RequestSpotInstances: the new requests, the image, and iam:PassRole on the role of the
//     launch specification's instance profile;
//   - CancelSpotInstanceRequests: each request (spot-instances-request/sir-…);
//   - StartInstances, StopInstances, RebootInstances, TerminateInstances: each instance;
//     Describe- and ModifyInstanceAttribute: the instance;
//   - the EBS operations (ebsaccess.go): CreateVolume the new volume (volume/*) with its
//     zone, type, size, IOPS, throughput, encryption and tags, and its snapshot; Attach- and
//     DetachVolume the instance and the volume; Delete- and ModifyVolume the volume;
//     CreateSnapshot the volume and the new snapshot (snapshot/*, an ARN without account);
//     DeleteSnapshot the snapshot; CopySnapshot the source and the new snapshot;
//   - the Elastic IP operations (addressaccess.go): AllocateAddress the new address
//     (elastic-ip/*) with its tags; Associate-, Disassociate- and ReleaseAddress the address
//     (elastic-ip/eipalloc-…, with ec2:AllocationId, ec2:PublicIpAddress, ec2:Domain), and
//     AssociateAddress the instance or network interface too;
//   - the image operations (imageaccess.go): CreateImage the new image (image/*, an ARN
//     without account), the instance and the new snapshots; RegisterImage the new image and
//     its snapshots; CopyImage the new image and the source; DeregisterImage and the image
//     attribute operations the image, with ec2:Owner, ec2:Public, ec2:ImageID …;
//   - AssociateIamInstanceProfile and ReplaceIamInstanceProfileAssociation (profileassoc.go):
//     the instance and iam:PassRole on the profile's role, with iam:AssociatedResourceArn the
//     instance; DisassociateIamInstanceProfile the instance;
//
// Other operations, which AWS authorizes on "*" or which the simulator does not name yet, act
// on "*". Every EC2 access carries ec2:Region.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) accesses(r *service.Request) ([]service.Access, error) {
	out, err := s.resourceAccesses(r)
	if err != nil {
		return nil, err
	}
	return append(out, s.createTagsOnCreate(r.Region, r.Op, r.In)...), nil
}

// createTagsOnCreate is the permission to tag what a request creates: ec2:CreateTags on each
// resource type its TagSpecifications tag (instance/*, volume/*, …), with ec2:CreateAction
// the operation and the tags as aws:RequestTag/… and aws:TagKeys. A request without tags
// needs none.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
func (s *Store) createTagsOnCreate(region, op string, in any) []service.Access {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	f := v.Elem().FieldByName("TagSpecifications")
	if !f.IsValid() {
		return nil
	}
	specs, ok := f.Interface().([]types.TagSpecification)
	if !ok {
		return nil
	}
	var out []service.Access
	seen := map[types.ResourceType]bool{}
	for _, sp := range specs {
		if sp.ResourceType == "" || len(sp.Tags) == 0 || seen[sp.ResourceType] {
			continue
		}
		seen[sp.ResourceType] = true
		c := regionCond(region)
		c[keyCreateAction] = op
		for _, a := range access(s.arn(region, string(sp.ResourceType)+"/*"), c, specTags(specs, sp.ResourceType)) {
			a.Action = "ec2:CreateTags"
			out = append(out, a)
		}
	}
	return out
}

// resourceAccesses are the request's own action on the resources it names.
func (s *Store) resourceAccesses(r *service.Request) ([]service.Access, error) {
	region := r.Region
	if out, ok := s.ebsAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.addressAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.netAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.eniAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.insightsAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.imageAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.profileAccesses(region, r.In); ok {
		return out, nil
	}
	if out, ok := s.vpcAccesses(region, r.In); ok {
		return out, nil
	}
	switch in := r.In.(type) {
	case *ec2.RunInstancesInput:
		return s.runAccesses(region, s.withTemplate(region, in)), nil
	case *ec2.RequestSpotInstancesInput:
		return s.spotAccesses(region, in), nil
	case *ec2.CancelSpotInstanceRequestsInput:
		return s.spotRequestAccesses(region, in.SpotInstanceRequestIds), nil
	case *ec2.StartInstancesInput:
		return s.instanceAccesses(region, in.InstanceIds), nil
	case *ec2.StopInstancesInput:
		return s.instanceAccesses(region, in.InstanceIds), nil
	case *ec2.RebootInstancesInput:
		return s.instanceAccesses(region, in.InstanceIds), nil
	case *ec2.TerminateInstancesInput:
		return s.instanceAccesses(region, in.InstanceIds), nil
	case *ec2.DescribeInstanceAttributeInput:
		return s.instanceAccesses(region, []string{aws.ToString(in.InstanceId)}), nil
	case *ec2.ModifyInstanceAttributeInput:
		return s.instanceAccesses(region, []string{aws.ToString(in.InstanceId)}), nil
	}
	return []service.Access{{Resource: "*", Context: regionCond(region)}}, nil
}
