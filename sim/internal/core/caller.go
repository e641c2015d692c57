package core

import (
	"context"
	"time"
)

// PrincipalKind says what kind of identity signed a request.
type PrincipalKind int

const (
	Anonymous PrincipalKind = iota
	Root
	User
	AssumedRole
	// FederatedUser is a session of GetFederationToken: arn:aws:sts::ACCOUNT:federated-user/NAME.
	FederatedUser
)

// Caller is the authenticated identity of a request, as the front door resolved it from the
// access key. It is read-only once built.
type Caller struct {
	Kind        PrincipalKind
	Account     string
	ARN         string // arn:aws:iam::123456789012:user/alex, …:root, arn:aws:sts::…:assumed-role/R/S
	UserID      string // AIDA…, the account ID for root, AROA…:session for a role session
	UserName    string // users only
	AccessKeyID string
	// Temporary is set for credentials from STS (ASIA… keys with a session token).
	Temporary bool
	// FromSessionToken is set for credentials from GetSessionToken, which AWS lets call IAM
	// only with MFA and STS only for AssumeRole and GetCallerIdentity.
	FromSessionToken bool
	// MFA is when the session's MFA code was checked (GetSessionToken or AssumeRole with
	// SerialNumber and TokenCode); zero for a session without MFA.
	MFA         time.Time
	RoleARN     string // role sessions: the role assumed
	RoleName    string
	SessionName string
	SourceIP    string
	Secure      bool // the request came over TLS
	// Service is set when an AWS service acts for the account through its service-linked
	// role (the simulator's own calls, as the account): "autoscaling.amazonaws.com". Such a
	// caller may set the aws: tags AWS's services set.
	Service string
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller of the request ctx belongs to, or nil outside a request.
func CallerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}

type regionKey struct{}

// WithRegion returns ctx carrying the region a request was signed for.
func WithRegion(ctx context.Context, region string) context.Context {
	return context.WithValue(ctx, regionKey{}, region)
}

// RegionFrom returns the region of the request ctx belongs to.
func RegionFrom(ctx context.Context) string {
	r, _ := ctx.Value(regionKey{}).(string)
	return r
}
