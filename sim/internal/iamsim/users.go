package iamsim

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// IAM serves the IAM API over a [Store]. Its methods have the SDK's signatures.
type IAM struct{ s *Store }

// NewIAM returns the IAM service of s.
func NewIAM(s *Store) *IAM { return &IAM{s: s} }

// Limits IAM enforces: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxAccessKeys     = 2
	maxGroupsPerUser  = 10
	maxManagedPerRole = 10
	maxVersions       = 5
)

func (s *Store) userOut(u *user) *types.User {
	out := &types.User{
		UserName: aws.String(u.Name), Path: aws.String(u.Path), UserId: aws.String(u.ID),
		Arn: aws.String(s.arn("user", u.Path, u.Name)), CreateDate: aws.Time(u.Created),
		Tags: fromTags(u.Tags),
	}
	if u.Boundary != "" {
		out.PermissionsBoundary = &types.AttachedPermissionsBoundary{
			PermissionsBoundaryArn: aws.String(u.Boundary), PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy,
		}
	}
	return out
}

func (h *IAM) CreateUser(ctx context.Context, in *iam.CreateUserInput) (*iam.CreateUserOutput, error) {
	var v validation
	v.name("userName", aws.ToString(in.UserName), 64)
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
	name := *in.UserName
	if _, ok := s.st.Users[key(name)]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "User with name %s already exists.", name)
	}
	if err := s.checkBoundary(in.PermissionsBoundary); err != nil {
		return nil, err
	}
	u := &user{principalCommon: principalCommon{
		Name: name, Path: pathOr(in.Path), ID: s.ids.Unique("AIDA"), Created: s.now(),
		Inline: map[string]*document{}, Tags: toTags(in.Tags), Boundary: aws.ToString(in.PermissionsBoundary),
	}}
	s.st.Users[key(name)] = u
	s.ix.addUser(u)
	s.ix.use(&u.principalCommon)
	return &iam.CreateUserOutput{User: s.userOut(u)}, nil
}

// GetUser answers for the caller when no name is given, root included.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
func (h *IAM) GetUser(ctx context.Context, in *iam.GetUserInput) (*iam.GetUserOutput, error) {
	s := h.s
	name := aws.ToString(in.UserName)
	if in.UserName == nil {
		c := core.CallerFrom(ctx)
		switch {
		case c == nil:
			return nil, core.Errorf(ValidationError, "Must specify userName when calling with non-User credentials")
		case c.Kind == core.Root:
			return &iam.GetUserOutput{User: &types.User{
				UserId: aws.String(s.account), Arn: aws.String(c.ARN), CreateDate: aws.Time(s.created()),
			}}, nil
		case c.Kind != core.User:
			return nil, core.Errorf(ValidationError, "Must specify userName when calling with non-User credentials")
		}
		name = c.UserName
	} else {
		var v validation
		v.name("userName", name, 128)
		if err := v.err(); err != nil {
			return nil, err
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, err := s.user(name)
	if err != nil {
		return nil, err
	}
	return &iam.GetUserOutput{User: s.userOut(u)}, nil
}

// created is when the account was made: when its store was.
func (s *Store) created() time.Time { return s.st.Created }

func (h *IAM) ListUsers(ctx context.Context, in *iam.ListUsersInput) (*iam.ListUsersOutput, error) {
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
		names = sortedKeys(s.st.Users)
	} else {
		names = s.ix.userPaths.under(*in.PathPrefix)
	}
	names, marker, truncated, err := page(names, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	users := make([]types.User, len(names))
	for i, n := range names {
		out := s.userOut(s.st.Users[n])
		// ListUsers gives neither tags nor the permissions boundary: GetUser does.
		// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
		out.Tags, out.PermissionsBoundary = nil, nil
		users[i] = *out
	}
	return &iam.ListUsersOutput{Users: users, Marker: marker, IsTruncated: truncated}, nil
}

func hasPrefix(path string, prefix *string) bool {
	return prefix == nil || len(path) >= len(*prefix) && path[:len(*prefix)] == *prefix
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (h *IAM) UpdateUser(ctx context.Context, in *iam.UpdateUserInput) (*iam.UpdateUserOutput, error) {
	var v validation
	v.name("userName", aws.ToString(in.UserName), 128)
	if in.NewUserName != nil {
		v.name("newUserName", *in.NewUserName, 64)
	}
	v.path("newPath", in.NewPath)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	defer s.ix.moveUser(pathKey{u.Path, key(u.Name)}, u)
	if in.NewUserName != nil && key(*in.NewUserName) != key(u.Name) {
		if _, ok := s.st.Users[key(*in.NewUserName)]; ok {
			return nil, core.Errorf(EntityAlreadyExists, "User with name %s already exists.", *in.NewUserName)
		}
		old := u.Name
		delete(s.st.Users, key(old))
		u.Name = *in.NewUserName
		s.st.Users[key(u.Name)] = u
		for _, g := range s.st.Groups {
			for i, m := range g.Members {
				if key(m) == key(old) {
					g.Members[i] = u.Name
				}
			}
		}
		for _, k := range s.ix.keysOf(old) {
			k.User = u.Name
		}
	}
	if in.NewPath != nil {
		u.Path = *in.NewPath
	}
	return &iam.UpdateUserOutput{}, nil
}

// DeleteUser refuses while the user still has what AWS makes you remove first.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
func (h *IAM) DeleteUser(ctx context.Context, in *iam.DeleteUserInput) (*iam.DeleteUserOutput, error) {
	var v validation
	v.name("userName", aws.ToString(in.UserName), 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	switch {
	case u.Login != nil:
		return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must delete login profile first.")
	case s.hasKeys(u.Name):
		return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must delete access keys first.")
	case len(u.Inline) > 0:
		return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must delete policies first.")
	case len(u.Attached) > 0:
		return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must detach all policies first.")
	case len(s.groupsOf(u.Name)) > 0:
		return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must remove users from group first.")
	}
	if err := s.userHolds(u); err != nil { // account.go: MFA devices, keys, certificates
		return nil, err
	}
	delete(s.st.Users, key(u.Name))
	s.ix.removeUser(u)
	s.ix.unuse(&u.principalCommon)
	return &iam.DeleteUserOutput{}, nil
}

func (s *Store) hasKeys(user string) bool { return len(s.ix.keysOf(user)) > 0 }

func (h *IAM) TagUser(ctx context.Context, in *iam.TagUserInput) (*iam.TagUserOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagUserOutput{}, h.s.withUser(aws.ToString(in.UserName), func(u *user) (err error) {
		u.Tags, err = mergeTags(u.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagUser(ctx context.Context, in *iam.UntagUserInput) (*iam.UntagUserOutput, error) {
	return &iam.UntagUserOutput{}, h.s.withUser(aws.ToString(in.UserName), func(u *user) error {
		u.Tags = removeTags(u.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListUserTags(ctx context.Context, in *iam.ListUserTagsInput) (*iam.ListUserTagsOutput, error) {
	out := &iam.ListUserTagsOutput{Tags: []types.Tag{}}
	return out, h.s.withUser(aws.ToString(in.UserName), func(u *user) error {
		out.Tags = nonNil(fromTags(u.Tags))
		return nil
	})
}

// withUser runs f on the named user under the write lock.
func (s *Store) withUser(name string, f func(*user) error) error {
	var v validation
	v.name("userName", name, 128)
	if err := v.err(); err != nil {
		return err
	}
	return update(s, s.user, name, f)
}

// Login profiles.

func (h *IAM) CreateLoginProfile(ctx context.Context, in *iam.CreateLoginProfileInput) (*iam.CreateLoginProfileOutput, error) {
	name := aws.ToString(in.UserName)
	if in.UserName == nil {
		if c := core.CallerFrom(ctx); c != nil && c.Kind == core.User {
			name = c.UserName
		}
	}
	if in.Password == nil || len(*in.Password) < 1 || len(*in.Password) > 128 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length between 1 and 128")
	}
	out := &iam.CreateLoginProfileOutput{}
	return out, h.s.withUser(name, func(u *user) error {
		if u.Login != nil {
			return core.Errorf(EntityAlreadyExists, "Login Profile for user %s already exists.", u.Name)
		}
		// The account's password policy (account.go) applies to every password set.
		if err := h.s.checkPassword(*in.Password, nil); err != nil {
			return err
		}
		u.Login = &loginProfile{Created: h.s.now(), ResetRequired: in.PasswordResetRequired}
		h.s.setPassword(u.Login, *in.Password)
		out.LoginProfile = loginOut(u)
		return nil
	})
}

func loginOut(u *user) *types.LoginProfile {
	return &types.LoginProfile{UserName: aws.String(u.Name), CreateDate: aws.Time(u.Login.Created), PasswordResetRequired: u.Login.ResetRequired}
}

func (h *IAM) GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput) (*iam.GetLoginProfileOutput, error) {
	out := &iam.GetLoginProfileOutput{}
	return out, h.s.withUser(aws.ToString(in.UserName), func(u *user) error {
		if u.Login == nil {
			return core.Errorf(NoSuchEntity, "Login Profile for User %s cannot be found.", u.Name)
		}
		out.LoginProfile = loginOut(u)
		return nil
	})
}

func (h *IAM) UpdateLoginProfile(ctx context.Context, in *iam.UpdateLoginProfileInput) (*iam.UpdateLoginProfileOutput, error) {
	return &iam.UpdateLoginProfileOutput{}, h.s.withUser(aws.ToString(in.UserName), func(u *user) error {
		if u.Login == nil {
			return core.Errorf(NoSuchEntity, "Login Profile for User %s cannot be found.", u.Name)
		}
		if in.Password != nil {
			if err := h.s.checkPassword(*in.Password, u.Login); err != nil {
				return err
			}
			h.s.setPassword(u.Login, *in.Password)
		}
		if in.PasswordResetRequired != nil {
			u.Login.ResetRequired = *in.PasswordResetRequired
		}
		return nil
	})
}

func (h *IAM) DeleteLoginProfile(ctx context.Context, in *iam.DeleteLoginProfileInput) (*iam.DeleteLoginProfileOutput, error) {
	return &iam.DeleteLoginProfileOutput{}, h.s.withUser(aws.ToString(in.UserName), func(u *user) error {
		if u.Login == nil {
			return core.Errorf(NoSuchEntity, "Login Profile for User %s cannot be found.", u.Name)
		}
		u.Login = nil
		return nil
	})
}

// Access keys.

// keyOwner returns the user an access-key call is about: the named one, or the caller.
func keyOwner(ctx context.Context, name *string) (string, error) {
	if name != nil {
		return *name, nil
	}
	if c := core.CallerFrom(ctx); c != nil && c.Kind == core.User {
		return c.UserName, nil
	}
	return "", core.Errorf(ValidationError, "Must specify userName when calling with non-User credentials")
}

func (h *IAM) CreateAccessKey(ctx context.Context, in *iam.CreateAccessKeyInput) (*iam.CreateAccessKeyOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &iam.CreateAccessKeyOutput{}
	return out, s.withUser(name, func(u *user) error {
		if len(s.ix.keysOf(u.Name)) >= maxAccessKeys {
			return core.Errorf(LimitExceeded, "Cannot exceed quota for AccessKeysPerUser: %d", maxAccessKeys)
		}
		k := &accessKey{ID: s.ids.AccessKeyID("AKIA"), Secret: s.ids.Secret(), User: u.Name, Active: true, Created: s.now()}
		s.st.Keys[k.ID] = k
		s.ix.addKey(k)
		out.AccessKey = &types.AccessKey{
			AccessKeyId: aws.String(k.ID), SecretAccessKey: aws.String(k.Secret), UserName: aws.String(u.Name),
			Status: types.StatusTypeActive, CreateDate: aws.Time(k.Created),
		}
		return nil
	})
}

func (h *IAM) ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput) (*iam.ListAccessKeysOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	var all []types.AccessKeyMetadata
	if err := s.withUser(name, func(u *user) error {
		for _, k := range sortedValues(s.ix.keysOf(u.Name)) {
			all = append(all, types.AccessKeyMetadata{
				AccessKeyId: aws.String(k.ID), UserName: aws.String(u.Name), Status: status(k.Active), CreateDate: aws.Time(k.Created),
			})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b types.AccessKeyMetadata) int { return a.CreateDate.Compare(*b.CreateDate) })
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAccessKeysOutput{AccessKeyMetadata: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func status(active bool) types.StatusType {
	if active {
		return types.StatusTypeActive
	}
	return types.StatusTypeInactive
}

// userKey returns the access key id of user name, or NoSuchEntity.
func (s *Store) userKey(name, id string) (*accessKey, error) {
	k, ok := s.st.Keys[id]
	if !ok || key(k.User) != key(name) {
		return nil, core.Errorf(NoSuchEntity, "The Access Key with id %s cannot be found", id)
	}
	return k, nil
}

func (h *IAM) UpdateAccessKey(ctx context.Context, in *iam.UpdateAccessKeyInput) (*iam.UpdateAccessKeyOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := checkStatus(in.Status); err != nil {
		return nil, err
	}
	s := h.s
	return &iam.UpdateAccessKeyOutput{}, s.withUser(name, func(u *user) error {
		k, err := s.userKey(u.Name, aws.ToString(in.AccessKeyId))
		if err != nil {
			return err
		}
		k.Active = in.Status == types.StatusTypeActive
		return nil
	})
}

func (h *IAM) DeleteAccessKey(ctx context.Context, in *iam.DeleteAccessKeyInput) (*iam.DeleteAccessKeyOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	return &iam.DeleteAccessKeyOutput{}, s.withUser(name, func(u *user) error {
		k, err := s.userKey(u.Name, aws.ToString(in.AccessKeyId))
		if err != nil {
			return err
		}
		delete(s.st.Keys, k.ID)
		s.ix.removeKey(k)
		return nil
	})
}

func (h *IAM) GetAccessKeyLastUsed(ctx context.Context, in *iam.GetAccessKeyLastUsedInput) (*iam.GetAccessKeyLastUsedOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.st.Keys[aws.ToString(in.AccessKeyId)]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "The Access Key with id %s cannot be found", aws.ToString(in.AccessKeyId))
	}
	last := &types.AccessKeyLastUsed{ServiceName: aws.String("N/A"), Region: aws.String("N/A")}
	if !k.LastUsed.IsZero() {
		last = &types.AccessKeyLastUsed{LastUsedDate: aws.Time(k.LastUsed), ServiceName: aws.String(k.LastService), Region: aws.String(k.LastRegion)}
	}
	return &iam.GetAccessKeyLastUsedOutput{UserName: aws.String(k.User), AccessKeyLastUsed: last}, nil
}
