package iamsim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/golang-jwt/jwt/v5"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// STS's codes of federation (botocore's STS model names them; the HTTP status is the model's).
const (
	InvalidIdentityToken                 core.Code = "InvalidIdentityToken"
	ExpiredTokenException                core.Code = "ExpiredTokenException"
	IDPRejectedClaim                     core.Code = "IDPRejectedClaim"
	InvalidAuthorizationMessageException core.Code = "InvalidAuthorizationMessageException"
)

func invalidIdentityToken(format string, args ...any) *core.Error {
	e := core.Errorf(InvalidIdentityToken, format, args...)
	e.Status = http.StatusBadRequest
	return e
}

// errNoProvider is the key function's answer for a token whose issuer has no OIDC provider
// in the account.
type errNoProvider struct{ issuer string }

func (e errNoProvider) Error() string { return "no provider for " + e.issuer }

// assumeInput is what AssumeRoleWithWebIdentity and AssumeRoleWithSAML share with
// AssumeRole: the role, the session's name and duration, and its session policies.
type assumeInput struct {
	RoleArn, RoleSessionName string
	DurationSeconds          *int32
	Policy                   *string
	PolicyArns               []types.PolicyDescriptorType
}

func (a assumeInput) assumeRole() *sts.AssumeRoleInput {
	return &sts.AssumeRoleInput{
		RoleArn: aws.String(a.RoleArn), RoleSessionName: aws.String(a.RoleSessionName),
		DurationSeconds: a.DurationSeconds, Policy: a.Policy, PolicyArns: a.PolicyArns,
	}
}

// AssumeRoleWithWebIdentity issues a role session to the holder of an OpenID Connect ID
// token. The request is unsigned: the token is the credential. STS checks it as AWS
// documents — an OIDC provider in the account for its iss, its signature against that
// issuer's key (the simulator's own, see idp.go), its exp and nbf on the simulator's clock,
// an aud among the provider's client IDs — then the role's trust policy, with the token's
// claims as condition keys (PROVIDER:aud, PROVIDER:sub, PROVIDER:amr).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
func (h *STS) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	a := assumeInput{aws.ToString(in.RoleArn), aws.ToString(in.RoleSessionName), in.DurationSeconds, in.Policy, in.PolicyArns}
	var v validation
	v.assumeRole(a.assumeRole())
	token := aws.ToString(in.WebIdentityToken)
	if len(token) < 4 || len(token) > 20000 {
		v = append(v, fmt.Sprintf("Value '*** Sensitive Data Redacted ***' at 'webIdentityToken' failed to satisfy constraint: Member must have length %s", lengthBound(len(token), 4, 20000)))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	var providerARN, provider string
	claims := jwt.MapClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"ES256", "ES384", "ES512", "RS256", "RS384", "RS512"}),
		jwt.WithTimeFunc(s.now), jwt.WithExpirationRequired())
	_, err := parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		iss, _ := t.Claims.GetIssuer()
		name, ok := oidcURL(iss)
		s.mu.RLock()
		_, known := s.st.OIDCProviders[s.oidcARN(name)]
		s.mu.RUnlock()
		if !ok || !known {
			return nil, errNoProvider{iss}
		}
		provider, providerARN = name, s.oidcARN(name)
		return &idpKey(s.ids.Seed(), iss).PublicKey, nil
	})
	if err != nil {
		return nil, tokenError(err, claims, s.now().Unix())
	}
	// The audience: one of the token's aud (or its azp, which Google's tokens carry) that is a
	// client ID of the provider.
	s.mu.RLock()
	p, ok := s.st.OIDCProviders[providerARN]
	var aud string
	if ok {
		auds, _ := claims.GetAudience()
		if azp, _ := claims["azp"].(string); azp != "" {
			auds = append(auds, azp)
		}
		for _, x := range auds {
			if slices.Contains(p.ClientIDs, x) {
				aud = x
				break
			}
		}
	}
	s.mu.RUnlock()
	if !ok {
		return nil, invalidIdentityToken("No OpenIDConnect provider found in your account for %s", claims["iss"])
	}
	if aud == "" {
		return nil, invalidIdentityToken("Incorrect token audience")
	}
	sub, _ := claims.GetSubject()
	keys := policy.Context{}
	keys.Set(provider+":aud", aud)
	keys.Set(provider+":sub", sub)
	if amr := stringList(claims["amr"]); len(amr) > 0 {
		keys.Set(provider+":amr", amr...)
	}
	keys.Set("aws:FederatedProvider", providerARN)
	ses, role, err := s.federatedSession(ctx, "sts:AssumeRoleWithWebIdentity", providerARN, a, keys)
	if err != nil {
		return nil, err
	}
	return &sts.AssumeRoleWithWebIdentityOutput{
		Credentials:                 credentials(ses),
		AssumedRoleUser:             assumedRoleUser(s.account, role, ses.Name),
		SubjectFromWebIdentityToken: aws.String(sub),
		Audience:                    aws.String(aud),
		Provider:                    aws.String(providerARN),
		PackedPolicySize:            packedSize(a.assumeRole()),
	}, nil
}

// tokenError words a token's refusal as STS does.
func tokenError(err error, claims jwt.MapClaims, now int64) error {
	var np errNoProvider
	switch {
	case errors.As(err, &np):
		return invalidIdentityToken("No OpenIDConnect provider found in your account for %s", np.issuer)
	case errors.Is(err, jwt.ErrTokenExpired):
		exp, _ := claims.GetExpirationTime()
		e := core.Errorf(ExpiredTokenException, "Token expired: current date/time %d must be before the expiration date/time %d", now, exp.Unix())
		e.Status = http.StatusBadRequest
		return e
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return invalidIdentityToken("Token is not yet valid")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return invalidIdentityToken("The ID Token provided is missing the required exp claim")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return invalidIdentityToken("The signature of the web identity token could not be verified")
	}
	return invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
}

// stringList reads a claim that is a string or a list of strings.
func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func assumedRoleUser(account string, r *role, session string) *types.AssumedRoleUser {
	return &types.AssumedRoleUser{
		AssumedRoleId: aws.String(r.ID + ":" + session),
		Arn:           aws.String("arn:aws:sts::" + account + ":assumed-role/" + r.Name + "/" + session),
	}
}

// federatedSession checks that the role a.RoleArn trusts the identity provider providerARN
// for action with the request's condition keys, and records the session.
func (s *Store) federatedSession(ctx context.Context, action, providerARN string, a assumeInput, keys policy.Context) (*session, *role, error) {
	var sessionPolicy *document
	if a.Policy != nil {
		var err error
		if sessionPolicy, err = parseDocument("policy", *a.Policy, policy.Identity); err != nil {
			return nil, nil, err
		}
	}
	if p := packedPercent(a.assumeRole()); p > 100 {
		return nil, nil, core.Errorf(PackedPolicyTooLarge, "Packed policy consumes %d%% of allotted space, please use smaller policy.", p)
	}
	c := core.CallerFrom(ctx)
	secure := c != nil && c.Secure
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	denied := core.Errorf(AccessDenied, "Not authorized to perform %s", action)
	r, err := s.roleByARN(a.RoleArn)
	if err != nil {
		return nil, nil, denied
	}
	ctxKeys := Context(&core.Caller{Kind: core.Anonymous, Secure: secure}, nil, core.RegionFrom(ctx), s.now())
	for k, v := range keys {
		ctxKeys[k] = v
	}
	ctxKeys.Set("sts:RoleSessionName", a.RoleSessionName)
	roleARN := s.arn("role", r.Path, r.Name)
	req := &policy.Request{Principal: policy.Principal{ARN: providerARN, Account: s.account}, Action: action, Resource: roleARN, Context: ctxKeys}
	d := policy.Evaluate(req, &policy.Policies{Resource: []policy.Attached{{Name: roleARN + " trust policy", Policy: r.Trust.parsed}}})
	if !d.Allowed() || !d.ResourceAllows {
		return nil, nil, denied
	}
	dur, err := duration(a.DurationSeconds, 3600, r.MaxSession)
	if err != nil {
		return nil, nil, err
	}
	var arns []string
	for _, p := range a.PolicyArns {
		arn := aws.ToString(p.Arn)
		if s.managed(arn) == nil {
			return nil, nil, core.Errorf(InvalidParameterValue, "Policy %s does not exist or is not attachable.", arn)
		}
		arns = append(arns, arn)
	}
	ses := s.newSession(dur)
	ses.Role, ses.RoleID, ses.Name, ses.Policy, ses.PolicyARNs = r.Name, r.ID, a.RoleSessionName, sessionPolicy, arns
	return ses, r, nil
}
