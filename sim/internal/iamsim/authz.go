package iamsim

import (
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Principal returns c as the policy engine sees it.
func Principal(c *core.Caller) policy.Principal {
	if c == nil || c.Kind == core.Anonymous {
		return policy.Principal{Anonymous: true}
	}
	return policy.Principal{ARN: c.ARN, Account: c.Account, RoleARN: c.RoleARN}
}

// Context returns the global condition keys AWS sets for every request of c: who it is,
// when and how it came.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func Context(c *core.Caller, tags map[string]string, region string, now time.Time) policy.Context {
	// Keys are written lower-cased, the form policy.Context.Set stores, without its scan for
	// other spellings: this runs on every request.
	ctx := make(policy.Context, 16)
	vals := make([]string, 0, 16+len(tags)) // one backing array for every one-value key
	set := func(k, v string) {
		vals = append(vals, v)
		ctx[k] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	set("aws:currenttime", now.UTC().Format(time.RFC3339))
	set("aws:epochtime", strconv.FormatInt(now.Unix(), 10))
	set("aws:securetransport", strconv.FormatBool(c != nil && c.Secure))
	if region != "" {
		set("aws:requestedregion", region)
	}
	if c == nil || c.Kind == core.Anonymous {
		return ctx
	}
	if c.SourceIP != "" {
		set("aws:sourceip", c.SourceIP)
	}
	set("aws:principalarn", c.ARN)
	set("aws:principalaccount", c.Account)
	set("aws:userid", c.UserID)
	switch c.Kind {
	case core.User:
		set("aws:username", c.UserName)
		set("aws:principaltype", "User")
	case core.AssumedRole:
		set("aws:principalarn", c.RoleARN) // for a session, AWS gives the role's ARN
		set("aws:principaltype", "AssumedRole")
	case core.Root:
		set("aws:principaltype", "Account")
	case core.FederatedUser:
		set("aws:principaltype", "FederatedUser")
	}
	// Set for temporary credentials only, true when they were issued with MFA.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
	if c.Temporary {
		set("aws:multifactorauthpresent", strconv.FormatBool(!c.MFA.IsZero()))
		if !c.MFA.IsZero() {
			set("aws:multifactorauthage", strconv.FormatInt(int64(now.Sub(c.MFA)/time.Second), 10))
		}
	}
	for k, v := range tags {
		set("aws:principaltag/"+strings.ToLower(k), v)
	}
	return ctx
}
