package iamsim

import (
	"context"
	"maps"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Account properties: account-wide IAM settings as Namespace/PropertyName keys (Role
// Manager's, in AWS). AWS documents the format, not the set of properties, so the simulator
// keeps every well-formed key and value it is given and returns them all.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutAccountProperties.html,
// pinned by TestAccountProperties.

var propertyKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9/_-]*$`)

func (h *IAM) GetAccountProperties(ctx context.Context, in *iam.GetAccountPropertiesInput) (*iam.GetAccountPropertiesOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &iam.GetAccountPropertiesOutput{Properties: maps.Clone(s.st.Account.Properties)}, nil
}

func (h *IAM) PutAccountProperties(ctx context.Context, in *iam.PutAccountPropertiesInput) (*iam.PutAccountPropertiesOutput, error) {
	if len(in.Properties) == 0 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value null at 'properties' failed to satisfy constraint: Member must not be null")
	}
	if err := checkProperties(in.Properties); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	a := &s.st.Account
	if a.Properties == nil {
		a.Properties = map[string]string{}
	}
	maps.Copy(a.Properties, in.Properties)
	return &iam.PutAccountPropertiesOutput{}, nil
}

// checkProperties refuses properties AWS refuses: a key or value out of its bounds or
// pattern, a key not Namespace/PropertyName, keys of two namespaces.
func checkProperties(props map[string]string) error {
	namespace := ""
	for _, k := range sortedKeys(props) {
		v := props[k]
		if len(k) < 1 || len(k) > 50 {
			return core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'properties' failed to satisfy constraint: Map keys must have length between 1 and 50", k)
		}
		if !propertyKey.MatchString(k) {
			return core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'properties' failed to satisfy constraint: Map keys must satisfy regular expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$", k)
		}
		if len(v) < 1 || len(v) > 1024 {
			return core.Errorf(ValidationError, "1 validation error detected: Value at 'properties' failed to satisfy constraint: Map values must have length between 1 and 1024")
		}
		ns, name, ok := strings.Cut(k, "/")
		if !ok || name == "" || strings.Contains(name, "/") {
			return core.Errorf(InvalidInput, "Property key %s must be in the format Namespace/PropertyName.", k)
		}
		if namespace == "" {
			namespace = ns
		} else if ns != namespace {
			return core.Errorf(InvalidInput, "All properties in a request must belong to the same namespace: %s and %s differ.", namespace, ns)
		}
	}
	return nil
}
