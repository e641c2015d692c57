package efssim

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// EFS is the handler: its methods are EFS's operations with the SDK's signatures.
type EFS struct{ s *Store }

// NewEFS returns the handler of the store's operations.
func NewEFS(s *Store) *EFS { return &EFS{s} }

// newFileSystemSize is the metered size of an empty file system: AWS reports 6 KiB of
// metadata for a new one once it is available (botocore's DescribeFileSystems example).
const newFileSystemSize = 6144

// throughputCooldown is how long after a change of throughput mode, or a decrease of
// provisioned throughput, another one is refused.
const throughputCooldown = 24 * time.Hour

// maxProvisioned is the most throughput a file system may be provisioned, in MiB/s.
const maxProvisioned = 3414

// CreateFileSystem makes a file system in state "creating"; it is "available" 30 seconds
// later on the simulator's clock. A creation token already used answers
// FileSystemAlreadyExists naming the file system made with it, which is how the operation is
// idempotent.
// https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html
func (h *EFS) CreateFileSystem(ctx context.Context, in *efs.CreateFileSystemInput) (*efs.CreateFileSystemOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	token := aws.ToString(in.CreationToken)
	if token == "" || len(token) > 64 {
		return nil, errorf(BadRequest, "CreationToken must be 1 to 64 characters long.")
	}
	f := &fileSystem{Token: token, Performance: string(in.PerformanceMode), Throughput: string(in.ThroughputMode),
		Encrypted: aws.ToBool(in.Encrypted), Backup: "DISABLED", Protection: "ENABLED", Status: "creating"}
	if f.Performance == "" {
		f.Performance = string(types.PerformanceModeGeneralPurpose)
	}
	if f.Throughput == "" {
		f.Throughput = string(types.ThroughputModeBursting) // the API's default (the console's is elastic)
	}
	if !slices.Contains(types.PerformanceMode("").Values(), types.PerformanceMode(f.Performance)) {
		return nil, errorf(BadRequest, "Invalid PerformanceMode %q: use generalPurpose or maxIO.", f.Performance)
	}
	prov, err := throughput(f.Throughput, in.ProvisionedThroughputInMibps)
	if err != nil {
		return nil, err
	}
	f.Provisioned = prov
	if f.Performance == string(types.PerformanceModeMaxIo) && f.Throughput == string(types.ThroughputModeElastic) {
		return nil, errorf(BadRequest, "Performance mode maxIO is not supported with throughput mode elastic.")
	}
	if k := aws.ToString(in.KmsKeyId); k != "" {
		if !f.Encrypted {
			return nil, errorf(BadRequest, "KmsKeyId can be given only for an encrypted file system: set Encrypted to true.")
		}
		f.KmsKeyID = kmsKeyARN(s.account, region, k)
	} else if f.Encrypted {
		f.KmsKeyID = s.defaultKey(region)
	}
	if az := aws.ToString(in.AvailabilityZoneName); az != "" {
		id, ok, err := s.zone(ctx, az)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf(UnsupportedAvailabilityZone, "Availability Zone %s is not supported in %s.", az, region)
		}
		if f.Performance == string(types.PerformanceModeMaxIo) {
			return nil, errorf(BadRequest, "One Zone file systems support only the generalPurpose performance mode.")
		}
		f.AZ, f.AZID = az, id
	}
	if aws.ToBool(in.Backup) {
		f.Backup = "ENABLED"
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	f.Tags = tags
	var out *efs.CreateFileSystemOutput
	err = s.write(region, func(r *regionState) (bool, error) {
		for _, o := range r.FileSystems {
			if o.Token == token {
				return false, errorf(FileSystemAlreadyExists, "File system '%s' already exists with creation token '%s'", o.ID, token).With("FileSystemId", o.ID)
			}
		}
		now := s.clock.Now()
		f.ID, f.Created, f.Since = s.newID(r, "fs-"), now.Truncate(time.Second), now
		r.FileSystems[f.ID] = f
		d := s.describe(region, r, f, now)
		out = &efs.CreateFileSystemOutput{}
		copyDescription(out, d)
		return true, nil
	})
	return out, err
}

// throughput checks a throughput mode and its provisioned MiB/s, and returns the latter.
func throughput(mode string, prov *float64) (float64, error) {
	if !slices.Contains(types.ThroughputMode("").Values(), types.ThroughputMode(mode)) {
		return 0, errorf(BadRequest, "Invalid ThroughputMode %q: use bursting, provisioned or elastic.", mode)
	}
	if mode != string(types.ThroughputModeProvisioned) {
		if prov != nil {
			return 0, errorf(BadRequest, "ProvisionedThroughputInMibps can be set only with ThroughputMode provisioned.")
		}
		return 0, nil
	}
	if prov == nil {
		return 0, errorf(BadRequest, "ThroughputMode provisioned needs ProvisionedThroughputInMibps.")
	}
	if p := *prov; math.IsNaN(p) || p < 1 || p > maxProvisioned {
		return 0, errorf(BadRequest, "ProvisionedThroughputInMibps must be between 1.0 and %d.0 MiB/s, not %v.", maxProvisioned, p)
	}
	return *prov, nil
}

// kmsKeyARN returns the ARN of a KMS key given by ID, ARN, alias name or alias ARN.
func kmsKeyARN(account, region, k string) string {
	switch {
	case strings.HasPrefix(k, "arn:"):
		return k
	case strings.HasPrefix(k, "alias/"):
		return "arn:aws:kms:" + region + ":" + account + ":" + k
	}
	return "arn:aws:kms:" + region + ":" + account + ":key/" + k
}

// defaultKey is the ARN of the account's AWS managed key for EFS (aws/elasticfilesystem) in
// a region: one key ID per account and region, as on AWS.
func (s *Store) defaultKey(region string) string {
	h := fnv.New128a()
	h.Write([]byte(s.account + "/" + region + "/aws/elasticfilesystem"))
	b := h.Sum(nil)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%x-%x-%x-%x-%x", region, s.account, b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// fsARN is a file system's ARN.
func fsARN(account, region, id string) string {
	return "arn:aws:elasticfilesystem:" + region + ":" + account + ":file-system/" + id
}

// describe returns the description of a file system at now; the caller holds the lock.
func (s *Store) describe(region string, r *regionState, f *fileSystem, now time.Time) types.FileSystemDescription {
	status, _ := f.phase(now)
	n := int32(0)
	for _, m := range r.MountTargets {
		if _, gone := m.phase(now); m.FileSystem == f.ID && !gone {
			n++
		}
	}
	size := int64(newFileSystemSize)
	if status == "creating" {
		size = 0 // metered once the file system exists (AWS's CreateFileSystem example shows 0)
	}
	d := types.FileSystemDescription{
		CreationTime: aws.Time(f.Created), CreationToken: aws.String(f.Token), FileSystemId: aws.String(f.ID),
		FileSystemArn: aws.String(fsARN(s.account, region, f.ID)), LifeCycleState: types.LifeCycleState(status),
		NumberOfMountTargets: n, OwnerId: aws.String(s.account), PerformanceMode: types.PerformanceMode(f.Performance),
		ThroughputMode: types.ThroughputMode(f.Throughput), Encrypted: aws.Bool(f.Encrypted), Tags: sdkTags(f.Tags),
		SizeInBytes:          &types.FileSystemSize{Value: size, ValueInStandard: aws.Int64(size), ValueInIA: aws.Int64(0), ValueInArchive: aws.Int64(0)},
		FileSystemProtection: &types.FileSystemProtectionDescription{ReplicationOverwriteProtection: types.ReplicationOverwriteProtection(f.Protection)},
	}
	if f.Provisioned > 0 {
		d.ProvisionedThroughputInMibps = aws.Float64(f.Provisioned)
	}
	if f.KmsKeyID != "" {
		d.KmsKeyId = aws.String(f.KmsKeyID)
	}
	if f.AZ != "" {
		d.AvailabilityZoneName, d.AvailabilityZoneId = aws.String(f.AZ), aws.String(f.AZID)
	}
	if name, ok := tagValue(f.Tags, "Name"); ok {
		d.Name = aws.String(name)
	}
	return d
}

// copyDescription copies a description into an output of the same members
// (CreateFileSystemOutput, UpdateFileSystemOutput).
func copyDescription[O *efs.CreateFileSystemOutput | *efs.UpdateFileSystemOutput](out O, d types.FileSystemDescription) {
	switch o := any(out).(type) {
	case *efs.CreateFileSystemOutput:
		*o = efs.CreateFileSystemOutput{CreationTime: d.CreationTime, CreationToken: d.CreationToken, FileSystemId: d.FileSystemId,
			LifeCycleState: d.LifeCycleState, NumberOfMountTargets: d.NumberOfMountTargets, OwnerId: d.OwnerId,
			PerformanceMode: d.PerformanceMode, SizeInBytes: d.SizeInBytes, Tags: d.Tags, AvailabilityZoneId: d.AvailabilityZoneId,
			AvailabilityZoneName: d.AvailabilityZoneName, Encrypted: d.Encrypted, FileSystemArn: d.FileSystemArn,
			FileSystemProtection: d.FileSystemProtection, KmsKeyId: d.KmsKeyId, Name: d.Name,
			ProvisionedThroughputInMibps: d.ProvisionedThroughputInMibps, ThroughputMode: d.ThroughputMode}
	case *efs.UpdateFileSystemOutput:
		*o = efs.UpdateFileSystemOutput{CreationTime: d.CreationTime, CreationToken: d.CreationToken, FileSystemId: d.FileSystemId,
			LifeCycleState: d.LifeCycleState, NumberOfMountTargets: d.NumberOfMountTargets, OwnerId: d.OwnerId,
			PerformanceMode: d.PerformanceMode, SizeInBytes: d.SizeInBytes, Tags: d.Tags, AvailabilityZoneId: d.AvailabilityZoneId,
			AvailabilityZoneName: d.AvailabilityZoneName, Encrypted: d.Encrypted, FileSystemArn: d.FileSystemArn,
			FileSystemProtection: d.FileSystemProtection, KmsKeyId: d.KmsKeyId, Name: d.Name,
			ProvisionedThroughputInMibps: d.ProvisionedThroughputInMibps, ThroughputMode: d.ThroughputMode}
	}
}

// fileSystemID returns the file system an ID or ARN names, not gone at now.
func fileSystemID(r *regionState, id string, now time.Time) (*fileSystem, error) {
	if i := strings.LastIndex(id, ":file-system/"); strings.HasPrefix(id, "arn:") && i > 0 {
		id = id[i+len(":file-system/"):]
	}
	f := r.FileSystems[id]
	if f != nil {
		if _, gone := f.phase(now); !gone {
			return f, nil
		}
	}
	return nil, errorf(FileSystemNotFound, "File system '%s' does not exist.", id)
}

// available checks that a file system is "available", as changes to it need.
func available(f *fileSystem, now time.Time) error {
	if st, _ := f.phase(now); st != "available" {
		return errorf(IncorrectFileSystemLifeCycleState, "File system '%s' is in the '%s' state; it must be 'available'.", f.ID, st)
	}
	return nil
}

// DescribeFileSystems lists the region's file systems, oldest first, or the one a
// FileSystemId or CreationToken names, MaxItems (at most 100) at a time.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html
func (h *EFS) DescribeFileSystems(ctx context.Context, in *efs.DescribeFileSystemsInput) (*efs.DescribeFileSystemsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if in.FileSystemId != nil && in.CreationToken != nil {
		return nil, errorf(BadRequest, "Specify either FileSystemId or CreationToken, not both.")
	}
	max, err := maxItems(in.MaxItems, 100)
	if err != nil {
		return nil, err
	}
	out := &efs.DescribeFileSystemsOutput{Marker: in.Marker}
	err = s.read(region, func(r *regionState) error {
		now := s.clock.Now()
		var fss []*fileSystem
		if in.FileSystemId != nil {
			f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
			if err != nil {
				return err
			}
			fss = []*fileSystem{f}
		} else {
			for _, f := range r.FileSystems {
				if _, gone := f.phase(now); !gone && (in.CreationToken == nil || f.Token == *in.CreationToken) {
					fss = append(fss, f)
				}
			}
		}
		slices.SortFunc(fss, func(a, b *fileSystem) int {
			if c := a.Created.Compare(b.Created); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		ids := make([]string, len(fss))
		for i, f := range fss {
			ids[i] = f.ID
		}
		lo, hi, next, err := page(ids, aws.ToString(in.Marker), max)
		if err != nil {
			return err
		}
		out.FileSystems = []types.FileSystemDescription{}
		for _, f := range fss[lo:hi] {
			out.FileSystems = append(out.FileSystems, s.describe(region, r, f, now))
		}
		out.NextMarker = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxItems checks a page size, def when not given.
func maxItems(n *int32, def int32) (int, error) {
	if n == nil {
		return int(def), nil
	}
	if *n < 1 {
		return 0, errorf(BadRequest, "MaxItems must be at least 1, not %d.", *n)
	}
	return int(min(*n, def)), nil
}

// page returns the bounds of the page of ids that starts at marker (an ID of the list,
// opaque to callers) and the marker of the next page, nil on the last.
func page(ids []string, marker string, max int) (lo, hi int, next *string, err error) {
	if marker != "" {
		lo = slices.Index(ids, marker)
		if lo < 0 {
			return 0, 0, nil, errorf(BadRequest, "Invalid Marker '%s'.", marker)
		}
	}
	hi = min(lo+max, len(ids))
	if hi < len(ids) {
		next = aws.String(ids[hi])
	}
	return lo, hi, next, nil
}

// UpdateFileSystem changes a file system's throughput mode or provisioned throughput; it is
// "updating" for 10 seconds.
// https://docs.aws.amazon.com/efs/latest/ug/API_UpdateFileSystem.html
func (h *EFS) UpdateFileSystem(ctx context.Context, in *efs.UpdateFileSystemInput) (*efs.UpdateFileSystemOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var out *efs.UpdateFileSystemOutput
	err := s.write(region, func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		mode := string(in.ThroughputMode)
		if mode == "" {
			mode = f.Throughput
		}
		prov, err := throughput(mode, in.ProvisionedThroughputInMibps)
		if mode == string(types.ThroughputModeProvisioned) && in.ProvisionedThroughputInMibps == nil && f.Throughput == mode {
			prov, err = f.Provisioned, nil
		}
		if err != nil {
			return false, err
		}
		if in.ThroughputMode == "" && in.ProvisionedThroughputInMibps == nil {
			return false, errorf(BadRequest, "Specify ThroughputMode or ProvisionedThroughputInMibps to update.")
		}
		if f.Performance == string(types.PerformanceModeMaxIo) && mode == string(types.ThroughputModeElastic) {
			return false, errorf(BadRequest, "Performance mode maxIO is not supported with throughput mode elastic.")
		}
		if mode != f.Throughput || prov < f.Provisioned {
			// https://docs.aws.amazon.com/efs/latest/ug/API_UpdateFileSystem.html (TooManyRequests)
			if !f.Throttled.IsZero() && now.Before(f.Throttled.Add(throughputCooldown)) {
				return false, errorf(TooManyRequests, "The throughput mode of file system '%s' was changed or its provisioned throughput decreased at %s: wait until %s.",
					f.ID, f.Throttled.Format(time.RFC3339), f.Throttled.Add(throughputCooldown).Format(time.RFC3339))
			}
			f.Throttled = now
		}
		f.Throughput, f.Provisioned = mode, prov
		f.Status, f.Since = "updating", now
		out = &efs.UpdateFileSystemOutput{}
		copyDescription(out, s.describe(region, r, f, now))
		return true, nil
	})
	return out, err
}

// DeleteFileSystem deletes a file system that has no mount targets: it is "deleting" for 30
// seconds, then gone. Its access points go with it.
// https://docs.aws.amazon.com/efs/latest/ug/API_DeleteFileSystem.html
func (h *EFS) DeleteFileSystem(ctx context.Context, in *efs.DeleteFileSystemInput) (*efs.DeleteFileSystemOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	err := s.write(region, func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if st, _ := f.phase(now); st == "deleting" {
			return false, nil
		}
		for _, m := range r.MountTargets {
			if _, gone := m.phase(now); m.FileSystem == f.ID && !gone {
				return false, errorf(FileSystemInUse, "File system '%s' is in use: delete its mount targets first.", f.ID)
			}
		}
		if f.Replication != nil || f.ReplicaOf != nil {
			// https://docs.aws.amazon.com/efs/latest/ug/delete-replications.html
			return false, errorf(FileSystemInUse, "File system '%s' is part of a replication configuration: delete the replication configuration first.", f.ID)
		}
		f.Status, f.Since = "deleting", now
		for _, a := range r.AccessPoints {
			if st, _ := a.phase(now); a.FileSystem == f.ID && st != "deleting" {
				a.Status, a.Since = "deleting", now
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.DeleteFileSystemOutput{}, nil
}

// UpdateFileSystemProtection turns a file system's replication overwrite protection on
// (ENABLED) or off (DISABLED); REPLICATING is the state of a replication's destination, which
// no one sets.
// https://docs.aws.amazon.com/efs/latest/ug/API_UpdateFileSystemProtection.html
func (h *EFS) UpdateFileSystemProtection(ctx context.Context, in *efs.UpdateFileSystemProtectionInput) (*efs.UpdateFileSystemProtectionOutput, error) {
	p := in.ReplicationOverwriteProtection
	if p != types.ReplicationOverwriteProtectionEnabled && p != types.ReplicationOverwriteProtectionDisabled {
		return nil, errorf(BadRequest, "ReplicationOverwriteProtection must be ENABLED or DISABLED, not '%s'.", p)
	}
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		if f.ReplicaOf != nil {
			return false, errorf(ReplicationAlreadyExists, "File system '%s' is the destination of a replication configuration.", f.ID)
		}
		f.Protection = string(p)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.UpdateFileSystemProtectionOutput{ReplicationOverwriteProtection: p}, nil
}
