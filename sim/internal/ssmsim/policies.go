package ssmsim

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Parameter policies: Expiration, ExpirationNotification and NoChangeNotification, at most
// ten to a parameter, one of each type, on advanced parameters only.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html
const maxPolicies = 10

// parsePolicies reads PutParameter's Policies: a JSON array of policies such as
// {"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-12-02T21:34:33.000Z"}}.
// It checks what AWS checks when it stores them (types, attributes, limits); the simulator
// stores them and shows them, and does not run them: nothing expires and nothing is notified.
// The messages are the simulator's own; the codes are AWS's.
func parsePolicies(text string) ([]policy, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, errorf(ValidationException, "Invalid policies input: %s. Policies must be a JSON array of policy objects.", text)
	}
	if len(raw) > maxPolicies {
		return nil, errorf(PoliciesLimitExceededException, "A parameter can have at most %d policies; %d were given.", maxPolicies, len(raw))
	}
	var out []policy
	seen := map[string]bool{}
	for _, r := range raw {
		var p struct {
			Type       string
			Version    string
			Attributes map[string]string
		}
		if err := json.Unmarshal(r, &p); err != nil {
			return nil, errorf(InvalidPolicyAttributeException, "Invalid policy: %s. A policy is an object with Type, Version and Attributes, all strings.", r)
		}
		if p.Version != "1.0" {
			return nil, errorf(InvalidPolicyAttributeException, "Invalid policy version %q in %s. The supported version is 1.0.", p.Version, r)
		}
		if err := checkPolicyAttributes(p.Type, p.Attributes, r); err != nil {
			return nil, err
		}
		if seen[p.Type] {
			return nil, errorf(IncompatiblePolicyException, "A parameter can have only one %s policy.", p.Type)
		}
		seen[p.Type] = true
		var compact bytes.Buffer
		if err := json.Compact(&compact, r); err != nil {
			return nil, errorf(InvalidPolicyAttributeException, "Invalid policy: %s.", r)
		}
		out = append(out, policy{Type: p.Type, Text: compact.String()})
	}
	return out, nil
}

func checkPolicyAttributes(typ string, attrs map[string]string, text json.RawMessage) error {
	unit := func() error {
		if u := attrs["Unit"]; u != "Days" && u != "Hours" {
			return errorf(InvalidPolicyAttributeException, "Invalid Unit %q in %s. Valid units are Days and Hours.", u, text)
		}
		return nil
	}
	count := func(name string) error {
		if n, err := strconv.Atoi(attrs[name]); err != nil || n < 1 {
			return errorf(InvalidPolicyAttributeException, "Invalid %s %q in %s. It must be a whole number of days or hours, 1 or more.", name, attrs[name], text)
		}
		return unit()
	}
	switch typ {
	case "Expiration":
		if _, err := time.Parse(time.RFC3339, attrs["Timestamp"]); err != nil {
			return errorf(InvalidPolicyAttributeException, "Invalid Timestamp %q in %s. It must be an ISO 8601 time such as 2030-12-02T21:34:33.000Z.", attrs["Timestamp"], text)
		}
		return nil
	case "ExpirationNotification":
		return count("Before")
	case "NoChangeNotification":
		return count("After")
	}
	return errorf(InvalidPolicyTypeException, "The policy type %q is not supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.", typ)
}

// policiesOut returns the policies as the API shows them. Their status is Pending: the
// simulator never runs them.
func policiesOut(ps []policy) []types.ParameterInlinePolicy {
	out := make([]types.ParameterInlinePolicy, 0, len(ps))
	for _, p := range ps {
		out = append(out, types.ParameterInlinePolicy{
			PolicyText: ptr(p.Text), PolicyType: ptr(p.Type), PolicyStatus: ptr("Pending"),
		})
	}
	return out
}

func ptr[T any](v T) *T { return &v }
