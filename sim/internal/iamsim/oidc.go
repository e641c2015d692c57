package iamsim

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// OpenID Connect providers: the issuers whose ID tokens AssumeRoleWithWebIdentity takes
// (webidentity.go). A provider is named by its URL without the scheme, which is also the
// prefix of its condition keys ("token.actions.githubusercontent.com:sub").
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html

type oidcProvider struct {
	URL         string // without https://
	ClientIDs   []string
	Thumbprints []string
	Created     time.Time
	Tags        []tag
}

// Quotas of an OIDC provider and of the account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxClientIDs     = 100
	maxThumbprints   = 5
	maxOIDCProviders = 100
)

func (s *Store) oidcARN(u string) string { return s.arn("oidc-provider/", "", u) }

// oidcURL returns the provider name of an issuer URL: the URL without https://, or ok false
// when it is not an https URL with a host and no query or fragment.
func oidcURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", false
	}
	return raw[len("https://"):], true
}

// oidcLists checks a provider's lists against the model: client IDs of 1–255 characters,
// thumbprints of exactly 40.
func (v *validation) oidcLists(clientIDs, thumbprints []string) {
	for _, c := range clientIDs {
		if len(c) < 1 || len(c) > 255 {
			*v = append(*v, fmt.Sprintf("Value '[%s]' at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]", strings.Join(clientIDs, ", ")))
			break
		}
	}
	for _, t := range thumbprints {
		if len(t) != 40 {
			*v = append(*v, fmt.Sprintf("Value '[%s]' at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]", strings.Join(thumbprints, ", ")))
			break
		}
	}
}

// checkThumbprints refuses more than five thumbprints, or one that is not hex: a thumbprint
// is the hex SHA-1 of a certificate.
func checkThumbprints(ts []string) error {
	if len(ts) > maxThumbprints {
		return core.Errorf(InvalidInput, "Thumbprint list must contain fewer than %d entries.", maxThumbprints+1)
	}
	for _, t := range ts {
		for _, r := range t {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return core.Errorf(InvalidInput, "Thumbprint %s is not a valid hex string.", t)
			}
		}
	}
	return nil
}

func (h *IAM) CreateOpenIDConnectProvider(ctx context.Context, in *iam.CreateOpenIDConnectProviderInput) (*iam.CreateOpenIDConnectProviderOutput, error) {
	raw := aws.ToString(in.Url)
	var v validation
	if len(raw) < 1 || len(raw) > 255 {
		v = append(v, fmt.Sprintf("Value '%s' at 'url' failed to satisfy constraint: Member must have length %s", raw, lengthBound(len(raw), 1, 255)))
	}
	v.oidcLists(in.ClientIDList, in.ThumbprintList)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	name, ok := oidcURL(raw)
	if !ok {
		return nil, core.Errorf(InvalidInput, "Invalid Open ID Connect Provider URL")
	}
	if err := checkThumbprints(in.ThumbprintList); err != nil {
		return nil, err
	}
	if len(in.ClientIDList) > maxClientIDs {
		return nil, core.Errorf(LimitExceeded, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxClientIDs)
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	arn := s.oidcARN(name)
	if _, ok := s.st.OIDCProviders[arn]; ok {
		return nil, core.Errorf(EntityAlreadyExists, "Provider with url %s already exists.", raw)
	}
	if len(s.st.OIDCProviders) >= maxOIDCProviders {
		return nil, core.Errorf(LimitExceeded, "Cannot exceed quota for OpenIdConnectProvidersPerAccount: %d", maxOIDCProviders)
	}
	p := &oidcProvider{URL: name, ClientIDs: dedupe(in.ClientIDList), Thumbprints: dedupe(lower(in.ThumbprintList)), Created: s.now(), Tags: toTags(in.Tags)}
	s.st.OIDCProviders[arn] = p
	return &iam.CreateOpenIDConnectProviderOutput{OpenIDConnectProviderArn: aws.String(arn), Tags: fromTags(p.Tags)}, nil
}

// lengthBound words the model's length constraint a value of n characters breaks.
func lengthBound(n, lo, hi int) string {
	if n < lo {
		return fmt.Sprintf("greater than or equal to %d", lo)
	}
	return fmt.Sprintf("less than or equal to %d", hi)
}

func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func lower(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}

// checkProviderARN checks an ARN member against the model's arnType (20–2048 characters).
func checkProviderARN(field, arn string) error {
	if len(arn) < 20 || len(arn) > 2048 {
		return core.Errorf(ValidationError, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length %s", arn, field, lengthBound(len(arn), 20, 2048))
	}
	return nil
}

// oidcProvider finds a provider by ARN. s.mu is held.
func (s *Store) oidcProvider(arn string) (*oidcProvider, error) {
	if err := checkProviderARN("openIDConnectProviderArn", arn); err != nil {
		return nil, err
	}
	p, ok := s.st.OIDCProviders[arn]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "OpenIDConnect Provider not found for arn %s", arn)
	}
	return p, nil
}

// withOIDC runs f on the provider arn names, under the write lock.
func (s *Store) withOIDC(arn string, f func(*oidcProvider) error) error {
	return update(s, s.oidcProvider, arn, f)
}

func (h *IAM) GetOpenIDConnectProvider(ctx context.Context, in *iam.GetOpenIDConnectProviderInput) (*iam.GetOpenIDConnectProviderOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := s.oidcProvider(aws.ToString(in.OpenIDConnectProviderArn))
	if err != nil {
		return nil, err
	}
	return &iam.GetOpenIDConnectProviderOutput{
		Url: aws.String(p.URL), ClientIDList: slices.Clone(p.ClientIDs), ThumbprintList: slices.Clone(p.Thumbprints),
		CreateDate: aws.Time(p.Created), Tags: sortedTags(p.Tags),
	}, nil
}

// sortedTags returns tags sorted by key, as the Get operations of providers return them.
func sortedTags(in []tag) []types.Tag {
	out := fromTags(in)
	slices.SortFunc(out, func(a, b types.Tag) int { return strings.Compare(aws.ToString(a.Key), aws.ToString(b.Key)) })
	return out
}

func (h *IAM) ListOpenIDConnectProviders(ctx context.Context, in *iam.ListOpenIDConnectProvidersInput) (*iam.ListOpenIDConnectProvidersOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := &iam.ListOpenIDConnectProvidersOutput{OpenIDConnectProviderList: []types.OpenIDConnectProviderListEntry{}}
	for _, arn := range sortedKeys(s.st.OIDCProviders) {
		out.OpenIDConnectProviderList = append(out.OpenIDConnectProviderList, types.OpenIDConnectProviderListEntry{Arn: aws.String(arn)})
	}
	return out, nil
}

// DeleteOpenIDConnectProvider is idempotent: "it does not fail or return an error if you call
// the operation for a provider that does not exist."
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteOpenIDConnectProvider.html
func (h *IAM) DeleteOpenIDConnectProvider(ctx context.Context, in *iam.DeleteOpenIDConnectProviderInput) (*iam.DeleteOpenIDConnectProviderOutput, error) {
	arn := aws.ToString(in.OpenIDConnectProviderArn)
	if err := checkProviderARN("openIDConnectProviderArn", arn); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	delete(s.st.OIDCProviders, arn)
	return &iam.DeleteOpenIDConnectProviderOutput{}, nil
}

func (h *IAM) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, in *iam.UpdateOpenIDConnectProviderThumbprintInput) (*iam.UpdateOpenIDConnectProviderThumbprintOutput, error) {
	var v validation
	v.oidcLists(nil, in.ThumbprintList)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkThumbprints(in.ThumbprintList); err != nil {
		return nil, err
	}
	return &iam.UpdateOpenIDConnectProviderThumbprintOutput{}, h.s.withOIDC(aws.ToString(in.OpenIDConnectProviderArn), func(p *oidcProvider) error {
		p.Thumbprints = dedupe(lower(in.ThumbprintList))
		return nil
	})
}

// AddClientIDToOpenIDConnectProvider adds a client ID (an audience); adding one the provider
// has already does nothing, as AWS documents.
func (h *IAM) AddClientIDToOpenIDConnectProvider(ctx context.Context, in *iam.AddClientIDToOpenIDConnectProviderInput) (*iam.AddClientIDToOpenIDConnectProviderOutput, error) {
	id := aws.ToString(in.ClientID)
	var v validation
	if len(id) < 1 || len(id) > 255 {
		v = append(v, fmt.Sprintf("Value '%s' at 'clientID' failed to satisfy constraint: Member must have length %s", id, lengthBound(len(id), 1, 255)))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return &iam.AddClientIDToOpenIDConnectProviderOutput{}, h.s.withOIDC(aws.ToString(in.OpenIDConnectProviderArn), func(p *oidcProvider) error {
		if slices.Contains(p.ClientIDs, id) {
			return nil
		}
		if len(p.ClientIDs) >= maxClientIDs {
			return core.Errorf(LimitExceeded, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxClientIDs)
		}
		p.ClientIDs = append(p.ClientIDs, id)
		return nil
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes a client ID; one the provider does not have
// is no error.
func (h *IAM) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, in *iam.RemoveClientIDFromOpenIDConnectProviderInput) (*iam.RemoveClientIDFromOpenIDConnectProviderOutput, error) {
	id := aws.ToString(in.ClientID)
	if len(id) < 1 || len(id) > 255 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'clientID' failed to satisfy constraint: Member must have length %s", id, lengthBound(len(id), 1, 255))
	}
	return &iam.RemoveClientIDFromOpenIDConnectProviderOutput{}, h.s.withOIDC(aws.ToString(in.OpenIDConnectProviderArn), func(p *oidcProvider) error {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(c string) bool { return c == id })
		return nil
	})
}

func (h *IAM) TagOpenIDConnectProvider(ctx context.Context, in *iam.TagOpenIDConnectProviderInput) (*iam.TagOpenIDConnectProviderOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagOpenIDConnectProviderOutput{}, h.s.withOIDC(aws.ToString(in.OpenIDConnectProviderArn), func(p *oidcProvider) (err error) {
		p.Tags, err = mergeTags(p.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagOpenIDConnectProvider(ctx context.Context, in *iam.UntagOpenIDConnectProviderInput) (*iam.UntagOpenIDConnectProviderOutput, error) {
	return &iam.UntagOpenIDConnectProviderOutput{}, h.s.withOIDC(aws.ToString(in.OpenIDConnectProviderArn), func(p *oidcProvider) error {
		p.Tags = removeTags(p.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListOpenIDConnectProviderTags(ctx context.Context, in *iam.ListOpenIDConnectProviderTagsInput) (*iam.ListOpenIDConnectProviderTagsOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := s.oidcProvider(aws.ToString(in.OpenIDConnectProviderArn))
	if err != nil {
		return nil, err
	}
	tags, next, truncated, err := page(nonNil(sortedTags(p.Tags)), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListOpenIDConnectProviderTagsOutput{Tags: tags, Marker: next, IsTruncated: truncated}, nil
}

// providerResource returns the identity provider an IAM request acts on: the OIDC or SAML
// provider its ARN member names, or the one it creates.
func (s *Store) providerResource(in any) (string, bool) {
	switch in := in.(type) {
	case *iam.CreateOpenIDConnectProviderInput:
		name, ok := oidcURL(aws.ToString(in.Url))
		if !ok {
			return "*", true
		}
		return s.oidcARN(name), true
	case *iam.CreateSAMLProviderInput:
		return s.arn("saml-provider/", "", aws.ToString(in.Name)), true
	}
	if arn := fieldString(in, "OpenIDConnectProviderArn"); arn != "" {
		return arn, true
	}
	if arn := fieldString(in, "SAMLProviderArn"); arn != "" {
		return arn, true
	}
	return "", false
}
