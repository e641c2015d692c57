package ec2sim

import (
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// region is one commercial AWS region as EC2 describes it.
type region struct {
	Name        string
	Description string
	OptIn       bool     // launched after March 2019: an account must opt in
	Zones       []string // zone letters
	ZoneIDs     []int    // the number of each zone's ID (use1-az4), in the order of Zones
}

// regions are the commercial regions of the aws partition (botocore's endpoints.json names
// them), with their Availability Zones. Zone IDs are the same in every account; the letters
// map to IDs per account on AWS, and here with one fixed mapping.
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html (opt-in regions)
var regions = []region{
	{"af-south-1", "Africa (Cape Town)", true, abc, ids3},
	{"ap-east-1", "Asia Pacific (Hong Kong)", true, abc, ids3},
	{"ap-east-2", "Asia Pacific (Taipei)", true, abc, ids3},
	{"ap-northeast-1", "Asia Pacific (Tokyo)", false, []string{"a", "c", "d"}, []int{4, 1, 2}},
	{"ap-northeast-2", "Asia Pacific (Seoul)", false, []string{"a", "b", "c", "d"}, []int{1, 2, 3, 4}},
	{"ap-northeast-3", "Asia Pacific (Osaka)", false, abc, ids3},
	{"ap-south-1", "Asia Pacific (Mumbai)", false, abc, ids3},
	{"ap-south-2", "Asia Pacific (Hyderabad)", true, abc, ids3},
	{"ap-southeast-1", "Asia Pacific (Singapore)", false, abc, ids3},
	{"ap-southeast-2", "Asia Pacific (Sydney)", false, abc, ids3},
	{"ap-southeast-3", "Asia Pacific (Jakarta)", true, abc, ids3},
	{"ap-southeast-4", "Asia Pacific (Melbourne)", true, abc, ids3},
	{"ap-southeast-5", "Asia Pacific (Malaysia)", true, abc, ids3},
	{"ap-southeast-6", "Asia Pacific (New Zealand)", true, abc, ids3},
	{"ap-southeast-7", "Asia Pacific (Thailand)", true, abc, ids3},
	{"ca-central-1", "Canada (Central)", false, []string{"a", "b", "d"}, []int{1, 2, 4}},
	{"ca-west-1", "Canada West (Calgary)", true, abc, ids3},
	{"eu-central-1", "Europe (Frankfurt)", false, abc, ids3},
	{"eu-central-2", "Europe (Zurich)", true, abc, ids3},
	{"eu-north-1", "Europe (Stockholm)", false, abc, ids3},
	{"eu-south-1", "Europe (Milan)", true, abc, ids3},
	{"eu-south-2", "Europe (Spain)", true, abc, ids3},
	{"eu-west-1", "Europe (Ireland)", false, abc, ids3},
	{"eu-west-2", "Europe (London)", false, abc, ids3},
	{"eu-west-3", "Europe (Paris)", false, abc, ids3},
	{"il-central-1", "Israel (Tel Aviv)", true, abc, ids3},
	{"me-central-1", "Middle East (UAE)", true, abc, ids3},
	{"me-south-1", "Middle East (Bahrain)", true, abc, ids3},
	{"mx-central-1", "Mexico (Central)", true, abc, ids3},
	{"sa-east-1", "South America (Sao Paulo)", false, abc, ids3},
	{"us-east-1", "US East (N. Virginia)", false, []string{"a", "b", "c", "d", "e", "f"}, []int{6, 1, 2, 4, 3, 5}},
	{"us-east-2", "US East (Ohio)", false, abc, ids3},
	{"us-west-1", "US West (N. California)", false, []string{"a", "c"}, []int{1, 3}},
	{"us-west-2", "US West (Oregon)", false, []string{"a", "b", "c", "d"}, []int{1, 2, 3, 4}},
}

var (
	abc  = []string{"a", "b", "c"}
	ids3 = []int{1, 2, 3}
)

// RegionNames returns the names of the regions, which signatures may be scoped to: the
// partition's (core.Regions), which this table describes.
func RegionNames() []string { return core.Regions() }

// lookupRegion returns the region named name.
// RegionDescription returns a region's name as AWS writes it for people ("US East (N.
// Virginia)"), "" for a region it does not know.
func RegionDescription(name string) string {
	if r, ok := lookupRegion(name); ok {
		return r.Description
	}
	return ""
}

func lookupRegion(name string) (*region, bool) {
	for i := range regions {
		if regions[i].Name == name {
			return &regions[i], true
		}
	}
	return nil, false
}

// zoneIDPrefix returns the prefix of a region's zone IDs: use1 for us-east-1, apne1 for
// ap-northeast-1 — the country code, the initials of the direction, the number.
func zoneIDPrefix(name string) string {
	parts := strings.Split(name, "-")
	if len(parts) != 3 {
		return name
	}
	dir := map[string]string{
		"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
	}[parts[1]]
	return parts[0] + dir + parts[2]
}

// zone is one Availability Zone: its name (us-east-1a) and its ID (use1-az6).
type zone struct{ Name, ID string }

// zoneOf returns the i-th zone of a region.
func zoneOf(r *region, i int) zone {
	return zone{r.Name + r.Zones[i], zoneIDPrefix(r.Name) + "-az" + strconv.Itoa(r.ZoneIDs[i])}
}

// zones returns the zones of a region, in order.
func (r *region) zones() []zone {
	out := make([]zone, len(r.Zones))
	for i := range r.Zones {
		out[i] = zoneOf(r, i)
	}
	return out
}

// zoneNamed returns the zone of a region with the name or ID given.
func (r *region) zoneNamed(nameOrID string) (zone, bool) {
	for _, z := range r.zones() {
		if z.Name == nameOrID || z.ID == nameOrID {
			return z, true
		}
	}
	return zone{}, false
}
