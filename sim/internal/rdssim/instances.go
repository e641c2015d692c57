package rdssim

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// RDS is the handler: one method per operation, with the SDK client's signature.
type RDS struct{ s *Store }

// NewRDS returns the handler of s's operations.
func NewRDS(s *Store) *RDS { return &RDS{s} }

// identifier checks a DB instance or snapshot identifier as AWS does and returns it in lower
// case, as RDS stores identifiers: 1 to 63 (instances) or 255 (snapshots) letters, digits and
// hyphens, a letter first, no hyphen last or twice in a row.
func identifier(param string, v *string, max int) (string, error) {
	id := aws.ToString(v)
	if id == "" {
		return "", mustProvide(param)
	}
	ok := len(id) <= max && isLetter(id[0]) && id[len(id)-1] != '-' && !strings.Contains(id, "--")
	for i := 0; ok && i < len(id); i++ {
		ok = isLetter(id[i]) || id[i] >= '0' && id[i] <= '9' || id[i] == '-'
	}
	if !ok {
		return "", badIdentifier(param)
	}
	return strings.ToLower(id), nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// checkUsername applies the engine's rules for MasterUsername: 1 to 16 (MySQL, MariaDB) or 63
// (PostgreSQL) letters, digits and underscores, a letter first, not a name the engine keeps.
func checkUsername(e *engine, u string) error {
	ok := u != "" && len(u) <= e.userMax && isLetter(u[0])
	for i := 0; ok && i < len(u); i++ {
		ok = isLetter(u[i]) || u[i] >= '0' && u[i] <= '9' || u[i] == '_'
	}
	if !ok {
		return errorf(InvalidParameterValue, "The parameter MasterUsername is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and underscores; and must be 1 to %d characters for %s.", e.userMax, e.name)
	}
	if slices.Contains(e.reserved, strings.ToLower(u)) {
		return errorf(InvalidParameterValue, "MasterUsername %s cannot be used as it is a reserved word used by the engine", u)
	}
	return nil
}

// checkPassword applies RDS's rules for MasterUserPassword: 8 to 41 (MySQL, MariaDB) or 128
// (PostgreSQL) printable ASCII characters other than /, ", @ and space. The messages are
// AWS's (quoted in the AWS CLI's and Terraform's issue threads).
func checkPassword(e *engine, p string) error {
	if len(p) < 8 {
		return errorf(InvalidParameterValue, "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.")
	}
	if len(p) > e.passMax {
		return errorf(InvalidParameterValue, "The parameter MasterUserPassword is not a valid password because it is longer than %d characters.", e.passMax)
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c > '~' || c == '/' || c == '"' || c == '@' {
			return errorf(InvalidParameterValue, "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.")
		}
	}
	return nil
}

// checkStorage applies the storage rules of the three engines per storage type.
func checkStorage(e *engine, storageType string, size int32, iops int32) error {
	lim, ok := storageLimits[storageType]
	if !ok {
		return errorf(InvalidParameterValue, "Invalid storage type: %s", storageType)
	}
	if size < lim[0] || size > lim[1] {
		return errorf(InvalidParameterValue, "Invalid storage size for engine name %s and storage type %s: %d", e.name, storageType, size)
	}
	if (storageType == "io1" || storageType == "io2") && iops == 0 {
		return errorf(InvalidParameterCombination, "You must specify Iops for storage type %s.", storageType)
	}
	if iops > 0 && storageType != "io1" && storageType != "io2" && storageType != "gp3" {
		return errorf(InvalidParameterCombination, "You can't specify IOPS for storage type %s.", storageType)
	}
	return nil
}

func checkClass(e *engine, class, version string) error {
	if !slices.Contains(instanceClasses, class) {
		return errorf(InvalidParameterCombination, "RDS does not support creating a DB instance with the following combination: DBInstanceClass=%s, Engine=%s, EngineVersion=%s, LicenseModel=%s. For supported combinations of instance class and database engine version, see the documentation.", class, e.name, version, e.license)
	}
	return nil
}

// placement is where an instance goes: its subnet group (made, for "default", when missing),
// VPC, zones and security groups. It reads EC2, so it runs before the store is locked.
type placement struct {
	group    string
	made     *subnetGroup // the default group, to be stored
	vpc      string
	az, az2  string
	security []string
}

func (h *RDS) place(ctx context.Context, region, groupName, az string, multiAZ bool, sgs []string) (*placement, error) {
	s := h.s
	p := &placement{group: strings.ToLower(groupName)}
	if p.group == "" {
		p.group = "default"
	}
	var g *subnetGroup
	_ = s.read(region, func(r *regionState) error {
		if r != nil && r.SubnetGroups[p.group] != nil {
			cp := *r.SubnetGroups[p.group]
			g = &cp
		}
		return nil
	})
	if g == nil {
		if p.group != "default" {
			return nil, subnetGroupNotFound(groupName)
		}
		// With no DBSubnetGroupName, RDS uses the "default" group over the default VPC's
		// subnets, and makes it the first time (the RDS User Guide, "Working with a DB
		// instance in a VPC").
		vpc, sns, err := s.defaultSubnets(ctx)
		if err != nil {
			return nil, err
		}
		if err := coverAZs(sns); err != nil {
			return nil, err
		}
		g = &subnetGroup{Name: "default", Description: "default", VPC: vpc, Subnets: sns}
		p.made = g
	}
	p.vpc = g.VPC
	zones := azs(g.Subnets)
	switch {
	case az != "" && multiAZ:
		return nil, errorf(InvalidParameterCombination, "Requesting a specific availability zone is not valid for Multi-AZ instances.")
	case az != "":
		if !slices.Contains(zones, az) {
			return nil, errorf(InvalidParameterCombination, "No subnets in the DB subnet group %s are in the availability zone %s.", p.group, az)
		}
		p.az = az
	default:
		p.az = zones[0]
	}
	if multiAZ {
		for _, z := range zones {
			if z != p.az {
				p.az2 = z
				break
			}
		}
	}
	sec, err := s.securityGroups(ctx, sgs, g.VPC)
	if err != nil {
		return nil, err
	}
	p.security = sec
	return p, nil
}

// paramGroupFor checks a DBParameterGroupName for an engine version's family; "" is the
// family's default group.
// admit readies r for a new instance id at placement p (create or restore): no instance has
// the id, its parameter group (name, or the engine's default) is found, and the default
// subnet group that p made, if any, is stored. It returns the parameter group.
func admit(r *regionState, id string, p *placement, paramGroup string, ev engineVersion) (string, error) {
	if r.Instances[id] != nil {
		return "", errorf(DBInstanceAlreadyExists, "DB instance already exists")
	}
	pg, err := paramGroupFor(r, paramGroup, ev)
	if err != nil {
		return "", err
	}
	if p.made != nil && r.SubnetGroups["default"] == nil {
		if r.SubnetGroups == nil {
			r.SubnetGroups = map[string]*subnetGroup{}
		}
		r.SubnetGroups["default"] = p.made
	}
	return pg, nil
}

func paramGroupFor(r *regionState, name string, ev engineVersion) (string, error) {
	if name == "" {
		return "default." + ev.family, nil
	}
	key := strings.ToLower(name)
	if key == "default."+ev.family {
		return key, nil
	}
	var g *paramGroup
	if r != nil {
		g = r.ParamGroups[key]
	}
	if g == nil {
		return "", paramGroupNotFound(name)
	}
	if g.Family != ev.family {
		return "", errorf(InvalidParameterCombination, "The parameter group %s with DBParameterGroupFamily %s cannot be used for this instance. Please use a Parameter Group with DBParameterGroupFamily %s", g.Name, g.Family, ev.family)
	}
	return key, nil
}

func tagsOf(ts []types.Tag) []tag {
	var out []tag
	for _, t := range ts {
		out = setTag(out, aws.ToString(t.Key), aws.ToString(t.Value))
	}
	return out
}

func setTag(ts []tag, k, v string) []tag {
	for i := range ts {
		if ts[i].Key == k {
			ts[i].Value = v
			return ts
		}
	}
	return append(ts, tag{k, v})
}

// CreateDBInstance makes a DB instance record: "creating", then "backing-up", then
// "available" on the simulator's clock, with an endpoint once created.
func (h *RDS) CreateDBInstance(ctx context.Context, in *rds.CreateDBInstanceInput) (*rds.CreateDBInstanceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	id, err := identifier("DBInstanceIdentifier", in.DBInstanceIdentifier, 63)
	if err != nil {
		return nil, err
	}
	if aws.ToString(in.Engine) == "" {
		return nil, mustProvide("Engine")
	}
	e := findEngine(*in.Engine)
	if e == nil {
		return nil, errorf(InvalidParameterValue, "Invalid DB engine: %s", *in.Engine)
	}
	ev, ok := e.version(aws.ToString(in.EngineVersion))
	if !ok {
		return nil, errorf(InvalidParameterCombination, "Cannot find version %s for %s", aws.ToString(in.EngineVersion), e.name)
	}
	if aws.ToString(in.DBInstanceClass) == "" {
		return nil, mustProvide("DBInstanceClass")
	}
	if err := checkClass(e, *in.DBInstanceClass, ev.version); err != nil {
		return nil, err
	}
	if in.AllocatedStorage == nil {
		return nil, mustProvide("AllocatedStorage")
	}
	storageType := aws.ToString(in.StorageType)
	if storageType == "" {
		storageType = "gp2" // "Default: io1 if Iops is specified; otherwise gp2" (API reference)
		if in.Iops != nil {
			storageType = "io1"
		}
	}
	if err := checkStorage(e, storageType, *in.AllocatedStorage, aws.ToInt32(in.Iops)); err != nil {
		return nil, err
	}
	if aws.ToString(in.MasterUsername) == "" {
		return nil, mustProvide("MasterUsername")
	}
	if err := checkUsername(e, *in.MasterUsername); err != nil {
		return nil, err
	}
	switch {
	case aws.ToBool(in.ManageMasterUserPassword) && in.MasterUserPassword != nil:
		return nil, errorf(InvalidParameterCombination, "You can't specify MasterUserPassword and ManageMasterUserPassword together.")
	case aws.ToBool(in.ManageMasterUserPassword):
		return nil, core.Errorf(core.NotImplemented, "ManageMasterUserPassword (Secrets Manager) is not simulated.")
	case aws.ToString(in.MasterUserPassword) == "":
		return nil, mustProvide("MasterUserPassword")
	}
	if err := checkPassword(e, *in.MasterUserPassword); err != nil {
		return nil, err
	}
	retention := int32(1) // the API's default
	if in.BackupRetentionPeriod != nil {
		retention = *in.BackupRetentionPeriod
		if retention < 0 || retention > 35 {
			return nil, errorf(InvalidParameterValue, "Invalid backup retention period: %d. Must be between 0 and 35.", retention)
		}
	}
	port := e.port
	if in.Port != nil {
		port = *in.Port
		if port < 1150 || port > 65535 {
			return nil, errorf(InvalidParameterValue, "Invalid port: %d. Must be between 1150 and 65535.", port)
		}
	}
	p, err := h.place(ctx, region, aws.ToString(in.DBSubnetGroupName), aws.ToString(in.AvailabilityZone), aws.ToBool(in.MultiAZ), in.VpcSecurityGroupIds)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var out types.DBInstance
	err = s.write(region, func(r *regionState) (bool, error) {
		pg, err := admit(r, id, p, aws.ToString(in.DBParameterGroupName), ev)
		if err != nil {
			return false, err
		}
		inst := &instance{
			ID: id, ResourceID: "db-" + s.ids.Unique("")[:17] + s.ids.Unique("")[:9], Class: *in.DBInstanceClass,
			Engine: e.name, Version: ev.version, Username: *in.MasterUsername, DBName: aws.ToString(in.DBName),
			Storage: *in.AllocatedStorage, StorageType: storageType, Iops: aws.ToInt32(in.Iops), Port: port,
			SubnetGroup: p.group, VPC: p.vpc, AZ: p.az, SecondaryAZ: p.az2, SecurityGroups: p.security, ParamGroup: pg,
			MultiAZ: aws.ToBool(in.MultiAZ), Public: aws.ToBool(in.PubliclyAccessible), Protected: aws.ToBool(in.DeletionProtection),
			Encrypted: aws.ToBool(in.StorageEncrypted), CopyTags: aws.ToBool(in.CopyTagsToSnapshot), BackupRetention: retention,
			Status: "creating", Since: now, Created: now, Tags: tagsOf(in.Tags),
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
	return &rds.CreateDBInstanceOutput{DBInstance: &out}, nil
}

// instanceFilters are the filters DescribeDBInstances takes, with the value each matches.
var instanceFilters = map[string]func(in *instance, arn string) []string{
	"db-instance-id":  func(in *instance, arn string) []string { return []string{in.ID, arn} },
	"dbi-resource-id": func(in *instance, _ string) []string { return []string{in.ResourceID} },
	"engine":          func(in *instance, _ string) []string { return []string{in.Engine} },
	"db-cluster-id":   func(*instance, string) []string { return nil }, // no clusters
	"domain":          func(*instance, string) []string { return nil },
}

func checkFilters(fs []types.Filter, known func(string) bool) error {
	for _, f := range fs {
		if !known(aws.ToString(f.Name)) {
			return errorf(InvalidParameterValue, "Unrecognized filter name: %s", aws.ToString(f.Name))
		}
		if len(f.Values) == 0 {
			return errorf(InvalidParameterCombination, "At least one value must be specified for filter %s.", aws.ToString(f.Name))
		}
	}
	return nil
}

// DescribeDBInstances lists the region's instances, or the one named (by identifier or ARN),
// filtered and paged.
func (h *RDS) DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput) (*rds.DescribeDBInstancesOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if err := checkFilters(in.Filters, func(n string) bool { return instanceFilters[n] != nil }); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	want := strings.ToLower(arnID(aws.ToString(in.DBInstanceIdentifier), "db"))
	var list []types.DBInstance
	err := s.read(region, func(r *regionState) error {
		if r == nil {
			r = &regionState{}
		}
		for _, inst := range r.Instances {
			if _, _, gone := inst.phase(now); gone || want != "" && inst.ID != want {
				continue
			}
			arn := s.arn(region, "db", inst.ID)
			if !matches(in.Filters, func(name string) []string { return instanceFilters[name](inst, arn) }) {
				continue
			}
			list = append(list, s.dbInstance(region, r, inst, now))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if want != "" && len(list) == 0 {
		return nil, instanceNotFound(aws.ToString(in.DBInstanceIdentifier))
	}
	items, next, err := page(list, func(d types.DBInstance) string { return *d.DBInstanceIdentifier }, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBInstancesOutput{DBInstances: items, Marker: next}, nil
}

// matches reports whether every filter has a value among those values gives for its name.
func matches(fs []types.Filter, values func(name string) []string) bool {
	for _, f := range fs {
		have := values(aws.ToString(f.Name))
		if !slices.ContainsFunc(f.Values, func(v string) bool { return slices.Contains(have, v) }) {
			return false
		}
	}
	return true
}

// arnID returns the identifier of an RDS ARN of the kind ("db", "snapshot"), or s itself.
func arnID(s, kind string) string {
	if !strings.HasPrefix(s, "arn:") {
		return s
	}
	parts := strings.SplitN(s, ":", 7)
	if len(parts) == 7 && parts[2] == "rds" && parts[5] == kind {
		return parts[6]
	}
	return s
}

// getInstance returns the named instance of r that has not finished deleting, or an error.
func getInstance(r *regionState, idp *string, now time.Time) (*instance, error) {
	id := strings.ToLower(aws.ToString(idp))
	if id == "" {
		return nil, mustProvide("DBInstanceIdentifier")
	}
	var inst *instance
	if r != nil {
		inst = r.Instances[id]
	}
	if inst == nil {
		return nil, instanceNotFound(aws.ToString(idp))
	}
	if _, _, gone := inst.phase(now); gone {
		return nil, instanceNotFound(aws.ToString(idp))
	}
	return inst, nil
}

// transition moves an available (or, for from, other) instance to a timed state.
func (h *RDS) transition(ctx context.Context, idp *string, from, to string, refuse func(id string) *core.Error) (*types.DBInstance, error) {
	s, region := h.s, core.RegionFrom(ctx)
	now := s.clock.Now()
	var out types.DBInstance
	err := s.write(region, func(r *regionState) (bool, error) {
		inst, err := getInstance(r, idp, now)
		if err != nil {
			return false, err
		}
		if st, _, _ := inst.phase(now); st != from {
			return false, refuse(inst.ID)
		}
		inst.Status, inst.Since = to, now
		out = s.dbInstance(region, r, inst, now)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// StopDBInstance stops an available instance: "stopping", then "stopped".
func (h *RDS) StopDBInstance(ctx context.Context, in *rds.StopDBInstanceInput) (*rds.StopDBInstanceOutput, error) {
	out, err := h.transition(ctx, in.DBInstanceIdentifier, "available", "stopping", func(id string) *core.Error {
		return errorf(InvalidDBInstanceState, "Instance %s is not in available state.", id)
	})
	if err != nil {
		return nil, err
	}
	return &rds.StopDBInstanceOutput{DBInstance: out}, nil
}

// StartDBInstance starts a stopped instance: "starting", then "available".
func (h *RDS) StartDBInstance(ctx context.Context, in *rds.StartDBInstanceInput) (*rds.StartDBInstanceOutput, error) {
	out, err := h.transition(ctx, in.DBInstanceIdentifier, "stopped", "starting", func(id string) *core.Error {
		return errorf(InvalidDBInstanceState, "Instance %s is not stopped, it cannot be started.", id)
	})
	if err != nil {
		return nil, err
	}
	return &rds.StartDBInstanceOutput{DBInstance: out}, nil
}

// RebootDBInstance reboots an available instance: "rebooting", then "available".
func (h *RDS) RebootDBInstance(ctx context.Context, in *rds.RebootDBInstanceInput) (*rds.RebootDBInstanceOutput, error) {
	if aws.ToBool(in.ForceFailover) {
		return nil, core.Errorf(core.NotImplemented, "RebootDBInstance with ForceFailover is not simulated.")
	}
	out, err := h.transition(ctx, in.DBInstanceIdentifier, "available", "rebooting", func(id string) *core.Error {
		return errorf(InvalidDBInstanceState, "Instance %s is not in available state.", id)
	})
	if err != nil {
		return nil, err
	}
	return &rds.RebootDBInstanceOutput{DBInstance: out}, nil
}

// DeleteDBInstance deletes an instance ("deleting", then gone), after a final snapshot unless
// SkipFinalSnapshot; an instance with DeletionProtection is refused.
func (h *RDS) DeleteDBInstance(ctx context.Context, in *rds.DeleteDBInstanceInput) (*rds.DeleteDBInstanceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	skip := aws.ToBool(in.SkipFinalSnapshot)
	final := aws.ToString(in.FinalDBSnapshotIdentifier)
	switch {
	case !skip && final == "":
		return nil, errorf(InvalidParameterCombination, "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")
	case skip && final != "":
		return nil, errorf(InvalidParameterCombination, "Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.")
	}
	if final != "" {
		var err error
		if final, err = identifier("FinalDBSnapshotIdentifier", in.FinalDBSnapshotIdentifier, 255); err != nil {
			return nil, err
		}
	}
	now := s.clock.Now()
	var out types.DBInstance
	err := s.write(region, func(r *regionState) (bool, error) {
		inst, err := getInstance(r, in.DBInstanceIdentifier, now)
		if err != nil {
			return false, err
		}
		if inst.Protected {
			// AWS's message (the RDS User Guide, "Deletion protection").
			return false, errorf(InvalidParameterCombination, "Cannot delete protected DB Instance, please disable deletion protection and try again.")
		}
		st, _, _ := inst.phase(now)
		if st == "deleting" {
			return false, errorf(InvalidDBInstanceState, "Instance %s is already being deleted.", inst.ID)
		}
		if final != "" {
			if st != "available" && st != "stopped" && st != "backing-up" {
				return false, errorf(InvalidDBInstanceState, "Instance %s is currently %s - a final snapshot cannot be taken.", inst.ID, st)
			}
			if r.Snapshots[final] != nil {
				return false, errorf(DBSnapshotAlreadyExists, "Cannot create the snapshot because a snapshot with the identifier %s already exists.", final)
			}
			h.snapshotOf(r, inst, final, now, nil)
		}
		inst.Status, inst.Since = "deleting", now
		out = s.dbInstance(region, r, inst, now)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.DeleteDBInstanceOutput{DBInstance: &out}, nil
}

// ModifyDBInstance changes an available instance. With ApplyImmediately the changes (and any
// pending ones) take effect now and the instance is "modifying" for a while; without it the
// class, storage, engine version, backup retention and Multi-AZ wait in
// PendingModifiedValues for a maintenance window (which the simulator's clock never reaches:
// a later call with ApplyImmediately applies them). Passwords, security groups, public
// access, deletion protection and the parameter group apply at once either way, as on AWS.
func (h *RDS) ModifyDBInstance(ctx context.Context, in *rds.ModifyDBInstanceInput) (*rds.ModifyDBInstanceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	now := s.clock.Now()
	var cur instance
	if err := s.read(region, func(r *regionState) error {
		inst, err := getInstance(r, in.DBInstanceIdentifier, now)
		if err == nil {
			cur = *inst
		}
		return err
	}); err != nil {
		return nil, err
	}
	if in.NewDBInstanceIdentifier != nil || in.DBSubnetGroupName != nil || in.StorageType != nil || in.Iops != nil {
		return nil, core.Errorf(core.NotImplemented, "ModifyDBInstance of the identifier, subnet group or storage type is not simulated.")
	}
	e := findEngine(cur.Engine)
	var ev engineVersion
	if in.EngineVersion != nil {
		var ok bool
		if ev, ok = e.version(*in.EngineVersion); !ok {
			return nil, errorf(InvalidParameterCombination, "Cannot find version %s for %s", *in.EngineVersion, e.name)
		}
		if ev.version < cur.Version && ev.family == findFamily(e, cur.Version) {
			return nil, errorf(InvalidParameterCombination, "Cannot upgrade %s from %s to %s", e.name, cur.Version, ev.version)
		}
	}
	if in.DBInstanceClass != nil {
		if err := checkClass(e, *in.DBInstanceClass, cur.Version); err != nil {
			return nil, err
		}
	}
	if in.AllocatedStorage != nil {
		if *in.AllocatedStorage < cur.Storage {
			return nil, errorf(InvalidParameterValue, "Invalid storage size for engine name %s and storage type %s: %d. You can't reduce allocated storage.", e.name, cur.StorageType, *in.AllocatedStorage)
		}
		if err := checkStorage(e, cur.StorageType, *in.AllocatedStorage, cur.Iops); err != nil {
			return nil, err
		}
	}
	if in.MasterUserPassword != nil {
		if err := checkPassword(e, *in.MasterUserPassword); err != nil {
			return nil, err
		}
	}
	if r := in.BackupRetentionPeriod; r != nil && (*r < 0 || *r > 35) {
		return nil, errorf(InvalidParameterValue, "Invalid backup retention period: %d. Must be between 0 and 35.", *r)
	}
	var sgs []string
	if in.VpcSecurityGroupIds != nil {
		var err error
		if sgs, err = s.securityGroups(ctx, in.VpcSecurityGroupIds, cur.VPC); err != nil {
			return nil, err
		}
	}
	var out types.DBInstance
	err := s.write(region, func(r *regionState) (bool, error) {
		inst, err := getInstance(r, in.DBInstanceIdentifier, now)
		if err != nil {
			return false, err
		}
		if st, _, _ := inst.phase(now); st != "available" {
			return false, errorf(InvalidDBInstanceState, "Database instance is not in available state.")
		}
		if in.DBParameterGroupName != nil {
			fam := findFamily(e, inst.Version)
			if ev.version != "" {
				fam = ev.family
			}
			pg, err := paramGroupFor(r, *in.DBParameterGroupName, engineVersion{family: fam})
			if err != nil {
				return false, err
			}
			inst.ParamGroup = pg
		}
		if sgs != nil {
			inst.SecurityGroups = sgs
		}
		if in.PubliclyAccessible != nil {
			inst.Public = *in.PubliclyAccessible
		}
		if in.DeletionProtection != nil {
			inst.Protected = *in.DeletionProtection
		}
		if in.CopyTagsToSnapshot != nil {
			inst.CopyTags = *in.CopyTagsToSnapshot
		}
		p := inst.Pending
		if p == nil {
			p = &pending{}
		}
		if in.DBInstanceClass != nil {
			p.Class = *in.DBInstanceClass
		}
		if in.AllocatedStorage != nil {
			p.Storage = *in.AllocatedStorage
		}
		if ev.version != "" {
			p.Version = ev.version
		}
		if in.BackupRetentionPeriod != nil {
			p.BackupRetention = in.BackupRetentionPeriod
		}
		if in.MultiAZ != nil {
			p.MultiAZ = in.MultiAZ
		}
		inst.Pending = p
		if aws.ToBool(in.ApplyImmediately) {
			h.apply(r, inst)
			inst.Status, inst.Since = "modifying", now
		}
		if *inst.Pending == (pending{}) {
			inst.Pending = nil
		}
		out = s.dbInstance(region, r, inst, now)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.ModifyDBInstanceOutput{DBInstance: &out}, nil
}

// apply makes an instance's pending changes.
func (h *RDS) apply(r *regionState, inst *instance) {
	p := inst.Pending
	if p == nil {
		return
	}
	if p.Class != "" {
		inst.Class = p.Class
	}
	if p.Storage != 0 {
		inst.Storage = p.Storage
	}
	if p.Version != "" {
		inst.Version = p.Version
	}
	if p.BackupRetention != nil {
		inst.BackupRetention = *p.BackupRetention
	}
	if p.MultiAZ != nil {
		inst.MultiAZ = *p.MultiAZ
		inst.SecondaryAZ = ""
		if inst.MultiAZ {
			if g := r.SubnetGroups[inst.SubnetGroup]; g != nil {
				for _, z := range azs(g.Subnets) {
					if z != inst.AZ {
						inst.SecondaryAZ = z
						break
					}
				}
			}
		}
	}
	inst.Pending = &pending{}
}

// findFamily returns the parameter group family of an engine's version.
func findFamily(e *engine, version string) string {
	for _, ev := range e.versions {
		if ev.version == version {
			return ev.family
		}
	}
	return ""
}
