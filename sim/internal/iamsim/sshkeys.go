package iamsim

import (
	"context"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// SSH public keys a user uploads for CodeCommit and EC2 Instance Connect.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSSHPublicKey.html

type sshKey struct {
	ID, User    string // User: the owner's user ID
	Body        string // the key in the authorized_keys form
	Fingerprint string
	Active      bool
	Uploaded    time.Time
}

// maxSSHKeys is IAM's quota of SSH public keys per user.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const maxSSHKeys = 5

// ParseSSHPublicKey reads a public key as UploadSSHPublicKey takes it: OpenSSH's
// authorized_keys form ("ssh-rsa AAAA… comment") or PEM ("-----BEGIN PUBLIC KEY-----"). AWS
// takes RSA keys of at least 2048 bits only. The error's code is AWS's:
// UnrecognizedPublicKeyEncoding for what is neither form, InvalidPublicKey for a key of
// the wrong kind or size.
func ParseSSHPublicKey(body string) (ssh.PublicKey, error) {
	var pub ssh.PublicKey
	if block, _ := pem.Decode([]byte(body)); block != nil {
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			if k2, err2 := x509.ParsePKCS1PublicKey(block.Bytes); err2 == nil {
				k, err = k2, nil
			}
		}
		if err != nil {
			return nil, core.Errorf(UnrecognizedPublicKeyEnc, "Unable to parse the public key: %s", err)
		}
		if pub, err = ssh.NewPublicKey(k); err != nil {
			return nil, core.Errorf(InvalidPublicKey, "The public key is not valid: %s", err)
		}
	} else {
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(body))
		if err != nil {
			return nil, core.Errorf(UnrecognizedPublicKeyEnc, "Unable to parse the public key: %s", err)
		}
		pub = k
	}
	var key *rsa.PublicKey
	if ck, ok := pub.(ssh.CryptoPublicKey); ok {
		key, _ = ck.CryptoPublicKey().(*rsa.PublicKey)
	}
	if key == nil {
		return nil, core.Errorf(InvalidPublicKey, "The public key must be an RSA key; %s keys are not supported.", pub.Type())
	}
	if n := key.N.BitLen(); n < 2048 {
		return nil, core.Errorf(InvalidPublicKey, "The public key must be at least 2048 bits long; this one is %d.", n)
	}
	return pub, nil
}

// sshFingerprint is the MD5 fingerprint AWS gives a key, in colon-separated hex.
func sshFingerprint(pub ssh.PublicKey) string {
	sum := md5.Sum(pub.Marshal())
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

// sshPEM is pub in the PEM encoding GetSSHPublicKey gives for Encoding PEM.
func sshPEM(pub ssh.PublicKey) (string, error) {
	ck, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return "", fmt.Errorf("iamsim: SSH key of type %s has no PEM form", pub.Type())
	}
	der, err := x509.MarshalPKIXPublicKey(ck.CryptoPublicKey())
	if err != nil {
		return "", fmt.Errorf("iamsim: SSH key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

func (s *Store) sshKeyMeta(k *sshKey, u *user) types.SSHPublicKeyMetadata {
	return types.SSHPublicKeyMetadata{
		UserName: aws.String(u.Name), SSHPublicKeyId: aws.String(k.ID), Status: status(k.Active), UploadDate: aws.Time(k.Uploaded),
	}
}

// userSSHKey returns u's key id. s.mu is held.
func (s *Store) userSSHKey(u *user, id string) (*sshKey, error) {
	k, ok := s.st.Account.SSHKeys[id]
	if !ok || k.User != u.ID {
		return nil, core.Errorf(NoSuchEntity, "The Public Key with id %s cannot be found.", id)
	}
	return k, nil
}

func (h *IAM) UploadSSHPublicKey(ctx context.Context, in *iam.UploadSSHPublicKeyInput) (*iam.UploadSSHPublicKeyOutput, error) {
	body := aws.ToString(in.SSHPublicKeyBody)
	if len(body) < 1 || len(body) > 16384 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'sSHPublicKeyBody' failed to satisfy constraint: Member must have length between 1 and 16384")
	}
	s := h.s
	out := &iam.UploadSSHPublicKeyOutput{}
	return out, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		pub, err := ParseSSHPublicKey(body)
		if err != nil {
			return err
		}
		fp := sshFingerprint(pub)
		n := 0
		for _, k := range s.st.Account.SSHKeys {
			if k.User != u.ID {
				continue
			}
			if k.Fingerprint == fp {
				return core.Errorf(DuplicateSSHPublicKey, "The SSH public key with fingerprint %s is already associated with user %s.", fp, u.Name)
			}
			n++
		}
		if n >= maxSSHKeys {
			return core.Errorf(LimitExceeded, "Cannot exceed quota for KeysPerUser: %d", maxSSHKeys)
		}
		k := &sshKey{
			ID: s.ids.AccessKeyID("APKA"), User: u.ID, Fingerprint: fp, Active: true, Uploaded: s.now(),
			Body: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))),
		}
		s.st.Account.SSHKeys[k.ID] = k
		out.SSHPublicKey = &types.SSHPublicKey{
			UserName: aws.String(u.Name), SSHPublicKeyId: aws.String(k.ID), Fingerprint: aws.String(fp),
			SSHPublicKeyBody: aws.String(k.Body), Status: types.StatusTypeActive, UploadDate: aws.Time(k.Uploaded),
		}
		return nil
	})
}

func (h *IAM) GetSSHPublicKey(ctx context.Context, in *iam.GetSSHPublicKeyInput) (*iam.GetSSHPublicKeyOutput, error) {
	if in.Encoding != types.EncodingTypeSsh && in.Encoding != types.EncodingTypePem {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'encoding' failed to satisfy constraint: Member must satisfy enum value set: [SSH, PEM]", in.Encoding)
	}
	s := h.s
	out := &iam.GetSSHPublicKeyOutput{}
	return out, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		k, err := s.userSSHKey(u, aws.ToString(in.SSHPublicKeyId))
		if err != nil {
			return err
		}
		body := k.Body
		if in.Encoding == types.EncodingTypePem {
			pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.Body))
			if err != nil {
				return err
			}
			if body, err = sshPEM(pub); err != nil {
				return err
			}
		}
		out.SSHPublicKey = &types.SSHPublicKey{
			UserName: aws.String(u.Name), SSHPublicKeyId: aws.String(k.ID), Fingerprint: aws.String(k.Fingerprint),
			SSHPublicKeyBody: aws.String(body), Status: status(k.Active), UploadDate: aws.Time(k.Uploaded),
		}
		return nil
	})
}

func (h *IAM) ListSSHPublicKeys(ctx context.Context, in *iam.ListSSHPublicKeysInput) (*iam.ListSSHPublicKeysOutput, error) {
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
	var all []types.SSHPublicKeyMetadata
	s.mu.RLock()
	u, err := s.user(name)
	if err == nil {
		for _, k := range sortedValues(s.st.Account.SSHKeys) {
			if k.User == u.ID {
				all = append(all, s.sshKeyMeta(k, u))
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
	return &iam.ListSSHPublicKeysOutput{SSHPublicKeys: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) UpdateSSHPublicKey(ctx context.Context, in *iam.UpdateSSHPublicKeyInput) (*iam.UpdateSSHPublicKeyOutput, error) {
	if err := checkStatus(in.Status); err != nil {
		return nil, err
	}
	s := h.s
	return &iam.UpdateSSHPublicKeyOutput{}, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		k, err := s.userSSHKey(u, aws.ToString(in.SSHPublicKeyId))
		if err != nil {
			return err
		}
		k.Active = in.Status == types.StatusTypeActive
		return nil
	})
}

func (h *IAM) DeleteSSHPublicKey(ctx context.Context, in *iam.DeleteSSHPublicKeyInput) (*iam.DeleteSSHPublicKeyOutput, error) {
	s := h.s
	return &iam.DeleteSSHPublicKeyOutput{}, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		k, err := s.userSSHKey(u, aws.ToString(in.SSHPublicKeyId))
		if err != nil {
			return err
		}
		delete(s.st.Account.SSHKeys, k.ID)
		return nil
	})
}
