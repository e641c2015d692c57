package ec2sim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of launch templates.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
const (
	InvalidLaunchTemplateIDMalformed       core.Code = "InvalidLaunchTemplateId.Malformed"
	InvalidLaunchTemplateIDNotFound        core.Code = "InvalidLaunchTemplateId.NotFound"
	InvalidLaunchTemplateIDVersionNotFound core.Code = "InvalidLaunchTemplateId.VersionNotFound"
	InvalidLaunchTemplateNameAlreadyExists core.Code = "InvalidLaunchTemplateName.AlreadyExistsException"
	InvalidLaunchTemplateNameMalformed     core.Code = "InvalidLaunchTemplateName.MalformedException"
	InvalidLaunchTemplateNameNotFound      core.Code = "InvalidLaunchTemplateName.NotFoundException"
	InvalidUserDataMalformed               core.Code = "InvalidUserData.Malformed"
)

// ltState is a region's launch templates, by ID; the map is made with the first.
type ltState struct {
	LaunchTemplates map[string]*launchTemplate `json:",omitempty"`
}

// launchTemplate is a launch template and its versions, numbered from 1. A version's data is
// kept as the JSON of the request's RequestLaunchTemplateData: a value, deep-copied by
// decoding it.
type launchTemplate struct {
	meta
	Name      string
	Created   time.Time
	CreatedBy string
	Default   int64
	Latest    int64
	Versions  map[int64]*templateVersion
}

type templateVersion struct {
	Number      int64
	Description string `json:",omitempty"`
	Created     time.Time
	CreatedBy   string
	Data        json.RawMessage
}

func (v *templateVersion) data() types.RequestLaunchTemplateData {
	var d types.RequestLaunchTemplateData
	_ = json.Unmarshal(v.Data, &d) // written by encodeTemplateData
	return d
}

var templateKind = kind{"lt", InvalidLaunchTemplateIDMalformed, InvalidLaunchTemplateIDNotFound,
	"The specified launch template, with template ID %s, does not exist.", types.ResourceTypeLaunchTemplate}

// maxTemplateVersions bounds the versions of one template, as AWS's quota does.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-template-quotas.html (10,000 versions)
const maxTemplateVersions = 10000

// checkTemplateName applies AWS's rule for launch template names: 3 to 128 of letters,
// digits and - ( ) . / _.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
func checkTemplateName(name string) error {
	ok := len(name) >= 3 && len(name) <= 128
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("()./-_", c) >= 0
	}
	if !ok {
		return core.Errorf(InvalidLaunchTemplateNameMalformed, "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.")
	}
	return nil
}

// checkTemplateData checks what EC2 checks of a template's data when it is stored; the rest
// is checked when the template launches an instance.
func checkTemplateData(d *types.RequestLaunchTemplateData) error {
	if d == nil {
		return missingParameter("LaunchTemplateData")
	}
	if d.InstanceType != "" {
		if _, err := runnable(d.InstanceType); err != nil {
			return err
		}
	}
	if d.UserData != nil {
		raw, err := base64.StdEncoding.DecodeString(*d.UserData)
		if err != nil {
			return core.Errorf(InvalidUserDataMalformed, "Invalid BASE64 encoding of user data.")
		}
		if len(raw) > maxUserData {
			return core.Errorf(InvalidParameterValue, "User data is limited to %d bytes", maxUserData)
		}
	}
	for _, ts := range d.TagSpecifications {
		if err := checkTags(nil, ts.Tags); err != nil {
			return err
		}
	}
	return nil
}

func encodeTemplateData(d *types.RequestLaunchTemplateData) (json.RawMessage, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, core.Errorf(InvalidParameterValue, "The launch template data cannot be stored: %v", err)
	}
	return b, nil
}

// overlay returns base with every member that over sets replaced: a new version made from a
// source version "inherits the same launch parameters as the source version, except for
// parameters that you specify in LaunchTemplateData".
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html
func overlay(base, over json.RawMessage) (json.RawMessage, error) {
	var b, o map[string]json.RawMessage
	if err := json.Unmarshal(base, &b); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(over, &o); err != nil {
		return nil, err
	}
	for k, v := range o {
		if string(v) != "null" && string(v) != `""` {
			b[k] = v
		}
	}
	return json.Marshal(b)
}

// templateNamed finds a template by ID or by name, as the operations take either; both or
// neither is refused.
func (r *regionState) templateNamed(id, name *string) (*launchTemplate, error) {
	switch {
	case id != nil && name != nil:
		return nil, core.Errorf(InvalidParameterCombination, "The parameters LaunchTemplateId and LaunchTemplateName cannot both be specified.")
	case id != nil:
		return find(templateKind, r.LaunchTemplates, *id)
	case name != nil:
		if err := checkTemplateName(*name); err != nil {
			return nil, err
		}
		for _, t := range r.LaunchTemplates {
			if t.Name == *name {
				return t, nil
			}
		}
		return nil, core.Errorf(InvalidLaunchTemplateNameNotFound, "The specified launch template, with template name %s, does not exist.", *name)
	}
	return nil, core.Errorf(MissingParameter, "The request must include either the launch template ID or the launch template name.")
}

// version resolves a version string: a number, $Latest or $Default; "" is the default.
func (t *launchTemplate) version(v string) (*templateVersion, error) {
	n := t.Default
	switch v {
	case "", "$Default":
	case "$Latest":
		n = t.Latest
	default:
		var err error
		if n, err = strconv.ParseInt(v, 10, 64); err != nil || n < 1 {
			return nil, core.Errorf(InvalidLaunchTemplateIDVersionNotFound, "Could not find the specified version %s for the launch template with ID %s.", v, t.ID)
		}
	}
	tv, ok := t.Versions[n]
	if !ok {
		return nil, core.Errorf(InvalidLaunchTemplateIDVersionNotFound, "Could not find the specified version %s for the launch template with ID %s.", v, t.ID)
	}
	return tv, nil
}

func (s *Store) templateOut(t *launchTemplate) *types.LaunchTemplate {
	return &types.LaunchTemplate{
		LaunchTemplateId: aws.String(t.ID), LaunchTemplateName: aws.String(t.Name), CreateTime: aws.Time(t.Created),
		CreatedBy: aws.String(t.CreatedBy), DefaultVersionNumber: aws.Int64(t.Default), LatestVersionNumber: aws.Int64(t.Latest),
		Tags: t.Tags.out(),
	}
}

// versionOut describes a version; its data reads as the response's shape, whose members have
// the request's names.
func (s *Store) versionOut(t *launchTemplate, v *templateVersion) types.LaunchTemplateVersion {
	var d types.ResponseLaunchTemplateData
	_ = json.Unmarshal(v.Data, &d) // members of another shape in the response are left out
	out := types.LaunchTemplateVersion{
		LaunchTemplateId: aws.String(t.ID), LaunchTemplateName: aws.String(t.Name), VersionNumber: aws.Int64(v.Number),
		CreateTime: aws.Time(v.Created), CreatedBy: aws.String(v.CreatedBy), DefaultVersion: aws.Bool(v.Number == t.Default),
		LaunchTemplateData: &d,
	}
	if v.Description != "" {
		out.VersionDescription = aws.String(v.Description)
	}
	return out
}

func callerARN(ctx context.Context) string {
	if c := core.CallerFrom(ctx); c != nil {
		return c.ARN
	}
	return ""
}

// CreateLaunchTemplate stores a template with its first version, the default.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
func (h *EC2) CreateLaunchTemplate(ctx context.Context, in *ec2.CreateLaunchTemplateInput) (*ec2.CreateLaunchTemplateOutput, error) {
	s := h.s
	name := aws.ToString(in.LaunchTemplateName)
	if in.LaunchTemplateName == nil {
		return nil, missingParameter("LaunchTemplateName")
	}
	if err := checkTemplateName(name); err != nil {
		return nil, err
	}
	if err := checkVersionDescription(in.VersionDescription); err != nil {
		return nil, err
	}
	if err := checkTemplateData(in.LaunchTemplateData); err != nil {
		return nil, err
	}
	data, err := encodeTemplateData(in.LaunchTemplateData)
	if err != nil {
		return nil, err
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeLaunchTemplate)
	if err != nil {
		return nil, err
	}
	out := &ec2.CreateLaunchTemplateOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		for _, lt := range r.LaunchTemplates {
			if lt.Name == name {
				return core.Errorf(InvalidLaunchTemplateNameAlreadyExists, "Launch template name already in use.")
			}
		}
		now, by := s.now(), callerARN(ctx)
		lt := &launchTemplate{
			meta: r.newMeta(s.id("lt"), t), Name: name, Created: now, CreatedBy: by, Default: 1, Latest: 1,
			Versions: map[int64]*templateVersion{1: {Number: 1, Description: aws.ToString(in.VersionDescription), Created: now, CreatedBy: by, Data: data}},
		}
		if r.LaunchTemplates == nil {
			r.LaunchTemplates = map[string]*launchTemplate{}
		}
		r.LaunchTemplates[lt.ID] = lt
		out.LaunchTemplate = s.templateOut(lt)
		return nil
	})
}

func checkVersionDescription(d *string) error {
	if len(aws.ToString(d)) > 255 {
		return invalidValue("VersionDescription", aws.ToString(d), "Length exceeds maximum of 255 characters.")
	}
	return nil
}

// CreateLaunchTemplateVersion adds a version, from the data given over the data of
// SourceVersion if one is named. The default version stays as it was.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html
func (h *EC2) CreateLaunchTemplateVersion(ctx context.Context, in *ec2.CreateLaunchTemplateVersionInput) (*ec2.CreateLaunchTemplateVersionOutput, error) {
	s := h.s
	if err := checkVersionDescription(in.VersionDescription); err != nil {
		return nil, err
	}
	if err := checkTemplateData(in.LaunchTemplateData); err != nil {
		return nil, err
	}
	data, err := encodeTemplateData(in.LaunchTemplateData)
	if err != nil {
		return nil, err
	}
	out := &ec2.CreateLaunchTemplateVersionOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		lt, err := r.templateNamed(in.LaunchTemplateId, in.LaunchTemplateName)
		if err != nil {
			return err
		}
		if in.SourceVersion != nil {
			src, err := lt.version(*in.SourceVersion)
			if err != nil {
				return err
			}
			if data, err = overlay(src.Data, data); err != nil {
				return core.Errorf(core.InternalError, "merging the source version: %v", err)
			}
		}
		if len(lt.Versions) >= maxTemplateVersions {
			return core.Errorf(InvalidParameterValue, "You have reached the maximum number of versions (%d) for the launch template.", maxTemplateVersions)
		}
		lt.Latest++
		v := &templateVersion{Number: lt.Latest, Description: aws.ToString(in.VersionDescription), Created: s.now(), CreatedBy: callerARN(ctx), Data: data}
		lt.Versions[v.Number] = v
		vo := s.versionOut(lt, v)
		out.LaunchTemplateVersion = &vo
		return nil
	})
}

var templateFields = fields[types.LaunchTemplate]{
	"launch-template-name": func(t types.LaunchTemplate) []string { return one(*t.LaunchTemplateName) },
	"create-time":          func(t types.LaunchTemplate) []string { return one(t.CreateTime.UTC().Format(time.RFC3339)) },
}

// DescribeLaunchTemplates lists templates by ID, by name, or by filter.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplates.html
func (h *EC2) DescribeLaunchTemplates(ctx context.Context, in *ec2.DescribeLaunchTemplatesInput) (*ec2.DescribeLaunchTemplatesOutput, error) {
	out := &ec2.DescribeLaunchTemplatesOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		lts := inOrder(r.LaunchTemplates)
		if len(in.LaunchTemplateIds)+len(in.LaunchTemplateNames) > 0 {
			lts = nil
			for _, id := range in.LaunchTemplateIds {
				lt, err := find(templateKind, r.LaunchTemplates, id)
				if err != nil {
					return err
				}
				lts = append(lts, lt)
			}
			for _, name := range in.LaunchTemplateNames {
				lt, err := r.templateNamed(nil, aws.String(name))
				if err != nil {
					return core.Errorf(InvalidLaunchTemplateNameNotFound, "At least one of the launch templates specified in the request does not exist.")
				}
				lts = append(lts, lt)
			}
		}
		all := make([]types.LaunchTemplate, len(lts))
		for i, lt := range lts {
			all[i] = *h.s.templateOut(lt)
		}
		var err error
		out.LaunchTemplates, out.NextToken, err = describe(all, in.Filters, templateFields, func(t types.LaunchTemplate) []types.Tag { return t.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

var versionFields = fields[types.LaunchTemplateVersion]{
	"create-time":        func(v types.LaunchTemplateVersion) []string { return one(v.CreateTime.UTC().Format(time.RFC3339)) },
	"is-default-version": func(v types.LaunchTemplateVersion) []string { return boolValue(aws.ToBool(v.DefaultVersion)) },
	"image-id":           func(v types.LaunchTemplateVersion) []string { return one(aws.ToString(v.LaunchTemplateData.ImageId)) },
	"instance-type":      func(v types.LaunchTemplateVersion) []string { return one(string(v.LaunchTemplateData.InstanceType)) },
	"kernel-id":          func(v types.LaunchTemplateVersion) []string { return one(aws.ToString(v.LaunchTemplateData.KernelId)) },
	"ram-disk-id":        func(v types.LaunchTemplateVersion) []string { return one(aws.ToString(v.LaunchTemplateData.RamDiskId)) },
	"ebs-optimized": func(v types.LaunchTemplateVersion) []string {
		return boolValue(aws.ToBool(v.LaunchTemplateData.EbsOptimized))
	},
	"iam-instance-profile": func(v types.LaunchTemplateVersion) []string {
		if p := v.LaunchTemplateData.IamInstanceProfile; p != nil {
			return append(one(aws.ToString(p.Arn)), one(aws.ToString(p.Name))...)
		}
		return nil
	},
}

// DescribeLaunchTemplateVersions lists a template's versions: those named (numbers, $Latest,
// $Default), those between MinVersion and MaxVersion, or all. Without a template, $Latest
// and $Default name those versions of every template.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html
func (h *EC2) DescribeLaunchTemplateVersions(ctx context.Context, in *ec2.DescribeLaunchTemplateVersionsInput) (*ec2.DescribeLaunchTemplateVersionsOutput, error) {
	out := &ec2.DescribeLaunchTemplateVersionsOutput{}
	var lo, hi int64
	for _, b := range []struct {
		s *string
		n *int64
	}{{in.MinVersion, &lo}, {in.MaxVersion, &hi}} {
		if b.s == nil {
			continue
		}
		n, err := strconv.ParseInt(*b.s, 10, 64)
		if err != nil || n < 1 {
			return nil, invalidValue("MinVersion/MaxVersion", *b.s, "The version must be a positive number.")
		}
		*b.n = n
	}
	if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 200) {
		return nil, invalidValue("MaxResults", strconv.Itoa(int(*in.MaxResults)), "The value must be between 1 and 200.")
	}
	return out, h.s.read(ctx, func(r *regionState) error {
		var lts []*launchTemplate
		if in.LaunchTemplateId == nil && in.LaunchTemplateName == nil {
			for _, v := range in.Versions {
				if v != "$Latest" && v != "$Default" {
					return core.Errorf(InvalidParameterCombination, "The launch template ID or name must be specified when describing versions other than $Latest and $Default.")
				}
			}
			lts = inOrder(r.LaunchTemplates)
		} else {
			lt, err := r.templateNamed(in.LaunchTemplateId, in.LaunchTemplateName)
			if err != nil {
				return err
			}
			lts = []*launchTemplate{lt}
		}
		var all []types.LaunchTemplateVersion
		for _, lt := range lts {
			var picked []*templateVersion
			if len(in.Versions) > 0 {
				for _, v := range in.Versions {
					tv, err := lt.version(v)
					if err != nil {
						return err
					}
					if !slices.Contains(picked, tv) {
						picked = append(picked, tv)
					}
				}
			} else {
				for _, n := range slices.Sorted(mapKeys(lt.Versions)) {
					if (lo == 0 || n >= lo) && (hi == 0 || n <= hi) {
						picked = append(picked, lt.Versions[n])
					}
				}
			}
			for _, tv := range picked {
				all = append(all, h.s.versionOut(lt, tv))
			}
		}
		var err error
		out.LaunchTemplateVersions, out.NextToken, err = describe(all, in.Filters, versionFields, nil, nil, in.NextToken)
		if err != nil {
			return err
		}
		out.LaunchTemplateVersions, out.NextToken, err = page(out.LaunchTemplateVersions, in.MaxResults, in.NextToken, 1, 200)
		out.LaunchTemplateVersions = nonNil(out.LaunchTemplateVersions)
		return err
	})
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// ModifyLaunchTemplate sets the template's default version.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyLaunchTemplate.html
func (h *EC2) ModifyLaunchTemplate(ctx context.Context, in *ec2.ModifyLaunchTemplateInput) (*ec2.ModifyLaunchTemplateOutput, error) {
	out := &ec2.ModifyLaunchTemplateOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		lt, err := r.templateNamed(in.LaunchTemplateId, in.LaunchTemplateName)
		if err != nil {
			return err
		}
		if in.DefaultVersion != nil {
			tv, err := lt.version(*in.DefaultVersion)
			if err != nil {
				return err
			}
			lt.Default = tv.Number
		}
		out.LaunchTemplate = h.s.templateOut(lt)
		return nil
	})
}

// DeleteLaunchTemplate deletes a template and all its versions.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteLaunchTemplate.html
func (h *EC2) DeleteLaunchTemplate(ctx context.Context, in *ec2.DeleteLaunchTemplateInput) (*ec2.DeleteLaunchTemplateOutput, error) {
	out := &ec2.DeleteLaunchTemplateOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		lt, err := r.templateNamed(in.LaunchTemplateId, in.LaunchTemplateName)
		if err != nil {
			return err
		}
		delete(r.LaunchTemplates, lt.ID)
		out.LaunchTemplate = h.s.templateOut(lt)
		return nil
	})
}

// DeleteLaunchTemplateVersions deletes versions; each that cannot go (the default, one that
// does not exist) is listed with its reason, and the others go.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteLaunchTemplateVersions.html
func (h *EC2) DeleteLaunchTemplateVersions(ctx context.Context, in *ec2.DeleteLaunchTemplateVersionsInput) (*ec2.DeleteLaunchTemplateVersionsOutput, error) {
	if len(in.Versions) == 0 {
		return nil, missingParameter("LaunchTemplateVersion")
	}
	if len(in.Versions) > 200 {
		return nil, core.Errorf(InvalidParameterValue, "You can specify up to 200 launch template versions in a single request.")
	}
	out := &ec2.DeleteLaunchTemplateVersionsOutput{
		SuccessfullyDeletedLaunchTemplateVersions:   []types.DeleteLaunchTemplateVersionsResponseSuccessItem{},
		UnsuccessfullyDeletedLaunchTemplateVersions: []types.DeleteLaunchTemplateVersionsResponseErrorItem{},
	}
	return out, h.s.write(ctx, func(r *regionState) error {
		lt, err := r.templateNamed(in.LaunchTemplateId, in.LaunchTemplateName)
		if err != nil {
			return err
		}
		for _, v := range in.Versions {
			n, perr := strconv.ParseInt(v, 10, 64)
			fail := func(code types.LaunchTemplateErrorCode, msg string) {
				out.UnsuccessfullyDeletedLaunchTemplateVersions = append(out.UnsuccessfullyDeletedLaunchTemplateVersions, types.DeleteLaunchTemplateVersionsResponseErrorItem{
					LaunchTemplateId: aws.String(lt.ID), LaunchTemplateName: aws.String(lt.Name), VersionNumber: aws.Int64(n),
					ResponseError: &types.ResponseError{Code: code, Message: aws.String(msg)},
				})
			}
			switch _, ok := lt.Versions[n]; {
			case perr != nil || !ok:
				fail(types.LaunchTemplateErrorCodeLaunchTemplateVersionDoesNotExist, fmt.Sprintf("The specified launch template version %s does not exist.", v))
			case n == lt.Default:
				// The SDK's enum has no code of its own for it: AWS answers unexpectedError.
				fail(types.LaunchTemplateErrorCodeUnexpectedError, "Cannot delete the default version of a launch template. Set a different version as the default first.")
			default:
				delete(lt.Versions, n)
				out.SuccessfullyDeletedLaunchTemplateVersions = append(out.SuccessfullyDeletedLaunchTemplateVersions, types.DeleteLaunchTemplateVersionsResponseSuccessItem{
					LaunchTemplateId: aws.String(lt.ID), LaunchTemplateName: aws.String(lt.Name), VersionNumber: aws.Int64(n),
				})
			}
		}
		return nil
	})
}

// Tags EC2 puts on an instance launched from a template.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html ("aws:ec2launchtemplate:id")
const (
	tagTemplateID      = "aws:ec2launchtemplate:id"
	tagTemplateVersion = "aws:ec2launchtemplate:version"
)

// fromTemplate returns the RunInstances request that in makes with the template it names:
// each member the request leaves out is the template's. The tags the instance gets for its
// template are returned beside it. r is held (for reading at least).
func (r *regionState) fromTemplate(in *ec2.RunInstancesInput) (*ec2.RunInstancesInput, tags, error) {
	spec := in.LaunchTemplate
	if spec == nil {
		return in, nil, nil
	}
	lt, err := r.templateNamed(spec.LaunchTemplateId, spec.LaunchTemplateName)
	if err != nil {
		return nil, nil, err
	}
	tv, err := lt.version(aws.ToString(spec.Version))
	if err != nil {
		return nil, nil, err
	}
	d := tv.data()
	c := *in
	if c.ImageId == nil {
		c.ImageId = d.ImageId
	}
	if c.InstanceType == "" {
		c.InstanceType = d.InstanceType
	}
	if c.KeyName == nil {
		c.KeyName = d.KeyName
	}
	if c.UserData == nil {
		c.UserData = d.UserData
	}
	if c.EbsOptimized == nil {
		c.EbsOptimized = d.EbsOptimized
	}
	if c.DisableApiTermination == nil {
		c.DisableApiTermination = d.DisableApiTermination
	}
	if c.DisableApiStop == nil {
		c.DisableApiStop = d.DisableApiStop
	}
	if c.InstanceInitiatedShutdownBehavior == "" {
		c.InstanceInitiatedShutdownBehavior = d.InstanceInitiatedShutdownBehavior
	}
	if c.Monitoring == nil && d.Monitoring != nil {
		c.Monitoring = &types.RunInstancesMonitoringEnabled{Enabled: d.Monitoring.Enabled}
	}
	if c.IamInstanceProfile == nil && d.IamInstanceProfile != nil {
		c.IamInstanceProfile = &types.IamInstanceProfileSpecification{Arn: d.IamInstanceProfile.Arn, Name: d.IamInstanceProfile.Name}
	}
	if c.Placement == nil && d.Placement != nil && d.Placement.AvailabilityZone != nil {
		c.Placement = &types.Placement{AvailabilityZone: d.Placement.AvailabilityZone}
	}
	if c.InstanceMarketOptions == nil && d.InstanceMarketOptions != nil {
		mo := &types.InstanceMarketOptionsRequest{MarketType: d.InstanceMarketOptions.MarketType}
		if so := d.InstanceMarketOptions.SpotOptions; so != nil {
			mo.SpotOptions = &types.SpotMarketOptions{MaxPrice: so.MaxPrice, SpotInstanceType: so.SpotInstanceType,
				InstanceInterruptionBehavior: so.InstanceInterruptionBehavior, ValidUntil: so.ValidUntil, BlockDurationMinutes: so.BlockDurationMinutes}
		}
		c.InstanceMarketOptions = mo
	}
	// The network: the request's groups and subnet win; a template's network interface takes
	// the request's subnet and groups in place of its own.
	if len(c.NetworkInterfaces) == 0 && len(d.NetworkInterfaces) > 0 {
		for _, ni := range d.NetworkInterfaces {
			n := types.InstanceNetworkInterfaceSpecification{
				AssociatePublicIpAddress: ni.AssociatePublicIpAddress, DeleteOnTermination: ni.DeleteOnTermination,
				Description: ni.Description, DeviceIndex: ni.DeviceIndex, Groups: ni.Groups, NetworkInterfaceId: ni.NetworkInterfaceId,
				PrivateIpAddress: ni.PrivateIpAddress, SubnetId: ni.SubnetId, SecondaryPrivateIpAddressCount: ni.SecondaryPrivateIpAddressCount,
			}
			for _, a := range ni.PrivateIpAddresses {
				n.PrivateIpAddresses = append(n.PrivateIpAddresses, types.PrivateIpAddressSpecification{Primary: a.Primary, PrivateIpAddress: a.PrivateIpAddress})
			}
			if aws.ToInt32(n.DeviceIndex) == 0 {
				if c.SubnetId != nil {
					n.SubnetId, c.SubnetId = c.SubnetId, nil
				}
				if len(c.SecurityGroupIds) > 0 {
					n.Groups, c.SecurityGroupIds = c.SecurityGroupIds, nil
				}
			}
			c.NetworkInterfaces = append(c.NetworkInterfaces, n)
		}
	}
	if len(c.SecurityGroupIds) == 0 && len(c.SecurityGroups) == 0 && len(c.NetworkInterfaces) == 0 {
		c.SecurityGroupIds, c.SecurityGroups = d.SecurityGroupIds, d.SecurityGroups
	}
	// Block devices: the request's replace the template's of the same device name.
	if len(d.BlockDeviceMappings) > 0 {
		var bdms []types.BlockDeviceMapping
		for _, m := range d.BlockDeviceMappings {
			if slices.ContainsFunc(c.BlockDeviceMappings, func(b types.BlockDeviceMapping) bool { return aws.ToString(b.DeviceName) == aws.ToString(m.DeviceName) }) {
				continue
			}
			b := types.BlockDeviceMapping{DeviceName: m.DeviceName, NoDevice: m.NoDevice, VirtualName: m.VirtualName}
			if e := m.Ebs; e != nil {
				b.Ebs = &types.EbsBlockDevice{DeleteOnTermination: e.DeleteOnTermination, Encrypted: e.Encrypted, Iops: e.Iops, KmsKeyId: e.KmsKeyId,
					SnapshotId: e.SnapshotId, Throughput: e.Throughput, VolumeSize: e.VolumeSize, VolumeType: e.VolumeType}
			}
			bdms = append(bdms, b)
		}
		c.BlockDeviceMappings = append(bdms, c.BlockDeviceMappings...)
	}
	// Tags: the template's, under the request's of the same resource type and key.
	if len(d.TagSpecifications) > 0 {
		var specs []types.TagSpecification
		for _, ts := range d.TagSpecifications {
			specs = append(specs, types.TagSpecification{ResourceType: ts.ResourceType, Tags: ts.Tags})
		}
		c.TagSpecifications = mergeTagSpecs(specs, c.TagSpecifications)
	}
	return &c, tags{tagTemplateID: lt.ID, tagTemplateVersion: strconv.FormatInt(tv.Number, 10)}, nil
}

// mergeTagSpecs returns base's tag specifications with over's tags replacing those of the same
// resource type and key.
func mergeTagSpecs(base, over []types.TagSpecification) []types.TagSpecification {
	byType := map[types.ResourceType]tags{}
	var order []types.ResourceType
	for _, l := range [][]types.TagSpecification{base, over} {
		for _, ts := range l {
			if byType[ts.ResourceType] == nil {
				byType[ts.ResourceType] = tags{}
				order = append(order, ts.ResourceType)
			}
			byType[ts.ResourceType].add(ts.Tags)
		}
	}
	var out []types.TagSpecification
	for _, rt := range order {
		out = append(out, types.TagSpecification{ResourceType: rt, Tags: byType[rt].out()})
	}
	return out
}

// withTemplate is fromTemplate for authorization, before the request runs: the request as its
// template completes it, or as it is if the template cannot be read (the operation then
// answers why).
func (s *Store) withTemplate(region string, in *ec2.RunInstancesInput) *ec2.RunInstancesInput {
	if in.LaunchTemplate == nil {
		return in
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.regions[region]
	if !ok {
		return in
	}
	c, _, err := r.fromTemplate(in)
	if err != nil {
		return in
	}
	return c
}
