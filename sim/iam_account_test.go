package sim_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base32"
	"encoding/csv"
	"encoding/pem"
	"fmt"
	"image/png"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// allowSelf gives user name an inline policy allowing actions on its own ARN.
func allowSelf(t *testing.T, root *iam.Client, name string, actions ...string) {
	t.Helper()
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["%s"],"Resource":"arn:aws:iam::123456789012:user/%s"}]}`,
		strings.Join(actions, `","`), name)
	must(root.PutUserPolicy(context.Background(), &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("self"), PolicyDocument: aws.String(doc)}))(t)
}

func TestAccountPasswordPolicy(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		_, err := root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		wantCode(t, err, "NoSuchEntity")
		if !strings.Contains(err.Error(), "The Password Policy with domain name 123456789012 cannot be found.") {
			t.Errorf("message: %v", err)
		}
		c.Diverges(t, conformance.Moto, "moto takes a MinimumPasswordLength of 5 and enforces no password policy")
		_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(5)})
		wantCode(t, err, "ValidationError")
		_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(25)})
		wantCode(t, err, "ValidationError")

		must(root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
			MinimumPasswordLength: aws.Int32(10), RequireUppercaseCharacters: true, RequireNumbers: true, RequireSymbols: true,
			AllowUsersToChangePassword: true, PasswordReusePrevention: aws.Int32(2), MaxPasswordAge: aws.Int32(90),
		}))(t)
		p := must(root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))(t).PasswordPolicy
		if *p.MinimumPasswordLength != 10 || !p.RequireUppercaseCharacters || p.RequireLowercaseCharacters || !p.ExpirePasswords ||
			*p.MaxPasswordAge != 90 || *p.PasswordReusePrevention != 2 || !p.AllowUsersToChangePassword {
			t.Errorf("policy = %+v", p)
		}

		alex := newUser(t, c, "alex")
		for _, tt := range []struct{ pw, msg string }{
			{"Sh0rt!", "Password should have a minimum length of 10"},
			{"lowercase-only-9", "Password should have at least one uppercase letter"},
			{"No-Numbers-Here", "Password should have at least one number"},
			{"NoSymbols12345", "Password should have at least one symbol"},
		} {
			_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alex"), Password: aws.String(tt.pw)})
			wantCode(t, err, "PasswordPolicyViolation")
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%s: %v, want %q", tt.pw, err, tt.msg)
			}
		}
		must(root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alex"), Password: aws.String("Lab-Passw0rd!")}))(t)
		_, err = root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alex"), Password: aws.String("weak")})
		wantCode(t, err, "PasswordPolicyViolation")

		// ChangePassword: the user's own, the old one checked, the last two not reused.
		_, err = root.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("x"), NewPassword: aws.String("New-Passw0rd!")})
		wantCode(t, err, "InvalidUserType")
		allowSelf(t, root, "alex", "iam:ChangePassword")
		user := iam.NewFromConfig(alex)
		_, err = user.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("wrong"), NewPassword: aws.String("New-Passw0rd!")})
		wantCode(t, err, "InvalidUserType")
		_, err = user.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Lab-Passw0rd!"), NewPassword: aws.String("Lab-Passw0rd!")})
		wantCode(t, err, "PasswordPolicyViolation")
		must(user.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Lab-Passw0rd!"), NewPassword: aws.String("New-Passw0rd!")}))(t)
		_, err = user.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("New-Passw0rd!"), NewPassword: aws.String("Lab-Passw0rd!")})
		wantCode(t, err, "PasswordPolicyViolation")

		must(root.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))(t)
		_, err = root.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
		wantCode(t, err, "NoSuchEntity")
		// Without a policy, AWS's default asks for eight characters and nothing else.
		must(root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alex"), Password: aws.String("abcdefgh")}))(t)
		_, err = root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alex"), Password: aws.String("abcdefg")})
		wantCode(t, err, "PasswordPolicyViolation")
	})
}

func TestAccountAliases(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		c.Diverges(t, conformance.Moto, "moto takes any account alias, of any length or pattern")
		for _, bad := range []string{"ab", "Upper-case", "two--hyphens", "-leading", "trailing-", "under_score", strings.Repeat("a", 64)} {
			_, err := root.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(bad)})
			wantCode(t, err, "ValidationError")
		}
		must(root.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("awsx-lab")}))(t)
		must(root.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("awsx-lab-2")}))(t)
		got := must(root.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t).AccountAliases
		if fmt.Sprint(got) != "[awsx-lab-2]" {
			t.Errorf("aliases = %v, want the last one only", got)
		}
		_, err := root.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("awsx-lab")})
		wantCode(t, err, "NoSuchEntity")
		must(root.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("awsx-lab-2")}))(t)
		if got := must(root.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t).AccountAliases; got == nil || len(got) != 0 {
			t.Errorf("aliases after delete = %#v", got)
		}
	})
}

func TestAccountSummary(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		for _, n := range []string{"alex", "sam"} {
			must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n)}))(t)
		}
		must(root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))(t)
		must(root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))(t)
		must(root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")}))(t)
		m := must(root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))(t).SummaryMap
		want := map[string]int32{
			"Users": 2, "Groups": 1, "Roles": 0, "Policies": 0, "MFADevices": 1, "MFADevicesInUse": 0, "PolicyVersionsInUse": 1,
			"UsersQuota": 5000, "GroupsQuota": 300, "RolesQuota": 1000, "AccessKeysPerUserQuota": 2, "PolicySizeQuota": 6144,
			"AssumeRolePolicySizeQuota": 2048, "ServerCertificatesQuota": 20, "SigningCertificatesPerUserQuota": 2,
		}
		for k, v := range want {
			if got, ok := m[k]; !ok || got != v {
				t.Errorf("%s = %d (present %v), want %d", k, got, ok, v)
			}
		}
	})
}

func TestAccountAuthorizationDetails(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
		must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}))(t)
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("read"), PolicyDocument: aws.String(doc)}))(t)
		must(root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))(t)
		must(root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("alex")}))(t)
		must(root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))(t)
		must(root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("mine"), PolicyDocument: aws.String(doc)}))(t)
		must(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))(t)

		c.Diverges(t, conformance.Moto, "moto's managed policy details have no PolicyName, and list every AWS managed policy, attached or not")
		out := must(root.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{}))(t)
		if len(out.UserDetailList) != 1 || len(out.GroupDetailList) != 1 || len(out.RoleDetailList) != 1 {
			t.Fatalf("details: %d users, %d groups, %d roles", len(out.UserDetailList), len(out.GroupDetailList), len(out.RoleDetailList))
		}
		u := out.UserDetailList[0]
		if fmt.Sprint(u.GroupList) != "[admin]" || len(u.UserPolicyList) != 1 || *u.UserPolicyList[0].PolicyName != "read" ||
			!strings.Contains(*u.UserPolicyList[0].PolicyDocument, "s3%3AGetObject") || len(u.Tags) != 1 {
			t.Errorf("user detail = %+v", u)
		}
		names := map[string]bool{}
		for _, p := range out.Policies {
			names[aws.ToString(p.PolicyName)] = true
			if len(p.PolicyVersionList) == 0 || p.PolicyVersionList[0].Document == nil {
				t.Errorf("policy %s has no default version document", aws.ToString(p.PolicyName))
			}
		}
		// The account's own policies, and AWS's that are attached: not the whole catalogue.
		if !names["mine"] || !names["AdministratorAccess"] || len(names) != 2 {
			t.Errorf("policies = %v", names)
		}

		roles := must(root.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole}}))(t)
		if len(roles.RoleDetailList) != 1 || len(roles.UserDetailList) != 0 || len(roles.Policies) != 0 {
			t.Errorf("filter Role: %+v", roles)
		}
		var total int
		p := iam.NewGetAccountAuthorizationDetailsPaginator(root, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(2)})
		for p.HasMorePages() {
			page := must(p.NextPage(ctx))(t)
			total += len(page.UserDetailList) + len(page.GroupDetailList) + len(page.RoleDetailList) + len(page.Policies)
		}
		if total != 5 {
			t.Errorf("paged through %d entries, want 5", total)
		}
	})
}

// mfaCodes returns two consecutive codes of seed for the 30-second steps before at.
func mfaCodes(t *testing.T, seed []byte, at time.Time) (string, string) {
	t.Helper()
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	c1 := must(totp.GenerateCodeCustom(string(seed), at.Add(-30*time.Second), opts))(t)
	c2 := must(totp.GenerateCodeCustom(string(seed), at, opts))(t)
	return c1, c2
}

func TestVirtualMFADevices(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		alex := newUser(t, c, "alex")
		dev := must(root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alex-phone"),
			Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("alex")}}}))(t).VirtualMFADevice
		serial := *dev.SerialNumber
		if serial != "arn:aws:iam::123456789012:mfa/alex-phone" {
			t.Errorf("serial = %s", serial)
		}
		if _, err := base32.StdEncoding.DecodeString(string(dev.Base32StringSeed)); err != nil || len(dev.Base32StringSeed) != 64 {
			t.Errorf("seed %q: %v", dev.Base32StringSeed, err)
		}
		c.Diverges(t, conformance.Moto, "moto's QRCodePNG is not a PNG, and it enables a device with any codes")
		img, err := png.Decode(bytes.NewReader(dev.QRCodePNG))
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("QR code: %v", err)
		}
		_, err = root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alex-phone")})
		wantCode(t, err, "EntityAlreadyExists")

		_, err = root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alex"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
		wantCode(t, err, "InvalidAuthenticationCode")
		wantHTTPStatus(t, err, 403)
		_, err = root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alex"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String("12345"), AuthenticationCode2: aws.String("654321")})
		wantCode(t, err, "ValidationError")
		c1, c2 := mfaCodes(t, dev.Base32StringSeed, c.Now())
		must(root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alex"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}))(t)

		list := must(root.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("alex")}))(t).MFADevices
		if len(list) != 1 || *list[0].SerialNumber != serial || *list[0].UserName != "alex" || list[0].EnableDate == nil {
			t.Errorf("ListMFADevices = %+v", list)
		}
		virt := must(root.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAssigned}))(t).VirtualMFADevices
		if len(virt) != 1 || *virt[0].User.UserName != "alex" || virt[0].Base32StringSeed != nil || virt[0].User.Tags != nil || virt[0].Tags != nil {
			t.Errorf("ListVirtualMFADevices = %+v", virt)
		}
		if n := len(must(root.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned}))(t).VirtualMFADevices); n != 0 {
			t.Errorf("%d unassigned devices", n)
		}
		tags := must(root.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)}))(t).Tags
		if len(tags) != 1 || *tags[0].Key != "owner" {
			t.Errorf("tags = %+v", tags)
		}
		_, err = root.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
		wantCode(t, err, "DeleteConflict")

		// A session from GetSessionToken with the device's code carries MFA: IAM takes it, and
		// aws:MultiFactorAuthPresent is true for it.
		c.Require(t, conformance.ClockControl, conformance.EnforcesIAM)
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("mfa"), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)}))(t)
		stsc := sts.NewFromConfig(alex)
		plain := must(stsc.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))(t).Credentials
		_, err = iam.NewFromConfig(withCreds(alex, plain.AccessKeyId, plain.SecretAccessKey, plain.SessionToken)).GetUser(ctx, &iam.GetUserInput{})
		wantCode(t, err, "InvalidClientTokenId")
		_, err = stsc.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(c2)})
		wantCode(t, err, "AccessDenied") // a code is taken once
		c.Advance(t, 30*time.Second)
		_, code := mfaCodes(t, dev.Base32StringSeed, c.Now())
		creds := must(stsc.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code)}))(t).Credentials
		got := must(iam.NewFromConfig(withCreds(alex, creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken)).GetUser(ctx, &iam.GetUserInput{}))(t)
		if *got.User.UserName != "alex" {
			t.Errorf("GetUser with MFA = %s", *got.User.UserName)
		}
		_, err = iam.NewFromConfig(alex).GetUser(ctx, &iam.GetUserInput{})
		wantCode(t, err, "AccessDenied") // long-term keys: no MFA

		// Resync, deactivate, delete; a user with a device is not deleted.
		c.Advance(t, 10*time.Minute)
		c1, c2 = mfaCodes(t, dev.Base32StringSeed, c.Now())
		must(root.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("alex"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}))(t)
		must(root.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("mfa")}))(t)
		keys := must(root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alex")}))(t).AccessKeyMetadata
		must(root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alex"), AccessKeyId: keys[0].AccessKeyId}))(t)
		_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alex")})
		wantCode(t, err, "DeleteConflict")
		must(root.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("alex"), SerialNumber: aws.String(serial)}))(t)
		_, err = root.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("alex"), SerialNumber: aws.String(serial)})
		wantCode(t, err, "NoSuchEntity")
		must(root.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))(t)
		must(root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alex")}))(t)
	})
}

func withCreds(cfg aws.Config, id, secret, token *string) aws.Config {
	out := cfg.Copy()
	out.Credentials = credentials.NewStaticCredentialsProvider(*id, *secret, *token)
	return out
}

// A role whose trust policy asks for MFA is assumed with the code, not without.
func TestAssumeRoleWithMFA(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := iam.NewFromConfig(c.Config())
		alex := newUser(t, c, "alex")
		must(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alex"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)}))(t)
		dev := must(root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alex")}))(t).VirtualMFADevice
		c1, c2 := mfaCodes(t, dev.Base32StringSeed, c.Now())
		must(root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alex"), SerialNumber: dev.SerialNumber,
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}))(t)
		stsc := sts.NewFromConfig(alex)
		in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/admin"), RoleSessionName: aws.String("lab")}
		_, err := stsc.AssumeRole(ctx, in)
		wantCode(t, err, "AccessDenied")
		c.Advance(t, 30*time.Second)
		_, code := mfaCodes(t, dev.Base32StringSeed, c.Now())
		in.SerialNumber, in.TokenCode = dev.SerialNumber, aws.String(code)
		must(stsc.AssumeRole(ctx, in))(t)
		_, err = stsc.AssumeRole(ctx, in) // the code is used
		wantCode(t, err, "AccessDenied")
	})
}

func rsaKey(t *testing.T, bits int) *rsa.PrivateKey {
	t.Helper()
	return must(rsa.GenerateKey(rand.Reader, bits))(t)
}

func TestSSHPublicKeys(t *testing.T) {
	t.Parallel()
	k := rsaKey(t, 2048)
	pub := must(ssh.NewPublicKey(&k.PublicKey))(t)
	authorized := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " alex@laptop"
	der := must(x509.MarshalPKIXPublicKey(&k.PublicKey))(t)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	edKey := string(ssh.MarshalAuthorizedKey(must(ssh.NewPublicKey(edPub))(t)))
	small := must(ssh.NewPublicKey(&rsaKey(t, 1024).PublicKey))(t)
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		alex := newUser(t, c, "alex")
		c.Diverges(t, conformance.Moto, "moto parses no SSH key: it takes any body, gives another fingerprint and no PEM encoding")
		up := must(root.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyBody: aws.String(authorized)}))(t).SSHPublicKey
		sum := md5.Sum(pub.Marshal())
		var fp []string
		for _, b := range sum {
			fp = append(fp, fmt.Sprintf("%02x", b))
		}
		if *up.Fingerprint != strings.Join(fp, ":") || !strings.HasPrefix(*up.SSHPublicKeyId, "APKA") || up.Status != types.StatusTypeActive {
			t.Errorf("uploaded = %+v", up)
		}
		id := up.SSHPublicKeyId
		for _, tt := range []struct{ name, body, code string }{
			{"the same key in PEM", pemKey, "DuplicateSSHPublicKey"},
			{"ed25519", edKey, "InvalidPublicKey"},
			{"1024 bits", string(ssh.MarshalAuthorizedKey(small)), "InvalidPublicKey"},
			{"not a key", "ssh-rsa not-base64", "UnrecognizedPublicKeyEncoding"},
		} {
			_, err := root.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyBody: aws.String(tt.body)})
			if apiCode(t, err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		got := must(root.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyId: id, Encoding: types.EncodingTypePem}))(t).SSHPublicKey
		if strings.TrimSpace(*got.SSHPublicKeyBody) != strings.TrimSpace(pemKey) {
			t.Errorf("PEM body = %q", *got.SSHPublicKeyBody)
		}
		got = must(root.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyId: id, Encoding: types.EncodingTypeSsh}))(t).SSHPublicKey
		if !strings.HasPrefix(*got.SSHPublicKeyBody, "ssh-rsa AAAA") {
			t.Errorf("SSH body = %q", *got.SSHPublicKeyBody)
		}
		must(root.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyId: id, Status: types.StatusTypeInactive}))(t)

		// A user lists its own keys with no user name, given the permission on itself.
		c.Require(t, conformance.EnforcesIAM)
		user := iam.NewFromConfig(alex)
		_, err := user.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{})
		wantCode(t, err, "AccessDenied")
		allowSelf(t, root, "alex", "iam:ListSSHPublicKeys", "iam:DeleteSSHPublicKey")
		list := must(user.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{}))(t).SSHPublicKeys
		if len(list) != 1 || list[0].Status != types.StatusTypeInactive || *list[0].UserName != "alex" {
			t.Errorf("list = %+v", list)
		}
		must(user.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyId: id}))(t)
		_, err = root.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alex"), SSHPublicKeyId: id, Encoding: types.EncodingTypeSsh})
		wantCode(t, err, "NoSuchEntity")
	})
}

// selfSigned returns a PEM certificate for name and its key.
func selfSigned(t *testing.T, name string) (cert, key string) {
	t.Helper()
	k := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k))(t)
	kder := must(x509.MarshalPKCS8PrivateKey(k))(t)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

func TestCertificates(t *testing.T) {
	t.Parallel()
	cert1, key1 := selfSigned(t, "one.example.com")
	cert2, _ := selfSigned(t, "two.example.com")
	cert3, _ := selfSigned(t, "three.example.com")
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))(t)

		// Signing certificates: two per user.
		sc := must(root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("alex"), CertificateBody: aws.String(cert1)}))(t).Certificate
		if sc.Status != types.StatusTypeActive || *sc.UserName != "alex" || *sc.CertificateBody != cert1 {
			t.Errorf("signing certificate = %+v", sc)
		}
		_, err := root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("alex"), CertificateBody: aws.String("not a certificate")})
		wantCode(t, err, "MalformedCertificate")
		c.Diverges(t, conformance.Moto, "moto takes the same signing certificate twice")
		_, err = root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("alex"), CertificateBody: aws.String(cert1)})
		wantCode(t, err, "DuplicateCertificate")
		wantHTTPStatus(t, err, 409)
		must(root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("alex"), CertificateBody: aws.String(cert2)}))(t)
		_, err = root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("alex"), CertificateBody: aws.String(cert3)})
		wantCode(t, err, "LimitExceeded")
		must(root.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("alex"), CertificateId: sc.CertificateId, Status: types.StatusTypeInactive}))(t)
		list := must(root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("alex")}))(t).Certificates
		if len(list) != 2 {
			t.Errorf("%d signing certificates", len(list))
		}
		_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alex")})
		wantCode(t, err, "DeleteConflict")
		for _, l := range list {
			must(root.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("alex"), CertificateId: l.CertificateId}))(t)
		}

		// Server certificates: the key must be the certificate's.
		_, err = root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("web"),
			CertificateBody: aws.String(cert2), PrivateKey: aws.String(key1)})
		wantCode(t, err, "KeyPairMismatch")
		_, err = root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("web"),
			CertificateBody: aws.String(cert1), PrivateKey: aws.String("not a key")})
		wantCode(t, err, "MalformedCertificate")
		up := must(root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("web"), Path: aws.String("/cloudfront/"),
			CertificateBody: aws.String(cert1), PrivateKey: aws.String(key1), CertificateChain: aws.String(cert2),
			Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("lab")}}}))(t)
		m := up.ServerCertificateMetadata
		if *m.Arn != "arn:aws:iam::123456789012:server-certificate/cloudfront/web" || !strings.HasPrefix(*m.ServerCertificateId, "ASCA") ||
			!m.Expiration.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) || len(up.Tags) != 1 {
			t.Errorf("uploaded = %+v", m)
		}
		_, err = root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("WEB"),
			CertificateBody: aws.String(cert1), PrivateKey: aws.String(key1)})
		wantCode(t, err, "EntityAlreadyExists")
		got := must(root.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("web")}))(t).ServerCertificate
		if *got.CertificateBody != cert1 || *got.CertificateChain != cert2 {
			t.Errorf("got = %+v", got)
		}
		must(root.UpdateServerCertificate(ctx, &iam.UpdateServerCertificateInput{ServerCertificateName: aws.String("web"), NewServerCertificateName: aws.String("site"), NewPath: aws.String("/")}))(t)
		if n := len(must(root.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{PathPrefix: aws.String("/cloudfront/")}))(t).ServerCertificateMetadataList); n != 0 {
			t.Errorf("%d certificates under /cloudfront/ after the move", n)
		}
		must(root.TagServerCertificate(ctx, &iam.TagServerCertificateInput{ServerCertificateName: aws.String("site"), Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("web")}}}))(t)
		must(root.UntagServerCertificate(ctx, &iam.UntagServerCertificateInput{ServerCertificateName: aws.String("site"), TagKeys: []string{"env"}}))(t)
		tags := must(root.ListServerCertificateTags(ctx, &iam.ListServerCertificateTagsInput{ServerCertificateName: aws.String("site")}))(t).Tags
		if len(tags) != 1 || *tags[0].Key != "tier" {
			t.Errorf("tags = %+v", tags)
		}
		must(root.DeleteServerCertificate(ctx, &iam.DeleteServerCertificateInput{ServerCertificateName: aws.String("site")}))(t)
		_, err = root.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("site")})
		wantCode(t, err, "NoSuchEntity")
	})
}

func TestServiceLinkedRoles(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		r := must(root.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com")}))(t).Role
		if *r.RoleName != "AWSServiceRoleForAutoScaling" || *r.Path != "/aws-service-role/autoscaling.amazonaws.com/" ||
			*r.Arn != "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" {
			t.Errorf("role = %s %s", *r.RoleName, *r.Arn)
		}
		c.Diverges(t, conformance.Moto, "moto answers a service-linked role name taken with EntityAlreadyExists, not InvalidInput")
		_, err := root.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com")})
		wantCode(t, err, "InvalidInput")
		if !strings.Contains(err.Error(), "Service role name AWSServiceRoleForAutoScaling has been taken in this account, please try a different suffix.") {
			t.Errorf("message: %v", err)
		}
		sfx := must(root.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com"), CustomSuffix: aws.String("web")}))(t).Role
		if *sfx.RoleName != "AWSServiceRoleForAutoScaling_web" {
			t.Errorf("suffixed role = %s", *sfx.RoleName)
		}
		_, err = root.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("elasticloadbalancing.amazonaws.com"), CustomSuffix: aws.String("x")})
		wantCode(t, err, "InvalidInput")
		_, err = root.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("AWSServiceRoleForAutoScaling")})
		wantCode(t, err, "UnmodifiableEntity")
		task := must(root.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("AWSServiceRoleForAutoScaling")}))(t).DeletionTaskId
		if !strings.HasPrefix(*task, "task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling/") {
			t.Errorf("task = %s", *task)
		}
		st := must(root.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: task}))(t)
		if st.Status != types.DeletionTaskStatusTypeSucceeded {
			t.Errorf("status = %s", st.Status)
		}
		_, err = root.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForAutoScaling")})
		wantCode(t, err, "NoSuchEntity")
	})
}

func TestCredentialReport(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		_, err := root.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		wantCode(t, err, "ReportNotPresent")
		wantHTTPStatus(t, err, 410)
		newUser(t, c, "alex")
		must(root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alex"), Password: aws.String("Lab-Passw0rd!")}))(t)
		if st := must(root.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))(t).State; st != types.ReportStateTypeStarted {
			t.Errorf("first state = %s", st)
		}
		if st := must(root.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))(t).State; st != types.ReportStateTypeComplete {
			t.Errorf("second state = %s", st)
		}
		c.Diverges(t, conformance.Moto, "moto's credential report has no row for the root user")
		rep := must(root.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))(t)
		rows := must(csv.NewReader(bytes.NewReader(rep.Content)).ReadAll())(t)
		if rep.ReportFormat != types.ReportFormatTypeTextCsv || len(rows) != 3 || len(rows[0]) != 22 || rows[0][0] != "user" || rows[0][21] != "cert_2_last_rotated" {
			t.Fatalf("report = %q", rep.Content)
		}
		if rows[1][0] != "<root_account>" || rows[2][0] != "alex" || rows[2][3] != "true" || rows[2][8] != "true" || rows[2][13] != "false" {
			t.Errorf("rows = %q", rows[1:])
		}
		c.Advance(t, 5*time.Hour)
		_, err = root.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		wantCode(t, err, "ReportExpired")
	})
}

func TestPolicyAndInstanceProfileTags(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		arn := must(root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), Description: aws.String("d"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}))(t).Policy.Arn
		must(root.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}))(t)
		must(root.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"a"}}))(t)
		if tags := must(root.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn}))(t).Tags; len(tags) != 1 || *tags[0].Key != "b" {
			t.Errorf("policy tags = %+v", tags)
		}
		c.Diverges(t, conformance.Moto, "moto takes a tag key that begins with aws: on a policy")
		_, err := root.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}})
		wantCode(t, err, "InvalidInput")
		// ListPolicies leaves out the description and the tags; GetPolicy has both.
		for _, p := range must(root.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}))(t).Policies {
			if p.Description != nil || p.Tags != nil {
				t.Errorf("ListPolicies gave %v %v", p.Description, p.Tags)
			}
		}
		if p := must(root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn}))(t).Policy; aws.ToString(p.Description) != "d" || len(p.Tags) != 1 {
			t.Errorf("GetPolicy = %+v", p)
		}

		must(root.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web")}))(t)
		must(root.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web"), Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("web")}}}))(t)
		if tags := must(root.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web")}))(t).Tags; len(tags) != 1 {
			t.Errorf("profile tags = %+v", tags)
		}
		// List operations give a subset of the attributes (the API reference's response
		// elements): no tags on instance profiles, no tags or boundary on users.
		for _, ip := range must(root.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{}))(t).InstanceProfiles {
			if ip.Tags != nil {
				t.Errorf("ListInstanceProfiles gave tags %v", ip.Tags)
			}
		}
		must(root.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String("web"), TagKeys: []string{"tier"}}))(t)
		must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("kim"), PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}))(t)
		for _, u := range must(root.ListUsers(ctx, &iam.ListUsersInput{}))(t).Users {
			if u.Tags != nil || u.PermissionsBoundary != nil {
				t.Errorf("ListUsers gave %v %v", u.Tags, u.PermissionsBoundary)
			}
		}
		if u := must(root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("kim")}))(t).User; u.PermissionsBoundary == nil || len(u.Tags) != 1 {
			t.Errorf("GetUser = %+v", u)
		}
		_, err = root.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("none")})
		wantCode(t, err, "NoSuchEntity")

		must(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))(t)
		r := must(root.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("app"), Description: aws.String("the web tier")}))(t).Role
		if aws.ToString(r.Description) != "the web tier" {
			t.Errorf("description = %v", r.Description)
		}
	})
}

func TestServiceSpecificCredentials(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))(t)
		c.Diverges(t, conformance.Moto, "moto has no service-specific credentials")
		cred := must(root.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alex"), ServiceName: aws.String("codecommit.amazonaws.com")}))(t).ServiceSpecificCredential
		if *cred.ServiceUserName != "alex-at-123456789012" || aws.ToString(cred.ServicePassword) == "" || cred.Status != types.StatusTypeActive {
			t.Errorf("credential = %+v", cred)
		}
		_, err := root.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alex"), ServiceName: aws.String("s3.amazonaws.com")})
		wantCode(t, err, "NotSupportedService")
		reset := must(root.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: aws.String("alex"), ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId}))(t).ServiceSpecificCredential
		if *reset.ServicePassword == *cred.ServicePassword {
			t.Error("reset kept the password")
		}
		must(root.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("alex"), ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId, Status: types.StatusTypeInactive}))(t)
		list := must(root.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alex")}))(t).ServiceSpecificCredentials
		if len(list) != 1 || list[0].Status != types.StatusTypeInactive {
			t.Errorf("list = %+v", list)
		}
		must(root.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("alex"), ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId}))(t)
		must(root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alex")}))(t)
	})
}

// A user may manage its own MFA device only on the ARNs the Service Authorization Reference
// names: the device (mfa/NAME) for CreateVirtualMFADevice.
func TestAccountOperationsAuthorized(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := iam.NewFromConfig(c.Config())
		alex := iam.NewFromConfig(newUser(t, c, "alex"))
		_, err := alex.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alex")})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "arn:aws:iam::123456789012:mfa/alex") {
			t.Errorf("message does not name the device: %v", err)
		}
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("own-mfa"), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:aws:iam::123456789012:mfa/${aws:username}"}]}`)}))(t)
		must(alex.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alex")}))(t)
		_, err = alex.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("sam")})
		wantCode(t, err, "AccessDenied")
		_, err = alex.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		wantCode(t, err, "AccessDenied")
	})
}

// Everything account.go keeps is saved and loaded.
func TestAccountStatePersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	root := iam.NewFromConfig(c.Config())
	must(root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12)}))(t)
	must(root.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("saved")}))(t)
	must(root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")}))(t)
	cert, key := selfSigned(t, "saved.example.com")
	must(root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("web"), CertificateBody: aws.String(cert), PrivateKey: aws.String(key)}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	r2 := iam.NewFromConfig(d.Config())
	if p := must(r2.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))(t).PasswordPolicy; *p.MinimumPasswordLength != 12 {
		t.Errorf("loaded policy = %+v", p)
	}
	if a := must(r2.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t).AccountAliases; fmt.Sprint(a) != "[saved]" {
		t.Errorf("loaded aliases = %v", a)
	}
	if n := len(must(r2.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{}))(t).VirtualMFADevices); n != 1 {
		t.Errorf("loaded %d MFA devices", n)
	}
	must(r2.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("web")}))(t)
}

// Many goroutines create, enable and list MFA devices and SSH keys at once.
func TestAccountOperationsConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	root := iam.NewFromConfig(c.Config())
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			name := fmt.Sprintf("u%d", i)
			if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
				t.Error(err)
				return
			}
			dev, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
			if err != nil {
				t.Error(err)
				return
			}
			opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
			now := c.Now()
			c1, _ := totp.GenerateCodeCustom(string(dev.VirtualMFADevice.Base32StringSeed), now.Add(-30*time.Second), opts)
			c2, _ := totp.GenerateCodeCustom(string(dev.VirtualMFADevice.Base32StringSeed), now, opts)
			if _, err := root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(name), SerialNumber: dev.VirtualMFADevice.SerialNumber,
				AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}); err != nil {
				t.Error(err)
			}
			if _, err := root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	m := must(root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))(t).SummaryMap
	if m["MFADevicesInUse"] != 16 || m["Users"] != 16 {
		t.Errorf("summary = %v", m)
	}
}

func TestContextKeysAndTokenPreferences(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::lab/${aws:username}/*",` +
			`"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"Bool":{"aws:SecureTransport":"true","aws:sourceip":"x"}}}]}`
		c.Diverges(t, conformance.Moto, "moto has no GetContextKeysForCustomPolicy")
		keys := must(root.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{doc}}))(t).ContextKeyNames
		if fmt.Sprint(keys) != "[aws:username aws:SecureTransport aws:sourceip]" && fmt.Sprint(keys) != "[aws:username aws:SecureTransport aws:SourceIp]" {
			t.Errorf("keys = %v", keys)
		}
		_, err := root.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{"{not json"}})
		wantCode(t, err, "InvalidInput")

		must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))(t)
		must(root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops")}))(t)
		must(root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("alex")}))(t)
		must(root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("p"), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`)}))(t)
		keys = must(root.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/alex")}))(t).ContextKeyNames
		if fmt.Sprint(keys) != "[aws:RequestedRegion]" {
			t.Errorf("principal keys = %v", keys)
		}
		_, err = root.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/nobody")})
		wantCode(t, err, "NoSuchEntity")

		must(root.SetSecurityTokenServicePreferences(ctx, &iam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: types.GlobalEndpointTokenVersionV2Token}))(t)
		if v := must(root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))(t).SummaryMap["GlobalEndpointTokenVersion"]; v != 2 {
			t.Errorf("GlobalEndpointTokenVersion = %d", v)
		}
	})
}

// Access advisor: the services a user's policies allow, and which of them it called.
func TestServiceLastAccessed(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		alex := newUser(t, c, "alex")
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("read"), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:GetUser"],"Resource":"*"}]}`)}))(t)
		must(root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alex"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")}))(t)
		must(iam.NewFromConfig(alex).GetUser(ctx, &iam.GetUserInput{}))(t)

		c.Diverges(t, conformance.Moto, "moto has no ListPoliciesGrantingServiceAccess or service last accessed reports")
		grants := must(root.ListPoliciesGrantingServiceAccess(ctx, &iam.ListPoliciesGrantingServiceAccessInput{
			Arn: aws.String("arn:aws:iam::123456789012:user/alex"), ServiceNamespaces: []string{"s3", "ec2", "rds"}}))(t).PoliciesGrantingServiceAccess
		if len(grants) != 3 || len(grants[0].Policies) != 1 || grants[0].Policies[0].PolicyType != types.PolicyTypeInline ||
			*grants[0].Policies[0].EntityName != "alex" || len(grants[1].Policies) != 1 || *grants[1].Policies[0].PolicyName != "AmazonEC2ReadOnlyAccess" ||
			len(grants[2].Policies) != 0 {
			t.Errorf("grants = %+v", grants)
		}

		job := must(root.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:iam::123456789012:user/alex")}))(t).JobId
		out := must(root.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: job}))(t)
		if out.JobStatus != types.JobStatusTypeCompleted {
			t.Fatalf("status = %s", out.JobStatus)
		}
		seen := map[string]int32{}
		for _, sv := range out.ServicesLastAccessed {
			seen[*sv.ServiceNamespace] = *sv.TotalAuthenticatedEntities
			if *sv.ServiceNamespace == "iam" && (sv.LastAuthenticated == nil || *sv.LastAuthenticatedEntity != "arn:aws:iam::123456789012:user/alex") {
				t.Errorf("iam = %+v", sv)
			}
		}
		if seen["iam"] != 1 || seen["s3"] != 0 || seen["ec2"] != 0 {
			t.Errorf("services = %v", seen)
		}
		ents := must(root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{JobId: job, ServiceNamespace: aws.String("iam")}))(t).EntityDetailsList
		if len(ents) != 1 || *ents[0].EntityInfo.Name != "alex" || ents[0].LastAuthenticated == nil {
			t.Errorf("entities = %+v", ents)
		}
		_, err := root.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantCode(t, err, "NoSuchEntity")
	})
}

func TestOutboundWebIdentityFederation(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		c.Diverges(t, conformance.Moto, "moto has no outbound web identity federation")
		_, err := root.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
		wantCode(t, err, "FeatureDisabled")
		wantHTTPStatus(t, err, 404)
		issuer := must(root.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{}))(t).IssuerIdentifier
		if !strings.HasPrefix(*issuer, "https://") || !strings.HasSuffix(*issuer, ".tokens.sts.global.api.aws") {
			t.Errorf("issuer = %s", *issuer)
		}
		_, err = root.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
		wantCode(t, err, "FeatureEnabled")
		info := must(root.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{}))(t)
		if *info.IssuerIdentifier != *issuer || !info.JwtVendingEnabled {
			t.Errorf("info = %+v", info)
		}
		must(root.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{}))(t)
		_, err = root.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
		wantCode(t, err, "FeatureDisabled")
	})
}
