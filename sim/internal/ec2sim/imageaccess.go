package ec2sim

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// imageARN is an image's ARN: like a snapshot's, it names no account.
func imageARN(region, id string) string { return "arn:aws:ec2:" + region + "::image/" + id }

// imageAccess is the access to image id: its owner ("amazon" for AWS's own images), type,
// root device and publicity, as the catalog or the account's images have them.
func (s *Store) imageAccess(region, id string) service.Access {
	c := regionCond(region)
	if im, ok := imageByID(region, id); ok {
		c[keyImageID] = im.ID
		c[keyImageType] = string(types.ImageTypeValuesMachine)
		c[keyPublic] = "true"
		c[keyRootDeviceType] = string(im.rootDeviceType())
		c[keyOwner] = im.Owner
		if im.Alias != "" {
			c[keyOwner] = im.Alias
		}
	} else {
		s.peek(region, func(r *regionState) {
			if r == nil || r.Images[id] == nil {
				return
			}
			o := r.Images[id]
			c[keyImageID] = o.ID
			c[keyImageType] = string(types.ImageTypeValuesMachine)
			c[keyPublic] = strconv.FormatBool(o.Public)
			c[keyRootDeviceType] = string(types.DeviceTypeEbs)
			c[keyOwner] = s.account
			c.resourceTags(o.Tags)
		})
	}
	return service.Access{Resource: imageARN(region, id), Context: c}
}

// imageAccesses names what the image operations act on, per the Service Authorization
// Reference: CreateImage the new image (image/*), the instance and the new snapshots
// (snapshot/*); RegisterImage the new image and its snapshots; CopyImage the new image and
// the source image; DeregisterImage and the attribute operations the image. ok is false for
// other operations.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) imageAccesses(region string, in any) ([]service.Access, bool) {
	newImage := func(specs []types.TagSpecification) []service.Access {
		return access(imageARN(region, "*"), regionCond(region), specTags(specs, types.ResourceTypeImage))
	}
	switch in := in.(type) {
	case *ec2.CreateImageInput:
		out := newImage(in.TagSpecifications)
		out = append(out, s.instanceAccesses(region, []string{aws.ToString(in.InstanceId)})...)
		c := regionCond(region)
		return append(out, access(snapshotARN(region, "*"), c, specTags(in.TagSpecifications, types.ResourceTypeSnapshot))...), true
	case *ec2.RegisterImageInput:
		out := newImage(in.TagSpecifications)
		for _, m := range in.BlockDeviceMappings {
			if m.Ebs != nil && m.Ebs.SnapshotId != nil {
				out = append(out, s.snapshotAccess(region, *m.Ebs.SnapshotId))
			}
		}
		return out, true
	case *ec2.CopyImageInput:
		out := newImage(in.TagSpecifications)
		return append(out, s.imageAccess(aws.ToString(in.SourceRegion), aws.ToString(in.SourceImageId))), true
	case *ec2.DeregisterImageInput:
		return []service.Access{s.imageAccess(region, aws.ToString(in.ImageId))}, true
	case *ec2.DescribeImageAttributeInput:
		return []service.Access{s.imageAccess(region, aws.ToString(in.ImageId))}, true
	case *ec2.ModifyImageAttributeInput:
		return []service.Access{s.imageAccess(region, aws.ToString(in.ImageId))}, true
	case *ec2.ResetImageAttributeInput:
		return []service.Access{s.imageAccess(region, aws.ToString(in.ImageId))}, true
	}
	return nil, false
}
