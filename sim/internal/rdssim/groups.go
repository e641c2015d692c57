package rdssim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// checkGroupName applies the rule of DB subnet group names: 1 to 255 letters, digits,
// periods, underscores, spaces and hyphens, not "default" (the API reference,
// DBSubnetGroupName). Names are stored in lower case.
func checkGroupName(name string) (string, error) {
	if name == "" {
		return "", mustProvide("DBSubnetGroupName")
	}
	ok := len(name) <= 255
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = isLetter(c) || c >= '0' && c <= '9' || strings.IndexByte("._ -", c) >= 0
	}
	if !ok {
		return "", errorf(InvalidParameterValue, "The parameter DBSubnetGroupName is not a valid identifier. Identifiers must contain only ASCII letters, digits, periods, underscores, spaces and hyphens, and be 1 to 255 characters.")
	}
	key := strings.ToLower(name)
	if key == "default" {
		return "", errorf(InvalidParameterValue, "DBSubnetGroupName must not be default.")
	}
	return key, nil
}

// CreateDBSubnetGroup makes a DB subnet group of subnets of one VPC in at least two
// Availability Zones, as EC2 knows them.
func (h *RDS) CreateDBSubnetGroup(ctx context.Context, in *rds.CreateDBSubnetGroupInput) (*rds.CreateDBSubnetGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkGroupName(aws.ToString(in.DBSubnetGroupName))
	if err != nil {
		return nil, err
	}
	vpc, sns, err := s.subnets(ctx, in.SubnetIds)
	if err != nil {
		return nil, err
	}
	if err := coverAZs(sns); err != nil {
		return nil, err
	}
	var out types.DBSubnetGroup
	err = s.write(region, func(r *regionState) (bool, error) {
		if r.SubnetGroups[name] != nil {
			return false, errorf(DBSubnetGroupAlreadyExists, "The DB subnet group '%s' already exists.", name)
		}
		if r.SubnetGroups == nil {
			r.SubnetGroups = map[string]*subnetGroup{}
		}
		g := &subnetGroup{Name: name, Description: aws.ToString(in.DBSubnetGroupDescription), VPC: vpc, Subnets: sns, Tags: tagsOf(in.Tags)}
		r.SubnetGroups[name] = g
		out = s.dbSubnetGroup(region, g)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.CreateDBSubnetGroupOutput{DBSubnetGroup: &out}, nil
}

// ModifyDBSubnetGroup replaces a group's subnets (and description); they must stay in the
// VPC of the group's instances.
func (h *RDS) ModifyDBSubnetGroup(ctx context.Context, in *rds.ModifyDBSubnetGroupInput) (*rds.ModifyDBSubnetGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := strings.ToLower(aws.ToString(in.DBSubnetGroupName))
	vpc, sns, err := s.subnets(ctx, in.SubnetIds)
	if err != nil {
		return nil, err
	}
	if err := coverAZs(sns); err != nil {
		return nil, err
	}
	var out types.DBSubnetGroup
	err = s.write(region, func(r *regionState) (bool, error) {
		g := r.SubnetGroups[name]
		if g == nil {
			return false, subnetGroupNotFound(aws.ToString(in.DBSubnetGroupName))
		}
		if vpc != g.VPC && h.inUse(r, name) != "" {
			return false, errorf(InvalidSubnet, "The new subnets are not in the same VPC as the DB subnet group's instances (%s).", g.VPC)
		}
		g.VPC, g.Subnets = vpc, sns
		if in.DBSubnetGroupDescription != nil {
			g.Description = *in.DBSubnetGroupDescription
		}
		out = s.dbSubnetGroup(region, g)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.ModifyDBSubnetGroupOutput{DBSubnetGroup: &out}, nil
}

// inUse returns an instance of the subnet group, or "".
func (h *RDS) inUse(r *regionState, group string) string {
	var ids []string
	for _, inst := range r.Instances {
		if inst.SubnetGroup == group {
			ids = append(ids, inst.ID)
		}
	}
	slices.Sort(ids)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// DeleteDBSubnetGroup deletes a group no instance uses.
func (h *RDS) DeleteDBSubnetGroup(ctx context.Context, in *rds.DeleteDBSubnetGroupInput) (*rds.DeleteDBSubnetGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := strings.ToLower(aws.ToString(in.DBSubnetGroupName))
	err := s.write(region, func(r *regionState) (bool, error) {
		if r.SubnetGroups[name] == nil {
			return false, subnetGroupNotFound(aws.ToString(in.DBSubnetGroupName))
		}
		if id := h.inUse(r, name); id != "" {
			return false, errorf(InvalidDBSubnetGroupStateFault, "Cannot delete the subnet group '%s' because at least one database instance: %s is still using it.", name, id)
		}
		delete(r.SubnetGroups, name)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.DeleteDBSubnetGroupOutput{}, nil
}

// DescribeDBSubnetGroups lists the region's subnet groups, or the one named, paged.
func (h *RDS) DescribeDBSubnetGroups(ctx context.Context, in *rds.DescribeDBSubnetGroupsInput) (*rds.DescribeDBSubnetGroupsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if len(in.Filters) > 0 {
		return nil, errorf(InvalidParameterValue, "Unrecognized filter name: %s", aws.ToString(in.Filters[0].Name))
	}
	want := strings.ToLower(aws.ToString(in.DBSubnetGroupName))
	var list []types.DBSubnetGroup
	_ = s.read(region, func(r *regionState) error {
		if r == nil {
			return nil
		}
		for name, g := range r.SubnetGroups {
			if want == "" || name == want {
				list = append(list, s.dbSubnetGroup(region, g))
			}
		}
		return nil
	})
	if want != "" && len(list) == 0 {
		return nil, subnetGroupNotFound(aws.ToString(in.DBSubnetGroupName))
	}
	items, next, err := page(list, func(g types.DBSubnetGroup) string { return *g.DBSubnetGroupName }, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBSubnetGroupsOutput{DBSubnetGroups: items, Marker: next}, nil
}

// Parameter groups. Each family has its default group, default.<family>, which is not state:
// it is always there and cannot be changed or deleted.

func (s *Store) dbParamGroup(region string, g *paramGroup) types.DBParameterGroup {
	return types.DBParameterGroup{
		DBParameterGroupName:   aws.String(g.Name),
		DBParameterGroupFamily: aws.String(g.Family),
		Description:            aws.String(g.Description),
		DBParameterGroupArn:    aws.String(s.arn(region, "pg", g.Name)),
	}
}

func defaultParamGroup(family string) *paramGroup {
	return &paramGroup{Name: "default." + family, Family: family, Description: "Default parameter group for " + family}
}

// paramGroupNamed returns the group of that name (the account's or a default), or nil.
func paramGroupNamed(r *regionState, name string) *paramGroup {
	key := strings.ToLower(name)
	if fam, ok := strings.CutPrefix(key, "default."); ok {
		if _, known := familyOf(fam); known {
			return defaultParamGroup(fam)
		}
	}
	if r == nil {
		return nil
	}
	return r.ParamGroups[key]
}

// CreateDBParameterGroup makes a parameter group of a known family.
func (h *RDS) CreateDBParameterGroup(ctx context.Context, in *rds.CreateDBParameterGroupInput) (*rds.CreateDBParameterGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := identifier("DBParameterGroupName", in.DBParameterGroupName, 255)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(name, "default.") {
		return nil, badIdentifier("DBParameterGroupName")
	}
	fam := strings.ToLower(aws.ToString(in.DBParameterGroupFamily))
	if _, ok := familyOf(fam); !ok {
		return nil, errorf(InvalidParameterValue, "ParameterGroupFamily %s is not a valid parameter group family. Valid families: %s", aws.ToString(in.DBParameterGroupFamily), strings.Join(families(), ", "))
	}
	if aws.ToString(in.Description) == "" {
		return nil, mustProvide("Description")
	}
	var out types.DBParameterGroup
	err = s.write(region, func(r *regionState) (bool, error) {
		if r.ParamGroups[name] != nil {
			return false, errorf(DBParameterGroupAlreadyExists, "Parameter group %s already exists", name)
		}
		if r.ParamGroups == nil {
			r.ParamGroups = map[string]*paramGroup{}
		}
		g := &paramGroup{Name: name, Family: fam, Description: *in.Description, Tags: tagsOf(in.Tags)}
		r.ParamGroups[name] = g
		out = s.dbParamGroup(region, g)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.CreateDBParameterGroupOutput{DBParameterGroup: &out}, nil
}

// DeleteDBParameterGroup deletes a group of the account that no instance uses.
func (h *RDS) DeleteDBParameterGroup(ctx context.Context, in *rds.DeleteDBParameterGroupInput) (*rds.DeleteDBParameterGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := strings.ToLower(aws.ToString(in.DBParameterGroupName))
	err := s.write(region, func(r *regionState) (bool, error) {
		if strings.HasPrefix(name, "default.") && paramGroupNamed(r, name) != nil {
			return false, errorf(InvalidDBParameterGroupState, "Default DBParameterGroup cannot be deleted: %s", name)
		}
		if r.ParamGroups[name] == nil {
			return false, paramGroupNotFound(aws.ToString(in.DBParameterGroupName))
		}
		for _, inst := range r.Instances {
			if inst.ParamGroup == name {
				return false, errorf(InvalidDBParameterGroupState, "One or more database instances are still members of this parameter group %s, so the group cannot be deleted", name)
			}
		}
		delete(r.ParamGroups, name)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.DeleteDBParameterGroupOutput{}, nil
}

// DescribeDBParameterGroups lists the default groups of every family and the account's, or
// the one named.
func (h *RDS) DescribeDBParameterGroups(ctx context.Context, in *rds.DescribeDBParameterGroupsInput) (*rds.DescribeDBParameterGroupsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if len(in.Filters) > 0 {
		return nil, errorf(InvalidParameterValue, "Unrecognized filter name: %s", aws.ToString(in.Filters[0].Name))
	}
	var list []types.DBParameterGroup
	_ = s.read(region, func(r *regionState) error {
		if in.DBParameterGroupName != nil {
			if g := paramGroupNamed(r, *in.DBParameterGroupName); g != nil {
				list = append(list, s.dbParamGroup(region, g))
			}
			return nil
		}
		for _, f := range families() {
			list = append(list, s.dbParamGroup(region, defaultParamGroup(f)))
		}
		if r != nil {
			for _, g := range r.ParamGroups {
				list = append(list, s.dbParamGroup(region, g))
			}
		}
		return nil
	})
	if in.DBParameterGroupName != nil && len(list) == 0 {
		return nil, paramGroupNotFound(*in.DBParameterGroupName)
	}
	items, next, err := page(list, func(g types.DBParameterGroup) string { return *g.DBParameterGroupName }, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBParameterGroupsOutput{DBParameterGroups: items, Marker: next}, nil
}

// parameters are a few of each engine's parameters with their defaults, as the default groups
// show them: enough to read a group, not the engines' hundreds.
var parameters = map[string][]types.Parameter{
	"mysql": {
		param("character_set_server", "", "Specify the server's default character set.", "string", "static", true),
		param("max_connections", "{DBInstanceClassMemory/12582880}", "The number of simultaneous client connections allowed.", "integer", "dynamic", true),
		param("slow_query_log", "", "Enable or disable the slow query log.", "boolean", "dynamic", true),
		param("time_zone", "", "The server time zone.", "string", "dynamic", true),
	},
	"mariadb": {
		param("character_set_server", "", "The server's default character set.", "string", "static", true),
		param("max_connections", "{DBInstanceClassMemory/12582880}", "The number of simultaneous client connections allowed.", "integer", "dynamic", true),
		param("slow_query_log", "", "Enable or disable the slow query log.", "boolean", "dynamic", true),
	},
	"postgres": {
		param("log_min_duration_statement", "", "Sets the minimum execution time above which statements will be logged.", "integer", "dynamic", true),
		param("max_connections", "LEAST({DBInstanceClassMemory/9531392},5000)", "Sets the maximum number of concurrent connections.", "integer", "static", true),
		param("rds.force_ssl", "1", "Force SSL connections.", "boolean", "dynamic", true),
		param("shared_buffers", "{DBInstanceClassMemory/32768}", "Sets the number of shared memory buffers used by the server.", "integer", "static", true),
	},
}

func param(name, value, desc, typ, apply string, modifiable bool) types.Parameter {
	p := types.Parameter{ParameterName: aws.String(name), Description: aws.String(desc), DataType: aws.String(typ),
		ApplyType: aws.String(apply), IsModifiable: aws.Bool(modifiable), Source: aws.String("engine-default"),
		ApplyMethod: types.ApplyMethodPendingReboot}
	if value != "" {
		p.ParameterValue = aws.String(value)
		p.Source = aws.String("system")
	}
	return p
}

// DescribeDBParameters lists a few parameters of a group's engine with their defaults (the
// simulator keeps no parameter values: ModifyDBParameterGroup is not simulated).
func (h *RDS) DescribeDBParameters(ctx context.Context, in *rds.DescribeDBParametersInput) (*rds.DescribeDBParametersOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var g *paramGroup
	_ = s.read(region, func(r *regionState) error {
		if pg := paramGroupNamed(r, aws.ToString(in.DBParameterGroupName)); pg != nil {
			cp := *pg
			g = &cp
		}
		return nil
	})
	if g == nil {
		return nil, paramGroupNotFound(aws.ToString(in.DBParameterGroupName))
	}
	e, _ := familyOf(g.Family)
	var list []types.Parameter
	for _, p := range parameters[e.name] {
		if src := aws.ToString(in.Source); src == "" || src == aws.ToString(p.Source) {
			list = append(list, p)
		}
	}
	items, next, err := page(list, func(p types.Parameter) string { return *p.ParameterName }, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBParametersOutput{Parameters: items, Marker: next}, nil
}

// DescribeDBEngineVersions answers from the simulator's catalog of engines and versions.
func (h *RDS) DescribeDBEngineVersions(ctx context.Context, in *rds.DescribeDBEngineVersionsInput) (*rds.DescribeDBEngineVersionsOutput, error) {
	if len(in.Filters) > 0 {
		return nil, errorf(InvalidParameterValue, "Unrecognized filter name: %s", aws.ToString(in.Filters[0].Name))
	}
	var list []types.DBEngineVersion
	for _, e := range engines {
		if in.Engine != nil && !strings.EqualFold(*in.Engine, e.name) {
			continue
		}
		for _, ev := range e.versions {
			switch {
			case in.EngineVersion != nil && *in.EngineVersion != ev.version && !strings.HasPrefix(ev.version, *in.EngineVersion+"."),
				in.DBParameterGroupFamily != nil && !strings.EqualFold(*in.DBParameterGroupFamily, ev.family),
				aws.ToBool(in.DefaultOnly) && !ev.def:
				continue
			}
			list = append(list, types.DBEngineVersion{
				Engine: aws.String(e.name), EngineVersion: aws.String(ev.version), DBParameterGroupFamily: aws.String(ev.family),
				DBEngineDescription: aws.String(e.description), DBEngineVersionDescription: aws.String(ev.description),
				Status: aws.String("available"), SupportsReadReplica: aws.Bool(true), SupportedEngineModes: []string{"provisioned"},
			})
		}
	}
	items, next, err := page(list, func(v types.DBEngineVersion) string { return *v.Engine + "/" + versionKey(*v.EngineVersion) }, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBEngineVersionsOutput{DBEngineVersions: items, Marker: next}, nil
}

// versionKey orders versions numerically: each part padded to five digits.
func versionKey(v string) string {
	parts := strings.Split(v, ".")
	for i, p := range parts {
		parts[i] = strings.Repeat("0", max(0, 5-len(p))) + p
	}
	return strings.Join(parts, ".")
}
