package ec2sim

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// The condition keys of EC2's accesses: those EC2 documents for the resource types the
// simulator names (instance, image, spot-instances-request), beyond the global keys the door
// sets for every request (aws:RequestedRegion, aws:SourceIp, aws:CurrentTime…).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-policy-keys
const (
	keyRegion         = "ec2:Region"
	keyInstanceType   = "ec2:InstanceType"
	keyMarketType     = "ec2:InstanceMarketType"
	keyInstanceProf   = "ec2:InstanceProfile"
	keyZone           = "ec2:AvailabilityZone"
	keyImageID        = "ec2:ImageID"
	keyImageType      = "ec2:ImageType"
	keyOwner          = "ec2:Owner"
	keyPublic         = "ec2:Public"
	keyRootDeviceType = "ec2:RootDeviceType"
	keyTagKeys        = "aws:TagKeys"
	keyCreateAction   = "ec2:CreateAction"
)

// The keys of iam:PassRole, the permission to hand EC2 a role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
const (
	keyPassedToService  = "iam:PassedToService"
	keyAssociatedARN    = "iam:AssociatedResourceArn"
	ec2ServicePrincipal = "ec2.amazonaws.com"
)

// cond is one access's condition keys.
type cond map[string]string

// regionCond is the key every EC2 access has: the region of the request.
func regionCond(region string) cond { return cond{keyRegion: region} }

// resourceTags adds the tags of an existing resource, as ec2:ResourceTag/KEY and its global
// twin aws:ResourceTag/KEY.
func (c cond) resourceTags(t tags) {
	for k, v := range t {
		c["ec2:ResourceTag/"+k] = v
		c["aws:ResourceTag/"+k] = v
	}
}

// access is the request's own action on resource with c, and aws:RequestTag/KEY and
// aws:TagKeys for the tags the request gives the resource as it makes it.
//
// aws:TagKeys holds every key at once, and [service.Access] takes one value per key: until it
// takes several, a resource given more than one tag key is one access per key, each with that
// key. That is exact for the forms AWS's examples use — ForAllValues:StringEquals in an Allow
// (each key must be listed), ForAnyValue:StringEquals in a Deny (any listed key refuses) — and
// stricter than AWS for ForAnyValue in an Allow, which then needs every key listed.
func access(resource string, c cond, requestTags tags) []service.Access {
	for k, v := range requestTags {
		c["aws:RequestTag/"+k] = v
	}
	keys := slices.Sorted(maps.Keys(requestTags))
	if len(keys) <= 1 {
		if len(keys) == 1 {
			c[keyTagKeys] = keys[0]
		}
		return []service.Access{{Resource: resource, Context: c}}
	}
	out := make([]service.Access, len(keys))
	for i, k := range keys {
		ck := maps.Clone(c)
		ck[keyTagKeys] = k
		out[i] = service.Access{Resource: resource, Context: ck}
	}
	return out
}

// specTags returns the tags of specs for resources of type rt: what aws:RequestTag names for
// that resource. Tags for other types are theirs; a bad specification is the operation's to
// refuse.
func specTags(specs []types.TagSpecification, rt types.ResourceType) tags {
	t := tags{}
	for _, sp := range specs {
		if sp.ResourceType == rt {
			t.add(sp.Tags)
		}
	}
	return t
}

// runAccesses are RunInstances': the new instances (instance/*), with the instance type,
// market, Availability Zone (when the request names it), instance profile and the instances'
// tags; the image, with what the catalog says of it; the new volumes (volume/*) and network
// interfaces (network-interface/*) with their tags; the Spot requests it makes
// (spot-instances-request/*) with their tags, when it launches Spot Instances; and passing
// the instance profile's role to EC2 for new instances.
func (s *Store) runAccesses(region string, in *ec2.RunInstancesInput) []service.Access {
	c := regionCond(region)
	typ := in.InstanceType
	if typ == "" {
		typ = types.InstanceTypeM1Small // RunInstances' default: checkLaunch
	}
	c[keyInstanceType] = string(typ)
	c[keyMarketType] = "on-demand"
	if mo := in.InstanceMarketOptions; mo != nil && mo.MarketType != "" {
		c[keyMarketType] = string(mo.MarketType)
	}
	if p := in.Placement; p != nil && p.AvailabilityZone != nil {
		c[keyZone] = *p.AvailabilityZone
	}
	prof, hasProfile := s.profileOf(in.IamInstanceProfile)
	if hasProfile {
		c[keyInstanceProf] = prof.ARN
	}
	out := access(s.arn(region, "instance/*"), c, specTags(in.TagSpecifications, types.ResourceTypeInstance))
	out = append(out, s.imageAccess(region, aws.ToString(in.ImageId)))
	// The volumes and the network interface a launch makes are resources of the action too,
	// which AWS requires a policy to allow (its examples name volume/* and network-interface/*).
	out = append(out, access(s.arn(region, "volume/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeVolume))...)
	out = append(out, access(s.arn(region, "network-interface/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeNetworkInterface))...)
	if in.InstanceMarketOptions != nil {
		out = append(out, access(s.arn(region, "spot-instances-request/*"), regionCond(region),
			specTags(in.TagSpecifications, types.ResourceTypeSpotInstancesRequest))...)
	}
	if hasProfile {
		out = append(out, passRole(prof, s.arn(region, "instance/*"))...)
	}
	return out
}

// spotAccesses are RequestSpotInstances': the new requests with their tags, the image of the
// launch specification, and passing its instance profile's role to EC2 for the instances the
// requests will launch.
func (s *Store) spotAccesses(region string, in *ec2.RequestSpotInstancesInput) []service.Access {
	out := access(s.arn(region, "spot-instances-request/*"), regionCond(region),
		specTags(in.TagSpecifications, types.ResourceTypeSpotInstancesRequest))
	if spec := in.LaunchSpecification; spec != nil {
		out = append(out, s.imageAccess(region, aws.ToString(spec.ImageId)))
		if prof, ok := s.profileOf(spec.IamInstanceProfile); ok {
			out = append(out, passRole(prof, s.arn(region, "instance/*"))...)
		}
	}
	return out
}

// profileOf resolves the instance profile a request names, by ARN before name as the
// operation does; ok is false when it names none, or one IAM does not have (the operation
// refuses that with its own error).
func (s *Store) profileOf(p *types.IamInstanceProfileSpecification) (Profile, bool) {
	switch {
	case p == nil:
		return Profile{}, false
	case p.Arn != nil:
		return s.profiles(*p.Arn)
	case p.Name != nil:
		return s.profiles(*p.Name)
	}
	return Profile{}, false
}

// passRole is the permission to pass prof's role to EC2 for the instance associated (its ARN,
// or instance/* for instances not launched yet, as AWS names them), or for an instance not
// known when associated is "". A profile without a role passes nothing.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permission-to-pass-iam-roles.html
func passRole(prof Profile, associated string) []service.Access {
	if prof.Role == "" {
		return nil
	}
	c := map[string]string{keyPassedToService: ec2ServicePrincipal}
	if associated != "" {
		c[keyAssociatedARN] = associated
	}
	return []service.Access{{Action: "iam:PassRole", Resource: prof.Role, Context: c}}
}

// instanceAccesses are the accesses to existing instances ids: each with its type, market,
// zone, instance profile and tags, as the store has them. An instance the store does not have
// has its ARN and region only; the operation answers that it does not exist, if the caller
// may ask.
func (s *Store) instanceAccesses(region string, ids []string) []service.Access {
	if len(ids) == 0 {
		return []service.Access{{Resource: "*", Context: regionCond(region)}}
	}
	out := make([]service.Access, len(ids))
	s.peek(region, func(r *regionState) {
		for n, id := range ids {
			c := regionCond(region)
			if i := r.instance(id); i != nil {
				c[keyInstanceType] = string(i.Type)
				c[keyZone] = i.Zone.Name
				c[keyMarketType] = "on-demand"
				if i.Spot != nil {
					c[keyMarketType] = string(types.MarketTypeSpot)
				}
				if i.Profile.ARN != "" {
					c[keyInstanceProf] = i.Profile.ARN
				}
				c.resourceTags(i.Tags)
			}
			out[n] = service.Access{Resource: s.arn(region, "instance/"+id), Context: c}
		}
	})
	return out
}

// spotRequestAccesses are the accesses to existing Spot requests ids, each with its tags.
func (s *Store) spotRequestAccesses(region string, ids []string) []service.Access {
	if len(ids) == 0 {
		return []service.Access{{Resource: "*", Context: regionCond(region)}}
	}
	out := make([]service.Access, len(ids))
	s.peek(region, func(r *regionState) {
		for n, id := range ids {
			c := regionCond(region)
			if r != nil {
				if q, ok := r.SpotRequests[id]; ok {
					c.resourceTags(q.Tags)
				}
			}
			out[n] = service.Access{Resource: s.arn(region, "spot-instances-request/"+id), Context: c}
		}
	})
	return out
}

// peek runs fn with the region's state under the read lock, or with nil when the region has
// not been used: authorizing a request must not make a region, nor play its Spot market.
func (s *Store) peek(region string, fn func(r *regionState)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn(s.regions[region])
}

// instance returns the instance called id, or nil; r may be nil.
func (r *regionState) instance(id string) *instance {
	if r == nil {
		return nil
	}
	return r.Instances[id]
}
