package iamsim

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Service-linked roles: roles an AWS service makes in the account and assumes to act for it,
// at the path /aws-service-role/SERVICE/, with the name the service gives them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html

// linkedService is what the simulator knows of a service that has a service-linked role: its
// role's name and whether it takes a custom suffix, from each service's guide.
type linkedService struct {
	role   string
	suffix bool
}

// linkedServices are the services of the course's labs and those they use.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html
var linkedServices = map[string]linkedService{
	"autoscaling.amazonaws.com":          {"AWSServiceRoleForAutoScaling", true},
	"elasticloadbalancing.amazonaws.com": {"AWSServiceRoleForElasticLoadBalancing", false},
	"rds.amazonaws.com":                  {"AWSServiceRoleForRDS", false},
	"elasticfilesystem.amazonaws.com":    {"AWSServiceRoleForAmazonElasticFileSystem", false},
	"spot.amazonaws.com":                 {"AWSServiceRoleForEC2Spot", false},
	"spotfleet.amazonaws.com":            {"AWSServiceRoleForEC2SpotFleet", false},
	"ssm.amazonaws.com":                  {"AWSServiceRoleForAmazonSSM", false},
	"elasticbeanstalk.amazonaws.com":     {"AWSServiceRoleForElasticBeanstalk", false},
	"ecs.amazonaws.com":                  {"AWSServiceRoleForECS", false},
	"cloudtrail.amazonaws.com":           {"AWSServiceRoleForCloudTrail", false},
	"events.amazonaws.com":               {"AWSServiceRoleForCloudWatchEvents", false},
	"lambda.amazonaws.com":               {"AWSServiceRoleForLambda", false},
	"organizations.amazonaws.com":        {"AWSServiceRoleForOrganizations", false},
	"support.amazonaws.com":              {"AWSServiceRoleForSupport", false},
	"trustedadvisor.amazonaws.com":       {"AWSServiceRoleForTrustedAdvisor", false},
}

const linkedPath = "/aws-service-role/"

// isLinked reports whether r is a service-linked role.
func isLinked(r *role) bool { return strings.HasPrefix(r.Path, linkedPath) }

// protectedRole is AWS's refusal to change a service-linked role through the ordinary role
// operations. https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
func protectedRole(name string) error {
	return core.Errorf(UnmodifiableEntity, "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", name)
}

type slrDeletion struct {
	ID, Role string
}

func (h *IAM) CreateServiceLinkedRole(ctx context.Context, in *iam.CreateServiceLinkedRoleInput) (*iam.CreateServiceLinkedRoleOutput, error) {
	svc := aws.ToString(in.AWSServiceName)
	ls, ok := linkedServices[svc]
	if !ok {
		return nil, core.Errorf(InvalidInput, "Invalid ServiceName %s: the simulator knows no service-linked role for it.", svc)
	}
	name := ls.role
	if sfx := aws.ToString(in.CustomSuffix); sfx != "" {
		if !ls.suffix {
			return nil, core.Errorf(InvalidInput, "Custom suffix is not allowed for %s", svc)
		}
		var v validation
		v.name("customSuffix", sfx, 64)
		if err := v.err(); err != nil {
			return nil, err
		}
		name += "_" + sfx
	}
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}`, svc)
	doc, err := parseDocument("assumeRolePolicyDocument", trust, policy.Trust)
	if err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	if _, ok := s.st.Roles[key(name)]; ok {
		return nil, core.Errorf(InvalidInput, "Service role name %s has been taken in this account, please try a different suffix.", name)
	}
	// The role's permissions policy is an AWS managed one under /aws-service-role/, which the
	// simulator's catalogue of AWS managed policies does not hold; the role has none.
	r := &role{
		principalCommon: principalCommon{
			Name: name, Path: linkedPath + svc + "/", ID: s.ids.Unique("AROA"), Created: s.now(), Inline: map[string]*document{},
		},
		Trust: doc, Description: aws.ToString(in.Description), MaxSession: 3600,
	}
	s.st.Roles[key(name)] = r
	s.ix.rolePaths.add(r.Path, r.Name)
	return &iam.CreateServiceLinkedRoleOutput{Role: s.roleOut(r)}, nil
}

// DeleteServiceLinkedRole deletes the role at once; the task AWS runs in the background is
// done by the time GetServiceLinkedRoleDeletionStatus is asked.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteServiceLinkedRole.html
func (h *IAM) DeleteServiceLinkedRole(ctx context.Context, in *iam.DeleteServiceLinkedRoleInput) (*iam.DeleteServiceLinkedRoleOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(roleEntity, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	r := s.st.Roles[key(pc.Name)]
	if !isLinked(r) {
		return nil, core.Errorf(InvalidInput, "Role %s is not a service-linked role.", r.Name)
	}
	for _, ip := range s.st.InstanceProfiles {
		for _, n := range ip.Roles {
			if key(n) == key(r.Name) {
				return nil, core.Errorf(DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.")
			}
		}
	}
	id := "task" + r.Path + r.Name + "/" + uuid(s.ids.Hex("", 32))
	s.st.Account.Deletions[id] = &slrDeletion{ID: id, Role: r.Name}
	delete(s.st.Roles, key(r.Name))
	s.ix.rolePaths.remove(r.Path, r.Name)
	s.ix.unuse(&r.principalCommon)
	return &iam.DeleteServiceLinkedRoleOutput{DeletionTaskId: aws.String(id)}, nil
}

func (h *IAM) GetServiceLinkedRoleDeletionStatus(ctx context.Context, in *iam.GetServiceLinkedRoleDeletionStatusInput) (*iam.GetServiceLinkedRoleDeletionStatusOutput, error) {
	id := aws.ToString(in.DeletionTaskId)
	if !strings.HasPrefix(id, "task/aws-service-role/") {
		return nil, core.Errorf(InvalidInput, "Invalid deletion task id %s.", id)
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.st.Account.Deletions[id]; !ok {
		return nil, core.Errorf(NoSuchEntity, "Deletion task %s cannot be found.", id)
	}
	return &iam.GetServiceLinkedRoleDeletionStatusOutput{Status: types.DeletionTaskStatusTypeSucceeded}, nil
}

// uuid shapes 32 hex digits as a UUID.
func uuid(h string) string {
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
