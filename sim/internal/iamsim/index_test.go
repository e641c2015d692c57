package iamsim

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The index kept through creates, renames, moves and deletes is the one built from the
// state, and the one a loaded store builds.
func TestIndexAgreesWithState(t *testing.T) {
	ctx := context.Background()
	s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) }), core.NewIDs(1))
	h := NewIAM(s)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct{ name, path string }{{"ana", "/a/"}, {"Bo", "/a/b/"}, {"cy", "/"}, {"dee", "/z/"}} {
		must(h.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u.name), Path: aws.String(u.path)}))
		must(h.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(u.name)}))
	}
	must(h.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ana")}))
	must(h.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("bo"), NewUserName: aws.String("bea"), NewPath: aws.String("/c/")}))
	must(h.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("cy"), NewPath: aws.String("/a/c/")}))
	keys, err := h.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("dee")})
	must(keys, err)
	must(h.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("dee"), AccessKeyId: keys.AccessKeyMetadata[0].AccessKeyId}))
	must(h.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("dee")}))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	for _, r := range []struct{ name, path string }{{"app", "/a/"}, {"ops", "/o/"}} {
		must(h.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(r.name), Path: aws.String(r.path), AssumeRolePolicyDocument: aws.String(trust)}))
	}
	const admin, readOnly = "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"
	must(h.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(readOnly)}))
	must(h.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ana"), PolicyArn: aws.String(readOnly)}))
	must(h.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ana"), PolicyArn: aws.String(admin)}))
	must(h.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("ana"), PolicyArn: aws.String(admin)}))
	must(h.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("ops"), PermissionsBoundary: aws.String(admin)}))
	must(h.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("cy"), PermissionsBoundary: aws.String(admin)}))
	must(h.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("cy"), PermissionsBoundary: aws.String(readOnly)}))
	must(h.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("ops")}))
	p, err := h.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(readOnly)})
	must(p, err)
	if *p.Policy.AttachmentCount != 2 || *p.Policy.PermissionsBoundaryUsageCount != 1 {
		t.Errorf("ReadOnlyAccess attached %d times, a boundary %d times; want 2 and 1", *p.Policy.AttachmentCount, *p.Policy.PermissionsBoundaryUsageCount)
	}

	if got, want := s.ix.userPaths.under("/a/"), []string{"ana", "cy"}; !slices.Equal(got, want) {
		t.Errorf("users under /a/ = %q, want %q", got, want)
	}
	if got, want := s.ix.rolePaths.under("/"), []string{"app"}; !slices.Equal(got, want) {
		t.Errorf("roles under / = %q, want %q", got, want)
	}
	if got := len(s.ix.keysOf("BEA")); got != 1 {
		t.Errorf("bea has %d keys in the index, want 1", got)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	loaded := NewStore("123456789012", s.clock, core.NewIDs(2))
	if err := loaded.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	for name, x := range map[string]index{"kept": s.ix, "loaded": loaded.ix} {
		if want := newIndex(&s.st); !sameIndex(x, want) {
			t.Errorf("%s index = %v %v %v %v, want %v %v %v %v", name, paths(x.userPaths), paths(x.rolePaths), x.userKeys, x.uses,
				paths(want.userPaths), paths(want.rolePaths), want.userKeys, want.uses)
		}
	}
}

// sameIndex reports whether a and b file the same users and roles under the same paths and
// the same key IDs under the same users, and count the same uses of policies.
func sameIndex(a, b index) bool {
	if !slices.Equal(paths(a.userPaths), paths(b.userPaths)) || !slices.Equal(paths(a.rolePaths), paths(b.rolePaths)) || len(a.userKeys) != len(b.userKeys) ||
		!maps.EqualFunc(a.uses, b.uses, func(x, y *policyUses) bool { return *x == *y }) {
		return false
	}
	for u, ka := range a.userKeys {
		if !slices.Equal(slices.Sorted(maps.Keys(ka)), slices.Sorted(maps.Keys(b.userKeys[u]))) {
			return false
		}
	}
	return true
}

func paths(x pathIndex) []pathKey {
	var out []pathKey
	x.t.Ascend(func(p pathKey) bool {
		out = append(out, p)
		return true
	})
	return out
}
