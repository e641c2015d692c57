package sim

import (
	"errors"
	"net/http"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/iamsim"
	"github.com/awsxlab/awsx/sim/internal/sigv4"
)

// Authenticate checks a request made to a server of the simulator outside AWS's API (the
// admin API of awsx sim serve): it must be signed with Signature Version 4 (in its
// Authorization header, over body, its whole payload) by a principal the simulator knows,
// as a request to AWS's API is. It returns the caller's ARN. Under [WithAnyAccessKey] an
// unknown key is taken as the root's without its signature checked, as the door takes it.
func (c *Cloud) Authenticate(r *http.Request, body []byte) (arn string, err error) {
	caller, err := c.authenticateOutside(r, body)
	if err != nil {
		return "", err
	}
	return caller.ARN, nil
}

func (c *Cloud) authenticateOutside(r *http.Request, body []byte) (*core.Caller, error) {
	auth, err := sigv4.Parse(r)
	if err != nil {
		return nil, err
	}
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	caller, secret, verify, err := c.identity.Authenticate(root, auth.AccessKeyID, auth.SessionToken)
	if err != nil {
		return nil, err
	}
	if verify {
		if err := sigv4.Verify(r, body, auth, secret, c.signingNow(auth.Presigned)); err != nil {
			return nil, err
		}
	}
	return caller, nil
}

// ErrNotAuthorized is the error of [Cloud.Authorize] for a caller whose policies do not allow
// the action; the error's text is IAM's, naming the principal and the action.
var ErrNotAuthorized = errors.New("not authorized")

// Authorize is [Cloud.Authenticate], then IAM's decision on action (such as
// "awsx:Advance", an action of the simulator's own) on every resource ("*") for the caller:
// the account's root is allowed, as is a user or role session whose policies allow the
// action (AdministratorAccess's "*" does); any other is refused with an error that wraps
// [ErrNotAuthorized]. Under [WithoutEnforcement] every known caller is allowed.
func (c *Cloud) Authorize(r *http.Request, body []byte, action string) (arn string, err error) {
	caller, err := c.authenticateOutside(r, body)
	if err != nil {
		return "", err
	}
	if caller.Kind == core.Root || c.opts.noEnforce {
		return caller.ARN, nil
	}
	pols, tags := c.identity.Policies(caller)
	preq := &policy.Request{Principal: iamsim.Principal(caller), Action: action, Resource: "*",
		Context: iamsim.Context(caller, tags, DefaultRegion, c.clock.Now())}
	if d := policy.Evaluate(preq, &pols); !d.Allowed() {
		return "", &notAuthorized{d.Message(preq)}
	}
	return caller.ARN, nil
}

type notAuthorized struct{ msg string }

func (e *notAuthorized) Error() string { return e.msg }
func (e *notAuthorized) Unwrap() error { return ErrNotAuthorized }
