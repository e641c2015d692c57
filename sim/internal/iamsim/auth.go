package iamsim

import (
	"crypto/subtle"
	"strings"
	"sync"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// AuthError says why an access key was refused; each service answers it with its own code.
type AuthError int

const (
	UnknownKey   AuthError = iota + 1 // no such key, or an inactive one: AWS answers both alike
	BadToken                          // a session token that is missing, unknown or altered
	ExpiredToken                      // temporary credentials past their expiry
)

func (e AuthError) Error() string {
	switch e {
	case UnknownKey:
		return "unknown access key"
	case BadToken:
		return "invalid session token"
	default:
		return "expired session token"
	}
}

// Root holds the account root's access key. AcceptAny makes any unknown key act as root, for
// tools written against other emulators' dummy keys; their signatures cannot be checked.
type Root struct {
	AccessKeyID, Secret string
	AcceptAny           bool
}

// Authenticate resolves an access key (and the session token that came with it) to the
// caller and the secret its signature must verify with. verify is false only for keys accepted
// by [Root.AcceptAny].
func (s *Store) Authenticate(root Root, keyID, token string) (c *core.Caller, secret string, verify bool, err error) {
	if keyID == root.AccessKeyID && root.AccessKeyID != "" {
		if token != "" {
			return nil, "", false, BadToken
		}
		return s.rootCaller(keyID), root.Secret, true, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if k, ok := s.st.Keys[keyID]; ok {
		if !k.Active {
			return nil, "", false, UnknownKey
		}
		if token != "" {
			return nil, "", false, BadToken
		}
		u := s.st.Users[key(k.User)]
		return &core.Caller{
			Kind: core.User, Account: s.account, ARN: s.arn("user", u.Path, u.Name),
			UserID: u.ID, UserName: u.Name, AccessKeyID: keyID,
		}, k.Secret, true, nil
	}
	if ses, ok := s.st.Sessions[keyID]; ok {
		if subtle.ConstantTimeCompare([]byte(token), []byte(ses.Token)) != 1 {
			return nil, "", false, BadToken
		}
		if !s.clock.Now().Before(ses.Expires) {
			return nil, "", false, ExpiredToken
		}
		return s.sessionCaller(ses), ses.Secret, true, nil
	}
	if root.AcceptAny && token == "" {
		return s.rootCaller(keyID), "", false, nil
	}
	return nil, "", false, UnknownKey
}

func (s *Store) rootCaller(keyID string) *core.Caller {
	return &core.Caller{Kind: core.Root, Account: s.account, ARN: "arn:aws:iam::" + s.account + ":root", UserID: s.account, AccessKeyID: keyID}
}

// sessionCaller builds the caller of temporary credentials. s.mu is held.
func (s *Store) sessionCaller(ses *session) *core.Caller {
	c := &core.Caller{Account: s.account, AccessKeyID: ses.KeyID, Temporary: true, MFA: ses.MFA}
	switch {
	case ses.Federated != "":
		return s.federatedCaller(ses)
	case ses.Role != "":
		c.Kind = core.AssumedRole
		c.RoleName, c.SessionName = ses.Role, ses.Name
		c.ARN = "arn:aws:sts::" + s.account + ":assumed-role/" + ses.Role + "/" + ses.Name
		c.UserID = ses.RoleID + ":" + ses.Name
		if r, ok := s.st.Roles[key(ses.Role)]; ok {
			c.RoleARN = s.arn("role", r.Path, r.Name)
		}
	case ses.Root:
		c = s.rootCaller(ses.KeyID)
		c.Temporary, c.MFA = true, ses.MFA
		c.FromSessionToken = true
	default:
		c.Kind, c.UserName, c.FromSessionToken = core.User, ses.User, true
		if u, ok := s.st.Users[key(ses.User)]; ok {
			c.ARN, c.UserID = s.arn("user", u.Path, u.Name), u.ID
		}
	}
	return c
}

// RecordUse notes that an access key signed a request, for GetAccessKeyLastUsed and the
// service last accessed reports (access.go).
func (s *Store) RecordUse(keyID, service, region string) {
	now := s.now() // one reading of the clock for both records
	s.mu.Lock()
	if k, ok := s.st.Keys[keyID]; ok {
		k.LastUsed, k.LastService, k.LastRegion = now, service, region
	}
	s.recordAccess(keyID, service, region, now)
	s.mu.Unlock()
}

// Policies returns the policies that apply to c's requests and c's principal tags. A role
// session or a user that was deleted after its credentials were issued has none.
func (s *Store) Policies(c *core.Caller) (policy.Policies, map[string]string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var p policy.Policies
	switch c.Kind {
	case core.User:
		u, ok := s.st.Users[key(c.UserName)]
		if !ok {
			return p, nil
		}
		p.Identity = s.identityPolicies(&u.principalCommon, "user", p.Identity)
		for _, g := range s.groupsOf(u.Name) {
			p.Identity = s.identityPolicies(&g.principalCommon, "group", p.Identity)
		}
		p.Boundary = s.boundary(u.Boundary)
		return p, tagMap(u.Tags)
	case core.AssumedRole:
		r, ok := s.st.Roles[key(c.RoleName)]
		if !ok {
			return p, nil
		}
		p.Identity = s.identityPolicies(&r.principalCommon, "role", p.Identity)
		p.Boundary = s.boundary(r.Boundary)
		if ses, ok := s.st.Sessions[c.AccessKeyID]; ok && (ses.Policy != nil || len(ses.PolicyARNs) > 0) {
			p.Session = []policy.Attached{}
			if ses.Policy != nil {
				p.Session = append(p.Session, policy.Attached{Name: "session policy", Policy: ses.Policy.parsed})
			}
			for _, a := range ses.PolicyARNs {
				if mp := s.managed(a); mp != nil {
					p.Session = append(p.Session, policy.Attached{Name: a, Policy: mp})
				}
			}
		}
		tags := tagMap(r.Tags)
		if ses, ok := s.st.Sessions[c.AccessKeyID]; ok {
			for _, t := range ses.Tags { // session tags override the role's
				if tags == nil {
					tags = map[string]string{}
				}
				tags[t.Key] = t.Value
			}
		}
		return p, tags
	case core.FederatedUser:
		return s.federatedPolicies(c)
	}
	return p, nil
}

func (s *Store) identityPolicies(pc *principalCommon, kind string, out []policy.Attached) []policy.Attached {
	for _, name := range sortedKeys(pc.Inline) {
		d := pc.Inline[name]
		out = append(out, policy.Attached{Name: kind + "/" + pc.Name + " inline policy " + name, Policy: d.parsed})
	}
	for _, a := range pc.Attached {
		if mp := s.managed(a); mp != nil {
			out = append(out, policy.Attached{Name: a, Policy: mp})
		}
	}
	return out
}

func (s *Store) boundary(arn string) []policy.Attached {
	if arn == "" {
		return nil
	}
	mp := s.managed(arn)
	if mp == nil {
		return []policy.Attached{}
	}
	return []policy.Attached{{Name: arn, Policy: mp}}
}

// managed returns the parsed default version of the managed policy arn, AWS's or the
// account's. s.mu is held.
func (s *Store) managed(arn string) *policy.Policy {
	if m := awsManaged(arn); m != nil {
		return m.parsed
	}
	mp, ok := s.st.Policies[arn]
	if !ok {
		return nil
	}
	for _, v := range mp.Versions {
		if v.ID == mp.Default {
			return v.Doc.parsed
		}
	}
	return nil
}

func tagMap(tags []tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// awsPolicy is an AWS managed policy with its parsed document.
type awsPolicy struct {
	*policy.Managed
	parsed *policy.Policy
}

var awsPolicies = sync.OnceValue(func() map[string]*awsPolicy {
	m := map[string]*awsPolicy{}
	for _, mp := range policy.AWSManagedList() {
		p, err := policy.Parse(mp.Document, policy.Identity)
		if err != nil {
			panic("iamsim: AWS managed policy " + mp.Name + " does not parse: " + err.Error())
		}
		m[mp.ARN] = &awsPolicy{Managed: mp, parsed: p}
	}
	return m
})

func awsManaged(arn string) *awsPolicy {
	if !strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
		return nil
	}
	return awsPolicies()[arn]
}

// now returns the simulator's time.
func (s *Store) now() time.Time { return s.clock.Now() }
