package rdssim

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// The records as the SDK's types: fresh values, never shared with the store.

func (s *Store) arn(region, kind, id string) string {
	return "arn:aws:rds:" + region + ":" + s.account + ":" + kind + ":" + id
}

func sdkTags(ts []tag) []types.Tag {
	out := make([]types.Tag, len(ts))
	for i, t := range ts {
		out[i] = types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)}
	}
	return out
}

func (s *Store) dbInstance(region string, r *regionState, in *instance, now time.Time) types.DBInstance {
	status, _, _ := in.phase(now)
	out := types.DBInstance{
		DBInstanceIdentifier:       aws.String(in.ID),
		DBInstanceArn:              aws.String(s.arn(region, "db", in.ID)),
		DbiResourceId:              aws.String(in.ResourceID),
		DBInstanceClass:            aws.String(in.Class),
		Engine:                     aws.String(in.Engine),
		EngineVersion:              aws.String(in.Version),
		DBInstanceStatus:           aws.String(status),
		MasterUsername:             aws.String(in.Username),
		AllocatedStorage:           aws.Int32(in.Storage),
		StorageType:                aws.String(in.StorageType),
		InstanceCreateTime:         aws.Time(in.Created),
		PreferredBackupWindow:      aws.String("03:00-03:30"),
		PreferredMaintenanceWindow: aws.String("sun:05:00-sun:05:30"),
		BackupRetentionPeriod:      aws.Int32(in.BackupRetention),
		AvailabilityZone:           aws.String(in.AZ),
		MultiAZ:                    aws.Bool(in.MultiAZ),
		PubliclyAccessible:         aws.Bool(in.Public),
		DeletionProtection:         aws.Bool(in.Protected),
		StorageEncrypted:           aws.Bool(in.Encrypted),
		CopyTagsToSnapshot:         aws.Bool(in.CopyTags),
		AutoMinorVersionUpgrade:    aws.Bool(true),
		DbInstancePort:             aws.Int32(0),
		LicenseModel:               aws.String(findEngine(in.Engine).license),
		CACertificateIdentifier:    aws.String("rds-ca-rsa2048-g1"),
		NetworkType:                aws.String("IPV4"),
		BackupTarget:               aws.String("region"),
		TagList:                    sdkTags(in.Tags),
		DBParameterGroups: []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String(in.ParamGroup),
			ParameterApplyStatus: aws.String("in-sync")}},
		PendingModifiedValues: &types.PendingModifiedValues{},
	}
	if in.DBName != "" {
		out.DBName = aws.String(in.DBName)
	}
	if in.Iops > 0 {
		out.Iops = aws.Int32(in.Iops)
	}
	if in.SecondaryAZ != "" {
		out.SecondaryAvailabilityZone = aws.String(in.SecondaryAZ)
	}
	for _, g := range in.SecurityGroups {
		out.VpcSecurityGroups = append(out.VpcSecurityGroups, types.VpcSecurityGroupMembership{VpcSecurityGroupId: aws.String(g), Status: aws.String("active")})
	}
	if g := r.SubnetGroups[in.SubnetGroup]; g != nil {
		sg := s.dbSubnetGroup(region, g)
		sg.SubnetGroupStatus = aws.String("Complete")
		out.DBSubnetGroup = &sg
		out.DBSubnetGroup.DBSubnetGroupArn = nil
	}
	// The endpoint is there once the instance has been created.
	if status != "creating" {
		out.Endpoint = &types.Endpoint{
			Address: aws.String(in.ID + "." + s.endpointHash(region) + "." + region + ".rds.amazonaws.com"),
			Port:    aws.Int32(in.Port),
		}
		out.LatestRestorableTime = aws.Time(now.Truncate(5 * time.Minute))
	}
	if p := in.Pending; p != nil {
		pm := out.PendingModifiedValues
		if p.Class != "" {
			pm.DBInstanceClass = aws.String(p.Class)
		}
		if p.Storage != 0 {
			pm.AllocatedStorage = aws.Int32(p.Storage)
		}
		if p.Version != "" {
			pm.EngineVersion = aws.String(p.Version)
		}
		pm.BackupRetentionPeriod = p.BackupRetention
		pm.MultiAZ = p.MultiAZ
	}
	return out
}

func (s *Store) dbSubnetGroup(region string, g *subnetGroup) types.DBSubnetGroup {
	out := types.DBSubnetGroup{
		DBSubnetGroupName:        aws.String(g.Name),
		DBSubnetGroupDescription: aws.String(g.Description),
		DBSubnetGroupArn:         aws.String(s.arn(region, "subgrp", g.Name)),
		VpcId:                    aws.String(g.VPC),
		SubnetGroupStatus:        aws.String("Complete"),
		SupportedNetworkTypes:    []string{"IPV4"},
	}
	for _, sn := range g.Subnets {
		out.Subnets = append(out.Subnets, types.Subnet{
			SubnetIdentifier:       aws.String(sn.ID),
			SubnetAvailabilityZone: &types.AvailabilityZone{Name: aws.String(sn.AZ)},
			SubnetStatus:           aws.String("Active"),
		})
	}
	return out
}

func (s *Store) dbSnapshot(region string, sn *snapshot, now time.Time) types.DBSnapshot {
	status := sn.snapStatus(now)
	progress := int32(100)
	if status == "creating" {
		progress = int32(now.Sub(sn.Since) * 100 / snapshotTime)
	}
	out := types.DBSnapshot{
		DBSnapshotIdentifier: aws.String(sn.ID),
		DBSnapshotArn:        aws.String(s.arn(region, "snapshot", sn.ID)),
		DBInstanceIdentifier: aws.String(sn.Instance),
		DbiResourceId:        aws.String(sn.ResourceID),
		Engine:               aws.String(sn.Engine),
		EngineVersion:        aws.String(sn.Version),
		MasterUsername:       aws.String(sn.Username),
		AllocatedStorage:     aws.Int32(sn.Storage),
		StorageType:          aws.String(sn.StorageType),
		Port:                 aws.Int32(sn.Port),
		VpcId:                aws.String(sn.VPC),
		AvailabilityZone:     aws.String(sn.AZ),
		Encrypted:            aws.Bool(sn.Encrypted),
		SnapshotType:         aws.String(sn.Type),
		Status:               aws.String(status),
		PercentProgress:      aws.Int32(progress),
		InstanceCreateTime:   aws.Time(sn.InstanceAt),
		SnapshotCreateTime:   aws.Time(sn.Created),
		LicenseModel:         aws.String(findEngine(sn.Engine).license),
		TagList:              sdkTags(sn.Tags),
	}
	if sn.Iops > 0 {
		out.Iops = aws.Int32(sn.Iops)
	}
	return out
}

// page returns the items of one page, after marker, at most max (RDS's MaxRecords: 20 to 100,
// 100 by default), and the marker of the next page. Markers are opaque to clients: here the
// key of the page's first item, in base64.
func page[T any](items []T, key func(T) string, marker *string, max *int32) ([]T, *string, error) {
	n := 100
	if max != nil {
		if *max < 20 || *max > 100 {
			return nil, nil, errorf(InvalidParameterValue, "Invalid value %d for MaxRecords. Must be between 20 and 100", *max)
		}
		n = int(*max)
	}
	slices.SortFunc(items, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	start := 0
	if marker != nil && *marker != "" {
		k, err := base64.RawURLEncoding.DecodeString(*marker)
		if err != nil {
			return nil, nil, errorf(InvalidParameterValue, "Invalid marker: %s", *marker)
		}
		start, _ = slices.BinarySearchFunc(items, string(k), func(a T, k string) int { return strings.Compare(key(a), k) })
	}
	items = items[start:]
	if items == nil {
		items = []T{} // AWS writes the empty list's element: <DBSnapshots/>
	}
	if len(items) <= n {
		return items, nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(key(items[n])))
	return items[:n], &next, nil
}

var _ = strconv.Itoa
