package ec2sim

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// EC2 serves the EC2 API over a [Store]. Its methods have the SDK's signatures. It is safe for
// concurrent use.
type EC2 struct{ s *Store }

// New returns the EC2 service of s.
func New(s *Store) *EC2 { return &EC2{s: s} }

func optInStatus(r *region) string {
	if r.OptIn {
		return "not-opted-in"
	}
	return "opt-in-not-required"
}

// DescribeRegions lists the regions enabled for the account, or all with AllRegions.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
func (*EC2) DescribeRegions(ctx context.Context, in *ec2.DescribeRegionsInput) (*ec2.DescribeRegionsOutput, error) {
	fs := filters(in.Filters)
	if err := fs.check("endpoint", "opt-in-status", "region-name"); err != nil {
		return nil, err
	}
	for _, n := range in.RegionNames {
		if _, ok := lookupRegion(n); !ok {
			return nil, core.Errorf(InvalidParameterValue, "Invalid region names: %s", n)
		}
	}
	out := &ec2.DescribeRegionsOutput{Regions: make([]types.Region, 0, len(regions))}
	strs := make([]string, 0, 3*len(regions)) // one array behind every region's three strings
	for i := range regions {
		r := &regions[i]
		if len(in.RegionNames) > 0 && !slices.Contains(in.RegionNames, r.Name) {
			continue
		}
		if r.OptIn && !aws.ToBool(in.AllRegions) && len(in.RegionNames) == 0 {
			continue
		}
		endpoint := regionEndpoints[i]
		status := optInStatus(r)
		if !fs.match(func(name string) []string {
			switch name {
			case "endpoint":
				return []string{endpoint}
			case "opt-in-status":
				return []string{status}
			}
			return []string{r.Name}
		}) {
			continue
		}
		strs = append(strs, r.Name, endpoint, status)
		v := strs[len(strs)-3:]
		out.Regions = append(out.Regions, types.Region{RegionName: &v[0], Endpoint: &v[1], OptInStatus: &v[2]})
	}
	return out, nil
}

// regionEndpoints are the EC2 endpoints of regions, in their order.
var regionEndpoints = func() []string {
	out := make([]string, len(regions))
	for i, r := range regions {
		out[i] = "ec2." + r.Name + ".amazonaws.com"
	}
	return out
}()

// DescribeAvailabilityZones lists the zones of the request's region.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html
func (*EC2) DescribeAvailabilityZones(ctx context.Context, in *ec2.DescribeAvailabilityZonesInput) (*ec2.DescribeAvailabilityZonesOutput, error) {
	fs := filters(in.Filters)
	if err := fs.check("group-long-name", "group-name", "message", "opt-in-status", "parent-zone-id", "parent-zone-name",
		"region-name", "state", "zone-id", "zone-name", "zone-type"); err != nil {
		return nil, err
	}
	r, ok := lookupRegion(core.RegionFrom(ctx))
	if !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid region: %s", core.RegionFrom(ctx))
	}
	out := &ec2.DescribeAvailabilityZonesOutput{AvailabilityZones: []types.AvailabilityZone{}}
	found := map[string]bool{}
	for i, letter := range r.Zones {
		name := r.Name + letter
		id := zoneIDPrefix(r.Name) + "-az" + strconv.Itoa(r.ZoneIDs[i])
		if len(in.ZoneNames)+len(in.ZoneIds) > 0 && !slices.Contains(in.ZoneNames, name) && !slices.Contains(in.ZoneIds, id) {
			continue
		}
		found[name], found[id] = true, true
		z := types.AvailabilityZone{
			ZoneName: aws.String(name), ZoneId: aws.String(id), RegionName: aws.String(r.Name),
			State: types.AvailabilityZoneStateAvailable, OptInStatus: types.AvailabilityZoneOptInStatusOptInNotRequired,
			Messages: []types.AvailabilityZoneMessage{}, GroupName: aws.String(r.Name), NetworkBorderGroup: aws.String(r.Name),
			ZoneType: aws.String("availability-zone"), GroupLongName: aws.String(r.Description),
		}
		if !fs.match(func(f string) []string {
			switch f {
			case "zone-name":
				return []string{name}
			case "zone-id":
				return []string{id}
			case "region-name":
				return []string{r.Name}
			case "state":
				return []string{"available"}
			case "zone-type":
				return []string{"availability-zone"}
			case "group-name":
				return []string{r.Name}
			case "opt-in-status":
				return []string{"opt-in-not-required"}
			}
			return nil
		}) {
			continue
		}
		out.AvailabilityZones = append(out.AvailabilityZones, z)
	}
	for _, n := range append(slices.Clone(in.ZoneNames), in.ZoneIds...) {
		if !found[n] {
			return nil, core.Errorf(InvalidParameterValue, "The zone '%s' does not exist.", strings.TrimSpace(n))
		}
	}
	return out, nil
}
