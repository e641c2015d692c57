package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// wantHTTPStatus checks the HTTP status of an SDK error.
func wantHTTPStatus(t *testing.T, err error, status int) {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Errorf("status of %v is not %d", err, status)
	}
}

// newFileSystem creates a file system and waits for it to be available.
func newFileSystem(t *testing.T, c *conformance.Account, client *efs.Client, token string) string {
	t.Helper()
	out := must(client.CreateFileSystem(context.Background(), &efs.CreateFileSystemInput{CreationToken: aws.String(token)}))(t)
	c.Advance(t, 30*time.Second)
	return aws.ToString(out.FileSystemId)
}

// A file system's life: created with a token (the token makes it idempotent), described by ID,
// token and page, creating → available on the clock, updated, deleted.
func TestEFSFileSystemLifecycle(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := efs.NewFromConfig(c.Config())

		fs := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("uploads"),
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("wordpress")}}}))(t)
		id := aws.ToString(fs.FileSystemId)
		if !regexp.MustCompile(`^fs-[0-9a-f]{17}$`).MatchString(id) || fs.LifeCycleState != types.LifeCycleStateCreating ||
			aws.ToString(fs.FileSystemArn) != "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/"+id ||
			aws.ToString(fs.Name) != "wordpress" || fs.PerformanceMode != types.PerformanceModeGeneralPurpose ||
			fs.ThroughputMode != types.ThroughputModeBursting || aws.ToBool(fs.Encrypted) || fs.NumberOfMountTargets != 0 ||
			fs.SizeInBytes == nil || fs.SizeInBytes.Value != 0 || aws.ToString(fs.OwnerId) != "123456789012" ||
			fs.CreationTime == nil || fs.FileSystemProtection.ReplicationOverwriteProtection != types.ReplicationOverwriteProtectionEnabled {
			t.Errorf("new file system = %+v", fs)
		}

		_, err := client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("uploads")})
		wantCode(t, err, "FileSystemAlreadyExists")
		wantHTTPStatus(t, err, 409)
		var exists *types.FileSystemAlreadyExists
		if !errors.As(err, &exists) || aws.ToString(exists.FileSystemId) != id {
			t.Errorf("FileSystemAlreadyExists does not name %s: %#v", id, err)
		}

		_, err = client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: aws.String("fs-0123456789abcdef0")})
		wantCode(t, err, "FileSystemNotFound")
		wantHTTPStatus(t, err, 404)
		var nf *types.FileSystemNotFound
		if !errors.As(err, &nf) || aws.ToString(nf.ErrorCode_) != "FileSystemNotFound" || !strings.Contains(nf.ErrorMessage(), "fs-0123456789abcdef0") {
			t.Errorf("FileSystemNotFound = %#v", err)
		}

		byToken := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{CreationToken: aws.String("uploads")}))(t).FileSystems
		if len(byToken) != 1 || aws.ToString(byToken[0].FileSystemId) != id {
			t.Errorf("by token: %+v", byToken)
		}
		_, err = client.UpdateFileSystem(ctx, &efs.UpdateFileSystemInput{FileSystemId: &id, ThroughputMode: types.ThroughputModeElastic})
		wantCode(t, err, "IncorrectFileSystemLifeCycleState")

		c.Advance(t, 30*time.Second)
		got := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &id}))(t).FileSystems[0]
		if got.LifeCycleState != types.LifeCycleStateAvailable || got.SizeInBytes.Value != 6144 {
			t.Errorf("after 30s: %s, %d bytes", got.LifeCycleState, got.SizeInBytes.Value)
		}

		_, err = client.UpdateFileSystem(ctx, &efs.UpdateFileSystemInput{FileSystemId: &id, ThroughputMode: types.ThroughputModeProvisioned})
		wantCode(t, err, "BadRequest")
		up := must(client.UpdateFileSystem(ctx, &efs.UpdateFileSystemInput{FileSystemId: &id, ThroughputMode: types.ThroughputModeProvisioned,
			ProvisionedThroughputInMibps: aws.Float64(128)}))(t)
		if up.LifeCycleState != types.LifeCycleStateUpdating || aws.ToFloat64(up.ProvisionedThroughputInMibps) != 128 {
			t.Errorf("updated = %+v", up)
		}
		c.Advance(t, 10*time.Second)
		// An increase is allowed at any time; another change of mode only after 24 hours.
		must(client.UpdateFileSystem(ctx, &efs.UpdateFileSystemInput{FileSystemId: &id, ProvisionedThroughputInMibps: aws.Float64(256)}))(t)
		c.Advance(t, 10*time.Second)
		_, err = client.UpdateFileSystem(ctx, &efs.UpdateFileSystemInput{FileSystemId: &id, ThroughputMode: types.ThroughputModeElastic})
		wantCode(t, err, "TooManyRequests")
		wantHTTPStatus(t, err, 429)
		c.Advance(t, 24*time.Hour)
		must(client.UpdateFileSystem(ctx, &efs.UpdateFileSystemInput{FileSystemId: &id, ThroughputMode: types.ThroughputModeElastic}))(t)
		c.Advance(t, 10*time.Second)

		// Paging: five more, two at a time, oldest first.
		for i := range 5 {
			c.Advance(t, time.Second)
			must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String(fmt.Sprint("page-", i))}))(t)
		}
		var ids []string
		p := efs.NewDescribeFileSystemsPaginator(client, &efs.DescribeFileSystemsInput{MaxItems: aws.Int32(2)})
		pages := 0
		for p.HasMorePages() {
			out := must(p.NextPage(ctx))(t)
			pages++
			for _, f := range out.FileSystems {
				ids = append(ids, aws.ToString(f.CreationToken))
			}
		}
		if pages != 3 || strings.Join(ids, ",") != "uploads,page-0,page-1,page-2,page-3,page-4" {
			t.Errorf("%d pages: %v", pages, ids)
		}

		must(client.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: &id}))(t)
		if st := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &id}))(t).FileSystems[0].LifeCycleState; st != types.LifeCycleStateDeleting {
			t.Errorf("deleted: %s", st)
		}
		c.Advance(t, 30*time.Second)
		_, err = client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &id})
		wantCode(t, err, "FileSystemNotFound")
	})
}

// CreateFileSystem's rules on throughput, performance, encryption and zones.
func TestEFSCreateFileSystemRules(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, "moto", "moto 5 checks one of CreateFileSystem's rules (a KmsKeyId needs Encrypted), answers the others with a file system, and gives encrypted ones no KmsKeyId")
		client := efs.NewFromConfig(c.Config())
		for _, tc := range []struct {
			name string
			in   efs.CreateFileSystemInput
			code string
		}{
			{"provisioned without throughput", efs.CreateFileSystemInput{ThroughputMode: types.ThroughputModeProvisioned}, "BadRequest"},
			{"throughput without provisioned", efs.CreateFileSystemInput{ProvisionedThroughputInMibps: aws.Float64(10)}, "BadRequest"},
			{"maxIO with elastic", efs.CreateFileSystemInput{PerformanceMode: types.PerformanceModeMaxIo, ThroughputMode: types.ThroughputModeElastic}, "BadRequest"},
			{"key without encryption", efs.CreateFileSystemInput{KmsKeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")}, "BadRequest"},
			{"unknown zone", efs.CreateFileSystemInput{AvailabilityZoneName: aws.String("us-east-1z")}, "UnsupportedAvailabilityZone"},
			{"maxIO in one zone", efs.CreateFileSystemInput{AvailabilityZoneName: aws.String("us-east-1a"), PerformanceMode: types.PerformanceModeMaxIo}, "BadRequest"},
			{"bad tag", efs.CreateFileSystemInput{Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}}, "BadRequest"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateFileSystem(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		enc := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{Encrypted: aws.Bool(true), ThroughputMode: types.ThroughputModeElastic}))(t)
		if !regexp.MustCompile(`^arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]{36}$`).MatchString(aws.ToString(enc.KmsKeyId)) || enc.ThroughputMode != types.ThroughputModeElastic {
			t.Errorf("encrypted = %+v", enc)
		}
		oz := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{AvailabilityZoneName: aws.String("us-east-1b"),
			ThroughputMode: types.ThroughputModeProvisioned, ProvisionedThroughputInMibps: aws.Float64(64)}))(t)
		if aws.ToString(oz.AvailabilityZoneName) != "us-east-1b" || aws.ToString(oz.AvailabilityZoneId) == "" || aws.ToFloat64(oz.ProvisionedThroughputInMibps) != 64 {
			t.Errorf("one zone = %+v", oz)
		}
	})
}

// efsNetwork makes a VPC with subnets in two zones and a security group, and a second VPC
// with a subnet and a group of its own.
func efsNetwork(t *testing.T, cfg aws.Config) (vpc string, subnets []string, sg, otherSubnet, otherSG string) {
	t.Helper()
	ctx := context.Background()
	e := ec2.NewFromConfig(cfg)
	vpc, subnets, sg = rdsNetwork(t, cfg)
	other := *must(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")}))(t).Vpc.VpcId
	otherSubnet = *must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &other, CidrBlock: aws.String("10.30.1.0/24"), AvailabilityZone: aws.String("us-east-1c")}))(t).Subnet.SubnetId
	otherSG = *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("o"), Description: aws.String("o"), VpcId: &other}))(t).GroupId
	return
}

// Mount targets: one per zone and one VPC per file system, their addresses and security
// groups, their states on the clock, and the file system that cannot go while they exist.
func TestEFSMountTargets(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := efs.NewFromConfig(c.Config())
		vpc, subnets, sg, otherSubnet, otherSG := efsNetwork(t, c.Config())

		fresh := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("fresh")}))(t)
		_, err := client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: fresh.FileSystemId, SubnetId: &subnets[0]})
		wantCode(t, err, "IncorrectFileSystemLifeCycleState")
		wantHTTPStatus(t, err, 409)
		c.Advance(t, 30*time.Second)
		id := aws.ToString(fresh.FileSystemId)

		// No groups given: the VPC's default group.
		defaultSG := *must(ec2.NewFromConfig(c.Config()).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			filter("vpc-id", vpc), filter("group-name", "default")}}))(t).SecurityGroups[0].GroupId
		a := must(client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: &id, SubnetId: &subnets[0]}))(t)
		ip := netip.MustParseAddr(aws.ToString(a.IpAddress))
		if !regexp.MustCompile(`^fsmt-[0-9a-f]{17}$`).MatchString(aws.ToString(a.MountTargetId)) || a.LifeCycleState != types.LifeCycleStateCreating ||
			aws.ToString(a.VpcId) != vpc || aws.ToString(a.AvailabilityZoneName) != "us-east-1a" || aws.ToString(a.AvailabilityZoneId) == "" ||
			!netip.MustParsePrefix("10.20.1.0/24").Contains(ip) || ip == netip.MustParseAddr("10.20.1.255") ||
			!regexp.MustCompile(`^eni-[0-9a-f]{17}$`).MatchString(aws.ToString(a.NetworkInterfaceId)) {
			t.Errorf("mount target = %+v", a)
		}
		sgs := must(client.DescribeMountTargetSecurityGroups(ctx, &efs.DescribeMountTargetSecurityGroupsInput{MountTargetId: a.MountTargetId}))(t).SecurityGroups
		if len(sgs) != 1 || sgs[0] != defaultSG {
			t.Errorf("groups %v, want the default %s", sgs, defaultSG)
		}

		for _, tc := range []struct {
			name string
			in   efs.CreateMountTargetInput
			code string
		}{
			{"same zone", efs.CreateMountTargetInput{SubnetId: &subnets[0]}, "MountTargetConflict"},
			{"other VPC", efs.CreateMountTargetInput{SubnetId: &otherSubnet}, "MountTargetConflict"},
			{"no subnet", efs.CreateMountTargetInput{SubnetId: aws.String("subnet-0123456789abcdef0")}, "SubnetNotFound"},
			{"address in use", efs.CreateMountTargetInput{SubnetId: &subnets[1], IpAddress: a.IpAddress}, "BadRequest"}, // not of subnet 1
			{"address outside", efs.CreateMountTargetInput{SubnetId: &subnets[1], IpAddress: aws.String("10.99.0.9")}, "BadRequest"},
			{"reserved address", efs.CreateMountTargetInput{SubnetId: &subnets[1], IpAddress: aws.String("10.20.2.3")}, "BadRequest"},
			{"group of another VPC", efs.CreateMountTargetInput{SubnetId: &subnets[1], SecurityGroups: []string{otherSG}}, "SecurityGroupNotFound"},
			{"six groups", efs.CreateMountTargetInput{SubnetId: &subnets[1], SecurityGroups: []string{sg, sg, sg, sg, sg, sg}}, "SecurityGroupLimitExceeded"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.in.FileSystemId = &id
				_, err := client.CreateMountTarget(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		bmt := must(client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: &id, SubnetId: &subnets[1],
			IpAddress: aws.String("10.20.2.10"), SecurityGroups: []string{sg}}))(t)
		if aws.ToString(bmt.IpAddress) != "10.20.2.10" || aws.ToString(bmt.AvailabilityZoneName) != "us-east-1b" {
			t.Errorf("second = %+v", bmt)
		}
		// Another file system's mount target cannot take the address.
		other := newFileSystem(t, c, client, "other")
		_, err = client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: &other, SubnetId: &subnets[1], IpAddress: aws.String("10.20.2.10")})
		wantCode(t, err, "IpAddressInUse")

		mts := must(client.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{FileSystemId: &id}))(t).MountTargets
		if len(mts) != 2 {
			t.Errorf("%d mount targets", len(mts))
		}
		if n := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &id}))(t).FileSystems[0].NumberOfMountTargets; n != 2 {
			t.Errorf("NumberOfMountTargets = %d", n)
		}
		_, err = client.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{})
		wantCode(t, err, "BadRequest")
		_, err = client.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{MountTargetId: aws.String("fsmt-0123456789abcdef0")})
		wantCode(t, err, "MountTargetNotFound")
		wantHTTPStatus(t, err, 404)

		_, err = client.ModifyMountTargetSecurityGroups(ctx, &efs.ModifyMountTargetSecurityGroupsInput{MountTargetId: a.MountTargetId, SecurityGroups: []string{sg}})
		wantCode(t, err, "IncorrectMountTargetState")
		c.Advance(t, 90*time.Second)
		if st := must(client.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{MountTargetId: a.MountTargetId}))(t).MountTargets[0].LifeCycleState; st != types.LifeCycleStateAvailable {
			t.Errorf("after 90s: %s", st)
		}
		must(client.ModifyMountTargetSecurityGroups(ctx, &efs.ModifyMountTargetSecurityGroupsInput{MountTargetId: a.MountTargetId, SecurityGroups: []string{sg, defaultSG}}))(t)
		sgs = must(client.DescribeMountTargetSecurityGroups(ctx, &efs.DescribeMountTargetSecurityGroupsInput{MountTargetId: a.MountTargetId}))(t).SecurityGroups
		if len(sgs) != 2 {
			t.Errorf("groups after modify: %v", sgs)
		}

		_, err = client.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: &id})
		wantCode(t, err, "FileSystemInUse")
		wantHTTPStatus(t, err, 409)
		for _, m := range mts {
			must(client.DeleteMountTarget(ctx, &efs.DeleteMountTargetInput{MountTargetId: m.MountTargetId}))(t)
		}
		_, err = client.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: &id})
		wantCode(t, err, "FileSystemInUse") // still deleting
		c.Advance(t, time.Minute)
		must(client.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: &id}))(t)
	})
}

// Access points, lifecycle, file system and backup policies, and tags new and old.
func TestEFSAccessPointsPoliciesAndTags(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := efs.NewFromConfig(c.Config())
		id := newFileSystem(t, c, client, "shared")

		ap := must(client.CreateAccessPoint(ctx, &efs.CreateAccessPointInput{FileSystemId: &id,
			PosixUser: &types.PosixUser{Uid: aws.Int64(1000), Gid: aws.Int64(1000), SecondaryGids: []int64{4}},
			RootDirectory: &types.RootDirectory{Path: aws.String("/uploads"),
				CreationInfo: &types.CreationInfo{OwnerUid: aws.Int64(1000), OwnerGid: aws.Int64(1000), Permissions: aws.String("0755")}},
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}))(t)
		apID := aws.ToString(ap.AccessPointId)
		if !regexp.MustCompile(`^fsap-[0-9a-f]{17}$`).MatchString(apID) || aws.ToString(ap.Name) != "web" ||
			aws.ToString(ap.AccessPointArn) != "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/"+apID ||
			aws.ToString(ap.RootDirectory.CreationInfo.Permissions) != "0755" || aws.ToInt64(ap.PosixUser.Uid) != 1000 ||
			len(ap.PosixUser.SecondaryGids) != 1 || ap.LifeCycleState != types.LifeCycleStateCreating {
			t.Errorf("access point = %+v", ap)
		}
		_, err := client.CreateAccessPoint(ctx, &efs.CreateAccessPointInput{FileSystemId: &id, RootDirectory: &types.RootDirectory{Path: aws.String("relative")}})
		wantCode(t, err, "BadRequest")
		_, err = client.CreateAccessPoint(ctx, &efs.CreateAccessPointInput{FileSystemId: &id, ClientToken: ap.ClientToken})
		wantCode(t, err, "AccessPointAlreadyExists")
		aps := must(client.DescribeAccessPoints(ctx, &efs.DescribeAccessPointsInput{FileSystemId: &id}))(t).AccessPoints
		if len(aps) != 1 || aws.ToString(aps[0].RootDirectory.Path) != "/uploads" {
			t.Errorf("access points = %+v", aps)
		}
		must(client.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{AccessPointId: &apID}))(t)

		// Tags, on both kinds of resource, and through the old operations.
		must(client.TagResource(ctx, &efs.TagResourceInput{ResourceId: &apID, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}}))(t)
		if ts := must(client.ListTagsForResource(ctx, &efs.ListTagsForResourceInput{ResourceId: &apID}))(t).Tags; len(ts) != 2 {
			t.Errorf("access point tags = %+v", ts)
		}
		must(client.CreateTags(ctx, &efs.CreateTagsInput{FileSystemId: &id, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("media")},
			{Key: aws.String("env"), Value: aws.String("lab")}}}))(t)
		must(client.UntagResource(ctx, &efs.UntagResourceInput{ResourceId: &id, TagKeys: []string{"env", "absent"}}))(t)
		ts := must(client.DescribeTags(ctx, &efs.DescribeTagsInput{FileSystemId: &id}))(t).Tags
		if len(ts) != 1 || aws.ToString(ts[0].Value) != "media" {
			t.Errorf("file system tags = %+v", ts)
		}
		if n := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &id}))(t).FileSystems[0].Name; aws.ToString(n) != "media" {
			t.Errorf("Name = %q", aws.ToString(n))
		}
		must(client.DeleteTags(ctx, &efs.DeleteTagsInput{FileSystemId: &id, TagKeys: []string{"Name"}}))(t)
		_, err = client.ListTagsForResource(ctx, &efs.ListTagsForResourceInput{ResourceId: aws.String("fsap-0123456789abcdef0")})
		wantCode(t, err, "AccessPointNotFound")

		// Lifecycle.
		if lc := must(client.DescribeLifecycleConfiguration(ctx, &efs.DescribeLifecycleConfigurationInput{FileSystemId: &id}))(t).LifecyclePolicies; len(lc) != 0 {
			t.Errorf("new lifecycle = %+v", lc)
		}
		_, err = client.PutLifecycleConfiguration(ctx, &efs.PutLifecycleConfigurationInput{FileSystemId: &id, LifecyclePolicies: []types.LifecyclePolicy{
			{TransitionToIA: types.TransitionToIARulesAfter30Days, TransitionToArchive: types.TransitionToArchiveRulesAfter90Days}}})
		wantCode(t, err, "BadRequest")
		must(client.PutLifecycleConfiguration(ctx, &efs.PutLifecycleConfigurationInput{FileSystemId: &id, LifecyclePolicies: []types.LifecyclePolicy{
			{TransitionToIA: types.TransitionToIARulesAfter30Days}, {TransitionToPrimaryStorageClass: types.TransitionToPrimaryStorageClassRulesAfter1Access}}}))(t)
		if lc := must(client.DescribeLifecycleConfiguration(ctx, &efs.DescribeLifecycleConfigurationInput{FileSystemId: &id}))(t).LifecyclePolicies; len(lc) != 2 || lc[0].TransitionToIA != types.TransitionToIARulesAfter30Days {
			t.Errorf("lifecycle = %+v", lc)
		}

		// File system policy.
		_, err = client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: &id})
		wantCode(t, err, "PolicyNotFound")
		_, err = client.PutFileSystemPolicy(ctx, &efs.PutFileSystemPolicyInput{FileSystemId: &id, Policy: aws.String(`{"Statement":`)})
		wantCode(t, err, "InvalidPolicyException")
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Resource":"*"}]}`
		if p := must(client.PutFileSystemPolicy(ctx, &efs.PutFileSystemPolicyInput{FileSystemId: &id, Policy: &doc}))(t); aws.ToString(p.Policy) != doc {
			t.Errorf("put policy = %+v", p)
		}
		if p := must(client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: &id}))(t); aws.ToString(p.Policy) != doc {
			t.Errorf("policy = %+v", p)
		}
		must(client.DeleteFileSystemPolicy(ctx, &efs.DeleteFileSystemPolicyInput{FileSystemId: &id}))(t)
		_, err = client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: &id})
		wantCode(t, err, "PolicyNotFound")

		// Backup policy.
		if bp := must(client.DescribeBackupPolicy(ctx, &efs.DescribeBackupPolicyInput{FileSystemId: &id}))(t).BackupPolicy; bp.Status != types.StatusDisabled {
			t.Errorf("backup = %+v", bp)
		}
		_, err = client.PutBackupPolicy(ctx, &efs.PutBackupPolicyInput{FileSystemId: &id, BackupPolicy: &types.BackupPolicy{Status: types.StatusEnabling}})
		wantCode(t, err, "ValidationException")
		must(client.PutBackupPolicy(ctx, &efs.PutBackupPolicyInput{FileSystemId: &id, BackupPolicy: &types.BackupPolicy{Status: types.StatusEnabled}}))(t)
		if bp := must(client.DescribeBackupPolicy(ctx, &efs.DescribeBackupPolicyInput{FileSystemId: &id}))(t).BackupPolicy; bp.Status != types.StatusEnabled {
			t.Errorf("backup = %+v", bp)
		}

		// Replication overwrite protection.
		must(client.UpdateFileSystemProtection(ctx, &efs.UpdateFileSystemProtectionInput{FileSystemId: &id, ReplicationOverwriteProtection: types.ReplicationOverwriteProtectionDisabled}))(t)
		if p := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &id}))(t).FileSystems[0].FileSystemProtection; p.ReplicationOverwriteProtection != types.ReplicationOverwriteProtectionDisabled {
			t.Errorf("protection = %+v", p)
		}
		_, err = client.UpdateFileSystemProtection(ctx, &efs.UpdateFileSystemProtectionInput{FileSystemId: &id, ReplicationOverwriteProtection: types.ReplicationOverwriteProtectionReplicating})
		wantCode(t, err, "BadRequest")

		must(client.DeleteAccessPoint(ctx, &efs.DeleteAccessPointInput{AccessPointId: &apID}))(t)
		c.Advance(t, 5*time.Second)
		_, err = client.DescribeAccessPoints(ctx, &efs.DescribeAccessPointsInput{AccessPointId: &apID})
		wantCode(t, err, "AccessPointNotFound")
	})
}

// elasticfilesystem:<Operation> on the file system's ARN; a user needs no EC2 permission for
// EFS to read the network.
func TestEFSAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		root := efs.NewFromConfig(c.Config())
		_, subnets, _ := rdsNetwork(t, c.Config())
		id := newFileSystem(t, c, root, "team")
		alexCfg := newUser(t, c, "alex")
		alex := efs.NewFromConfig(alexCfg)
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("a"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["elasticfilesystem:CreateMountTarget","elasticfilesystem:DescribeMountTargets"],"Resource":"arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/` + id + `"}]}`)}))(t)
		mt := must(alex.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: &id, SubnetId: &subnets[0]}))(t)
		must(alex.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{MountTargetId: mt.MountTargetId}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := alex.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{})
		wantCode(t, err, "AccessDeniedException")
		wantHTTPStatus(t, err, 403)
		if !strings.Contains(err.Error(), "elasticfilesystem:DescribeFileSystems on resource: arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/*") {
			t.Errorf("the refusal does not say what: %v", err)
		}
		_, err = alex.DeleteMountTarget(ctx, &efs.DeleteMountTargetInput{MountTargetId: mt.MountTargetId})
		wantCode(t, err, "AccessDeniedException")

		// Encrypted file systems only, and tags on create need TagResource.
		sam := efs.NewFromConfig(newUser(t, c, "sam"))
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("sam"), PolicyName: aws.String("s"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticfilesystem:CreateFileSystem","Resource":"*","Condition":{"Bool":{"elasticfilesystem:Encrypted":"true"}}}]}`)}))(t)
		_, err = sam.CreateFileSystem(ctx, &efs.CreateFileSystemInput{})
		wantCode(t, err, "AccessDeniedException")
		_, err = sam.CreateFileSystem(ctx, &efs.CreateFileSystemInput{Encrypted: aws.Bool(true), Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("x")}}})
		wantCode(t, err, "AccessDeniedException")
		if !strings.Contains(err.Error(), "elasticfilesystem:TagResource") {
			t.Errorf("the refusal does not name TagResource: %v", err)
		}
		must(sam.CreateFileSystem(ctx, &efs.CreateFileSystemInput{Encrypted: aws.Bool(true)}))(t)
	})
}

// Many goroutines create, tag and describe file systems at once (run with -race).
func TestEFSConcurrent(t *testing.T) {
	c := sim.New(sim.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	client := efs.NewFromConfig(c.Config())
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String(fmt.Sprint("t-", i))})
			if err != nil {
				errs <- err
				return
			}
			if _, err := client.TagResource(ctx, &efs.TagResourceInput{ResourceId: out.FileSystemId, Tags: []types.Tag{{Key: aws.String("n"), Value: aws.String(fmt.Sprint(i))}}}); err != nil {
				errs <- err
			}
			if _, err := client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{}); err != nil {
				errs <- err
			}
			c.Advance(time.Second)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{}))(t).FileSystems); n != 16 {
		t.Errorf("%d file systems", n)
	}
}

// EFS's state is saved and loaded with the cloud's.
func TestEFSSaveLoad(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	client := efs.NewFromConfig(c.Config())
	fs := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("kept"), Encrypted: aws.Bool(true)}))(t)
	c.Advance(time.Minute)
	_, subnets, _ := rdsNetwork(t, c.Config())
	mt := must(client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: fs.FileSystemId, SubnetId: &subnets[0]}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	d.Advance(2 * time.Minute)
	loaded := efs.NewFromConfig(d.Config())
	got := must(loaded.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: fs.FileSystemId}))(t).FileSystems[0]
	if got.LifeCycleState != types.LifeCycleStateAvailable || aws.ToString(got.KmsKeyId) != aws.ToString(fs.KmsKeyId) || got.NumberOfMountTargets != 1 {
		t.Errorf("loaded %+v", got)
	}
	m := must(loaded.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{MountTargetId: mt.MountTargetId}))(t).MountTargets[0]
	if aws.ToString(m.IpAddress) != aws.ToString(mt.IpAddress) || m.LifeCycleState != types.LifeCycleStateAvailable {
		t.Errorf("loaded mount target %+v", m)
	}
}

// A cloud from Open keeps EFS's records across a reopen, and reading them writes nothing,
// even as their states move on the clock.
func TestEFSOpenKeepsState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	id := must(efs.NewFromConfig(c.Config()).CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("kept")}))(t).FileSystemId
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client := efs.NewFromConfig(c.Config())
	for _, d := range []time.Duration{0, time.Minute} {
		c.Advance(d)
		before := dirBytes(t, dir)
		st := must(client.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: id}))(t).FileSystems[0].LifeCycleState
		if want := map[time.Duration]types.LifeCycleState{0: "creating", time.Minute: "available"}[d]; st != want {
			t.Errorf("after %v: %s, want %s", d, st, want)
		}
		if after := dirBytes(t, dir); after != before {
			t.Errorf("reads wrote:\nbefore\n%s\nafter\n%s", before, after)
		}
	}
}

// The region's ID preference: long IDs, or short ones for new file systems once put.
func TestEFSAccountPreferences(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := efs.NewFromConfig(c.Config())
		p := must(client.DescribeAccountPreferences(ctx, &efs.DescribeAccountPreferencesInput{}))(t).ResourceIdPreference
		if p.ResourceIdType != types.ResourceIdTypeLongId || len(p.Resources) != 2 {
			t.Errorf("preference = %+v", p)
		}
		long := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("long")}))(t).FileSystemId
		must(client.PutAccountPreferences(ctx, &efs.PutAccountPreferencesInput{ResourceIdType: types.ResourceIdTypeShortId}))(t)
		short := must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("short")}))(t).FileSystemId
		if !regexp.MustCompile(`^fs-[0-9a-f]{8}$`).MatchString(aws.ToString(short)) || len(aws.ToString(long)) != 20 {
			t.Errorf("IDs %s, %s", aws.ToString(long), aws.ToString(short))
		}
		if p := must(client.DescribeAccountPreferences(ctx, &efs.DescribeAccountPreferencesInput{}))(t).ResourceIdPreference; p.ResourceIdType != types.ResourceIdTypeShortId {
			t.Errorf("preference = %+v", p)
		}
		_, err := client.PutAccountPreferences(ctx, &efs.PutAccountPreferencesInput{ResourceIdType: "MEDIUM_ID"})
		wantCode(t, err, "BadRequest")
		other := efs.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		if p := must(other.DescribeAccountPreferences(ctx, &efs.DescribeAccountPreferencesInput{}))(t).ResourceIdPreference; p.ResourceIdType != types.ResourceIdTypeLongId {
			t.Errorf("eu-west-1's preference = %+v", p)
		}
	})
}

// Replication to a new file system in another region, and to an existing one whose
// protection is disabled; the destination is read-only until the configuration is deleted,
// from either side.
func TestEFSReplication(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := efs.NewFromConfig(c.Config())
		ireland := efs.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		src := newFileSystem(t, c, client, "src")

		rc := must(client.CreateReplicationConfiguration(ctx, &efs.CreateReplicationConfigurationInput{SourceFileSystemId: &src,
			Destinations: []types.DestinationToCreate{{Region: aws.String("eu-west-1")}}}))(t)
		dst := aws.ToString(rc.Destinations[0].FileSystemId)
		if rc.Destinations[0].Status != types.ReplicationStatusEnabling || aws.ToString(rc.SourceFileSystemRegion) != "us-east-1" ||
			aws.ToString(rc.SourceFileSystemArn) != "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/"+src {
			t.Errorf("replication = %+v", rc)
		}
		d := must(ireland.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &dst}))(t).FileSystems[0]
		if d.FileSystemProtection.ReplicationOverwriteProtection != types.ReplicationOverwriteProtectionReplicating || !aws.ToBool(d.Encrypted) ||
			!strings.Contains(aws.ToString(d.KmsKeyId), ":eu-west-1:") {
			t.Errorf("destination = %+v", d)
		}
		_, err := client.CreateReplicationConfiguration(ctx, &efs.CreateReplicationConfigurationInput{SourceFileSystemId: &src,
			Destinations: []types.DestinationToCreate{{}}})
		wantCode(t, err, "ValidationException")
		_, err = client.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: &src})
		wantCode(t, err, "FileSystemInUse")
		c.Advance(t, 2*time.Minute)
		got := must(ireland.DescribeReplicationConfigurations(ctx, &efs.DescribeReplicationConfigurationsInput{FileSystemId: &dst}))(t).Replications
		if len(got) != 1 || aws.ToString(got[0].SourceFileSystemId) != src || got[0].Destinations[0].Status != types.ReplicationStatusEnabled ||
			got[0].Destinations[0].LastReplicatedTimestamp == nil {
			t.Errorf("from the destination: %+v", got)
		}
		_, err = ireland.UpdateFileSystemProtection(ctx, &efs.UpdateFileSystemProtectionInput{FileSystemId: &dst, ReplicationOverwriteProtection: types.ReplicationOverwriteProtectionEnabled})
		wantCode(t, err, "ReplicationAlreadyExists")
		must(ireland.DeleteReplicationConfiguration(ctx, &efs.DeleteReplicationConfigurationInput{SourceFileSystemId: &dst}))(t)
		if p := must(ireland.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: &dst}))(t).FileSystems[0].FileSystemProtection; p.ReplicationOverwriteProtection != types.ReplicationOverwriteProtectionEnabled {
			t.Errorf("after delete: %+v", p)
		}
		_, err = client.DescribeReplicationConfigurations(ctx, &efs.DescribeReplicationConfigurationsInput{FileSystemId: &src})
		wantCode(t, err, "ReplicationNotFound")
		wantHTTPStatus(t, err, 404)

		// To an existing file system: its protection must be disabled first.
		target := newFileSystem(t, c, client, "target")
		_, err = client.CreateReplicationConfiguration(ctx, &efs.CreateReplicationConfigurationInput{SourceFileSystemId: &src,
			Destinations: []types.DestinationToCreate{{FileSystemId: &target}}})
		wantCode(t, err, "ConflictException")
		must(client.UpdateFileSystemProtection(ctx, &efs.UpdateFileSystemProtectionInput{FileSystemId: &target, ReplicationOverwriteProtection: types.ReplicationOverwriteProtectionDisabled}))(t)
		must(client.CreateReplicationConfiguration(ctx, &efs.CreateReplicationConfigurationInput{SourceFileSystemId: &src,
			Destinations: []types.DestinationToCreate{{FileSystemId: &target}}}))(t)
		if n := len(must(client.DescribeReplicationConfigurations(ctx, &efs.DescribeReplicationConfigurationsInput{}))(t).Replications); n != 1 {
			t.Errorf("%d replications in us-east-1", n)
		}
		must(client.DeleteReplicationConfiguration(ctx, &efs.DeleteReplicationConfigurationInput{SourceFileSystemId: &src}))(t)
		must(client.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: &src}))(t)
	})
}
