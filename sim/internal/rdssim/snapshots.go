package rdssim

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// snapshotOf records a manual snapshot of inst, "creating" for a while; with tags given they
// are its tags, else the instance's when it copies tags to snapshots.
func (h *RDS) snapshotOf(r *regionState, inst *instance, id string, now time.Time, tags []tag) *snapshot {
	if tags == nil && inst.CopyTags {
		tags = append([]tag(nil), inst.Tags...)
	}
	sn := &snapshot{ID: id, Instance: inst.ID, ResourceID: inst.ResourceID, Engine: inst.Engine, Version: inst.Version,
		Username: inst.Username, Storage: inst.Storage, StorageType: inst.StorageType, Iops: inst.Iops, Port: inst.Port,
		VPC: inst.VPC, AZ: inst.AZ, Class: inst.Class, Encrypted: inst.Encrypted, Type: "manual",
		Created: now, Since: now, Status: "creating", InstanceAt: inst.Created, Tags: tags}
	if r.Snapshots == nil {
		r.Snapshots = map[string]*snapshot{}
	}
	r.Snapshots[id] = sn
	return sn
}

// CreateDBSnapshot snapshots an available instance: "creating", then "available".
func (h *RDS) CreateDBSnapshot(ctx context.Context, in *rds.CreateDBSnapshotInput) (*rds.CreateDBSnapshotOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	id, err := identifier("DBSnapshotIdentifier", in.DBSnapshotIdentifier, 255)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var out types.DBSnapshot
	err = s.write(region, func(r *regionState) (bool, error) {
		inst, err := getInstance(r, in.DBInstanceIdentifier, now)
		if err != nil {
			return false, err
		}
		if st, _, _ := inst.phase(now); st != "available" {
			return false, errorf(InvalidDBInstanceState, "Cannot create a snapshot because the database instance %s is not currently in the available state.", inst.ID)
		}
		if r.Snapshots[id] != nil {
			return false, errorf(DBSnapshotAlreadyExists, "Cannot create the snapshot because a snapshot with the identifier %s already exists.", id)
		}
		var tags []tag
		if len(in.Tags) > 0 {
			tags = tagsOf(in.Tags)
		}
		out = s.dbSnapshot(region, h.snapshotOf(r, inst, id, now, tags), now)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.CreateDBSnapshotOutput{DBSnapshot: &out}, nil
}

// DeleteDBSnapshot deletes an available manual snapshot.
func (h *RDS) DeleteDBSnapshot(ctx context.Context, in *rds.DeleteDBSnapshotInput) (*rds.DeleteDBSnapshotOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	id := strings.ToLower(aws.ToString(in.DBSnapshotIdentifier))
	if id == "" {
		return nil, mustProvide("DBSnapshotIdentifier")
	}
	now := s.clock.Now()
	var out types.DBSnapshot
	err := s.write(region, func(r *regionState) (bool, error) {
		sn := r.Snapshots[id]
		if sn == nil {
			return false, snapshotNotFound(aws.ToString(in.DBSnapshotIdentifier))
		}
		if st := sn.snapStatus(now); st != "available" {
			return false, errorf(InvalidDBSnapshotState, "Cannot delete the snapshot %s because it is %s.", id, st)
		}
		delete(r.Snapshots, id)
		out = s.dbSnapshot(region, sn, now)
		out.Status = aws.String("deleted")
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.DeleteDBSnapshotOutput{DBSnapshot: &out}, nil
}

var snapshotFilters = map[string]func(sn *snapshot, arn string) []string{
	"db-snapshot-id":  func(sn *snapshot, arn string) []string { return []string{sn.ID, arn} },
	"db-instance-id":  func(sn *snapshot, _ string) []string { return []string{sn.Instance} },
	"dbi-resource-id": func(sn *snapshot, _ string) []string { return []string{sn.ResourceID} },
	"snapshot-type":   func(sn *snapshot, _ string) []string { return []string{sn.Type} },
	"engine":          func(sn *snapshot, _ string) []string { return []string{sn.Engine} },
}

// DescribeDBSnapshots lists the region's manual snapshots: all, one, or an instance's.
func (h *RDS) DescribeDBSnapshots(ctx context.Context, in *rds.DescribeDBSnapshotsInput) (*rds.DescribeDBSnapshotsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if err := checkFilters(in.Filters, func(n string) bool { return snapshotFilters[n] != nil }); err != nil {
		return nil, err
	}
	if t := aws.ToString(in.SnapshotType); t != "" && t != "manual" && t != "automated" && t != "shared" && t != "public" && t != "awsbackup" {
		return nil, errorf(InvalidParameterValue, "Invalid snapshot type: %s", t)
	}
	now := s.clock.Now()
	want := strings.ToLower(arnID(aws.ToString(in.DBSnapshotIdentifier), "snapshot"))
	inst := strings.ToLower(arnID(aws.ToString(in.DBInstanceIdentifier), "db"))
	var list []types.DBSnapshot
	_ = s.read(region, func(r *regionState) error {
		if r == nil {
			return nil
		}
		for _, sn := range r.Snapshots {
			arn := s.arn(region, "snapshot", sn.ID)
			if want != "" && sn.ID != want || inst != "" && sn.Instance != inst ||
				in.SnapshotType != nil && *in.SnapshotType != sn.Type ||
				!matches(in.Filters, func(name string) []string { return snapshotFilters[name](sn, arn) }) {
				continue
			}
			list = append(list, s.dbSnapshot(region, sn, now))
		}
		return nil
	})
	if want != "" && len(list) == 0 {
		return nil, snapshotNotFound(aws.ToString(in.DBSnapshotIdentifier))
	}
	items, next, err := page(list, func(d types.DBSnapshot) string { return *d.DBSnapshotIdentifier }, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBSnapshotsOutput{DBSnapshots: items, Marker: next}, nil
}

// RestoreDBInstanceFromDBSnapshot makes a new instance from an available snapshot: its
// engine, version, storage, user and port, in the subnet group given (or "default").
func (h *RDS) RestoreDBInstanceFromDBSnapshot(ctx context.Context, in *rds.RestoreDBInstanceFromDBSnapshotInput) (*rds.RestoreDBInstanceFromDBSnapshotOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	id, err := identifier("DBInstanceIdentifier", in.DBInstanceIdentifier, 63)
	if err != nil {
		return nil, err
	}
	snapID := strings.ToLower(arnID(aws.ToString(in.DBSnapshotIdentifier), "snapshot"))
	if snapID == "" {
		return nil, mustProvide("DBSnapshotIdentifier")
	}
	now := s.clock.Now()
	var sn snapshot
	if err := s.read(region, func(r *regionState) error {
		if r == nil || r.Snapshots[snapID] == nil {
			return snapshotNotFound(aws.ToString(in.DBSnapshotIdentifier))
		}
		sn = *r.Snapshots[snapID]
		return nil
	}); err != nil {
		return nil, err
	}
	if st := sn.snapStatus(now); st != "available" {
		return nil, errorf(InvalidDBSnapshotState, "Snapshot %s is not in available state.", sn.ID)
	}
	e := findEngine(sn.Engine)
	ev, _ := e.version(sn.Version)
	class := aws.ToString(in.DBInstanceClass)
	if class == "" {
		class = sn.Class
	}
	if err := checkClass(e, class, sn.Version); err != nil {
		return nil, err
	}
	storage := sn.Storage
	if in.AllocatedStorage != nil {
		if *in.AllocatedStorage < sn.Storage {
			return nil, errorf(InvalidParameterValue, "Invalid storage size for engine name %s and storage type %s: %d", e.name, sn.StorageType, *in.AllocatedStorage)
		}
		storage = *in.AllocatedStorage
	}
	port := sn.Port
	if in.Port != nil {
		port = *in.Port
	}
	p, err := h.place(ctx, region, aws.ToString(in.DBSubnetGroupName), aws.ToString(in.AvailabilityZone), aws.ToBool(in.MultiAZ), in.VpcSecurityGroupIds)
	if err != nil {
		return nil, err
	}
	var out types.DBInstance
	err = s.write(region, func(r *regionState) (bool, error) {
		pg, err := admit(r, id, p, aws.ToString(in.DBParameterGroupName), ev)
		if err != nil {
			return false, err
		}
		inst := &instance{
			ID: id, ResourceID: "db-" + s.ids.Unique("")[:17] + s.ids.Unique("")[:9], Class: class,
			Engine: sn.Engine, Version: sn.Version, Username: sn.Username, Storage: storage, StorageType: sn.StorageType,
			Iops: sn.Iops, Port: port, SubnetGroup: p.group, VPC: p.vpc, AZ: p.az, SecondaryAZ: p.az2,
			SecurityGroups: p.security, ParamGroup: pg, MultiAZ: aws.ToBool(in.MultiAZ), Public: aws.ToBool(in.PubliclyAccessible),
			Protected: aws.ToBool(in.DeletionProtection), Encrypted: sn.Encrypted, CopyTags: aws.ToBool(in.CopyTagsToSnapshot),
			BackupRetention: 1, Status: "creating", Since: now, Created: now, Tags: tagsOf(in.Tags),
		}
		if r.Instances == nil {
			r.Instances = map[string]*instance{}
		}
		r.Instances[id] = inst
		out = s.dbInstance(region, r, inst, now)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.RestoreDBInstanceFromDBSnapshotOutput{DBInstance: &out}, nil
}
