package iamsim

import (
	"reflect"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Resource returns the ARN an IAM request acts on, for authorization: the user, group, role,
// policy or instance profile the operation names, with its path when it exists.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
func (s *Store) Resource(c *core.Caller, op string, in any) string {
	if arn, ok := s.providerResource(in); ok {
		return arn
	}
	switch in := in.(type) {
	case *iam.CreateUserInput:
		return s.arn("user", pathOr(in.Path), aws.ToString(in.UserName))
	case *iam.CreateGroupInput:
		return s.arn("group", pathOr(in.Path), aws.ToString(in.GroupName))
	case *iam.CreateRoleInput:
		return s.arn("role", pathOr(in.Path), aws.ToString(in.RoleName))
	case *iam.CreatePolicyInput:
		return s.arn("policy", pathOr(in.Path), aws.ToString(in.PolicyName))
	case *iam.CreateInstanceProfileInput:
		return s.arn("instance-profile", pathOr(in.Path), aws.ToString(in.InstanceProfileName))
	case *iam.SimulatePrincipalPolicyInput:
		return aws.ToString(in.PolicySourceArn)
	}
	if arn, ok := s.accountResource(c, op, in); ok {
		return arn
	}
	field := func(name string) (string, bool) {
		v := fieldString(in, name)
		return v, v != ""
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if name, ok := field("InstanceProfileName"); ok && strings.Contains(op, "InstanceProfile") {
		return s.existing("instance-profile", name)
	}
	if name, ok := field("GroupName"); ok && strings.Contains(op, "Group") {
		return s.existing("group", name)
	}
	if name, ok := field("RoleName"); ok {
		return s.existing("role", name)
	}
	if name, ok := field("UserName"); ok {
		return s.existing("user", name)
	}
	if arn, ok := field("PolicyArn"); ok {
		return arn
	}
	// Calls about oneself (CreateAccessKey with no user name) act on the caller.
	if c != nil && c.Kind == core.User && (strings.Contains(op, "AccessKey") || strings.Contains(op, "LoginProfile") || op == "GetUser") {
		return c.ARN
	}
	return "*"
}

// existing returns the ARN of an entity by name, with its path if it exists. s.mu is held.
func (s *Store) existing(kind, name string) string {
	path := "/"
	switch kind {
	case "user":
		if u, ok := s.st.Users[key(name)]; ok {
			path, name = u.Path, u.Name
		}
	case "group":
		if g, ok := s.st.Groups[key(name)]; ok {
			path, name = g.Path, g.Name
		}
	case "role":
		if r, ok := s.st.Roles[key(name)]; ok {
			path, name = r.Path, r.Name
		}
	case "instance-profile":
		if ip, ok := s.st.InstanceProfiles[key(name)]; ok {
			path, name = ip.Path, ip.Name
		}
	}
	return s.arn(kind, path, name)
}

// fieldString returns the string field name of the struct in points to, or "".
func fieldString(in any, name string) string {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	i, ok := fieldIndex(v.Elem().Type(), name)
	if !ok {
		return ""
	}
	f := v.Elem().Field(i)
	if f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.String {
		return ""
	}
	return f.Elem().String()
}

type fieldKey struct {
	t    reflect.Type
	name string
}

// fieldIndexes caches field lookups by name: reflect's allocates, and this runs on every
// IAM request.
var fieldIndexes sync.Map // fieldKey → int (-1: no such field)

func fieldIndex(t reflect.Type, name string) (int, bool) {
	k := fieldKey{t, name}
	if i, ok := fieldIndexes.Load(k); ok {
		return i.(int), i.(int) >= 0
	}
	i := -1
	if f, ok := t.FieldByName(name); ok && len(f.Index) == 1 {
		i = f.Index[0]
	}
	fieldIndexes.Store(k, i)
	return i, i >= 0
}
