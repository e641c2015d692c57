package service

import "github.com/awsxlab/awsx/iamx/policy"

// Access is one permission a request needs: an IAM action on a resource, with the request's
// own condition keys and the resource-based policy that applies, if any. The door evaluates
// each with the caller's identity policies; all must be allowed.
type Access struct {
	// Action is the IAM action ("s3:GetObject"); empty means the service's prefix and the
	// operation's name.
	Action string
	// Resource is the resource's ARN, or "*".
	Resource string
	// Context holds condition keys of this request beyond the global ones ("s3:prefix").
	Context map[string]string
	// Policy is the resource-based policy that applies (a bucket policy, a role's trust
	// policy), named by PolicyName in refusals; nil when none does.
	Policy     *policy.Policy
	PolicyName string
	// Trust reports whether Policy must itself allow the request, as a role's trust policy
	// must for sts:AssumeRole; a Trust access with a nil Policy is refused.
	Trust bool
}

// On returns the accesses of the request's own action on each of resources, "*" when there
// are none.
func On(resources ...string) []Access {
	if len(resources) == 0 {
		return []Access{{Resource: "*"}}
	}
	out := make([]Access, len(resources))
	for i, r := range resources {
		out[i] = Access{Resource: r}
	}
	return out
}
