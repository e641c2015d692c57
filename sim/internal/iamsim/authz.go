package iamsim

import (
	"strconv"
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
	ctx := policy.Context{}
	ctx.Set("aws:CurrentTime", now.UTC().Format(time.RFC3339))
	ctx.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	ctx.Set("aws:SecureTransport", strconv.FormatBool(c != nil && c.Secure))
	if region != "" {
		ctx.Set("aws:RequestedRegion", region)
	}
	if c == nil || c.Kind == core.Anonymous {
		return ctx
	}
	if c.SourceIP != "" {
		ctx.Set("aws:SourceIp", c.SourceIP)
	}
	ctx.Set("aws:PrincipalArn", c.ARN)
	ctx.Set("aws:PrincipalAccount", c.Account)
	ctx.Set("aws:userid", c.UserID)
	switch c.Kind {
	case core.User:
		ctx.Set("aws:username", c.UserName)
		ctx.Set("aws:PrincipalType", "User")
	case core.AssumedRole:
		ctx.Set("aws:PrincipalArn", c.RoleARN) // for a session, AWS gives the role's ARN
		ctx.Set("aws:PrincipalType", "AssumedRole")
	case core.Root:
		ctx.Set("aws:PrincipalType", "Account")
	}
	if c.Temporary {
		ctx.Set("aws:MultiFactorAuthPresent", "false")
	}
	for k, v := range tags {
		ctx.Set("aws:PrincipalTag/"+k, v)
	}
	return ctx
}
