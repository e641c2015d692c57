package ec2sim

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The indexes kept through launches, tag changes, terminations, forgetting and subnets made
// and deleted are the ones built from the records, and the ones a loaded store builds; a
// filter on a tag sees the tags changed since the launch.
func TestIndexesAgreeWithRecords(t *testing.T) {
	ctx := core.WithRegion(context.Background(), "us-east-1")
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	s := NewStore("123456789012", core.NewClock(func() time.Time { return now }), core.NewIDs(1), nil)
	h := New(s)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	v, err := h.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(v, err)
	var subnets []string
	for _, block := range []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"} {
		sn, err := h.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(block)})
		must(sn, err)
		subnets = append(subnets, *sn.Subnet.SubnetId)
	}
	must(h.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(subnets[1])}))
	for _, name := range []string{"web", "db"} {
		must(h.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: v.Vpc.VpcId, GroupName: aws.String(name), Description: aws.String(name)}))
	}
	must(h.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: groupID(s, *v.Vpc.VpcId, "db")}))
	launch := func(subnet *string, tagKey string) string {
		t.Helper()
		out, err := h.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: subnet,
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: []types.Tag{{Key: aws.String(tagKey), Value: aws.String("x")}}}}})
		must(out, err)
		return *out.Instances[0].InstanceId
	}
	a, b := launch(aws.String(subnets[0]), "role"), launch(nil, "team")
	gone := launch(nil, "role")
	must(h.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{gone}}))
	now = now.Add(2 * time.Hour)
	ended := launch(nil, "team")
	must(h.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{ended}}))
	must(h.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{b}, Tags: []types.Tag{{Key: aws.String("role"), Value: aws.String("db")}}}))
	must(h.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{a}, Tags: []types.Tag{{Key: aws.String("role")}}}))

	got, err := h.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("tag:role"), Values: []string{"*"}}}})
	must(got, err)
	if len(got.Reservations) != 1 || *got.Reservations[0].Instances[0].InstanceId != b {
		t.Errorf("instances tagged role = %v, want only %s", got.Reservations, b)
	}
	b2, err := s.MarshalJSON()
	must(b2, err)
	loaded := NewStore("123456789012", s.clock, core.NewIDs(2), nil)
	if err := loaded.UnmarshalJSON(b2); err != nil {
		t.Fatal(err)
	}
	kept := s.regions["us-east-1"]
	built := newRegionState("us-east-1")
	built.Instances, built.Subnets, built.Groups = kept.Instances, kept.Subnets, kept.Groups
	built.reindexInstances()
	built.reindexSubnets()
	built.reindexGroups()
	want := indexIDs(built)
	if _, ok := want.byTagKey["role"][a]; ok || len(want.byVPC[*v.Vpc.VpcId]) != 1 || len(want.subnets[*v.Vpc.VpcId]) != 2 ||
		want.groups[*v.Vpc.VpcId+"/web"] == "" || want.groups[*v.Vpc.VpcId+"/db"] != "" {
		t.Errorf("index built from the records = %+v", want)
	}
	for name, r := range map[string]*regionState{"kept": kept, "loaded": loaded.regions["us-east-1"]} {
		if got := indexIDs(r); !reflect.DeepEqual(got, want) {
			t.Errorf("%s index = %+v, want %+v", name, got, want)
		}
	}
}

// ids is an index with the records by ID, to compare.
type ids struct {
	byState  map[types.InstanceStateName]map[string]bool
	byVPC    map[string]map[string]bool
	byTagKey map[string]map[string]bool
	subnets  map[string]map[string]bool
	groups   map[string]string // VPC/name → ID
	ended    []string
}

func indexIDs(r *regionState) ids {
	x := ids{
		byState: idSets(r.byState), byVPC: idSets(r.byVPC), byTagKey: idSets(r.byTagKey), subnets: idSets(r.subnetsByVPC),
		groups: map[string]string{}, ended: []string{},
	}
	for k, g := range r.groupsByName {
		x.groups[k.vpc+"/"+k.name] = g.ID
	}
	for _, i := range r.ended {
		x.ended = append(x.ended, i.ID)
	}
	return x
}

// groupID returns the ID of the group of vpc called name.
func groupID(s *Store, vpc, name string) *string {
	return aws.String(s.regions["us-east-1"].groupNamed(vpc, name).ID)
}

func idSets[K comparable, V record](m map[K]map[string]V) map[K]map[string]bool {
	out := map[K]map[string]bool{}
	for k, set := range m {
		out[k] = map[string]bool{}
		for _, id := range slices.Collect(maps.Keys(set)) {
			out[k][id] = true
		}
	}
	return out
}
