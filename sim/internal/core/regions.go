package core

import "slices"

// regions are the commercial regions of the aws partition, as botocore's endpoints.json names
// them: the regions a request may be signed for. EC2 describes each (sim/internal/ec2sim's
// table, which a test keeps equal to this list).
var regions = []string{
	"af-south-1",
	"ap-east-1",
	"ap-east-2",
	"ap-northeast-1",
	"ap-northeast-2",
	"ap-northeast-3",
	"ap-south-1",
	"ap-south-2",
	"ap-southeast-1",
	"ap-southeast-2",
	"ap-southeast-3",
	"ap-southeast-4",
	"ap-southeast-5",
	"ap-southeast-6",
	"ap-southeast-7",
	"ca-central-1",
	"ca-west-1",
	"eu-central-1",
	"eu-central-2",
	"eu-north-1",
	"eu-south-1",
	"eu-south-2",
	"eu-west-1",
	"eu-west-2",
	"eu-west-3",
	"il-central-1",
	"me-central-1",
	"me-south-1",
	"mx-central-1",
	"sa-east-1",
	"us-east-1",
	"us-east-2",
	"us-west-1",
	"us-west-2",
}

// Regions returns the names of the partition's regions, sorted.
func Regions() []string { return slices.Clone(regions) }

// IsRegion reports whether name is one of the partition's regions.
func IsRegion(name string) bool {
	_, ok := slices.BinarySearch(regions, name)
	return ok
}
