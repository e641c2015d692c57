package iamsim

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"image/png"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Virtual MFA devices: a TOTP secret (RFC 6238: HMAC-SHA1, six digits, 30-second steps) that
// the account makes and a user's authenticator app holds. Codes are checked against the
// simulator's clock, so a test that advances the clock must compute its codes from it.

type mfaDevice struct {
	Serial, Name, Path string
	Seed               string // base32, as Base32StringSeed gives it
	Created            time.Time
	User               string // the ID of the user it is enabled for; "" while unassigned
	Enabled            time.Time
	Last               uint64 // the last time step a code was accepted for
	Tags               []tag
}

// mfaStep is TOTP's time step; mfaWindow is how many steps back a pair of codes may be, for
// codes typed a little late (AWS: "Submit your request immediately after generating the
// authentication codes"). https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableMFADevice.html
const (
	mfaStep   = 30
	mfaWindow = 10
)

var mfaCode = regexp.MustCompile(`^\d{6}$`)

func (s *Store) noMFADevice(serial string) error {
	return core.Errorf(NoSuchEntity, "VirtualMFADevice with serial number %s doesn't exist.", serial)
}

// mfaOpts are AWS's virtual MFA parameters, the defaults of every authenticator app.
var mfaOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// codeAt returns the device's code for time step n.
func (d *mfaDevice) codeAt(n uint64) string {
	c, err := hotp.GenerateCodeCustom(d.Seed, n, mfaOpts)
	if err != nil { // the seed is ours and valid base32
		panic("iamsim: MFA seed: " + err.Error())
	}
	return c
}

// verifyPair finds the time step of code1 with code2 the next one, within the window before
// now, after the last step accepted; it returns the step of code2.
func (d *mfaDevice) verifyPair(now time.Time, code1, code2 string, window uint64) (uint64, bool) {
	cur := uint64(now.Unix()) / mfaStep
	for n := cur + 1; n+window >= cur+1 && n > d.Last; n-- {
		if n == 0 {
			break
		}
		if d.codeAt(n-1) == code1 && d.codeAt(n) == code2 {
			return n, true
		}
	}
	return 0, false
}

// verify checks one code for the device at now, once: a code is not taken twice.
func (d *mfaDevice) verify(now time.Time, code string) bool {
	cur := uint64(now.Unix()) / mfaStep
	for n := cur + 1; n+2 >= cur+1 && n > d.Last; n-- {
		if d.codeAt(n) == code {
			d.Last = n
			return true
		}
	}
	return false
}

func (h *IAM) CreateVirtualMFADevice(ctx context.Context, in *iam.CreateVirtualMFADeviceInput) (*iam.CreateVirtualMFADeviceOutput, error) {
	var v validation
	v.name("virtualMFADeviceName", aws.ToString(in.VirtualMFADeviceName), 226)
	v.path("path", in.Path)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	path, name := pathOr(in.Path), *in.VirtualMFADeviceName
	serial := s.arn("mfa", path, name)
	if _, ok := s.st.Account.MFADevices[serial]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "MFADevice entity at the same path and name already exists.")
	}
	// AWS's seeds are 64 base32 characters: 40 bytes.
	d := &mfaDevice{
		Serial: serial, Name: name, Path: path, Created: s.now(), Tags: toTags(in.Tags),
		Seed: base32.StdEncoding.EncodeToString(s.ids.Bytes(40)),
	}
	qr, err := mfaQRCode(name, s.accountName(), d.Seed)
	if err != nil {
		return nil, err
	}
	s.st.Account.MFADevices[serial] = d
	return &iam.CreateVirtualMFADeviceOutput{VirtualMFADevice: &types.VirtualMFADevice{
		SerialNumber: aws.String(serial), Base32StringSeed: []byte(d.Seed), QRCodePNG: qr, Tags: fromTags(d.Tags),
	}}, nil
}

// mfaQRCode is the PNG QR code of the otpauth URI AWS documents:
// otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String, where the
// account name is the alias or the ID.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
func mfaQRCode(name, account, seed string) ([]byte, error) {
	uri := "otpauth://totp/" + url.PathEscape(name+"@"+account) + "?secret=" + seed
	k, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, fmt.Errorf("iamsim: MFA QR code: %w", err)
	}
	img, err := k.Image(200, 200)
	if err != nil {
		return nil, fmt.Errorf("iamsim: MFA QR code: %w", err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("iamsim: MFA QR code: %w", err)
	}
	return b.Bytes(), nil
}

// mfaInput checks a serial number and the two codes of EnableMFADevice and ResyncMFADevice.
func mfaInput(serial *string, code1, code2 *string) error {
	var v validation
	v.serial(serial)
	for i, c := range []*string{code1, code2} {
		if !mfaCode.MatchString(aws.ToString(c)) {
			v = append(v, fmt.Sprintf(`Value '%s' at 'authenticationCode%d' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]+`, aws.ToString(c), i+1))
		}
	}
	return v.err()
}

func (v *validation) serial(serial *string) {
	sn := aws.ToString(serial)
	if len(sn) < 9 || len(sn) > 256 || !serialPattern.MatchString(sn) {
		*v = append(*v, fmt.Sprintf(`Value '%s' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=/:,.@-]+`, sn))
	}
}

var serialPattern = regexp.MustCompile(`^[\w+=/:,.@-]+$`)

// EnableMFADevice assigns a virtual device to a user once two consecutive codes prove the
// user's app holds its secret.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableMFADevice.html
func (h *IAM) EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput) (*iam.EnableMFADeviceOutput, error) {
	if err := mfaInput(in.SerialNumber, in.AuthenticationCode1, in.AuthenticationCode2); err != nil {
		return nil, err
	}
	s := h.s
	return &iam.EnableMFADeviceOutput{}, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		d, ok := s.st.Account.MFADevices[*in.SerialNumber]
		if !ok {
			return s.noMFADevice(*in.SerialNumber)
		}
		if d.User != "" {
			return core.Errorf(EntityAlreadyExists, "MFA Device is already in use.")
		}
		n, ok := d.verifyPair(s.now(), *in.AuthenticationCode1, *in.AuthenticationCode2, mfaWindow)
		if !ok {
			return errorf(InvalidAuthenticationCode, "Authentication code for device is not valid.")
		}
		d.User, d.Enabled, d.Last = u.ID, s.now(), n
		return nil
	})
}

// ResyncMFADevice takes two consecutive codes over a wider window, as after a device's clock
// drifted. https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResyncMFADevice.html
func (h *IAM) ResyncMFADevice(ctx context.Context, in *iam.ResyncMFADeviceInput) (*iam.ResyncMFADeviceOutput, error) {
	if err := mfaInput(in.SerialNumber, in.AuthenticationCode1, in.AuthenticationCode2); err != nil {
		return nil, err
	}
	s := h.s
	return &iam.ResyncMFADeviceOutput{}, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		d, err := s.userMFA(u, *in.SerialNumber)
		if err != nil {
			return err
		}
		d.Last = 0 // a resync forgets the steps used, like a device reset
		n, ok := d.verifyPair(s.now(), *in.AuthenticationCode1, *in.AuthenticationCode2, 10*mfaWindow)
		if !ok {
			return errorf(InvalidAuthenticationCode, "Authentication code for device is not valid.")
		}
		d.Last = n
		return nil
	})
}

// userMFA returns u's device serial. s.mu is held.
func (s *Store) userMFA(u *user, serial string) (*mfaDevice, error) {
	d, ok := s.st.Account.MFADevices[serial]
	if !ok || d.User != u.ID {
		return nil, core.Errorf(NoSuchEntity, "MFA Device with serial number %s does not exist.", serial)
	}
	return d, nil
}

func (h *IAM) DeactivateMFADevice(ctx context.Context, in *iam.DeactivateMFADeviceInput) (*iam.DeactivateMFADeviceOutput, error) {
	var v validation
	v.serial(in.SerialNumber)
	if err := v.err(); err != nil {
		return nil, err
	}
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	return &iam.DeactivateMFADeviceOutput{}, s.withUser(name, func(u *user) error {
		d, err := s.userMFA(u, *in.SerialNumber)
		if err != nil {
			return err
		}
		d.User, d.Enabled, d.Last = "", time.Time{}, 0
		return nil
	})
}

func (h *IAM) DeleteVirtualMFADevice(ctx context.Context, in *iam.DeleteVirtualMFADeviceInput) (*iam.DeleteVirtualMFADeviceOutput, error) {
	var v validation
	v.serial(in.SerialNumber)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	d, ok := s.st.Account.MFADevices[*in.SerialNumber]
	if !ok {
		return nil, s.noMFADevice(*in.SerialNumber)
	}
	if d.User != "" {
		return nil, core.Errorf(DeleteConflict, "MFA Device is still in use.")
	}
	delete(s.st.Account.MFADevices, d.Serial)
	return &iam.DeleteVirtualMFADeviceOutput{}, nil
}

// userByID returns the user whose ID is id, or nil. s.mu is held.
func (s *Store) userByID(id string) *user {
	for _, u := range s.st.Users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (h *IAM) ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput) (*iam.ListMFADevicesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	var all []types.MFADevice
	s.mu.RLock()
	u, err := s.user(name)
	if err == nil {
		for _, d := range sortedValues(s.st.Account.MFADevices) {
			if d.User == u.ID {
				all = append(all, types.MFADevice{UserName: aws.String(u.Name), SerialNumber: aws.String(d.Serial), EnableDate: aws.Time(d.Enabled)})
			}
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListMFADevicesOutput{MFADevices: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) GetMFADevice(ctx context.Context, in *iam.GetMFADeviceInput) (*iam.GetMFADeviceOutput, error) {
	var v validation
	v.serial(in.SerialNumber)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.st.Account.MFADevices[*in.SerialNumber]
	var u *user
	if ok {
		u = s.userByID(d.User)
	}
	if u == nil || in.UserName != nil && key(*in.UserName) != key(u.Name) {
		return nil, core.Errorf(NoSuchEntity, "MFA Device with serial number %s does not exist.", *in.SerialNumber)
	}
	return &iam.GetMFADeviceOutput{UserName: aws.String(u.Name), SerialNumber: aws.String(d.Serial), EnableDate: aws.Time(d.Enabled)}, nil
}

// ListVirtualMFADevices gives each device's user as ListUsers would, and neither has tags.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html
func (h *IAM) ListVirtualMFADevices(ctx context.Context, in *iam.ListVirtualMFADevicesInput) (*iam.ListVirtualMFADevicesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	switch in.AssignmentStatus {
	case "", types.AssignmentStatusTypeAny, types.AssignmentStatusTypeAssigned, types.AssignmentStatusTypeUnassigned:
	default:
		v = append(v, fmt.Sprintf("Value '%s' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Unassigned, Any, Assigned]", in.AssignmentStatus))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	var all []types.VirtualMFADevice
	for _, d := range sortedValues(s.st.Account.MFADevices) {
		assigned := d.User != ""
		if in.AssignmentStatus == types.AssignmentStatusTypeAssigned && !assigned || in.AssignmentStatus == types.AssignmentStatusTypeUnassigned && assigned {
			continue
		}
		// Like every IAM listing, no tags: ListMFADeviceTags gives them.
		out := types.VirtualMFADevice{SerialNumber: aws.String(d.Serial)}
		if u := s.userByID(d.User); u != nil {
			uo := s.userOut(u)
			uo.Tags, uo.PermissionsBoundary = nil, nil
			out.User, out.EnableDate = uo, aws.Time(d.Enabled)
		}
		all = append(all, out)
	}
	s.mu.RUnlock()
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListVirtualMFADevicesOutput{VirtualMFADevices: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

// withMFA runs f on the virtual device serial under the write lock.
func (s *Store) withMFA(serial *string, f func(*mfaDevice) error) error {
	var v validation
	v.serial(serial)
	if err := v.err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	d, ok := s.st.Account.MFADevices[*serial]
	if !ok {
		return s.noMFADevice(*serial)
	}
	return f(d)
}

func (h *IAM) TagMFADevice(ctx context.Context, in *iam.TagMFADeviceInput) (*iam.TagMFADeviceOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagMFADeviceOutput{}, h.s.withMFA(in.SerialNumber, func(d *mfaDevice) (err error) {
		d.Tags, err = mergeTags(d.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagMFADevice(ctx context.Context, in *iam.UntagMFADeviceInput) (*iam.UntagMFADeviceOutput, error) {
	return &iam.UntagMFADeviceOutput{}, h.s.withMFA(in.SerialNumber, func(d *mfaDevice) error {
		d.Tags = removeTags(d.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListMFADeviceTags(ctx context.Context, in *iam.ListMFADeviceTagsInput) (*iam.ListMFADeviceTagsOutput, error) {
	out := &iam.ListMFADeviceTagsOutput{}
	return out, h.s.withMFA(in.SerialNumber, func(d *mfaDevice) error {
		out.Tags = nonNil(fromTags(d.Tags))
		return nil
	})
}

// VerifyMFA checks a code of the virtual device serial, enabled for the user named user (""
// for root, which the simulator gives no device), and returns whether it is valid; a code
// is accepted once. STS's GetSessionToken and AssumeRole use it for SerialNumber/TokenCode.
func (s *Store) verifyMFA(userName, serial, code string) bool {
	d, ok := s.st.Account.MFADevices[serial]
	if !ok || d.User == "" || !mfaCode.MatchString(code) {
		return false
	}
	u := s.userByID(d.User)
	if u == nil || !strings.EqualFold(u.Name, userName) {
		return false
	}
	return d.verify(s.now(), code)
}

// sessionMFA checks the SerialNumber and TokenCode of GetSessionToken or AssumeRole, and
// returns when, for the session's aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge;
// zero when none was given. s.mu is held.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func (s *Store) sessionMFA(c *core.Caller, serial, code *string) (time.Time, error) {
	if serial == nil && code == nil {
		return time.Time{}, nil
	}
	if c == nil || c.Kind != core.User || !s.verifyMFA(c.UserName, aws.ToString(serial), aws.ToString(code)) {
		return time.Time{}, core.Errorf(AccessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	}
	return s.now(), nil
}

// mfaContext is the MFA condition keys of an AssumeRole request that carries a code, for the
// role's trust policy ("Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}). The
// code is checked without being used up: AssumeRole uses it once authorized.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
func (s *Store) mfaContext(c *core.Caller, serial, code *string) map[string]string {
	if serial == nil || code == nil || c == nil || c.Kind != core.User {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.st.Account.MFADevices[*serial]
	if !ok || d.User == "" {
		return nil
	}
	if u := s.userByID(d.User); u == nil || !strings.EqualFold(u.Name, c.UserName) {
		return nil
	}
	peek := *d
	if !peek.verify(s.now(), *code) {
		return nil
	}
	return map[string]string{"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0"}
}
