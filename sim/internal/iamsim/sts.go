package iamsim

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// STS serves the STS API over a [Store]. Its methods have the SDK's signatures.
type STS struct{ s *Store }

// NewSTS returns the STS service of s.
func NewSTS(s *Store) *STS { return &STS{s: s} }

// GetCallerIdentity needs no permission: AWS answers it even when a policy denies it.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func (h *STS) GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
	c := core.CallerFrom(ctx)
	if c == nil {
		return nil, core.Errorf(MissingAuthenticationToken, "Request is missing Authentication Token")
	}
	return &sts.GetCallerIdentityOutput{Account: aws.String(c.Account), Arn: aws.String(c.ARN), UserId: aws.String(c.UserID)}, nil
}

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// AssumeRole issues a role session. The front door has already evaluated the role's trust
// policy; this checks the request itself and records the session.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func (h *STS) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput) (*sts.AssumeRoleOutput, error) {
	c := core.CallerFrom(ctx)
	if err := validateAssumeRole(in); err != nil {
		return nil, err
	}
	name := aws.ToString(in.RoleSessionName)
	if c != nil && c.Kind == core.Root {
		return nil, core.Errorf(AccessDenied, "Roles may not be assumed by root accounts.")
	}
	var session *document
	if in.Policy != nil {
		var err error
		if session, err = parseDocument("policy", *in.Policy, policy.Identity); err != nil {
			return nil, err
		}
	}
	// AWS refuses session policies and tags that pack to more than their allotted space, in
	// these words. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
	// (quota/AssumeRole with a policy of 3 KiB packed, …with 50 session tags of 256 characters)
	if p := packedPercent(in); p > 100 {
		return nil, core.Errorf(PackedPolicyTooLarge, "Packed policy consumes %d%% of allotted space, please use smaller policy.", p)
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	r, err := s.roleByARN(aws.ToString(in.RoleArn))
	if err != nil {
		return nil, err
	}
	// A session from a session (role chaining) lasts at most an hour.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
	maxDur := r.MaxSession
	if c != nil && c.Kind == core.AssumedRole {
		maxDur = 3600
	}
	dur, err := duration(in.DurationSeconds, 3600, maxDur)
	if err != nil {
		return nil, err
	}
	var arns []string
	for _, p := range in.PolicyArns {
		a := aws.ToString(p.Arn)
		if s.managed(a) == nil {
			return nil, core.Errorf(InvalidParameterValue, "Policy %s does not exist or is not attachable.", a)
		}
		arns = append(arns, a)
	}
	mfa, err := s.sessionMFA(c, in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, err
	}
	ses := s.newSession(dur)
	ses.MFA = mfa
	ses.Role, ses.RoleID, ses.Name, ses.Policy, ses.PolicyARNs = r.Name, r.ID, name, session, arns
	for _, t := range in.Tags {
		ses.Tags = append(ses.Tags, tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	return &sts.AssumeRoleOutput{
		Credentials: credentials(ses),
		AssumedRoleUser: &types.AssumedRoleUser{
			AssumedRoleId: aws.String(r.ID + ":" + name),
			Arn:           aws.String("arn:aws:sts::" + s.account + ":assumed-role/" + r.Name + "/" + name),
		},
		PackedPolicySize: packedSize(in),
		SourceIdentity:   in.SourceIdentity,
	}, nil
}

// packedSize is the percentage of AWS's packed limit the session policies and tags use; AWS
// reports it only when either is given.
func packedSize(in *sts.AssumeRoleInput) *int32 {
	if in.Policy == nil && len(in.PolicyArns) == 0 && len(in.Tags) == 0 {
		return nil
	}
	return aws.Int32(int32(packedPercent(in)))
}

// packedPercent estimates the share of AWS's packed space the session policy, policy ARNs
// and tags take, rounded up: AWS's packing is not documented, so this counts a plaintext of
// 2,048 characters (the documented limit of a session policy) as the whole space.
func packedPercent(in *sts.AssumeRoleInput) int {
	n := len(aws.ToString(in.Policy)) + 64*len(in.PolicyArns)
	for _, t := range in.Tags {
		n += len(aws.ToString(t.Key)) + len(aws.ToString(t.Value))
	}
	return max(1, (n*100+2047)/2048)
}

// Bounds of AssumeRole's members in STS's model.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
const (
	maxPolicyArns  = 10
	maxSessionTags = 50
)

// validRoleARNLength reports whether a role ARN has the model's 20–2048 characters.
func validRoleARNLength(arn string) bool { return len(arn) >= 20 && len(arn) <= 2048 }

// validateAssumeRole checks an AssumeRole against its model. The front door calls it through
// [Store.stsAccesses] before authorizing when the role ARN's length is wrong; AssumeRole
// calls it for the rest.
func validateAssumeRole(in *sts.AssumeRoleInput) error {
	var v validation
	v.assumeRole(in)
	return v.err()
}

// assumeRole collects the faults of an AssumeRole's members, and of the members the other
// AssumeRole operations share with it.
func (v *validation) assumeRole(in *sts.AssumeRoleInput) {
	if arn := aws.ToString(in.RoleArn); len(arn) < 20 {
		*v = append(*v, fmt.Sprintf("Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", arn))
	} else if !validRoleARNLength(arn) {
		*v = append(*v, fmt.Sprintf("Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length less than or equal to 2048", arn))
	}
	if name := aws.ToString(in.RoleSessionName); !sessionNamePattern.MatchString(name) {
		*v = append(*v, fmt.Sprintf(`Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]* and have length between 2 and 64`, name))
	}
	if len(in.PolicyArns) > maxPolicyArns {
		arns := make([]string, len(in.PolicyArns))
		for i, p := range in.PolicyArns {
			arns[i] = aws.ToString(p.Arn)
		}
		*v = append(*v, fmt.Sprintf("Value '[%s]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(arns, ", "), maxPolicyArns))
	}
	v.sessionTags(in.Tags)
}

// sessionTags collects the fault of more session tags than STS takes.
func (v *validation) sessionTags(tags []types.Tag) {
	if len(tags) > maxSessionTags {
		keys := make([]string, len(tags))
		for i, t := range tags {
			keys[i] = aws.ToString(t.Key)
		}
		*v = append(*v, fmt.Sprintf("Value '[%s]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(keys, ", "), maxSessionTags))
	}
}

// GetSessionToken issues temporary credentials for a user or root. Role sessions may not call
// it, and root's last at most an hour.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func (h *STS) GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput) (*sts.GetSessionTokenOutput, error) {
	c := core.CallerFrom(ctx)
	if c == nil || c.Temporary {
		return nil, core.Errorf(AccessDenied, "Cannot call GetSessionToken with session credentials")
	}
	maxDur := int32(129600)
	if c.Kind == core.Root {
		maxDur = 3600
	}
	dur, err := duration(in.DurationSeconds, min(43200, maxDur), maxDur)
	if err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	mfa, err := s.sessionMFA(c, in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, err
	}
	ses := s.newSession(dur)
	ses.User, ses.Root, ses.MFA = c.UserName, c.Kind == core.Root, mfa
	return &sts.GetSessionTokenOutput{Credentials: credentials(ses)}, nil
}

func duration(d *int32, def, max int32) (time.Duration, error) {
	if d == nil {
		return time.Duration(def) * time.Second, nil
	}
	if *d < 900 {
		return 0, core.Errorf(ValidationError, "1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", *d)
	}
	if *d > max {
		return 0, core.Errorf(ValidationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	return time.Duration(*d) * time.Second, nil
}

// newSession records a session that lasts d. s.mu is held.
func (s *Store) newSession(d time.Duration) *session {
	ses := &session{
		KeyID: s.ids.AccessKeyID("ASIA"), Secret: s.ids.Secret(),
		Token: "IQoJb3JpZ2luX2VjE" + s.ids.Token(340), Expires: s.now().Add(d),
	}
	s.st.Sessions[ses.KeyID] = ses
	s.pruneSessions()
	return ses
}

// pruneSessions forgets sessions that expired more than a day ago, so a long-running
// simulator does not grow without bound. s.mu is held.
func (s *Store) pruneSessions() {
	cutoff := s.now().Add(-24 * time.Hour)
	for id, ses := range s.st.Sessions {
		if ses.Expires.Before(cutoff) {
			delete(s.st.Sessions, id)
		}
	}
}

func credentials(ses *session) *types.Credentials {
	return &types.Credentials{
		AccessKeyId: aws.String(ses.KeyID), SecretAccessKey: aws.String(ses.Secret),
		SessionToken: aws.String(ses.Token), Expiration: aws.Time(ses.Expires),
	}
}

// roleByARN finds the role an ARN names. s.mu is held.
func (s *Store) roleByARN(arn string) (*role, error) {
	if len(arn) < 20 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", arn)
	}
	prefix := "arn:aws:iam::" + s.account + ":role"
	if !strings.HasPrefix(arn, prefix+"/") {
		return nil, core.Errorf(AccessDenied, "Not authorized to assume %s.", arn)
	}
	name := arn[strings.LastIndexByte(arn, '/')+1:]
	r, ok := s.st.Roles[key(name)]
	if !ok || s.arn("role", r.Path, r.Name) != arn {
		return nil, core.Errorf(AccessDenied, "Not authorized to assume %s.", arn)
	}
	return r, nil
}

// Trust returns the trust policy of the role arn names, for the front door to evaluate an
// AssumeRole; ok is false when there is no such role.
func (s *Store) Trust(arn string) (trust *policy.Policy, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.roleByARN(arn)
	if err != nil {
		return nil, false
	}
	return r.Trust.parsed, true
}
