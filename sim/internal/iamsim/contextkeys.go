package iamsim

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// The context keys of policies: what GetContextKeysFor…Policy list so that a simulation can
// be given their values. They are the keys of the policies' conditions and the policy
// variables of their resources, each once whatever its case, in the order they appear.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetContextKeysForCustomPolicy.html

// policyVariable matches ${key} in a resource; ${*}, ${?} and ${$} are characters, not keys.
var policyVariable = regexp.MustCompile(`\$\{([^}*?$][^}]*)\}`)

// contextKeys adds the keys of p to keys, skipping those keys holds in any case.
func contextKeys(keys []string, p *policy.Policy) []string {
	add := func(k string) {
		if !slices.ContainsFunc(keys, func(h string) bool { return strings.EqualFold(h, k) }) {
			keys = append(keys, k)
		}
	}
	for _, st := range p.Statements {
		for _, r := range slices.Concat(st.Resource, st.NotResource) {
			for _, m := range policyVariable.FindAllStringSubmatch(r, -1) {
				add(m[1])
			}
		}
		for _, op := range sortedKeys(st.Condition) {
			for _, k := range sortedKeys(st.Condition[op]) {
				add(k)
			}
		}
	}
	return keys
}

// customKeys parses the policies of a PolicyInputList and adds their keys.
func customKeys(keys []string, docs []string) ([]string, error) {
	for _, d := range docs {
		doc, err := parseDocument("policyInputList", d, policy.Identity)
		if err != nil {
			return nil, core.Errorf(InvalidInput, "%s", core.AsError(err).Message)
		}
		keys = contextKeys(keys, doc.parsed)
	}
	return keys, nil
}

func (h *IAM) GetContextKeysForCustomPolicy(ctx context.Context, in *iam.GetContextKeysForCustomPolicyInput) (*iam.GetContextKeysForCustomPolicyOutput, error) {
	keys, err := customKeys([]string{}, in.PolicyInputList)
	if err != nil {
		return nil, err
	}
	return &iam.GetContextKeysForCustomPolicyOutput{ContextKeyNames: keys}, nil
}

// GetContextKeysForPrincipalPolicy lists the keys of a user's, group's or role's identity
// policies — a user's groups' too — and of any policies given.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetContextKeysForPrincipalPolicy.html
func (h *IAM) GetContextKeysForPrincipalPolicy(ctx context.Context, in *iam.GetContextKeysForPrincipalPolicyInput) (*iam.GetContextKeysForPrincipalPolicyOutput, error) {
	arn := aws.ToString(in.PolicySourceArn)
	s := h.s
	s.mu.RLock()
	var pcs []*principalCommon
	prefix := "arn:aws:iam::" + s.account + ":"
	rest, ok := strings.CutPrefix(arn, prefix)
	kind, pathName, _ := strings.Cut(rest, "/")
	name := pathName[strings.LastIndexByte(pathName, '/')+1:]
	if ok {
		switch kind {
		case "user":
			if u, ok := s.st.Users[key(name)]; ok {
				pcs = append(pcs, &u.principalCommon)
				for _, g := range s.groupsOf(u.Name) {
					pcs = append(pcs, &g.principalCommon)
				}
			}
		case "group":
			if g, ok := s.st.Groups[key(name)]; ok {
				pcs = append(pcs, &g.principalCommon)
			}
		case "role":
			if r, ok := s.st.Roles[key(name)]; ok {
				pcs = append(pcs, &r.principalCommon)
			}
		}
	}
	keys := []string{}
	for _, pc := range pcs {
		for _, n := range sortedKeys(pc.Inline) {
			keys = contextKeys(keys, pc.Inline[n].parsed)
		}
		for _, a := range pc.Attached {
			if p := s.managed(a); p != nil {
				keys = contextKeys(keys, p)
			}
		}
	}
	s.mu.RUnlock()
	if len(pcs) == 0 {
		return nil, core.Errorf(NoSuchEntity, "PolicySourceArn %s does not exist.", arn)
	}
	keys, err := customKeys(keys, in.PolicyInputList)
	if err != nil {
		return nil, err
	}
	return &iam.GetContextKeysForPrincipalPolicyOutput{ContextKeyNames: keys}, nil
}

// SetSecurityTokenServicePreferences records the version of the tokens STS's global endpoint
// issues, which GetAccountSummary reports as GlobalEndpointTokenVersion; the simulator's
// tokens are the same either way.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetSecurityTokenServicePreferences.html
func (h *IAM) SetSecurityTokenServicePreferences(ctx context.Context, in *iam.SetSecurityTokenServicePreferencesInput) (*iam.SetSecurityTokenServicePreferencesOutput, error) {
	v := int32(0)
	switch in.GlobalEndpointTokenVersion {
	case "v1Token":
		v = 1
	case "v2Token":
		v = 2
	default:
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]", in.GlobalEndpointTokenVersion)
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	s.st.Account.TokenVersion = v
	return &iam.SetSecurityTokenServicePreferencesOutput{}, nil
}
