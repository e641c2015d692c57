package iamsim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

func (s *Store) groupOut(g *group) *types.Group {
	return &types.Group{
		GroupName: aws.String(g.Name), Path: aws.String(g.Path), GroupId: aws.String(g.ID),
		Arn: aws.String(s.arn("group", g.Path, g.Name)), CreateDate: aws.Time(g.Created),
	}
}

func (h *IAM) CreateGroup(ctx context.Context, in *iam.CreateGroupInput) (*iam.CreateGroupOutput, error) {
	var v validation
	v.name("groupName", aws.ToString(in.GroupName), 128)
	v.path("path", in.Path)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	name := *in.GroupName
	if _, ok := s.st.Groups[key(name)]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "Group with name %s already exists.", name)
	}
	g := &group{principalCommon: principalCommon{
		Name: name, Path: pathOr(in.Path), ID: s.ids.Unique("AGPA"), Created: s.now(), Inline: map[string]*document{},
	}}
	s.st.Groups[key(name)] = g
	return &iam.CreateGroupOutput{Group: s.groupOut(g)}, nil
}

// withGroup runs f on the named group under the write lock.
func (s *Store) withGroup(name string, f func(*group) error) error {
	var v validation
	v.name("groupName", name, 128)
	if err := v.err(); err != nil {
		return err
	}
	return update(s, s.group, name, f)
}

func (h *IAM) GetGroup(ctx context.Context, in *iam.GetGroupInput) (*iam.GetGroupOutput, error) {
	s := h.s
	var out iam.GetGroupOutput
	var all []types.User
	if err := s.withGroup(aws.ToString(in.GroupName), func(g *group) error {
		out.Group = s.groupOut(g)
		for _, m := range g.Members {
			if u, ok := s.st.Users[key(m)]; ok {
				uo := s.userOut(u)
				uo.Tags = nil
				all = append(all, *uo)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out.Users, out.Marker, out.IsTruncated = nonNil(items), marker, truncated
	return &out, nil
}

func (h *IAM) ListGroups(ctx context.Context, in *iam.ListGroupsInput) (*iam.ListGroupsOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []types.Group
	for _, g := range sortedValues(s.st.Groups) {
		if hasPrefix(g.Path, in.PathPrefix) {
			all = append(all, *s.groupOut(g))
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListGroupsOutput{Groups: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) UpdateGroup(ctx context.Context, in *iam.UpdateGroupInput) (*iam.UpdateGroupOutput, error) {
	var v validation
	if in.NewGroupName != nil {
		v.name("newGroupName", *in.NewGroupName, 128)
	}
	v.path("newPath", in.NewPath)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	return &iam.UpdateGroupOutput{}, s.withGroup(aws.ToString(in.GroupName), func(g *group) error {
		if in.NewGroupName != nil && key(*in.NewGroupName) != key(g.Name) {
			if _, ok := s.st.Groups[key(*in.NewGroupName)]; ok {
				return core.Errorf(EntityAlreadyExists, "Group with name %s already exists.", *in.NewGroupName)
			}
			delete(s.st.Groups, key(g.Name))
			g.Name = *in.NewGroupName
			s.st.Groups[key(g.Name)] = g
		}
		if in.NewPath != nil {
			g.Path = *in.NewPath
		}
		return nil
	})
}

func (h *IAM) DeleteGroup(ctx context.Context, in *iam.DeleteGroupInput) (*iam.DeleteGroupOutput, error) {
	s := h.s
	return &iam.DeleteGroupOutput{}, s.withGroup(aws.ToString(in.GroupName), func(g *group) error {
		switch {
		case len(g.Members) > 0:
			return core.Errorf(DeleteConflict, "Cannot delete entity, must remove users from group first.")
		case len(g.Inline) > 0:
			return core.Errorf(DeleteConflict, "Cannot delete entity, must delete policies first.")
		case len(g.Attached) > 0:
			return core.Errorf(DeleteConflict, "Cannot delete entity, must detach all policies first.")
		}
		delete(s.st.Groups, key(g.Name))
		s.ix.unuse(&g.principalCommon)
		return nil
	})
}

func (h *IAM) AddUserToGroup(ctx context.Context, in *iam.AddUserToGroupInput) (*iam.AddUserToGroupOutput, error) {
	var v validation
	v.name("userName", aws.ToString(in.UserName), 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	return &iam.AddUserToGroupOutput{}, s.withGroup(aws.ToString(in.GroupName), func(g *group) error {
		u, err := s.user(*in.UserName)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(g.Members, func(m string) bool { return key(m) == key(u.Name) }) {
			return nil // adding a member again succeeds and changes nothing
		}
		if len(s.groupsOf(u.Name)) >= maxGroupsPerUser {
			return core.Errorf(LimitExceeded, "Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)
		}
		g.Members = append(g.Members, u.Name)
		return nil
	})
}

func (h *IAM) RemoveUserFromGroup(ctx context.Context, in *iam.RemoveUserFromGroupInput) (*iam.RemoveUserFromGroupOutput, error) {
	s := h.s
	return &iam.RemoveUserFromGroupOutput{}, s.withGroup(aws.ToString(in.GroupName), func(g *group) error {
		u, err := s.user(aws.ToString(in.UserName))
		if err != nil {
			return err
		}
		i := slices.IndexFunc(g.Members, func(m string) bool { return key(m) == key(u.Name) })
		if i < 0 {
			return core.Errorf(NoSuchEntity, "User %s is not in group %s.", u.Name, g.Name)
		}
		g.Members = slices.Delete(g.Members, i, i+1)
		return nil
	})
}

func (h *IAM) ListGroupsForUser(ctx context.Context, in *iam.ListGroupsForUserInput) (*iam.ListGroupsForUserOutput, error) {
	s := h.s
	var all []types.Group
	if err := s.withUser(aws.ToString(in.UserName), func(u *user) error {
		for _, g := range s.groupsOf(u.Name) {
			all = append(all, *s.groupOut(g))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListGroupsForUserOutput{Groups: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}
