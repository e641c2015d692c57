package iamsim

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// X.509 certificates: a user's signing certificates and the account's server certificates
// (for load balancers and CloudFront). Bodies are kept as uploaded, PEM.

type signingCert struct {
	ID, User string // User: the owner's user ID
	Body     string
	Active   bool
	Uploaded time.Time
}

type serverCert struct {
	Name, Path, ID    string
	Body, Chain, Key  string
	Uploaded, Expires time.Time
	Tags              []tag
}

// IAM's quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxSigningCerts = 2
	maxServerCerts  = 20
)

// ParseCertificate reads the PEM certificate an upload carries, with AWS's
// MalformedCertificate for anything else.
func ParseCertificate(body string) (*x509.Certificate, error) {
	block, rest := pem.Decode([]byte(body))
	if block == nil || block.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) > 0 {
		return nil, core.Errorf(MalformedCertificate, "Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, core.Errorf(MalformedCertificate, "Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	return c, nil
}

// parsePrivateKey reads a PEM private key: PKCS #1, PKCS #8 or SEC 1.
func parsePrivateKey(body string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(body))
	if block == nil {
		return nil, core.Errorf(MalformedCertificate, "Unable to parse private key. Please ensure the private key is in PEM format.")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	return nil, core.Errorf(MalformedCertificate, "Unable to parse private key. Please ensure the private key is in PEM format.")
}

// samePublicKey reports whether a certificate's key is the private key's public half.
func samePublicKey(c *x509.Certificate, k crypto.Signer) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch pub := c.PublicKey.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return pub.(equaler).Equal(k.Public())
	}
	return false
}

// certID is the shape of AWS's certificate IDs: 32 upper-case letters and digits.
func (s *Store) certID() string {
	return s.ids.AccessKeyID("") + s.ids.AccessKeyID("")
}

// Signing certificates.

func signingOut(c *signingCert, u *user) types.SigningCertificate {
	return types.SigningCertificate{
		UserName: aws.String(u.Name), CertificateId: aws.String(c.ID), CertificateBody: aws.String(c.Body),
		Status: status(c.Active), UploadDate: aws.Time(c.Uploaded),
	}
}

func (s *Store) userSigningCert(u *user, id string) (*signingCert, error) {
	c, ok := s.st.Account.SigningCerts[id]
	if !ok || c.User != u.ID {
		return nil, core.Errorf(NoSuchEntity, "The Certificate with id %s cannot be found.", id)
	}
	return c, nil
}

func (h *IAM) UploadSigningCertificate(ctx context.Context, in *iam.UploadSigningCertificateInput) (*iam.UploadSigningCertificateOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	body := aws.ToString(in.CertificateBody)
	if _, err := ParseCertificate(body); err != nil {
		return nil, err
	}
	s := h.s
	out := &iam.UploadSigningCertificateOutput{}
	return out, s.withUser(name, func(u *user) error {
		n := 0
		for _, c := range s.st.Account.SigningCerts {
			if c.User != u.ID {
				continue
			}
			if strings.TrimSpace(c.Body) == strings.TrimSpace(body) {
				return errorf(DuplicateCertificate, "The Certificate with id %s already exists.", c.ID)
			}
			n++
		}
		if n >= maxSigningCerts {
			return core.Errorf(LimitExceeded, "Cannot exceed quota for CertificatesPerUser: %d", maxSigningCerts)
		}
		c := &signingCert{ID: s.certID(), User: u.ID, Body: body, Active: true, Uploaded: s.now()}
		s.st.Account.SigningCerts[c.ID] = c
		o := signingOut(c, u)
		out.Certificate = &o
		return nil
	})
}

func (h *IAM) ListSigningCertificates(ctx context.Context, in *iam.ListSigningCertificatesInput) (*iam.ListSigningCertificatesOutput, error) {
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
	var all []types.SigningCertificate
	s.mu.RLock()
	u, err := s.user(name)
	if err == nil {
		for _, c := range sortedValues(s.st.Account.SigningCerts) {
			if c.User == u.ID {
				all = append(all, signingOut(c, u))
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
	return &iam.ListSigningCertificatesOutput{Certificates: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) UpdateSigningCertificate(ctx context.Context, in *iam.UpdateSigningCertificateInput) (*iam.UpdateSigningCertificateOutput, error) {
	if err := checkStatus(in.Status); err != nil {
		return nil, err
	}
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	return &iam.UpdateSigningCertificateOutput{}, s.withUser(name, func(u *user) error {
		c, err := s.userSigningCert(u, aws.ToString(in.CertificateId))
		if err != nil {
			return err
		}
		c.Active = in.Status == types.StatusTypeActive
		return nil
	})
}

func (h *IAM) DeleteSigningCertificate(ctx context.Context, in *iam.DeleteSigningCertificateInput) (*iam.DeleteSigningCertificateOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	return &iam.DeleteSigningCertificateOutput{}, s.withUser(name, func(u *user) error {
		c, err := s.userSigningCert(u, aws.ToString(in.CertificateId))
		if err != nil {
			return err
		}
		delete(s.st.Account.SigningCerts, c.ID)
		return nil
	})
}

// Server certificates.

func (s *Store) serverCertMeta(c *serverCert) *types.ServerCertificateMetadata {
	return &types.ServerCertificateMetadata{
		ServerCertificateName: aws.String(c.Name), ServerCertificateId: aws.String(c.ID), Path: aws.String(c.Path),
		Arn: aws.String(s.arn("server-certificate", c.Path, c.Name)), UploadDate: aws.Time(c.Uploaded), Expiration: aws.Time(c.Expires),
	}
}

func (s *Store) serverCert(name string) (*serverCert, error) {
	c, ok := s.st.Account.ServerCerts[key(name)]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "The Server Certificate with name %s cannot be found.", name)
	}
	return c, nil
}

// UploadServerCertificate checks that the certificate, the chain and the key parse and that
// the key is the certificate's. https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadServerCertificate.html
func (h *IAM) UploadServerCertificate(ctx context.Context, in *iam.UploadServerCertificateInput) (*iam.UploadServerCertificateOutput, error) {
	var v validation
	v.name("serverCertificateName", aws.ToString(in.ServerCertificateName), 128)
	v.path("path", in.Path)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	cert, err := ParseCertificate(aws.ToString(in.CertificateBody))
	if err != nil {
		return nil, err
	}
	if chain := aws.ToString(in.CertificateChain); chain != "" {
		for rest := []byte(chain); len(bytes.TrimSpace(rest)) > 0; {
			var block *pem.Block
			if block, rest = pem.Decode(rest); block == nil {
				return nil, core.Errorf(MalformedCertificate, "Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.")
			}
			if _, err := x509.ParseCertificate(block.Bytes); err != nil {
				return nil, core.Errorf(MalformedCertificate, "Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.")
			}
		}
	}
	k, err := parsePrivateKey(aws.ToString(in.PrivateKey))
	if err != nil {
		return nil, err
	}
	if !samePublicKey(cert, k) {
		return nil, core.Errorf(KeyPairMismatch, "The private key does not match the certificate.")
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	name := *in.ServerCertificateName
	if _, ok := s.st.Account.ServerCerts[key(name)]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "The Server Certificate with name %s already exists.", name)
	}
	if len(s.st.Account.ServerCerts) >= maxServerCerts {
		return nil, core.Errorf(LimitExceeded, "Cannot exceed quota for ServerCertificatesPerAccount: %d", maxServerCerts)
	}
	c := &serverCert{
		Name: name, Path: pathOr(in.Path), ID: s.ids.Unique("ASCA"), Body: *in.CertificateBody,
		Chain: aws.ToString(in.CertificateChain), Key: hashPassword(*in.PrivateKey), // the key itself is never given back
		Uploaded: s.now(), Expires: cert.NotAfter, Tags: toTags(in.Tags),
	}
	s.st.Account.ServerCerts[key(name)] = c
	return &iam.UploadServerCertificateOutput{ServerCertificateMetadata: s.serverCertMeta(c), Tags: fromTags(c.Tags)}, nil
}

func (h *IAM) GetServerCertificate(ctx context.Context, in *iam.GetServerCertificateInput) (*iam.GetServerCertificateOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.serverCert(aws.ToString(in.ServerCertificateName))
	if err != nil {
		return nil, err
	}
	return &iam.GetServerCertificateOutput{ServerCertificate: &types.ServerCertificate{
		ServerCertificateMetadata: s.serverCertMeta(c), CertificateBody: aws.String(c.Body),
		CertificateChain: optional(c.Chain), Tags: fromTags(c.Tags),
	}}, nil
}

func (h *IAM) ListServerCertificates(ctx context.Context, in *iam.ListServerCertificatesInput) (*iam.ListServerCertificatesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	var all []types.ServerCertificateMetadata
	for _, c := range sortedValues(s.st.Account.ServerCerts) {
		if hasPrefix(c.Path, in.PathPrefix) {
			all = append(all, *s.serverCertMeta(c))
		}
	}
	s.mu.RUnlock()
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListServerCertificatesOutput{ServerCertificateMetadataList: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) UpdateServerCertificate(ctx context.Context, in *iam.UpdateServerCertificateInput) (*iam.UpdateServerCertificateOutput, error) {
	var v validation
	v.name("serverCertificateName", aws.ToString(in.ServerCertificateName), 128)
	if in.NewServerCertificateName != nil {
		v.name("newServerCertificateName", *in.NewServerCertificateName, 128)
	}
	v.path("newPath", in.NewPath)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	c, err := s.serverCert(*in.ServerCertificateName)
	if err != nil {
		return nil, err
	}
	if n := in.NewServerCertificateName; n != nil && key(*n) != key(c.Name) {
		if _, ok := s.st.Account.ServerCerts[key(*n)]; ok {
			return nil, core.Errorf(EntityAlreadyExists, "The Server Certificate with name %s already exists.", *n)
		}
		delete(s.st.Account.ServerCerts, key(c.Name))
		c.Name = *n
		s.st.Account.ServerCerts[key(c.Name)] = c
	}
	if in.NewPath != nil {
		c.Path = *in.NewPath
	}
	return &iam.UpdateServerCertificateOutput{}, nil
}

func (h *IAM) DeleteServerCertificate(ctx context.Context, in *iam.DeleteServerCertificateInput) (*iam.DeleteServerCertificateOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	c, err := s.serverCert(aws.ToString(in.ServerCertificateName))
	if err != nil {
		return nil, err
	}
	delete(s.st.Account.ServerCerts, key(c.Name))
	return &iam.DeleteServerCertificateOutput{}, nil
}

// withServerCert runs f on the named server certificate under the write lock.
func (s *Store) withServerCert(name string, f func(*serverCert) error) error {
	return update(s, s.serverCert, name, f)
}

func (h *IAM) TagServerCertificate(ctx context.Context, in *iam.TagServerCertificateInput) (*iam.TagServerCertificateOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagServerCertificateOutput{}, h.s.withServerCert(aws.ToString(in.ServerCertificateName), func(c *serverCert) (err error) {
		c.Tags, err = mergeTags(c.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagServerCertificate(ctx context.Context, in *iam.UntagServerCertificateInput) (*iam.UntagServerCertificateOutput, error) {
	return &iam.UntagServerCertificateOutput{}, h.s.withServerCert(aws.ToString(in.ServerCertificateName), func(c *serverCert) error {
		c.Tags = removeTags(c.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListServerCertificateTags(ctx context.Context, in *iam.ListServerCertificateTagsInput) (*iam.ListServerCertificateTagsOutput, error) {
	out := &iam.ListServerCertificateTagsOutput{}
	return out, h.s.withServerCert(aws.ToString(in.ServerCertificateName), func(c *serverCert) error {
		out.Tags = nonNil(fromTags(c.Tags))
		return nil
	})
}
