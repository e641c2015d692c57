package ec2sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var offeringFields = fields[types.InstanceTypeOffering]{
	"location":      func(o types.InstanceTypeOffering) []string { return one(*o.Location) },
	"instance-type": func(o types.InstanceTypeOffering) []string { return one(string(o.InstanceType)) },
}

// DescribeInstanceTypeOfferings lists where the simulator's instance types are offered: in the
// region (LocationType region, the default), or in each of its zones by name
// (availability-zone) or ID (availability-zone-id), with the filters location and
// instance-type, 5 to 1,000 a page. Every type of the table is offered in every zone of every
// region, which on AWS is true of the common types only.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html
func (h *EC2) DescribeInstanceTypeOfferings(ctx context.Context, in *ec2.DescribeInstanceTypeOfferingsInput) (*ec2.DescribeInstanceTypeOfferingsOutput, error) {
	region := core.RegionFrom(ctx)
	geo, ok := lookupRegion(region)
	if !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid region: %s", region)
	}
	lt := in.LocationType
	var locations []string
	switch lt {
	case "", types.LocationTypeRegion:
		lt, locations = types.LocationTypeRegion, []string{region}
	case types.LocationTypeAvailabilityZone, types.LocationTypeAvailabilityZoneId:
		for _, z := range geo.zones() {
			if lt == types.LocationTypeAvailabilityZone {
				locations = append(locations, z.Name)
			} else {
				locations = append(locations, z.ID)
			}
		}
	case types.LocationTypeOutpost:
		return nil, core.Errorf(core.NotImplemented, "The simulator has no Outposts: instance types are offered in regions and Availability Zones.")
	default:
		return nil, invalidValue("locationType", string(lt), "Valid values are region, availability-zone and availability-zone-id.")
	}
	var all []types.InstanceTypeOffering
	for _, loc := range locations {
		for _, it := range instanceTypes {
			all = append(all, types.InstanceTypeOffering{InstanceType: it.Name, LocationType: lt, Location: aws.String(loc)})
		}
	}
	out := &ec2.DescribeInstanceTypeOfferingsOutput{}
	var err error
	out.InstanceTypeOfferings, out.NextToken, err = describe(all, in.Filters, offeringFields, nil, in.MaxResults, in.NextToken)
	return out, err
}
