package iamsim

import (
	"context"
	"encoding/base32"
	"encoding/binary"
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

// GetFederationToken and the federated users it makes, and GetAccessKeyInfo.

var federatedNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,32}$`)

// GetFederationToken issues credentials to a federated user on behalf of an IAM user (or
// the root user): their permissions are the intersection of the caller's policies and the
// session policies passed, and none at all without session policies. Sessions may not call
// it; root's last at most an hour, longer requests falling back to an hour as AWS documents.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func (h *STS) GetFederationToken(ctx context.Context, in *sts.GetFederationTokenInput) (*sts.GetFederationTokenOutput, error) {
	name := aws.ToString(in.Name)
	var v validation
	if !federatedNamePattern.MatchString(name) {
		v = append(v, fmt.Sprintf(`Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]* and have length between 2 and 32`, name))
	}
	v.assumeRole(&sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/x"), RoleSessionName: aws.String("ok"), PolicyArns: in.PolicyArns, Tags: in.Tags})
	if d := in.DurationSeconds; d != nil && (*d < 900 || *d > 129600) {
		v = append(v, fmt.Sprintf("Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value %s", *d, valueBound(*d, 900, 129600)))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	c := core.CallerFrom(ctx)
	if c == nil || c.Temporary {
		return nil, core.Errorf(AccessDenied, "Cannot call GetFederationToken with session credentials")
	}
	var sessionPolicy *document
	if in.Policy != nil {
		var err error
		if sessionPolicy, err = parseDocument("policy", *in.Policy, policy.Identity); err != nil {
			return nil, err
		}
	}
	packed := &sts.AssumeRoleInput{Policy: in.Policy, PolicyArns: in.PolicyArns, Tags: in.Tags}
	if p := packedPercent(packed); p > 100 {
		return nil, core.Errorf(PackedPolicyTooLarge, "Packed policy consumes %d%% of allotted space, please use smaller policy.", p)
	}
	dur := int32(43200)
	if in.DurationSeconds != nil {
		dur = *in.DurationSeconds
	}
	if c.Kind == core.Root {
		dur = min(dur, 3600)
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	var arns []string
	for _, p := range in.PolicyArns {
		a := aws.ToString(p.Arn)
		if s.managed(a) == nil {
			return nil, core.Errorf(InvalidParameterValue, "Policy %s does not exist or is not attachable.", a)
		}
		arns = append(arns, a)
	}
	ses := s.newSession(secondsOf(dur))
	ses.User, ses.Root, ses.Federated = c.UserName, c.Kind == core.Root, name
	ses.Policy, ses.PolicyARNs = sessionPolicy, arns
	for _, t := range in.Tags {
		ses.Tags = append(ses.Tags, tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	return &sts.GetFederationTokenOutput{
		Credentials: credentials(ses),
		FederatedUser: &types.FederatedUser{
			FederatedUserId: aws.String(s.account + ":" + name),
			Arn:             aws.String(s.federatedARN(name)),
		},
		PackedPolicySize: packedSize(packed),
	}, nil
}

func (s *Store) federatedARN(name string) string {
	return "arn:aws:sts::" + s.account + ":federated-user/" + name
}

func valueBound(n, lo, hi int32) string {
	if n < lo {
		return fmt.Sprintf("greater than or equal to %d", lo)
	}
	return fmt.Sprintf("less than or equal to %d", hi)
}

// federatedCaller is the caller of a GetFederationToken session. Its credentials may not
// call IAM, as the credentials of GetSessionToken without MFA may not.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html
func (s *Store) federatedCaller(ses *session) *core.Caller {
	return &core.Caller{
		Kind: core.FederatedUser, Account: s.account, AccessKeyID: ses.KeyID, Temporary: true, FromSessionToken: true,
		ARN: s.federatedARN(ses.Federated), UserID: s.account + ":" + ses.Federated, UserName: ses.User,
	}
}

// federatedPolicies are a federated user's: the policies of the IAM user who asked for the
// session (everything for root), limited by the session policies. s.mu is held.
func (s *Store) federatedPolicies(c *core.Caller) (policy.Policies, map[string]string) {
	var p policy.Policies
	ses, ok := s.st.Sessions[c.AccessKeyID]
	if !ok {
		return p, nil
	}
	var tags map[string]string
	if ses.Root {
		p.Identity = []policy.Attached{{Name: "root", Policy: rootAllows}}
	} else {
		u, ok := s.st.Users[key(ses.User)]
		if !ok {
			return p, nil
		}
		p.Identity = s.identityPolicies(&u.principalCommon, "user", p.Identity)
		for _, g := range s.groupsOf(u.Name) {
			p.Identity = s.identityPolicies(&g.principalCommon, "group", p.Identity)
		}
		p.Boundary = s.boundary(u.Boundary)
		tags = tagMap(u.Tags)
	}
	p.Session = []policy.Attached{}
	if ses.Policy != nil {
		p.Session = append(p.Session, policy.Attached{Name: "session policy", Policy: ses.Policy.parsed})
	}
	for _, a := range ses.PolicyARNs {
		if mp := s.managed(a); mp != nil {
			p.Session = append(p.Session, policy.Attached{Name: a, Policy: mp})
		}
	}
	for _, t := range ses.Tags {
		if tags == nil {
			tags = map[string]string{}
		}
		tags[t.Key] = t.Value
	}
	return p, tags
}

// rootAllows stands for the root user's permissions under a federated user's session policies.
var rootAllows = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.Identity)

var accessKeyIDPattern = regexp.MustCompile(`^\w{16,128}$`)

// GetAccessKeyInfo returns the account an access key belongs to. The simulator knows its own
// keys (the caller's, its users', its sessions'); of any other it decodes the account AWS
// encodes in keys issued since 2019: characters 5–12, base32, hold it shifted left by 7 bits.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
func (h *STS) GetAccessKeyInfo(ctx context.Context, in *sts.GetAccessKeyInfoInput) (*sts.GetAccessKeyInfoOutput, error) {
	id := aws.ToString(in.AccessKeyId)
	if !accessKeyIDPattern.MatchString(id) {
		msg := fmt.Sprintf(`Value '%s' at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]*`, id)
		if len(id) < 16 || len(id) > 128 {
			msg = fmt.Sprintf("Value '%s' at 'accessKeyId' failed to satisfy constraint: Member must have length %s", id, lengthBound(len(id), 16, 128))
		}
		return nil, core.Errorf(ValidationError, "1 validation error detected: %s", msg)
	}
	s := h.s
	if c := core.CallerFrom(ctx); c != nil && c.AccessKeyID == id {
		return &sts.GetAccessKeyInfoOutput{Account: aws.String(c.Account)}, nil
	}
	s.mu.RLock()
	_, user := s.st.Keys[id]
	_, ses := s.st.Sessions[id]
	s.mu.RUnlock()
	if user || ses {
		return &sts.GetAccessKeyInfoOutput{Account: aws.String(s.account)}, nil
	}
	acct := KeyAccount(id)
	if acct == "" {
		acct = s.account // not AWS's encoding: the simulator has one account
	}
	return &sts.GetAccessKeyInfoOutput{Account: aws.String(acct)}, nil
}

func secondsOf(n int32) time.Duration { return time.Duration(n) * time.Second }

// KeyAccount decodes the account ID AWS encodes in an access key ID (AKIA…, ASIA…) issued
// since 2019; it returns "" for an ID too short to hold one.
func KeyAccount(id string) string {
	if len(id) < 20 {
		return ""
	}
	b, err := base32.StdEncoding.DecodeString(strings.ToUpper(id[4:20]))
	if err != nil || len(b) < 6 {
		return ""
	}
	var buf [8]byte
	copy(buf[2:], b[:6])
	n := binary.BigEndian.Uint64(buf[:]) & 0x7fffffffff80 >> 7
	if n >= 1e12 { // not an account ID: the key is not of AWS's encoding
		return ""
	}
	return fmt.Sprintf("%012d", n)
}
