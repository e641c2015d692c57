package policy

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Context holds the condition keys of a request and their values. Keys are case-insensitive,
// as in IAM: aws:SourceIp and aws:sourceip are the same key. [Context.Set] stores keys
// lower-cased, which is the fastest form to look up; keys written directly into the map in
// another case are still found (by a case-insensitive scan). A key with no values is treated
// as absent. Values are text: times in ISO 8601 (2026-05-20T12:00:00Z) or epoch seconds,
// booleans as "true"/"false", binary values in base-64.
//
// A Context is a plain map: it is safe for concurrent reads, not for concurrent writes.
type Context map[string][]string

// Set sets key to values, replacing any values it had under any case of its name.
func (c Context) Set(key string, values ...string) {
	lk := lowerASCII(key)
	for k := range c {
		if k != lk && strings.EqualFold(k, key) {
			delete(c, k)
		}
	}
	c[lk] = values
}

// Get returns the values of key, whatever its case, and reports whether it has any.
func (c Context) Get(key string) ([]string, bool) {
	return c.lookupLower(lowerASCII(key))
}

// lookupLower looks a lower-cased key up.
func (c Context) lookupLower(lk string) ([]string, bool) {
	if v, ok := c[lk]; ok {
		return v, len(v) > 0
	}
	for k, v := range c {
		if len(k) == len(lk) && equalFoldASCII(k, lk) {
			return v, len(v) > 0
		}
	}
	return nil, false
}

// Request is what is being authorized: who (Principal) does what (Action) to what
// (Resource), with which condition keys (Context).
type Request struct {
	Principal Principal
	Action    string  // "ec2:DescribeRegions"; matched case-insensitively
	Resource  string  // an ARN, or "*" for actions that have no resource; matched case-sensitively
	Context   Context // may be nil
}

// Principal is the caller of a request.
type Principal struct {
	// ARN is the caller's ARN: arn:aws:iam::123456789012:user/alex, or for a role session
	// arn:aws:sts::123456789012:assumed-role/R/S.
	ARN string
	// Account is the caller's account ID; when empty it is taken from ARN.
	Account string
	// RoleARN is, for a role session, the role's ARN (arn:aws:iam::123456789012:role/R):
	// resource and trust policies may name the role rather than the session.
	RoleARN string
	// Service is the service principal ("ec2.amazonaws.com") when a service is the caller.
	Service string
	// Anonymous is true for an unauthenticated request (an unsigned S3 GET, say).
	Anonymous bool
}

// Kind returns "Anonymous", "Service", "Root", "User", "AssumedRole", "Role",
// "FederatedUser" or "Unknown", for messages.
func (p Principal) Kind() string {
	switch {
	case p.Anonymous:
		return "Anonymous"
	case p.Service != "":
		return "Service"
	}
	a, err := arn.Parse(p.ARN)
	if err != nil {
		return "Unknown"
	}
	switch {
	case a.Service == "iam" && a.Resource == "root":
		return "Root"
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		return "User"
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		return "AssumedRole"
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
		return "Role"
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "federated-user/"):
		return "FederatedUser"
	}
	return "Unknown"
}

// account returns Account, or the account field of ARN.
func (p *Principal) account() string {
	if p.Account != "" {
		return p.Account
	}
	// arn:partition:service:region:account:resource
	s := p.ARN
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return ""
		}
		s = s[j+1:]
	}
	if j := strings.IndexByte(s, ':'); j >= 0 {
		return s[:j]
	}
	return ""
}

// name is how messages name the caller: its ARN, the service, or "anonymous".
func (p *Principal) name() string {
	switch {
	case p.Anonymous:
		return "anonymous"
	case p.ARN != "":
		return p.ARN
	case p.Service != "":
		return p.Service
	}
	return "anonymous"
}
