package cfnsim

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// stackPolicy is a stack policy: which updates of which resources an update may make.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
type stackPolicy struct {
	Statement []policyStatement
}

type policyStatement struct {
	Effect      string
	Action      oneOrMany
	NotAction   oneOrMany
	Principal   any
	Resource    oneOrMany
	NotResource oneOrMany
	Condition   map[string]map[string]oneOrMany
}

// oneOrMany is a policy's string or list of strings.
type oneOrMany []string

func (o *oneOrMany) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*o = oneOrMany{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("expected a string or a list of strings")
	}
	*o = many
	return nil
}

var policyActions = []string{"Update:*", "Update:Modify", "Update:Replace", "Update:Delete"}

// parseStackPolicy reads and checks a stack policy, refused in CloudFormation's words.
func parseStackPolicy(body string) (*stackPolicy, error) {
	var p stackPolicy
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return nil, invalid("Error validating stack policy: Invalid stack policy: %v", err)
	}
	if len(p.Statement) == 0 {
		return nil, invalid("Error validating stack policy: Invalid stack policy: a policy must have at least one Statement")
	}
	for i, st := range p.Statement {
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, invalid("Error validating stack policy: Unknown effect [%s] in statement [#%d]", st.Effect, i+1)
		}
		if (len(st.Action) == 0) == (len(st.NotAction) == 0) {
			return nil, invalid("Error validating stack policy: Statement [#%d] must have exactly one of Action or NotAction", i+1)
		}
		for _, a := range append(slices.Clone(st.Action), st.NotAction...) {
			if !slices.Contains(policyActions, a) {
				return nil, invalid("Error validating stack policy: Unknown action [%s] in statement [#%d]", a, i+1)
			}
		}
		if st.Principal != "*" {
			return nil, invalid("Error validating stack policy: Principal in statement [#%d] must be *", i+1)
		}
		if (len(st.Resource) == 0) == (len(st.NotResource) == 0) {
			return nil, invalid("Error validating stack policy: Statement [#%d] must have exactly one of Resource or NotResource", i+1)
		}
		for op := range st.Condition {
			if op != "StringEquals" && op != "StringLike" {
				return nil, invalid("Error validating stack policy: Unknown condition [%s] in statement [#%d]", op, i+1)
			}
		}
	}
	return &p, nil
}

// allows reports whether the policy lets an update take action ("Update:Replace") on a
// resource: an explicit Deny wins, then an Allow; a resource no statement allows is denied.
// why is the event's reason when it is not.
func (p *stackPolicy) allows(action, logical, typ string) (ok bool, why string) {
	allowed := false
	for i, st := range p.Statement {
		if !st.matches(action, logical, typ) {
			continue
		}
		if st.Effect == "Deny" {
			return false, fmt.Sprintf("Action denied by stack policy: Statement [#%d] does not allow [%s] for resource [LogicalResourceId/%s]", i+1, action, logical)
		}
		allowed = true
	}
	if !allowed {
		return false, fmt.Sprintf("Action not allowed by stack policy: No statement allows [%s] for resource [LogicalResourceId/%s]", action, logical)
	}
	return true, ""
}

func (st *policyStatement) matches(action, logical, typ string) bool {
	actionIn := func(as oneOrMany) bool {
		return slices.ContainsFunc(as, func(a string) bool { return a == action || a == "Update:*" })
	}
	if len(st.Action) > 0 && !actionIn(st.Action) || len(st.NotAction) > 0 && actionIn(st.NotAction) {
		return false
	}
	resourceIn := func(rs oneOrMany) bool {
		return slices.ContainsFunc(rs, func(r string) bool {
			if r == "*" {
				return true
			}
			ok, _ := path.Match(strings.TrimPrefix(r, "LogicalResourceId/"), logical)
			return strings.HasPrefix(r, "LogicalResourceId/") && ok
		})
	}
	if len(st.Resource) > 0 && !resourceIn(st.Resource) || len(st.NotResource) > 0 && resourceIn(st.NotResource) {
		return false
	}
	for op, keys := range st.Condition {
		for key, values := range keys {
			if key != "ResourceType" {
				return false
			}
			if !slices.ContainsFunc(values, func(v string) bool {
				if op == "StringLike" {
					ok, _ := path.Match(v, typ)
					return ok
				}
				return v == typ
			}) {
				return false
			}
		}
	}
	return true
}

// policyBody reads a policy given by body or URL (URLs are not read yet) and checks it.
func policyBody(body, url *string) (string, error) {
	switch {
	case body != nil && url != nil:
		return "", invalid("You cannot specify both StackPolicyURL and StackPolicyBody")
	case url != nil:
		return "", invalid("StackPolicyURL is not supported by the simulator: give StackPolicyBody")
	case body == nil:
		return "", nil
	}
	if _, err := parseStackPolicy(*body); err != nil {
		return "", err
	}
	return *body, nil
}

// SetStackPolicy sets a stack's policy, which its later updates must obey.
func (h *CloudFormation) SetStackPolicy(ctx context.Context, in *cloudformation.SetStackPolicyInput) (*cloudformation.SetStackPolicyOutput, error) {
	body, err := policyBody(in.StackPolicyBody, in.StackPolicyURL)
	if err != nil {
		return nil, err
	}
	if body == "" {
		return nil, invalid("Either StackPolicyBody or StackPolicyURL must be specified.")
	}
	err = h.s.withStack(core.RegionFrom(ctx), aws.ToString(in.StackName), func(k *stack) error {
		k.Policy = body
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &cloudformation.SetStackPolicyOutput{}, nil
}

// GetStackPolicy returns a stack's policy, none when it has none.
func (h *CloudFormation) GetStackPolicy(ctx context.Context, in *cloudformation.GetStackPolicyInput) (*cloudformation.GetStackPolicyOutput, error) {
	k, _, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	out := &cloudformation.GetStackPolicyOutput{}
	if k.Policy != "" {
		out.StackPolicyBody = aws.String(k.Policy)
	}
	return out, nil
}

// UpdateTerminationProtection turns a stack's termination protection on or off.
func (h *CloudFormation) UpdateTerminationProtection(ctx context.Context, in *cloudformation.UpdateTerminationProtectionInput) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	if in.EnableTerminationProtection == nil {
		return nil, invalid("1 validation error detected: Value null at 'enableTerminationProtection' failed to satisfy constraint: Member must not be null")
	}
	var id string
	err := h.s.withStack(core.RegionFrom(ctx), aws.ToString(in.StackName), func(k *stack) error {
		k.Protection, id = *in.EnableTerminationProtection, k.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &cloudformation.UpdateTerminationProtectionOutput{StackId: aws.String(id)}, nil
}

// withStack changes the stored stack named under the write lock.
func (s *Store) withStack(region, nameOrID string, fn func(*stack) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	k := s.find(region, nameOrID, now)
	if k == nil || (k.Name == nameOrID && !k.visibleAt(now)) || k.Final == "DELETE_COMPLETE" && !k.Deleted.After(now) {
		return invalid("Stack with id %s does not exist", nameOrID)
	}
	if err := fn(k); err != nil {
		return err
	}
	s.gen++
	return nil
}
