package iamsim

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// SAML 2.0 providers: an identity provider's metadata document (its entity ID and signing
// certificates), against which AssumeRoleWithSAML checks an assertion (samlsts.go).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html

type samlProvider struct {
	Name           string
	Metadata       string
	UUID           string
	Created        time.Time
	ValidUntil     time.Time
	Tags           []tag
	EncryptionMode string
	PrivateKeys    []samlKey
}

type samlKey struct {
	ID      string
	PEM     string
	Created time.Time
}

// Bounds of SAML providers from IAM's model and quotas.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxSAMLProviders   = 100
	minSAMLMetadata    = 1000
	maxSAMLMetadata    = 10000000
	maxSAMLPrivateKeys = 2
)

var samlNamePattern = regexp.MustCompile(`^[\w._-]+$`)

// samlMetadata is the part of a SAML metadata document IAM reads: the IdP's entity ID and
// the certificates it signs with.
// http://docs.oasis-open.org/security/saml/v2.0/saml-metadata-2.0-os.pdf
type samlMetadata struct {
	XMLName    xml.Name
	EntityID   string `xml:"entityID,attr"`
	ValidUntil string `xml:"validUntil,attr"`
	IDP        []struct {
		Keys []struct {
			Use   string   `xml:"use,attr"`
			Certs []string `xml:"KeyInfo>X509Data>X509Certificate"`
		} `xml:"KeyDescriptor"`
	} `xml:"IDPSSODescriptor"`
}

// idpMetadata is what a metadata document says, parsed.
type idpMetadata struct {
	EntityID   string
	Certs      []*x509.Certificate
	ValidUntil time.Time // zero when the document does not say
}

// parseSAMLMetadata reads an IdP's metadata document: one EntityDescriptor with an entityID
// and an IDPSSODescriptor holding at least one signing certificate.
func parseSAMLMetadata(doc string) (*idpMetadata, error) {
	var m samlMetadata
	d := xml.NewDecoder(strings.NewReader(doc))
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("not XML: %w", err)
	}
	if m.XMLName.Local != "EntityDescriptor" || m.EntityID == "" {
		return nil, fmt.Errorf("no EntityDescriptor with an entityID")
	}
	out := &idpMetadata{EntityID: m.EntityID}
	if m.ValidUntil != "" {
		t, err := time.Parse(time.RFC3339, m.ValidUntil)
		if err != nil {
			return nil, fmt.Errorf("validUntil %q: %w", m.ValidUntil, err)
		}
		out.ValidUntil = t
	}
	for _, idp := range m.IDP {
		for _, k := range idp.Keys {
			if k.Use != "" && k.Use != "signing" {
				continue
			}
			for _, c := range k.Certs {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c), ""))
				if err != nil {
					return nil, fmt.Errorf("certificate: %w", err)
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					return nil, fmt.Errorf("certificate: %w", err)
				}
				out.Certs = append(out.Certs, cert)
			}
		}
	}
	if len(out.Certs) == 0 {
		return nil, fmt.Errorf("no signing certificate in an IDPSSODescriptor")
	}
	return out, nil
}

// checkSAMLMetadata validates a metadata document as IAM does when it is stored, and returns
// when it stops being valid: its validUntil, else its first certificate's expiry.
func checkSAMLMetadata(doc string) (time.Time, error) {
	m, err := parseSAMLMetadata(doc)
	if err != nil {
		return time.Time{}, core.Errorf(InvalidInput, "Could not parse metadata")
	}
	if !m.ValidUntil.IsZero() {
		return m.ValidUntil.UTC(), nil
	}
	return m.Certs[0].NotAfter.UTC(), nil
}

func metadataViolation(v *validation, doc string) {
	if n := len(doc); n < minSAMLMetadata || n > maxSAMLMetadata {
		*v = append(*v, fmt.Sprintf("Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length %s", lengthBound(n, minSAMLMetadata, maxSAMLMetadata)))
	}
}

func encryptionModeViolation(v *validation, m types.AssertionEncryptionModeType) {
	if m != "" && !slices.Contains(m.Values(), m) {
		*v = append(*v, fmt.Sprintf("Value '%s' at 'assertionEncryptionMode' failed to satisfy constraint: Member must satisfy enum value set: [Required, Allowed]", m))
	}
}

// checkPrivateKey takes a PEM private key, the key the IdP encrypts assertions for.
func checkPrivateKey(k string) error {
	b, _ := pem.Decode([]byte(k))
	if b == nil || !strings.Contains(b.Type, "PRIVATE KEY") {
		return core.Errorf(InvalidInput, "The private key is not a valid PEM-encoded private key.")
	}
	return nil
}

func (h *IAM) CreateSAMLProvider(ctx context.Context, in *iam.CreateSAMLProviderInput) (*iam.CreateSAMLProviderOutput, error) {
	name, doc := aws.ToString(in.Name), aws.ToString(in.SAMLMetadataDocument)
	var v validation
	metadataViolation(&v, doc)
	switch {
	case len(name) < 1 || len(name) > 128:
		v = append(v, fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: Member must have length %s", name, lengthBound(len(name), 1, 128)))
	case !samlNamePattern.MatchString(name):
		v = append(v, fmt.Sprintf(`Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w._-]+`, name))
	}
	encryptionModeViolation(&v, in.AssertionEncryptionMode)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	validUntil, err := checkSAMLMetadata(doc)
	if err != nil {
		return nil, err
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	if in.AddPrivateKey != nil {
		if err := checkPrivateKey(*in.AddPrivateKey); err != nil {
			return nil, err
		}
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	arn := s.arn("saml-provider/", "", name)
	for a := range s.st.SAMLProviders {
		if strings.EqualFold(a, arn) {
			return nil, core.Errorf(EntityAlreadyExists, "SAMLProvider %s already exists.", name)
		}
	}
	if len(s.st.SAMLProviders) >= maxSAMLProviders {
		return nil, core.Errorf(LimitExceeded, "Cannot exceed quota for SamlProvidersPerAccount: %d", maxSAMLProviders)
	}
	p := &samlProvider{
		Name: name, Metadata: doc, UUID: strings.ToUpper(s.ids.Hex("", 26)), Created: s.now(), ValidUntil: validUntil,
		Tags: toTags(in.Tags), EncryptionMode: string(in.AssertionEncryptionMode),
	}
	if in.AddPrivateKey != nil {
		p.PrivateKeys = []samlKey{{ID: strings.ToUpper(s.ids.Hex("", 26)), PEM: *in.AddPrivateKey, Created: s.now()}}
	}
	s.st.SAMLProviders[arn] = p
	return &iam.CreateSAMLProviderOutput{SAMLProviderArn: aws.String(arn), Tags: fromTags(p.Tags)}, nil
}

// samlProvider finds a provider by ARN. s.mu is held.
func (s *Store) samlProvider(arn string) (*samlProvider, error) {
	if err := checkProviderARN("sAMLProviderArn", arn); err != nil {
		return nil, err
	}
	p, ok := s.st.SAMLProviders[arn]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "SAMLProvider %s not found", arn)
	}
	return p, nil
}

func (s *Store) withSAML(arn string, f func(*samlProvider) error) error {
	return update(s, s.samlProvider, arn, f)
}

func (h *IAM) GetSAMLProvider(ctx context.Context, in *iam.GetSAMLProviderInput) (*iam.GetSAMLProviderOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := s.samlProvider(aws.ToString(in.SAMLProviderArn))
	if err != nil {
		return nil, err
	}
	out := &iam.GetSAMLProviderOutput{
		SAMLMetadataDocument: aws.String(p.Metadata), SAMLProviderUUID: aws.String(p.UUID),
		CreateDate: aws.Time(p.Created), ValidUntil: aws.Time(p.ValidUntil), Tags: sortedTags(p.Tags),
		AssertionEncryptionMode: types.AssertionEncryptionModeType(p.EncryptionMode),
	}
	for _, k := range p.PrivateKeys {
		out.PrivateKeyList = append(out.PrivateKeyList, types.SAMLPrivateKey{KeyId: aws.String(k.ID), Timestamp: aws.Time(k.Created)})
	}
	return out, nil
}

func (h *IAM) ListSAMLProviders(ctx context.Context, in *iam.ListSAMLProvidersInput) (*iam.ListSAMLProvidersOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := &iam.ListSAMLProvidersOutput{SAMLProviderList: []types.SAMLProviderListEntry{}}
	for _, arn := range sortedKeys(s.st.SAMLProviders) {
		p := s.st.SAMLProviders[arn]
		out.SAMLProviderList = append(out.SAMLProviderList, types.SAMLProviderListEntry{
			Arn: aws.String(arn), CreateDate: aws.Time(p.Created), ValidUntil: aws.Time(p.ValidUntil),
		})
	}
	return out, nil
}

// UpdateSAMLProvider replaces the metadata document, the encryption mode, or a private key.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateSAMLProvider.html
func (h *IAM) UpdateSAMLProvider(ctx context.Context, in *iam.UpdateSAMLProviderInput) (*iam.UpdateSAMLProviderOutput, error) {
	var v validation
	if in.SAMLMetadataDocument != nil {
		metadataViolation(&v, *in.SAMLMetadataDocument)
	}
	encryptionModeViolation(&v, in.AssertionEncryptionMode)
	if err := v.err(); err != nil {
		return nil, err
	}
	var validUntil time.Time
	if in.SAMLMetadataDocument != nil {
		var err error
		if validUntil, err = checkSAMLMetadata(*in.SAMLMetadataDocument); err != nil {
			return nil, err
		}
	}
	if in.AddPrivateKey != nil {
		if err := checkPrivateKey(*in.AddPrivateKey); err != nil {
			return nil, err
		}
	}
	arn := aws.ToString(in.SAMLProviderArn)
	s := h.s
	return &iam.UpdateSAMLProviderOutput{SAMLProviderArn: aws.String(arn)}, s.withSAML(arn, func(p *samlProvider) error {
		if id := aws.ToString(in.RemovePrivateKey); id != "" {
			i := slices.IndexFunc(p.PrivateKeys, func(k samlKey) bool { return k.ID == id })
			if i < 0 {
				return core.Errorf(InvalidInput, "The private key %s does not exist.", id)
			}
			p.PrivateKeys = slices.Delete(p.PrivateKeys, i, i+1)
		}
		if in.AddPrivateKey != nil {
			if len(p.PrivateKeys) >= maxSAMLPrivateKeys {
				return core.Errorf(LimitExceeded, "Cannot exceed quota for PrivateKeysPerSamlProvider: %d", maxSAMLPrivateKeys)
			}
			p.PrivateKeys = append(p.PrivateKeys, samlKey{ID: strings.ToUpper(s.ids.Hex("", 26)), PEM: *in.AddPrivateKey, Created: s.now()})
		}
		if in.SAMLMetadataDocument != nil {
			p.Metadata, p.ValidUntil = *in.SAMLMetadataDocument, validUntil
		}
		if in.AssertionEncryptionMode != "" {
			p.EncryptionMode = string(in.AssertionEncryptionMode)
		}
		return nil
	})
}

func (h *IAM) DeleteSAMLProvider(ctx context.Context, in *iam.DeleteSAMLProviderInput) (*iam.DeleteSAMLProviderOutput, error) {
	arn := aws.ToString(in.SAMLProviderArn)
	s := h.s
	return &iam.DeleteSAMLProviderOutput{}, s.withSAML(arn, func(*samlProvider) error {
		delete(s.st.SAMLProviders, arn)
		return nil
	})
}

func (h *IAM) TagSAMLProvider(ctx context.Context, in *iam.TagSAMLProviderInput) (*iam.TagSAMLProviderOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagSAMLProviderOutput{}, h.s.withSAML(aws.ToString(in.SAMLProviderArn), func(p *samlProvider) (err error) {
		p.Tags, err = mergeTags(p.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagSAMLProvider(ctx context.Context, in *iam.UntagSAMLProviderInput) (*iam.UntagSAMLProviderOutput, error) {
	return &iam.UntagSAMLProviderOutput{}, h.s.withSAML(aws.ToString(in.SAMLProviderArn), func(p *samlProvider) error {
		p.Tags = removeTags(p.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListSAMLProviderTags(ctx context.Context, in *iam.ListSAMLProviderTagsInput) (*iam.ListSAMLProviderTagsOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := s.samlProvider(aws.ToString(in.SAMLProviderArn))
	if err != nil {
		return nil, err
	}
	tags, next, truncated, err := page(nonNil(sortedTags(p.Tags)), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListSAMLProviderTagsOutput{Tags: tags, Marker: next, IsTruncated: truncated}, nil
}

// idp returns what the provider's metadata says.
func (p *samlProvider) idp() (*idpMetadata, error) { return parseSAMLMetadata(p.Metadata) }
