package sim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/iamsim"
	"github.com/awsxlab/awsx/sim/internal/sigv4"
)

// Authenticate checks a request made to a server of the simulator outside AWS's API (the
// admin API of awsx sim serve): it must be signed with Signature Version 4 (in its
// Authorization header, over body, its whole payload) by a principal the simulator knows,
// as a request to AWS's API is. It returns the caller's ARN. Under [WithAnyAccessKey] an
// unknown key is taken as the root's without its signature checked, as the door takes it.
func (c *Cloud) Authenticate(r *http.Request, body []byte) (arn string, err error) {
	auth, err := sigv4.Parse(r)
	if err != nil {
		return "", err
	}
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	caller, secret, verify, err := c.identity.Authenticate(root, auth.AccessKeyID, auth.SessionToken)
	if err != nil {
		return "", err
	}
	if verify {
		if err := sigv4.Verify(r, body, auth, secret, c.signingNow(auth.Presigned)); err != nil {
			return "", err
		}
	}
	return caller.ARN, nil
}
