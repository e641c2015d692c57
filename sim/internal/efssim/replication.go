package efssim

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// CreateReplicationConfiguration replicates an available file system to one destination: a
// new file system (in the destination region, the source's by default; encrypted, with the
// source's performance and throughput modes; One Zone when a zone is given) or an existing
// one whose replication overwrite protection is DISABLED. The destination is read-only, its
// protection REPLICATING; the replication is ENABLING for 2 minutes, then ENABLED.
// https://docs.aws.amazon.com/efs/latest/ug/API_CreateReplicationConfiguration.html
func (h *EFS) CreateReplicationConfiguration(ctx context.Context, in *efs.CreateReplicationConfigurationInput) (*efs.CreateReplicationConfigurationOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if len(in.Destinations) != 1 {
		return nil, errorf(ValidationException, "Destinations must have exactly one destination, not %d.", len(in.Destinations))
	}
	d := in.Destinations[0]
	dest := aws.ToString(d.Region)
	if dest == "" {
		dest = region
	}
	if !core.IsRegion(dest) {
		return nil, errorf(ValidationException, "Region '%s' is not a region EFS replicates to.", dest)
	}
	existing := aws.ToString(d.FileSystemId)
	if existing != "" && (d.AvailabilityZoneName != nil || d.KmsKeyId != nil) {
		return nil, errorf(ValidationException, "An existing destination file system takes no AvailabilityZoneName or KmsKeyId.")
	}
	var az, azID string
	if a := aws.ToString(d.AvailabilityZoneName); a != "" {
		id, ok, err := s.zone(core.WithRegion(ctx, dest), a)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf(UnsupportedAvailabilityZone, "Availability Zone %s is not supported in %s.", a, dest)
		}
		az, azID = a, id
	}
	var out *efs.CreateReplicationConfigurationOutput
	err := s.writeRegions([]string{region, dest}, func(rs map[string]*regionState) (bool, error) {
		now := s.clock.Now()
		src, err := fileSystemID(rs[region], aws.ToString(in.SourceFileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(src, now); err != nil {
			return false, err
		}
		if src.Replication != nil || src.ReplicaOf != nil {
			return false, errorf(ValidationException, "File system '%s' is already part of a replication configuration.", src.ID)
		}
		var to *fileSystem
		if existing != "" {
			if to, err = fileSystemID(rs[dest], existing, now); err != nil {
				return false, err
			}
			if to.ID == src.ID && dest == region {
				return false, errorf(ValidationException, "A file system cannot be its own replication destination.")
			}
			if to.Replication != nil || to.ReplicaOf != nil || to.Protection != string(types.ReplicationOverwriteProtectionDisabled) {
				return false, errorf(ConflictException, "File system '%s' cannot be a replication destination: its replication overwrite protection is %s; disable it with UpdateFileSystemProtection.", to.ID, to.Protection)
			}
			if err := available(to, now); err != nil {
				return false, err
			}
		} else {
			to = &fileSystem{Token: s.ids.Hex("replication-", 32), Created: now.Truncate(time.Second), Performance: src.Performance,
				Throughput: src.Throughput, Provisioned: src.Provisioned, Encrypted: true, AZ: az, AZID: azID, Backup: "DISABLED",
				Status: "creating", Since: now}
			if k := aws.ToString(d.KmsKeyId); k != "" {
				to.KmsKeyID = kmsKeyARN(s.account, dest, k)
			} else {
				to.KmsKeyID = s.defaultKey(dest)
			}
			to.ID = s.newID(rs[dest], "fs-")
			rs[dest].FileSystems[to.ID] = to
		}
		to.Protection = string(types.ReplicationOverwriteProtectionReplicating)
		to.ReplicaOf = &replicaOf{Region: region, FileSystem: src.ID}
		src.Replication = &replication{Created: now.Truncate(time.Second), Region: dest, FileSystem: to.ID, Role: aws.ToString(d.RoleArn)}
		r := s.describeReplication(region, src, now)
		out = &efs.CreateReplicationConfigurationOutput{CreationTime: r.CreationTime, Destinations: r.Destinations,
			OriginalSourceFileSystemArn: r.OriginalSourceFileSystemArn, SourceFileSystemArn: r.SourceFileSystemArn,
			SourceFileSystemId: r.SourceFileSystemId, SourceFileSystemRegion: r.SourceFileSystemRegion, SourceFileSystemOwnerId: r.SourceFileSystemOwnerId}
		return true, nil
	})
	return out, err
}

// describeReplication describes the replication of a source file system at now.
func (s *Store) describeReplication(region string, src *fileSystem, now time.Time) types.ReplicationConfigurationDescription {
	r := src.Replication
	arn := fsARN(s.account, region, src.ID)
	d := types.Destination{FileSystemId: aws.String(r.FileSystem), Region: aws.String(r.Region), Status: types.ReplicationStatusEnabling,
		OwnerId: aws.String(s.account)}
	if r.Role != "" {
		d.RoleArn = aws.String(r.Role)
	}
	if synced := r.Created.Add(replicationSync); !now.Before(synced) {
		d.Status, d.LastReplicatedTimestamp = types.ReplicationStatusEnabled, aws.Time(synced)
	}
	return types.ReplicationConfigurationDescription{CreationTime: aws.Time(r.Created), Destinations: []types.Destination{d},
		OriginalSourceFileSystemArn: aws.String(arn), SourceFileSystemArn: aws.String(arn), SourceFileSystemId: aws.String(src.ID),
		SourceFileSystemRegion: aws.String(region), SourceFileSystemOwnerId: aws.String(s.account)}
}

// DescribeReplicationConfigurations lists the region's replications whose source is in it,
// or the one a file system (its source or its destination) is part of.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeReplicationConfigurations.html
func (h *EFS) DescribeReplicationConfigurations(ctx context.Context, in *efs.DescribeReplicationConfigurationsInput) (*efs.DescribeReplicationConfigurationsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	max, err := maxItems(in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	out := &efs.DescribeReplicationConfigurationsOutput{Replications: []types.ReplicationConfigurationDescription{}}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	r := s.st.Regions[region]
	if r == nil {
		r = &regionState{}
	}
	if id := aws.ToString(in.FileSystemId); id != "" {
		f, err := fileSystemID(r, id, now)
		if err != nil {
			return nil, err
		}
		srcRegion, src := region, f
		if f.ReplicaOf != nil {
			srcRegion = f.ReplicaOf.Region
			src = nil
			if sr := s.st.Regions[srcRegion]; sr != nil {
				src = sr.FileSystems[f.ReplicaOf.FileSystem]
			}
		}
		if src == nil || src.Replication == nil {
			return nil, errorf(ReplicationNotFound, "No replication configuration found for file system '%s'.", f.ID)
		}
		out.Replications = append(out.Replications, s.describeReplication(srcRegion, src, now))
		return out, nil
	}
	var ids []string
	byID := map[string]*fileSystem{}
	for _, f := range r.FileSystems {
		if _, gone := f.phase(now); !gone && f.Replication != nil {
			ids = append(ids, f.ID)
			byID[f.ID] = f
		}
	}
	slices.Sort(ids)
	lo, hi, next, err := page(ids, aws.ToString(in.NextToken), max)
	if err != nil {
		return nil, err
	}
	for _, id := range ids[lo:hi] {
		out.Replications = append(out.Replications, s.describeReplication(region, byID[id], now))
	}
	out.NextToken = next
	return out, nil
}

// DeleteReplicationConfiguration ends a replication, from its source or its destination's
// side: the destination becomes writeable, its replication overwrite protection ENABLED.
// https://docs.aws.amazon.com/efs/latest/ug/API_DeleteReplicationConfiguration.html
func (h *EFS) DeleteReplicationConfiguration(ctx context.Context, in *efs.DeleteReplicationConfigurationInput) (*efs.DeleteReplicationConfigurationOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if m := in.DeletionMode; m != "" && m != types.DeletionModeAllConfigurations && m != types.DeletionModeLocalConfigurationOnly {
		return nil, errorf(BadRequest, "DeletionMode must be ALL_CONFIGURATIONS or LOCAL_CONFIGURATION_ONLY, not '%s'.", m)
	}
	// Find both ends first: the other may be in another region.
	var other string
	if err := s.read(region, func(r *regionState) error {
		f, err := fileSystemID(r, aws.ToString(in.SourceFileSystemId), s.clock.Now())
		if err != nil {
			return err
		}
		switch {
		case f.Replication != nil:
			other = f.Replication.Region
		case f.ReplicaOf != nil:
			other = f.ReplicaOf.Region
		default:
			return errorf(ReplicationNotFound, "No replication configuration found for file system '%s'.", f.ID)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	err := s.writeRegions([]string{region, other}, func(rs map[string]*regionState) (bool, error) {
		f, err := fileSystemID(rs[region], aws.ToString(in.SourceFileSystemId), s.clock.Now())
		if err != nil {
			return false, err
		}
		src, dst := f, (*fileSystem)(nil)
		if f.ReplicaOf != nil {
			dst, src = f, rs[f.ReplicaOf.Region].FileSystems[f.ReplicaOf.FileSystem]
		} else if f.Replication != nil {
			dst = rs[f.Replication.Region].FileSystems[f.Replication.FileSystem]
		}
		if src == nil || src.Replication == nil || dst == nil {
			return false, errorf(ReplicationNotFound, "No replication configuration found for file system '%s'.", f.ID)
		}
		src.Replication = nil
		dst.ReplicaOf = nil
		dst.Protection = string(types.ReplicationOverwriteProtectionEnabled)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.DeleteReplicationConfigurationOutput{}, nil
}
