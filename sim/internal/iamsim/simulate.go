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

// simulation is the policies of one simulation, with how IAM names each in MatchedStatements.
type simulation struct {
	policies policy.Policies
	sources  map[string]types.Statement // by policy.Attached.Name
}

func (sim *simulation) add(list *[]policy.Attached, label string, p *policy.Policy, src types.Statement) {
	*list = append(*list, policy.Attached{Name: label, Policy: p})
	sim.sources[label] = src
}

// addPrincipal adds the inline and managed policies of pc, a user, group or role.
func (s *Store) addPrincipal(sim *simulation, kind types.PolicySourceType, pc *principalCommon) {
	for _, name := range sortedKeys(pc.Inline) {
		sim.add(&sim.policies.Identity, fmt.Sprintf("%s/%s inline policy %s", kind, pc.Name, name), pc.Inline[name].parsed,
			types.Statement{SourcePolicyId: aws.String(name), SourcePolicyType: kind})
	}
	for _, arn := range pc.Attached {
		p := s.managed(arn)
		if p == nil {
			continue
		}
		t := types.PolicySourceTypeUserManaged
		if awsManaged(arn) != nil {
			t = types.PolicySourceTypeAwsManaged
		}
		sim.add(&sim.policies.Identity, arn, p, types.Statement{SourcePolicyId: aws.String(arn[strings.LastIndexByte(arn, '/')+1:]), SourcePolicyType: t})
	}
}

// SimulatePrincipalPolicy evaluates the policies of a user, group or role (plus any given)
// with the same engine that authorizes every request of the simulator.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
func (h *IAM) SimulatePrincipalPolicy(ctx context.Context, in *iam.SimulatePrincipalPolicyInput) (*iam.SimulatePrincipalPolicyOutput, error) {
	s := h.s
	sim := &simulation{sources: map[string]types.Statement{}}
	source := aws.ToString(in.PolicySourceArn)
	prefix := "arn:aws:iam::" + s.account + ":"
	if !strings.HasPrefix(source, prefix) {
		return nil, core.Errorf(InvalidInput, "Invalid ARN %s.", source)
	}
	rest := source[len(prefix):]
	kind, name, _ := strings.Cut(rest, "/")
	name = name[strings.LastIndexByte(name, '/')+1:]
	principal := policy.Principal{ARN: source, Account: s.account}
	var username string
	s.mu.RLock()
	switch kind {
	case "user":
		u, err := s.user(name)
		if err != nil {
			s.mu.RUnlock()
			return nil, err
		}
		username = u.Name
		s.addPrincipal(sim, types.PolicySourceTypeUser, &u.principalCommon)
		for _, g := range s.groupsOf(u.Name) {
			s.addPrincipal(sim, types.PolicySourceTypeGroup, &g.principalCommon)
		}
		if u.Boundary != "" {
			sim.policies.Boundary = []policy.Attached{{Name: u.Boundary, Policy: s.managed(u.Boundary)}}
		}
	case "group":
		g, err := s.group(name)
		if err != nil {
			s.mu.RUnlock()
			return nil, err
		}
		s.addPrincipal(sim, types.PolicySourceTypeGroup, &g.principalCommon)
	case "role":
		r, err := s.role(name)
		if err != nil {
			s.mu.RUnlock()
			return nil, err
		}
		s.addPrincipal(sim, types.PolicySourceTypeRole, &r.principalCommon)
		if r.Boundary != "" {
			sim.policies.Boundary = []policy.Attached{{Name: r.Boundary, Policy: s.managed(r.Boundary)}}
		}
	default:
		s.mu.RUnlock()
		return nil, core.Errorf(InvalidInput, "Invalid ARN %s: the policy source must be a user, group or role.", source)
	}
	s.mu.RUnlock()
	if in.CallerArn != nil {
		principal.ARN = *in.CallerArn
	}
	return s.simulate(sim, principal, username, simulateRequest{
		inputs: in.PolicyInputList, boundaries: in.PermissionsBoundaryPolicyInputList, actions: in.ActionNames,
		resources: in.ResourceArns, resourcePolicy: in.ResourcePolicy, entries: in.ContextEntries, marker: in.Marker, maxItems: in.MaxItems,
	})
}

// SimulateCustomPolicy evaluates the given policies alone.
func (h *IAM) SimulateCustomPolicy(ctx context.Context, in *iam.SimulateCustomPolicyInput) (*iam.SimulateCustomPolicyOutput, error) {
	sim := &simulation{sources: map[string]types.Statement{}}
	principal := policy.Principal{ARN: aws.ToString(in.CallerArn), Account: h.s.account}
	if principal.ARN == "" {
		principal.ARN = "arn:aws:iam::" + h.s.account + ":user/simulated"
	}
	out, err := h.s.simulate(sim, principal, "", simulateRequest{
		inputs: in.PolicyInputList, boundaries: in.PermissionsBoundaryPolicyInputList, actions: in.ActionNames,
		resources: in.ResourceArns, resourcePolicy: in.ResourcePolicy, entries: in.ContextEntries, marker: in.Marker, maxItems: in.MaxItems,
	})
	if err != nil {
		return nil, err
	}
	return &iam.SimulateCustomPolicyOutput{EvaluationResults: out.EvaluationResults, Marker: out.Marker, IsTruncated: out.IsTruncated}, nil
}

// inputPolicy is the source type IAM reports for policies passed in the request; the SDK's
// enum does not list it.
const inputPolicy types.PolicySourceType = "IAM Policy"

type simulateRequest struct {
	inputs, boundaries, actions, resources []string
	resourcePolicy                         *string
	entries                                []types.ContextEntry
	marker                                 *string
	maxItems                               *int32
}

func (s *Store) simulate(sim *simulation, principal policy.Principal, username string, r simulateRequest) (*iam.SimulatePrincipalPolicyOutput, error) {
	if len(r.actions) == 0 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	for i, text := range r.inputs {
		d, err := parseDocument("policyInputList", text, policy.Identity)
		if err != nil {
			return nil, err
		}
		id := fmt.Sprintf("PolicyInputList.%d", i+1)
		sim.add(&sim.policies.Identity, id, d.parsed, types.Statement{SourcePolicyId: aws.String(id), SourcePolicyType: inputPolicy})
	}
	for i, text := range r.boundaries {
		d, err := parseDocument("permissionsBoundaryPolicyInputList", text, policy.Identity)
		if err != nil {
			return nil, err
		}
		id := fmt.Sprintf("PermissionsBoundaryPolicyInputList.%d", i+1)
		sim.add(&sim.policies.Boundary, id, d.parsed, types.Statement{SourcePolicyId: aws.String(id), SourcePolicyType: inputPolicy})
	}
	if sim.policies.Boundary == nil && len(r.boundaries) > 0 {
		sim.policies.Boundary = []policy.Attached{}
	}
	if r.resourcePolicy != nil {
		d, err := parseDocument("resourcePolicy", *r.resourcePolicy, policy.Resource)
		if err != nil {
			return nil, err
		}
		sim.add(&sim.policies.Resource, "ResourcePolicy", d.parsed, types.Statement{SourcePolicyId: aws.String("ResourcePolicy"), SourcePolicyType: types.PolicySourceTypeResource})
	}
	ctx := policy.Context{}
	if username != "" {
		ctx.Set("aws:username", username)
	}
	for _, e := range r.entries {
		ctx.Set(aws.ToString(e.ContextKeyName), e.ContextKeyValues...)
	}
	resources := r.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	var results []types.EvaluationResult
	for _, action := range r.actions {
		for _, res := range resources {
			d := policy.Evaluate(&policy.Request{Principal: principal, Action: action, Resource: res, Context: ctx}, &sim.policies)
			result := types.EvaluationResult{
				EvalActionName: aws.String(action), EvalResourceName: aws.String(res),
				EvalDecision: decision(d), MatchedStatements: []types.Statement{}, MissingContextValues: []string{},
			}
			if d.By != nil {
				if src, ok := sim.sources[d.By.Policy]; ok {
					result.MatchedStatements = append(result.MatchedStatements, src)
				}
			}
			results = append(results, result)
		}
	}
	items, marker, truncated, err := page(results, r.marker, r.maxItems)
	if err != nil {
		return nil, err
	}
	return &iam.SimulatePrincipalPolicyOutput{EvaluationResults: items, Marker: marker, IsTruncated: truncated}, nil
}

func decision(d policy.Decision) types.PolicyEvaluationDecisionType {
	switch d.Effect {
	case policy.Allow:
		return types.PolicyEvaluationDecisionTypeAllowed
	case policy.ExplicitDeny:
		return types.PolicyEvaluationDecisionTypeExplicitDeny
	}
	return types.PolicyEvaluationDecisionTypeImplicitDeny
}
