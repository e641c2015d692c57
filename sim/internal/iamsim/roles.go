package iamsim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

func (s *Store) roleOut(r *role) *types.Role {
	out := &types.Role{
		RoleName: aws.String(r.Name), Path: aws.String(r.Path), RoleId: aws.String(r.ID),
		Arn: aws.String(s.arn("role", r.Path, r.Name)), CreateDate: aws.Time(r.Created),
		AssumeRolePolicyDocument: encodeDocument(r.Trust.Text), Description: optional(r.Description),
		MaxSessionDuration: aws.Int32(r.MaxSession), Tags: fromTags(r.Tags),
	}
	if r.Boundary != "" {
		out.PermissionsBoundary = &types.AttachedPermissionsBoundary{
			PermissionsBoundaryArn: aws.String(r.Boundary), PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy,
		}
	}
	return out
}

// checkMaxSession enforces a role's maximum session of one to twelve hours.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
func checkMaxSession(d *int32) error {
	if d != nil && (*d < 3600 || *d > 43200) {
		return core.Errorf(ValidationError, "1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200", *d)
	}
	return nil
}

func (h *IAM) CreateRole(ctx context.Context, in *iam.CreateRoleInput) (*iam.CreateRoleOutput, error) {
	var v validation
	v.name("roleName", aws.ToString(in.RoleName), 64)
	v.path("path", in.Path)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	if err := checkMaxSession(in.MaxSessionDuration); err != nil {
		return nil, err
	}
	trust, err := parseDocument("assumeRolePolicyDocument", aws.ToString(in.AssumeRolePolicyDocument), policy.Trust)
	if err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	name := *in.RoleName
	if _, ok := s.st.Roles[key(name)]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "Role with name %s already exists.", name)
	}
	if err := s.checkBoundary(in.PermissionsBoundary); err != nil {
		return nil, err
	}
	r := &role{
		principalCommon: principalCommon{
			Name: name, Path: pathOr(in.Path), ID: s.ids.Unique("AROA"), Created: s.now(), Inline: map[string]*document{},
			Tags: toTags(in.Tags), Boundary: aws.ToString(in.PermissionsBoundary),
		},
		Trust: trust, Description: aws.ToString(in.Description), MaxSession: aws.ToInt32(in.MaxSessionDuration),
	}
	if r.MaxSession == 0 {
		r.MaxSession = 3600
	}
	s.st.Roles[key(name)] = r
	s.ix.rolePaths.add(r.Path, r.Name)
	s.ix.use(&r.principalCommon)
	return &iam.CreateRoleOutput{Role: s.roleOut(r)}, nil
}

// withRole runs f on the named role under the write lock.
func (s *Store) withRole(name string, f func(*role) error) error {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(roleEntity, name)
	if err != nil {
		return err
	}
	return f(s.st.Roles[key(pc.Name)])
}

func (h *IAM) GetRole(ctx context.Context, in *iam.GetRoleInput) (*iam.GetRoleOutput, error) {
	out := &iam.GetRoleOutput{}
	return out, h.s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		out.Role = h.s.roleOut(r)
		return nil
	})
}

func (h *IAM) ListRoles(ctx context.Context, in *iam.ListRolesInput) (*iam.ListRolesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	var names []string
	if in.PathPrefix == nil {
		names = sortedKeys(s.st.Roles)
	} else {
		names = s.ix.rolePaths.under(*in.PathPrefix)
	}
	names, marker, truncated, err := page(names, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	roles := make([]types.Role, len(names))
	for i, n := range names {
		out := s.roleOut(s.st.Roles[n])
		out.Tags, out.PermissionsBoundary = nil, nil // ListRoles leaves these out
		roles[i] = *out
	}
	return &iam.ListRolesOutput{Roles: roles, Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) UpdateRole(ctx context.Context, in *iam.UpdateRoleInput) (*iam.UpdateRoleOutput, error) {
	if err := checkMaxSession(in.MaxSessionDuration); err != nil {
		return nil, err
	}
	return &iam.UpdateRoleOutput{}, h.s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSession = *in.MaxSessionDuration
		}
		return nil
	})
}

func (h *IAM) UpdateAssumeRolePolicy(ctx context.Context, in *iam.UpdateAssumeRolePolicyInput) (*iam.UpdateAssumeRolePolicyOutput, error) {
	trust, err := parseDocument("policyDocument", aws.ToString(in.PolicyDocument), policy.Trust)
	if err != nil {
		return nil, err
	}
	return &iam.UpdateAssumeRolePolicyOutput{}, h.s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		r.Trust = trust
		return nil
	})
}

func (h *IAM) DeleteRole(ctx context.Context, in *iam.DeleteRoleInput) (*iam.DeleteRoleOutput, error) {
	s := h.s
	return &iam.DeleteRoleOutput{}, s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		if isLinked(r) { // servicelinked.go: DeleteServiceLinkedRole deletes these
			return protectedRole(r.Name)
		}
		for _, ip := range s.st.InstanceProfiles {
			if slices.ContainsFunc(ip.Roles, func(n string) bool { return key(n) == key(r.Name) }) {
				return core.Errorf(DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.")
			}
		}
		switch {
		case len(r.Inline) > 0:
			return core.Errorf(DeleteConflict, "Cannot delete entity, must delete policies first.")
		case len(r.Attached) > 0:
			return core.Errorf(DeleteConflict, "Cannot delete entity, must detach all policies first.")
		}
		delete(s.st.Roles, key(r.Name))
		s.ix.rolePaths.remove(r.Path, r.Name)
		s.ix.unuse(&r.principalCommon)
		return nil
	})
}

func (h *IAM) TagRole(ctx context.Context, in *iam.TagRoleInput) (*iam.TagRoleOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagRoleOutput{}, h.s.withRole(aws.ToString(in.RoleName), func(r *role) (err error) {
		r.Tags, err = mergeTags(r.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagRole(ctx context.Context, in *iam.UntagRoleInput) (*iam.UntagRoleOutput, error) {
	return &iam.UntagRoleOutput{}, h.s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		r.Tags = removeTags(r.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListRoleTags(ctx context.Context, in *iam.ListRoleTagsInput) (*iam.ListRoleTagsOutput, error) {
	out := &iam.ListRoleTagsOutput{}
	return out, h.s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		out.Tags = nonNil(fromTags(r.Tags))
		return nil
	})
}

// Instance profiles: the container that hands a role to an EC2 instance.

func (s *Store) profileOut(ip *instanceProfile) *types.InstanceProfile {
	out := &types.InstanceProfile{
		InstanceProfileName: aws.String(ip.Name), Path: aws.String(ip.Path), InstanceProfileId: aws.String(ip.ID),
		Arn: aws.String(s.arn("instance-profile", ip.Path, ip.Name)), CreateDate: aws.Time(ip.Created),
		Roles: []types.Role{}, Tags: fromTags(ip.Tags),
	}
	for _, n := range ip.Roles {
		if r, ok := s.st.Roles[key(n)]; ok {
			out.Roles = append(out.Roles, *s.roleOut(r))
		}
	}
	return out
}

func (s *Store) profile(name string) (*instanceProfile, error) {
	var v validation
	v.name("instanceProfileName", name, 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	ip, ok := s.st.InstanceProfiles[key(name)]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "Instance Profile %s cannot be found.", name)
	}
	return ip, nil
}

func (h *IAM) CreateInstanceProfile(ctx context.Context, in *iam.CreateInstanceProfileInput) (*iam.CreateInstanceProfileOutput, error) {
	var v validation
	v.name("instanceProfileName", aws.ToString(in.InstanceProfileName), 128)
	v.path("path", in.Path)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	name := *in.InstanceProfileName
	if _, ok := s.st.InstanceProfiles[key(name)]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "Instance Profile %s already exists.", name)
	}
	ip := &instanceProfile{Name: name, Path: pathOr(in.Path), ID: s.ids.Unique("AIPA"), Created: s.now(), Tags: toTags(in.Tags)}
	s.st.InstanceProfiles[key(name)] = ip
	return &iam.CreateInstanceProfileOutput{InstanceProfile: s.profileOut(ip)}, nil
}

func (h *IAM) GetInstanceProfile(ctx context.Context, in *iam.GetInstanceProfileInput) (*iam.GetInstanceProfileOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	ip, err := s.profile(aws.ToString(in.InstanceProfileName))
	if err != nil {
		return nil, err
	}
	return &iam.GetInstanceProfileOutput{InstanceProfile: s.profileOut(ip)}, nil
}

func (h *IAM) ListInstanceProfiles(ctx context.Context, in *iam.ListInstanceProfilesInput) (*iam.ListInstanceProfilesOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []types.InstanceProfile
	for _, ip := range sortedValues(s.st.InstanceProfiles) {
		if hasPrefix(ip.Path, in.PathPrefix) {
			all = append(all, *s.listedProfile(ip))
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListInstanceProfilesOutput{InstanceProfiles: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ListInstanceProfilesForRole(ctx context.Context, in *iam.ListInstanceProfilesForRoleInput) (*iam.ListInstanceProfilesForRoleOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.find(roleEntity, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	var all []types.InstanceProfile
	for _, ip := range sortedValues(s.st.InstanceProfiles) {
		if slices.ContainsFunc(ip.Roles, func(n string) bool { return key(n) == key(r.Name) }) {
			all = append(all, *s.listedProfile(ip))
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListInstanceProfilesForRoleOutput{InstanceProfiles: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) DeleteInstanceProfile(ctx context.Context, in *iam.DeleteInstanceProfileInput) (*iam.DeleteInstanceProfileOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	ip, err := s.profile(aws.ToString(in.InstanceProfileName))
	if err != nil {
		return nil, err
	}
	if len(ip.Roles) > 0 {
		return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.")
	}
	delete(s.st.InstanceProfiles, key(ip.Name))
	return &iam.DeleteInstanceProfileOutput{}, nil
}

// AddRoleToInstanceProfile allows one role per profile.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func (h *IAM) AddRoleToInstanceProfile(ctx context.Context, in *iam.AddRoleToInstanceProfileInput) (*iam.AddRoleToInstanceProfileOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	ip, err := s.profile(aws.ToString(in.InstanceProfileName))
	if err != nil {
		return nil, err
	}
	r, err := s.find(roleEntity, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	if len(ip.Roles) >= 1 {
		return nil, core.Errorf(LimitExceeded, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	}
	ip.Roles = append(ip.Roles, r.Name)
	return &iam.AddRoleToInstanceProfileOutput{}, nil
}

func (h *IAM) RemoveRoleFromInstanceProfile(ctx context.Context, in *iam.RemoveRoleFromInstanceProfileInput) (*iam.RemoveRoleFromInstanceProfileOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	ip, err := s.profile(aws.ToString(in.InstanceProfileName))
	if err != nil {
		return nil, err
	}
	name := aws.ToString(in.RoleName)
	i := slices.IndexFunc(ip.Roles, func(n string) bool { return key(n) == key(name) })
	if i < 0 {
		return nil, core.Errorf(NoSuchEntity, "The role with name %s cannot be found.", name)
	}
	ip.Roles = slices.Delete(ip.Roles, i, i+1)
	return &iam.RemoveRoleFromInstanceProfileOutput{}, nil
}

// InstanceProfile finds an instance profile by name or by ARN, for EC2's RunInstances: it
// returns the profile's ARN and ID, and whether it exists. An ARN must name the profile with
// its path.
func (s *Store) InstanceProfile(nameOrARN string) (arn, id string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	name := nameOrARN
	if strings.HasPrefix(nameOrARN, "arn:") {
		name = nameOrARN[strings.LastIndexByte(nameOrARN, '/')+1:]
	}
	ip, found := s.st.InstanceProfiles[key(name)]
	if !found {
		return "", "", false
	}
	arn = s.arn("instance-profile", ip.Path, ip.Name)
	if strings.HasPrefix(nameOrARN, "arn:") && arn != nameOrARN {
		return "", "", false
	}
	return arn, ip.ID, true
}
