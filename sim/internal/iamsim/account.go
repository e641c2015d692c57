package iamsim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// accountState is what IAM keeps for the account beside its identities: the password policy,
// the alias, MFA devices, SSH keys, certificates, service-specific credentials, the credential
// report and the deletions of service-linked roles. Keys and devices belong to a user by its
// ID, so they follow a renamed user.
type accountState struct {
	PasswordPolicy *passwordPolicy
	Aliases        []string
	MFADevices     map[string]*mfaDevice                // virtual MFA devices, by serial number (their ARN)
	SSHKeys        map[string]*sshKey                   // by SSH public key ID
	SigningCerts   map[string]*signingCert              // by certificate ID
	ServerCerts    map[string]*serverCert               // by lower-cased name
	ServiceCreds   map[string]*serviceCred              // by credential ID
	Report         *credentialReport                    // the last one generated
	Deletions      map[string]*slrDeletion              // by deletion task ID
	TokenVersion   int32                                // STS's global endpoint tokens: 1, 2; 0 for the default, 1
	Access         map[string]map[string]*serviceAccess // by entity ID, then service namespace (access.go)
	AccessJobs     map[string]*accessJob                // by job ID
	Outbound       string                               // outbound web identity federation's issuer; "" before it was first enabled
	OutboundOn     bool
	OutboundRSA    []byte            `json:",omitempty"` // the issuer's RS256 key, PKCS #8, made at its first use (webtoken.go)
	Properties     map[string]string // PutAccountProperties's, by Namespace/PropertyName
	OrgAccessJobs  []orgAccessJob    // GenerateOrganizationsAccessReport's, oldest first
}

func newAccountState() accountState {
	var a accountState
	a.init()
	return a
}

// init makes the maps a state saved before they existed lacks.
func (a *accountState) init() {
	if a.MFADevices == nil {
		a.MFADevices = map[string]*mfaDevice{}
	}
	if a.SSHKeys == nil {
		a.SSHKeys = map[string]*sshKey{}
	}
	if a.SigningCerts == nil {
		a.SigningCerts = map[string]*signingCert{}
	}
	if a.ServerCerts == nil {
		a.ServerCerts = map[string]*serverCert{}
	}
	if a.ServiceCreds == nil {
		a.ServiceCreds = map[string]*serviceCred{}
	}
	if a.Deletions == nil {
		a.Deletions = map[string]*slrDeletion{}
	}
	if a.Access == nil {
		a.Access = map[string]map[string]*serviceAccess{}
	}
	if a.AccessJobs == nil {
		a.AccessJobs = map[string]*accessJob{}
	}
}

// Codes of the account-level operations that core's table does not give their status.
const (
	InvalidUserType           core.Code = "InvalidUserType"
	InvalidAuthenticationCode core.Code = "InvalidAuthenticationCode"
	InvalidPublicKey          core.Code = "InvalidPublicKey"
	DuplicateSSHPublicKey     core.Code = "DuplicateSSHPublicKey"
	UnrecognizedPublicKeyEnc  core.Code = "UnrecognizedPublicKeyEncoding"
	MalformedCertificate      core.Code = "MalformedCertificate"
	InvalidCertificate        core.Code = "InvalidCertificate"
	DuplicateCertificate      core.Code = "DuplicateCertificate"
	KeyPairMismatch           core.Code = "KeyPairMismatch"
	ReportNotPresent          core.Code = "ReportNotPresent"
	ReportExpired             core.Code = "ReportExpired"
	ReportInProgress          core.Code = "ReportInProgress"
	UnmodifiableEntity        core.Code = "UnmodifiableEntity"
	NotSupportedService       core.Code = "NotSupportedService"
	FeatureEnabled            core.Code = "FeatureEnabled"
	FeatureDisabled           core.Code = "FeatureDisabled"
)

// statuses are the HTTP statuses of the codes above that are not 400, from botocore's model
// of IAM (each exception's httpStatusCode).
var statuses = map[core.Code]int{
	InvalidAuthenticationCode: http.StatusForbidden,
	DuplicateCertificate:      http.StatusConflict,
	ReportNotPresent:          http.StatusGone,
	ReportExpired:             http.StatusGone,
	ReportInProgress:          http.StatusNotFound,
	NotSupportedService:       http.StatusNotFound,
	FeatureEnabled:            http.StatusConflict,
	FeatureDisabled:           http.StatusNotFound,
}

// errorf is core.Errorf with the status of IAM's own codes.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	if s, ok := statuses[code]; ok {
		e.Status = s
	}
	return e
}

// The account password policy.

type passwordPolicy struct {
	MinimumLength              int32
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercase           bool
	RequireLowercase           bool
	AllowUsersToChangePassword bool
	MaxAge                     int32 // days; 0: passwords do not expire
	ReusePrevention            int32
	HardExpiry                 *bool
}

// UpdateAccountPasswordPolicy replaces the whole policy: a parameter left out takes its
// default, not its earlier value ("If you do not specify a value for this parameter, then
// the operation uses the default value").
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html
func (h *IAM) UpdateAccountPasswordPolicy(ctx context.Context, in *iam.UpdateAccountPasswordPolicyInput) (*iam.UpdateAccountPasswordPolicyOutput, error) {
	var v validation
	v.between("minimumPasswordLength", in.MinimumPasswordLength, 6, 128)
	v.between("maxPasswordAge", in.MaxPasswordAge, 1, 1095)
	v.between("passwordReusePrevention", in.PasswordReusePrevention, 1, 24)
	if err := v.err(); err != nil {
		return nil, err
	}
	p := &passwordPolicy{
		MinimumLength: 6, RequireSymbols: in.RequireSymbols, RequireNumbers: in.RequireNumbers,
		RequireUppercase: in.RequireUppercaseCharacters, RequireLowercase: in.RequireLowercaseCharacters,
		AllowUsersToChangePassword: in.AllowUsersToChangePassword, MaxAge: aws.ToInt32(in.MaxPasswordAge),
		ReusePrevention: aws.ToInt32(in.PasswordReusePrevention), HardExpiry: in.HardExpiry,
	}
	if in.MinimumPasswordLength != nil {
		p.MinimumLength = *in.MinimumPasswordLength
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	s.st.Account.PasswordPolicy = p
	return &iam.UpdateAccountPasswordPolicyOutput{}, nil
}

// between checks an optional integer against the model's range.
func (v *validation) between(field string, value *int32, lo, hi int32) {
	switch {
	case value == nil:
	case *value < lo:
		*v = append(*v, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *value, field, lo))
	case *value > hi:
		*v = append(*v, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *value, field, hi))
	}
}

func (s *Store) noPasswordPolicy() error {
	return core.Errorf(NoSuchEntity, "The Password Policy with domain name %s cannot be found.", s.account)
}

func (h *IAM) GetAccountPasswordPolicy(ctx context.Context, in *iam.GetAccountPasswordPolicyInput) (*iam.GetAccountPasswordPolicyOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.st.Account.PasswordPolicy
	if p == nil {
		return nil, s.noPasswordPolicy()
	}
	out := &types.PasswordPolicy{
		MinimumPasswordLength: aws.Int32(p.MinimumLength), RequireSymbols: p.RequireSymbols, RequireNumbers: p.RequireNumbers,
		RequireUppercaseCharacters: p.RequireUppercase, RequireLowercaseCharacters: p.RequireLowercase,
		AllowUsersToChangePassword: p.AllowUsersToChangePassword, ExpirePasswords: p.MaxAge > 0, HardExpiry: p.HardExpiry,
	}
	if p.MaxAge > 0 {
		out.MaxPasswordAge = aws.Int32(p.MaxAge)
	}
	if p.ReusePrevention > 0 {
		out.PasswordReusePrevention = aws.Int32(p.ReusePrevention)
	}
	return &iam.GetAccountPasswordPolicyOutput{PasswordPolicy: out}, nil
}

func (h *IAM) DeleteAccountPasswordPolicy(ctx context.Context, in *iam.DeleteAccountPasswordPolicyInput) (*iam.DeleteAccountPasswordPolicyOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	if s.st.Account.PasswordPolicy == nil {
		return nil, s.noPasswordPolicy()
	}
	s.st.Account.PasswordPolicy = nil
	return &iam.DeleteAccountPasswordPolicyOutput{}, nil
}

// passwordSymbols are the characters the policy's RequireSymbols counts.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
const passwordSymbols = "!@#$%^&*()_+-=[]{}|'"

// checkPassword refuses a password the account's policy does not allow, with AWS's
// PasswordPolicyViolation, naming the first rule it breaks. Without a policy, AWS's default
// asks for 8 characters. lp, when not nil, is the login profile whose earlier passwords the
// policy's reuse prevention counts. s.mu is held.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
func (s *Store) checkPassword(pw string, lp *loginProfile) error {
	p := s.st.Account.PasswordPolicy
	if p == nil {
		p = &passwordPolicy{MinimumLength: 8}
	}
	has := func(f func(rune) bool) bool { return strings.IndexFunc(pw, f) >= 0 }
	switch {
	case int32(len(pw)) < p.MinimumLength:
		return core.Errorf(PasswordPolicyViolation, "Password should have a minimum length of %d", p.MinimumLength)
	case p.RequireUppercase && !has(unicode.IsUpper):
		return core.Errorf(PasswordPolicyViolation, "Password should have at least one uppercase letter")
	case p.RequireLowercase && !has(unicode.IsLower):
		return core.Errorf(PasswordPolicyViolation, "Password should have at least one lowercase letter")
	case p.RequireNumbers && !has(unicode.IsDigit):
		return core.Errorf(PasswordPolicyViolation, "Password should have at least one number")
	case p.RequireSymbols && !strings.ContainsAny(pw, passwordSymbols):
		return core.Errorf(PasswordPolicyViolation, "Password should have at least one symbol")
	}
	if lp != nil && p.ReusePrevention > 0 {
		h := hashPassword(pw)
		recent := lp.History
		if n := int(p.ReusePrevention); len(recent) > n {
			recent = recent[len(recent)-n:]
		}
		if slices.Contains(recent, h) {
			return core.Errorf(PasswordPolicyViolation, "Password was used previously. Please choose a different password.")
		}
	}
	return nil
}

// hashPassword is what the store keeps of a password: enough to check ChangePassword's old
// password and the policy's reuse prevention, not the password.
func hashPassword(pw string) string {
	sum := sha256.Sum256([]byte("awsx-iam-password:" + pw))
	return hex.EncodeToString(sum[:])
}

// setPassword records pw as lp's password. s.mu is held.
func (s *Store) setPassword(lp *loginProfile, pw string) {
	lp.Password = hashPassword(pw)
	lp.Changed = s.now()
	lp.History = append(lp.History, lp.Password)
	if len(lp.History) > 24 { // the most the policy's reuse prevention remembers
		lp.History = lp.History[len(lp.History)-24:]
	}
}

// ChangePassword changes the calling user's own console password: only an IAM user may call
// it, and the old password must be the current one.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ChangePassword.html
func (h *IAM) ChangePassword(ctx context.Context, in *iam.ChangePasswordInput) (*iam.ChangePasswordOutput, error) {
	if n := len(aws.ToString(in.NewPassword)); n < 1 || n > 128 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'newPassword' failed to satisfy constraint: Member must have length between 1 and 128")
	}
	c := core.CallerFrom(ctx)
	if c == nil || c.Kind != core.User {
		return nil, core.Errorf(InvalidUserType, "Only IAM users can change their own password.")
	}
	s := h.s
	return &iam.ChangePasswordOutput{}, s.withUser(c.UserName, func(u *user) error {
		if u.Login == nil {
			return core.Errorf(NoSuchEntity, "Login Profile for User %s cannot be found.", u.Name)
		}
		if u.Login.Password != "" && u.Login.Password != hashPassword(aws.ToString(in.OldPassword)) {
			return core.Errorf(InvalidUserType, "The old password was incorrect.")
		}
		if err := s.checkPassword(*in.NewPassword, u.Login); err != nil {
			return err
		}
		s.setPassword(u.Login, *in.NewPassword)
		u.Login.ResetRequired = false
		return nil
	})
}

// Account aliases.

// validAlias reports whether a is an alias AWS takes: the model's accountAliasType,
// ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$ — lower-case letters, digits and hyphens, neither
// first nor last a hyphen, no two hyphens together. Go's regexp has no lookahead, so the
// last rule is checked apart.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html
func validAlias(a string) bool {
	return len(a) >= 3 && len(a) <= 63 && aliasShape.MatchString(a) && !strings.Contains(a, "--")
}

var aliasShape = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)

func (h *IAM) CreateAccountAlias(ctx context.Context, in *iam.CreateAccountAliasInput) (*iam.CreateAccountAliasOutput, error) {
	a := aws.ToString(in.AccountAlias)
	switch {
	case len(a) < 3:
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'accountAlias' failed to satisfy constraint: Member must have length greater than or equal to 3", a)
	case len(a) > 63:
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'accountAlias' failed to satisfy constraint: Member must have length less than or equal to 63", a)
	case !validAlias(a):
		return nil, core.Errorf(ValidationError, `1 validation error detected: Value '%s' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, a)
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	// An account has at most one alias; creating another replaces it, as AWS does.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/console_account-alias.html
	s.st.Account.Aliases = []string{a}
	return &iam.CreateAccountAliasOutput{}, nil
}

func (h *IAM) DeleteAccountAlias(ctx context.Context, in *iam.DeleteAccountAliasInput) (*iam.DeleteAccountAliasOutput, error) {
	a := aws.ToString(in.AccountAlias)
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	if !slices.Contains(s.st.Account.Aliases, a) {
		return nil, core.Errorf(NoSuchEntity, "The account alias %s cannot be found.", a)
	}
	s.st.Account.Aliases = slices.DeleteFunc(s.st.Account.Aliases, func(x string) bool { return x == a })
	return &iam.DeleteAccountAliasOutput{}, nil
}

func (h *IAM) ListAccountAliases(ctx context.Context, in *iam.ListAccountAliasesInput) (*iam.ListAccountAliasesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	all := slices.Clone(s.st.Account.Aliases)
	s.mu.RUnlock()
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAccountAliasesOutput{AccountAliases: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

// accountName is what AWS shows for the account in an MFA device's QR code: its alias, or
// its ID. s.mu is held.
func (s *Store) accountName() string {
	if len(s.st.Account.Aliases) > 0 {
		return s.st.Account.Aliases[0]
	}
	return s.account
}

// The account summary.

// Quotas GetAccountSummary reports: IAM's default quotas.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
var summaryQuotas = map[types.SummaryKeyType]int32{
	types.SummaryKeyTypeUsersQuota:                      5000,
	types.SummaryKeyTypeGroupsQuota:                     300,
	types.SummaryKeyTypeRolesQuota:                      1000,
	types.SummaryKeyTypePoliciesQuota:                   1500,
	types.SummaryKeyTypeInstanceProfilesQuota:           1000,
	types.SummaryKeyTypeServerCertificatesQuota:         20,
	types.SummaryKeyTypeGroupsPerUserQuota:              maxGroupsPerUser,
	types.SummaryKeyTypeAccessKeysPerUserQuota:          maxAccessKeys,
	types.SummaryKeyTypeSigningCertificatesPerUserQuota: maxSigningCerts,
	types.SummaryKeyTypeAttachedPoliciesPerUserQuota:    maxManagedPerRole,
	types.SummaryKeyTypeAttachedPoliciesPerGroupQuota:   maxManagedPerRole,
	types.SummaryKeyTypeAttachedPoliciesPerRoleQuota:    maxManagedPerRole,
	types.SummaryKeyTypeVersionsPerPolicyQuota:          maxVersions,
	types.SummaryKeyTypePolicySizeQuota:                 maxManagedPolicySize,
	types.SummaryKeyTypeUserPolicySizeQuota:             maxUserInlineSize,
	types.SummaryKeyTypeGroupPolicySizeQuota:            maxGroupInlineSize,
	types.SummaryKeyTypeRolePolicySizeQuota:             maxRoleInlineSize,
	types.SummaryKeyTypeAssumeRolePolicySizeQuota:       2048,
	types.SummaryKeyTypePolicyVersionsInUseQuota:        10000,
	types.SummaryKeyType("GlobalEndpointTokenVersion"):  1,
}

// GetAccountSummary counts the account's entities from the store, beside IAM's quotas.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
func (h *IAM) GetAccountSummary(ctx context.Context, in *iam.GetAccountSummaryInput) (*iam.GetAccountSummaryOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := map[string]int32{}
	for k, v := range summaryQuotas {
		m[string(k)] = v
	}
	inUse := 0
	for _, pc := range s.principals() {
		inUse += len(pc.Attached)
	}
	mfaInUse := 0
	for _, d := range s.st.Account.MFADevices {
		if d.User != "" {
			mfaInUse++
		}
	}
	b2i := func(b bool) int32 {
		if b {
			return 1
		}
		return 0
	}
	m[string(types.SummaryKeyTypeUsers)] = int32(len(s.st.Users))
	m[string(types.SummaryKeyTypeGroups)] = int32(len(s.st.Groups))
	m[string(types.SummaryKeyTypeRoles)] = int32(len(s.st.Roles))
	m[string(types.SummaryKeyTypePolicies)] = int32(len(s.st.Policies))
	m[string(types.SummaryKeyTypeInstanceProfiles)] = int32(len(s.st.InstanceProfiles))
	m[string(types.SummaryKeyTypeServerCertificates)] = int32(len(s.st.Account.ServerCerts))
	m[string(types.SummaryKeyTypeMFADevices)] = int32(len(s.st.Account.MFADevices))
	m[string(types.SummaryKeyTypeMFADevicesInUse)] = int32(mfaInUse)
	m[string(types.SummaryKeyTypePolicyVersionsInUse)] = int32(inUse)
	m[string(types.SummaryKeyType("Providers"))] = int32(len(s.st.OIDCProviders) + len(s.st.SAMLProviders)) // identity providers
	if v := s.st.Account.TokenVersion; v != 0 {
		m["GlobalEndpointTokenVersion"] = v
	}
	// The root user's MFA, access keys and signing certificates: the simulator's root has its
	// documented example key and nothing else.
	m[string(types.SummaryKeyTypeAccountMFAEnabled)] = 0
	m[string(types.SummaryKeyTypeAccountAccessKeysPresent)] = b2i(true)
	m[string(types.SummaryKeyTypeAccountSigningCertificatesPresent)] = 0
	return &iam.GetAccountSummaryOutput{SummaryMap: m}, nil
}

// principals returns every user, group and role. s.mu is held.
func (s *Store) principals() []*principalCommon {
	var out []*principalCommon
	for _, u := range s.st.Users {
		out = append(out, &u.principalCommon)
	}
	for _, g := range s.st.Groups {
		out = append(out, &g.principalCommon)
	}
	for _, r := range s.st.Roles {
		out = append(out, &r.principalCommon)
	}
	return out
}

// accountResource names the resource of the operations of account.go and its neighbours,
// per the Service Authorization Reference: MFA devices (mfa/PATH/NAME), server certificates
// (server-certificate/PATH/NAME), service-linked roles, and the user that SSH keys, signing
// certificates, service-specific credentials, MFA devices and ChangePassword act on — the
// caller when the request names no user. Operations on the account itself act on "*"
// (ok false: Resource's defaults apply).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
func (s *Store) accountResource(c *core.Caller, op string, in any) (string, bool) {
	switch in := in.(type) {
	case *iam.CreateVirtualMFADeviceInput:
		return s.arn("mfa", pathOr(in.Path), aws.ToString(in.VirtualMFADeviceName)), true
	case *iam.DeleteVirtualMFADeviceInput:
		return aws.ToString(in.SerialNumber), true
	case *iam.TagMFADeviceInput:
		return aws.ToString(in.SerialNumber), true
	case *iam.UntagMFADeviceInput:
		return aws.ToString(in.SerialNumber), true
	case *iam.ListMFADeviceTagsInput:
		return aws.ToString(in.SerialNumber), true
	case *iam.GetContextKeysForPrincipalPolicyInput:
		return aws.ToString(in.PolicySourceArn), true
	case *iam.ListPoliciesGrantingServiceAccessInput:
		return aws.ToString(in.Arn), true
	case *iam.GenerateServiceLastAccessedDetailsInput:
		return aws.ToString(in.Arn), true
	case *iam.GenerateOrganizationsAccessReportInput:
		// The Service Authorization Reference's access-report resource, named by the entity path.
		return s.arn("access-report", "/", aws.ToString(in.EntityPath)), true
	case *iam.UploadServerCertificateInput:
		return s.arn("server-certificate", pathOr(in.Path), aws.ToString(in.ServerCertificateName)), true
	case *iam.CreateServiceLinkedRoleInput:
		name := linkedServices[aws.ToString(in.AWSServiceName)].role
		if sfx := aws.ToString(in.CustomSuffix); sfx != "" {
			name += "_" + sfx
		}
		return s.arn("role", linkedPath+aws.ToString(in.AWSServiceName)+"/", name), true
	case *iam.GetServiceLinkedRoleDeletionStatusInput:
		// task/aws-service-role/SERVICE/NAME/ID names the role it deletes.
		id := aws.ToString(in.DeletionTaskId)
		if rest, ok := strings.CutPrefix(id, "task/"); ok {
			if i := strings.LastIndexByte(rest, '/'); i > 0 {
				p := rest[:i]
				j := strings.LastIndexByte(p, '/')
				return s.arn("role", "/"+p[:j+1], p[j+1:]), true
			}
		}
		return "*", true
	}
	if name := fieldString(in, "ServerCertificateName"); name != "" {
		s.mu.RLock()
		defer s.mu.RUnlock()
		path := "/"
		if sc, ok := s.st.Account.ServerCerts[key(name)]; ok {
			path, name = sc.Path, sc.Name
		}
		return s.arn("server-certificate", path, name), true
	}
	self := op == "ChangePassword" || strings.Contains(op, "SSHPublicKey") || strings.Contains(op, "SigningCertificate") ||
		strings.Contains(op, "ServiceSpecificCredential") || strings.Contains(op, "MFADevice") && !strings.Contains(op, "Virtual")
	if self && fieldString(in, "UserName") == "" && c != nil && c.Kind == core.User {
		return c.ARN, true
	}
	return "", false
}

// userHolds refuses to delete a user who still has what AWS makes you remove first beside
// keys, policies and groups: MFA devices, SSH public keys, signing certificates and
// service-specific credentials. s.mu is held.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
func (s *Store) userHolds(u *user) error {
	a := &s.st.Account
	for _, d := range a.MFADevices {
		if d.User == u.ID {
			return core.Errorf(DeleteConflict, "Cannot delete entity, must delete MFA device first.")
		}
	}
	for _, c := range a.SigningCerts {
		if c.User == u.ID {
			return core.Errorf(DeleteConflict, "Cannot delete entity, must delete signing certificates first.")
		}
	}
	for _, k := range a.SSHKeys {
		if k.User == u.ID {
			return core.Errorf(DeleteConflict, "Cannot delete entity, must delete SSH public keys first.")
		}
	}
	for _, c := range a.ServiceCreds {
		if c.User == u.ID {
			return core.Errorf(DeleteConflict, "Cannot delete entity, must delete service specific credentials first.")
		}
	}
	return nil
}
