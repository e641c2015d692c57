package policy

import (
	"strconv"
	"strings"
)

// compiled is a statement prepared for evaluation at Parse time.
type compiled struct {
	deny        bool
	actions     []pattern // lower-cased, wildcards
	notAction   bool
	resources   []pattern // case-sensitive, wildcards, variables
	notResource bool
	anyResource bool // neither Resource nor NotResource (trust policies)
	principal   *principalSet
	notPrinc    bool
	conds       []condition
}

// principalSet is a compiled Principal or NotPrincipal.
type principalSet struct {
	all      bool     // "*" or {"AWS": "*"}
	accounts []string // account IDs, from "123456789012" or arn:aws:iam::123456789012:root
	arns     []string // user, role and session ARNs
	services []string // lower-cased
	others   []string // Federated and CanonicalUser values: matched against the caller's ARN
}

func (s *Statement) compile(vars bool) {
	c := &s.c
	c.deny = s.Effect == "Deny"
	acts := s.Action
	if s.NotAction != nil {
		acts, c.notAction = s.NotAction, true
	}
	c.actions = make([]pattern, len(acts))
	for i, a := range acts {
		c.actions[i] = compilePattern(lowerASCII(a), true, false)
	}
	res := s.Resource
	if s.NotResource != nil {
		res, c.notResource = s.NotResource, true
	}
	c.anyResource = res == nil
	c.resources = make([]pattern, len(res))
	for i, r := range res {
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html:
		// "*" matches across the ARN's colons and slashes.
		c.resources[i] = compilePattern(r, true, vars)
	}
	pr := s.Principal
	if s.NotPrincipal != nil {
		pr, c.notPrinc = s.NotPrincipal, true
	}
	if pr != nil {
		c.principal = compilePrincipals(pr)
	}
	for _, op := range sortedKeys(s.Condition) {
		keys := s.Condition[op]
		for _, k := range sortedKeys(keys) {
			c.conds = append(c.conds, compileCondition(op, k, keys[k], vars))
		}
	}
}

// readsContext reports whether applying the statement can read the request's Context.
func (c *compiled) readsContext() bool {
	if len(c.conds) > 0 {
		return true
	}
	for i := range c.resources {
		if c.resources[i].vars {
			return true
		}
	}
	return false
}

func compilePrincipals(p *Principals) *principalSet {
	ps := &principalSet{all: p.All}
	for _, a := range p.AWS {
		switch {
		case a == "*":
			ps.all = true
		case isAccountID(a):
			ps.accounts = append(ps.accounts, a)
		default:
			if parts, ok := splitARN(a); ok && parts[2] == "iam" && parts[5] == "root" {
				ps.accounts = append(ps.accounts, parts[4])
			} else {
				ps.arns = append(ps.arns, a)
			}
		}
	}
	for _, sv := range p.Service {
		ps.services = append(ps.services, lowerASCII(sv))
	}
	ps.others = append(append(ps.others, p.Federated...), p.CanonicalUser...)
	return ps
}

// principalLevel is how specifically a resource policy's statement names the caller.
type principalLevel uint8

const (
	levelNone    principalLevel = iota
	levelAccount                // the caller's account: the account's own policies must allow too
	levelRole                   // the role of the caller's session
	levelDirect                 // the caller itself (user ARN, session ARN, service), or everyone ("*")
)

func (ps *principalSet) level(p *Principal) principalLevel {
	if ps.all {
		return levelDirect
	}
	if p.Anonymous {
		return levelNone
	}
	if p.Service != "" {
		for _, s := range ps.services {
			if equalFoldASCII(p.Service, s) {
				return levelDirect
			}
		}
		return levelNone
	}
	best := levelNone
	for _, a := range ps.arns {
		if a == p.ARN {
			return levelDirect
		}
		if p.RoleARN != "" && a == p.RoleARN {
			best = levelRole
		}
	}
	for _, a := range ps.others {
		if a == p.ARN {
			return levelDirect
		}
	}
	if best == levelNone && len(ps.accounts) > 0 {
		acct := p.account()
		for _, a := range ps.accounts {
			if a == acct {
				return levelAccount
			}
		}
	}
	return best
}

// principal returns how the statement's Principal or NotPrincipal applies to the caller.
func (s *Statement) principalLevel(p *Principal) principalLevel {
	c := &s.c
	if c.principal == nil {
		return levelDirect
	}
	l := c.principal.level(p)
	if !c.notPrinc {
		return l
	}
	// NotPrincipal excludes the caller when it names the caller itself or its account; naming
	// only the role does not exclude the role's sessions.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
	if l == levelDirect || l == levelAccount {
		return levelNone
	}
	return levelDirect
}

// applies reports whether the statement's Action, Resource and Condition match the request.
func (s *Statement) applies(req *Request) bool {
	c := &s.c
	m := false
	for i := range c.actions {
		if c.actions[i].match(req.Action, nil, true) {
			m = true
			break
		}
	}
	if m == c.notAction {
		return false
	}
	if !c.anyResource {
		m = false
		for i := range c.resources {
			if c.resources[i].match(req.Resource, req.Context, false) {
				m = true
				break
			}
		}
		if c.notResource {
			if m {
				return false
			}
			for i := range c.resources {
				if !c.resources[i].resolvable(req.Context) {
					return false
				}
			}
		} else if !m {
			return false
		}
	}
	for i := range c.conds {
		if !c.conds[i].eval(req.Context) {
			return false
		}
	}
	return true
}

// Attached is a policy that applies to a request, with the name explanations show for it.
type Attached struct {
	Name   string // the policy ARN, or e.g. "user/alex inline ReadS3"
	Policy *Policy
}

// Policies are all the policies that apply to a request, by type.
type Policies struct {
	// Identity holds every identity-based policy that applies: the user's inline and managed
	// policies and those of its groups, or the role's for a role session.
	Identity []Attached
	// Resource holds the resource-based policies of the target: a bucket policy, a role's
	// trust policy.
	Resource []Attached
	// Boundary is the caller's permissions boundary; nil when it has none.
	Boundary []Attached
	// Session holds the session policies of a role session; nil when there are none.
	Session []Attached
}

// ReadsContext reports whether evaluating a request against p can read its Context.
func (p *Policies) ReadsContext() bool {
	for _, list := range [...][]Attached{p.Identity, p.Resource, p.Boundary, p.Session} {
		for _, a := range list {
			if a.Policy != nil && a.Policy.ReadsContext() {
				return true
			}
		}
	}
	return false
}

// Effect is the outcome of an evaluation.
type Effect int

const (
	ImplicitDeny Effect = iota // no policy allows the request
	Allow                      // a policy allows it and none denies it
	ExplicitDeny               // a statement denies it
)

// String returns "ImplicitDeny", "Allow" or "ExplicitDeny".
func (e Effect) String() string {
	switch e {
	case ImplicitDeny:
		return "ImplicitDeny"
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "Effect(" + strconv.Itoa(int(e)) + ")"
}

// Policy types, as AWS's messages name them.
const (
	TypeIdentity = "identity-based policy"
	TypeResource = "resource-based policy"
	TypeBoundary = "permissions boundary"
	TypeSession  = "session policy"
)

// Match names a statement that decided a request.
type Match struct {
	Policy     string // the Attached name
	PolicyType string // TypeIdentity, TypeResource, TypeBoundary or TypeSession
	Sid        string
	Index      int // the statement's index in the policy, from 0
}

func (m *Match) String() string {
	s := m.PolicyType + " " + strconv.Quote(m.Policy) + ", statement " + strconv.Itoa(m.Index)
	if m.Sid != "" {
		s += " (Sid " + strconv.Quote(m.Sid) + ")"
	}
	return s
}

// Decision is the result of [Evaluate] and its explanation. A Decision is a value: safe to
// copy and to use concurrently.
type Decision struct {
	Effect Effect
	// By is the statement that decided: the deny for ExplicitDeny, the allow for Allow; nil for
	// ImplicitDeny.
	By *Match
	// Missing is, for ImplicitDeny, the policy type that had no allow (TypeIdentity,
	// TypeResource, TypeBoundary or TypeSession).
	Missing string
	// ResourceAllows reports whether an allow statement of a resource-based policy matched the
	// request, naming the caller or only its account. A role's trust policy must: for
	// sts:AssumeRole an identity-based allow alone is not enough.
	ResourceAllows bool
}

// Allowed reports whether the request is allowed.
func (d Decision) Allowed() bool { return d.Effect == Allow }

// Message returns AWS's denial text for the request, e.g.
//
//	User: arn:aws:iam::123456789012:user/alex is not authorized to perform: ec2:DescribeRegions because no identity-based policy allows the ec2:DescribeRegions action
//
// The "on resource:" part appears when the resource is not "*". Message returns "" when the
// request is allowed.
func (d Decision) Message(req *Request) string {
	if d.Effect == Allow {
		return ""
	}
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(req.Principal.name())
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(req.Action)
	if req.Resource != "" && req.Resource != "*" {
		b.WriteString(" on resource: ")
		b.WriteString(req.Resource)
	}
	if d.Effect == ExplicitDeny {
		t := TypeIdentity
		if d.By != nil {
			t = d.By.PolicyType
		}
		b.WriteString(" with an explicit deny in ")
		b.WriteString(article(t))
		b.WriteString(t)
		return b.String()
	}
	t := d.Missing
	if t == "" {
		t = TypeIdentity
	}
	b.WriteString(" because no ")
	b.WriteString(t)
	b.WriteString(" allows the ")
	b.WriteString(req.Action)
	b.WriteString(" action")
	return b.String()
}

func article(t string) string {
	if t == TypeIdentity {
		return "an "
	}
	return "a "
}

// String explains the decision in one line, e.g.
// `Allow by identity-based policy "arn:aws:iam::aws:policy/AdministratorAccess", statement 0` or
// `ImplicitDeny: no identity-based policy allows the request`.
func (d Decision) String() string {
	if d.By != nil {
		return d.Effect.String() + " by " + d.By.String()
	}
	t := d.Missing
	if t == "" {
		t = TypeIdentity
	}
	return d.Effect.String() + ": no " + t + " allows the request"
}

// ref is a statement found during evaluation.
type ref struct {
	att *Attached
	i   int
}

func (r ref) found() bool { return r.att != nil }

func (r ref) match(typ string) *Match {
	return &Match{Policy: r.att.Name, PolicyType: typ, Sid: r.att.Policy.Statements[r.i].Sid, Index: r.i}
}

// scan finds the first statement of the policies that denies the request, or else the allow
// that counts: the first one, or for resource policies the one that names the caller most
// specifically.
func scan(req *Request, list []Attached, resource bool) (deny, allow ref, best principalLevel) {
	for a := range list {
		att := &list[a]
		if att.Policy == nil {
			continue
		}
		for i := range att.Policy.Statements {
			st := &att.Policy.Statements[i]
			level := levelDirect
			if resource {
				if level = st.principalLevel(&req.Principal); level == levelNone {
					continue
				}
				if !st.c.deny && level <= best {
					continue // no better allow can come from this statement
				}
			} else if !st.c.deny && allow.found() {
				continue // an allow is already known; only denies matter now
			}
			if !st.applies(req) {
				continue
			}
			switch {
			case st.c.deny:
				return ref{att, i}, ref{}, levelNone
			case resource:
				best, allow = level, ref{att, i}
			default:
				allow = ref{att, i}
			}
		}
	}
	return ref{}, allow, best
}

// Evaluate decides whether the request is allowed by the policies, within one account, with
// AWS's logic:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
//
//   - an explicit deny in any policy that applies wins;
//   - an allow in a resource-based policy that names the caller itself (its user ARN or
//     session ARN, "*", or its service) allows;
//   - an allow in a resource-based policy that names the role of the caller's session, or in an
//     identity-based policy, allows if the permissions boundary and the session policies (when
//     present) allow the request too;
//   - a resource-based policy that names only the caller's account delegates to the account's
//     identity-based policies: its allow counts for nothing by itself;
//   - otherwise the request is implicitly denied.
//
// Evaluate does not handle the account's root user, which is allowed everything. It is safe
// for concurrent use.
func Evaluate(req *Request, p *Policies) Decision {
	deny, idAllow, _ := scan(req, p.Identity, false)
	if deny.found() {
		return Decision{Effect: ExplicitDeny, By: deny.match(TypeIdentity)}
	}
	deny, rpAllow, rpLevel := scan(req, p.Resource, true)
	if deny.found() {
		return Decision{Effect: ExplicitDeny, By: deny.match(TypeResource)}
	}
	deny, bAllow, _ := scan(req, p.Boundary, false)
	if deny.found() {
		return Decision{Effect: ExplicitDeny, By: deny.match(TypeBoundary)}
	}
	deny, sAllow, _ := scan(req, p.Session, false)
	if deny.found() {
		return Decision{Effect: ExplicitDeny, By: deny.match(TypeSession)}
	}
	boundaryOK := p.Boundary == nil || bAllow.found()
	sessionOK := p.Session == nil || sAllow.found()
	rpAllows := rpLevel > levelNone
	switch {
	case rpLevel == levelDirect:
		return Decision{Effect: Allow, By: rpAllow.match(TypeResource), ResourceAllows: true}
	case rpLevel == levelRole && boundaryOK && sessionOK:
		return Decision{Effect: Allow, By: rpAllow.match(TypeResource), ResourceAllows: true}
	case idAllow.found() && boundaryOK && sessionOK:
		return Decision{Effect: Allow, By: idAllow.match(TypeIdentity), ResourceAllows: rpAllows}
	}
	d := Decision{Effect: ImplicitDeny, ResourceAllows: rpAllows}
	switch {
	case !idAllow.found() && rpLevel < levelRole:
		d.Missing = TypeIdentity
		if len(p.Identity) == 0 && len(p.Resource) > 0 {
			d.Missing = TypeResource
		}
	case !boundaryOK:
		d.Missing = TypeBoundary
	default:
		d.Missing = TypeSession
	}
	return d
}
