package iamsim

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// AssumeRoleWithSAML, and the simulator as a SAML identity provider.

// The SAML names AWS reads.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html
const (
	SAMLAudience          = "https://signin.aws.amazon.com/saml"
	samlAudienceURN       = "urn:amazon:webservices"
	samlRoleAttr          = "https://aws.amazon.com/SAML/Attributes/Role"
	samlSessionNameAttr   = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	samlSourceIdentityAtt = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	samlNameIDFormat      = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
	samlProtocolNS        = "urn:oasis:names:tc:SAML:2.0:protocol"
	samlAssertionNS       = "urn:oasis:names:tc:SAML:2.0:assertion"
)

// samlAssertion is the part of a SAML assertion AWS reads.
type samlAssertion struct {
	XMLName xml.Name
	Issuer  string `xml:"Issuer"`
	Subject struct {
		NameID struct {
			Format string `xml:"Format,attr"`
			Value  string `xml:",chardata"`
		} `xml:"NameID"`
		Confirmations []struct {
			Data struct {
				NotOnOrAfter string `xml:"NotOnOrAfter,attr"`
				Recipient    string `xml:"Recipient,attr"`
			} `xml:"SubjectConfirmationData"`
		} `xml:"SubjectConfirmation"`
	} `xml:"Subject"`
	Conditions struct {
		NotBefore    string   `xml:"NotBefore,attr"`
		NotOnOrAfter string   `xml:"NotOnOrAfter,attr"`
		Audiences    []string `xml:"AudienceRestriction>Audience"`
	} `xml:"Conditions"`
	Attributes []struct {
		Name   string   `xml:"Name,attr"`
		Values []string `xml:"AttributeValue"`
	} `xml:"AttributeStatement>Attribute"`
}

func (a *samlAssertion) attr(name string) []string {
	var out []string
	for _, at := range a.Attributes {
		if at.Name == name {
			for _, v := range at.Values {
				out = append(out, strings.TrimSpace(v))
			}
		}
	}
	return out
}

// parseSAMLAssertion reads an assertion element's XML.
func parseSAMLAssertion(b []byte) (*samlAssertion, error) {
	var a samlAssertion
	if err := xml.Unmarshal(b, &a); err != nil {
		return nil, err
	}
	if a.XMLName.Local != "Assertion" {
		return nil, fmt.Errorf("not an Assertion: %s", a.XMLName.Local)
	}
	return &a, nil
}

// verifiedAssertion returns the assertion of a base64 SAML Response whose signature (on the
// Response or on the Assertion) verifies with one of certs at now. Only what the signature
// covers is read: goxmldsig returns the signed element as verified.
func verifiedAssertion(b64 string, certs []*x509.Certificate, now time.Time) (*samlAssertion, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
	if err != nil {
		return nil, invalidIdentityToken("Invalid base64 SAMLResponse")
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
		return nil, invalidIdentityToken("Unable to parse the SAML response")
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: certs})
	vc.Clock = dsig.NewFakeClockAt(now)
	root := doc.Root()
	if root.Tag != "Response" || root.NamespaceURI() != samlProtocolNS {
		return nil, invalidIdentityToken("Unable to parse the SAML response")
	}
	var signed *etree.Element
	if v, err := vc.Validate(root); err == nil {
		signed = childNS(v, samlAssertionNS, "Assertion")
	} else if a := childNS(root, samlAssertionNS, "Assertion"); a != nil {
		if v, err := vc.Validate(a); err == nil {
			signed = v
		}
	}
	if signed == nil {
		return nil, invalidIdentityToken("Response signature invalid")
	}
	out := etree.NewDocument()
	out.SetRoot(signed)
	b, err := out.WriteToBytes()
	if err != nil {
		return nil, invalidIdentityToken("Unable to parse the SAML response")
	}
	a, err := parseSAMLAssertion(b)
	if err != nil {
		return nil, invalidIdentityToken("Unable to parse the SAML response")
	}
	return a, nil
}

func childNS(el *etree.Element, ns, tag string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			return c
		}
	}
	return nil
}

var samlSessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// AssumeRoleWithSAML issues a role session to the holder of a SAML assertion from an IdP
// the account trusts: the response's or the assertion's signature must verify with a
// certificate of the provider's metadata, its Issuer be the provider's entity ID, its times
// hold on the simulator's clock, its audience be AWS's sign-in endpoint, and its Role
// attribute pair the requested role with the provider; then the role's trust policy
// decides, with the assertion's SAML: condition keys.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
func (h *STS) AssumeRoleWithSAML(ctx context.Context, in *sts.AssumeRoleWithSAMLInput) (*sts.AssumeRoleWithSAMLOutput, error) {
	principal := aws.ToString(in.PrincipalArn)
	var v validation
	v.assumeRole(&sts.AssumeRoleInput{RoleArn: in.RoleArn, RoleSessionName: aws.String("ok"), PolicyArns: in.PolicyArns})
	if !validRoleARNLength(principal) {
		v = append(v, fmt.Sprintf("Value '%s' at 'principalArn' failed to satisfy constraint: Member must have length %s", principal, lengthBound(len(principal), 20, 2048)))
	}
	assertion := aws.ToString(in.SAMLAssertion)
	if len(assertion) < 4 || len(assertion) > 100000 {
		v = append(v, fmt.Sprintf("Value '*** Sensitive Data Redacted ***' at 'sAMLAssertion' failed to satisfy constraint: Member must have length %s", lengthBound(len(assertion), 4, 100000)))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	p, ok := s.st.SAMLProviders[principal]
	var md *idpMetadata
	var err error
	if ok {
		md, err = p.idp()
	}
	s.mu.RUnlock()
	if !ok || err != nil {
		return nil, invalidIdentityToken("Specified provider doesn't exist")
	}
	now := s.now()
	a, err := verifiedAssertion(assertion, md.Certs, now)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Issuer) != md.EntityID {
		return nil, invalidIdentityToken("Issuer not present in specified provider")
	}
	if err := checkSAMLTimes(a, now); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(a.Conditions.Audiences, func(x string) bool {
		x = strings.TrimSpace(x)
		return x == SAMLAudience || x == samlAudienceURN
	}) {
		return nil, invalidIdentityToken("Audience restriction failed")
	}
	recipient := ""
	for _, c := range a.Subject.Confirmations {
		if c.Data.Recipient != "" {
			recipient = c.Data.Recipient
			break
		}
	}
	names := a.attr(samlSessionNameAttr)
	if len(names) == 0 {
		return nil, invalidIdentityToken("RoleSessionName is required in AuthnResponse")
	}
	if !samlSessionNamePattern.MatchString(names[0]) {
		return nil, invalidIdentityToken(`RoleSessionName in AuthnResponse must satisfy [\w+=,.@-]{2,64}`)
	}
	roleARN := aws.ToString(in.RoleArn)
	if !rolePaired(a.attr(samlRoleAttr), roleARN, principal) {
		return nil, core.Errorf(AccessDenied, "Not authorized to perform sts:AssumeRoleWithSAML")
	}
	sub := strings.TrimSpace(a.Subject.NameID.Value)
	subType := a.Subject.NameID.Format
	if strings.HasPrefix(subType, samlNameIDFormat) {
		subType = subType[len(samlNameIDFormat):]
	}
	issuer := strings.TrimSpace(a.Issuer)
	providerName := principal[strings.LastIndexByte(principal, '/')+1:]
	q := sha1.Sum([]byte(issuer + s.account + "/" + providerName))
	qualifier := base64.StdEncoding.EncodeToString(q[:])
	keys := policy.Context{}
	keys.Set("SAML:aud", recipient)
	keys.Set("SAML:iss", issuer)
	keys.Set("SAML:sub", sub)
	keys.Set("SAML:sub_type", subType)
	keys.Set("SAML:namequalifier", qualifier)
	keys.Set("SAML:doc", s.account+"/"+providerName)
	keys.Set("aws:FederatedProvider", principal)
	ai := assumeInput{roleARN, names[0], in.DurationSeconds, in.Policy, in.PolicyArns}
	ses, role, err := s.federatedSession(ctx, "sts:AssumeRoleWithSAML", principal, ai, keys)
	if err != nil {
		return nil, err
	}
	out := &sts.AssumeRoleWithSAMLOutput{
		Credentials:      credentials(ses),
		AssumedRoleUser:  assumedRoleUser(s.account, role, ses.Name),
		Audience:         aws.String(recipient),
		Issuer:           aws.String(issuer),
		Subject:          aws.String(sub),
		SubjectType:      aws.String(subType),
		NameQualifier:    aws.String(qualifier),
		PackedPolicySize: packedSize(ai.assumeRole()),
	}
	if si := a.attr(samlSourceIdentityAtt); len(si) > 0 {
		out.SourceIdentity = aws.String(si[0])
	}
	return out, nil
}

// checkSAMLTimes holds an assertion's Conditions and SubjectConfirmationData to now.
func checkSAMLTimes(a *samlAssertion, now time.Time) error {
	expired := func(ts string) bool {
		t, err := time.Parse(time.RFC3339, ts)
		return err == nil && !now.Before(t)
	}
	if nb := a.Conditions.NotBefore; nb != "" {
		if t, err := time.Parse(time.RFC3339, nb); err == nil && now.Before(t) {
			return invalidIdentityToken("Assertion is not yet valid")
		}
	}
	if expired(a.Conditions.NotOnOrAfter) {
		return expiredSAML()
	}
	for _, c := range a.Subject.Confirmations {
		if expired(c.Data.NotOnOrAfter) {
			return expiredSAML()
		}
	}
	return nil
}

func expiredSAML() error {
	e := core.Errorf(ExpiredTokenException, "Token has expired")
	e.Status = 400
	return e
}

// rolePaired reports whether one of a Role attribute's values pairs role with provider:
// "ROLE-ARN,PROVIDER-ARN", in either order.
func rolePaired(values []string, role, provider string) bool {
	for _, v := range values {
		a, b, ok := strings.Cut(v, ",")
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if ok && (a == role && b == provider || a == provider && b == role) {
			return true
		}
	}
	return false
}

// SAMLRequest is what a SAML assertion of the simulator's IdP says.
type SAMLRequest struct {
	// Issuer is the IdP's entity ID (https://idp.example.com/saml); the provider's metadata
	// ([Store.SAMLMetadata]) names it.
	Issuer string
	// Subject is the NameID: the user (alice@example.com).
	Subject string
	// Roles are the Role attribute's values, "ROLE-ARN,PROVIDER-ARN" each.
	Roles []string
	// SessionName is the RoleSessionName attribute.
	SessionName string
	// Lifetime is how long the assertion is valid from the simulator's now; 0 means five minutes.
	Lifetime time.Duration
}

// samlCert returns the simulator's signing certificate for an IdP entity ID: self-signed
// with the IdP's key, the same bytes in every process of one simulator (ECDSA signs
// deterministically without a random source).
func (s *Store) samlCert(entityID string) ([]byte, error) {
	key := idpKey(s.ids.Seed(), "saml:"+entityID)
	serial := new(big.Int).SetBytes([]byte(keyID(&key.PublicKey))[:8])
	t := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "awsx simulated IdP", Organization: []string{entityID}},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	return x509.CreateCertificate(nil, t, t, &key.PublicKey, key)
}

// SAMLMetadata returns the metadata document of the simulator's IdP for entityID, for
// CreateSAMLProvider: its entity ID, its signing certificate and its sign-in endpoint.
func (s *Store) SAMLMetadata(entityID string) (string, error) {
	if entityID == "" {
		return "", fmt.Errorf("iamsim: an IdP needs an entity ID")
	}
	der, err := s.samlCert(entityID)
	if err != nil {
		return "", fmt.Errorf("iamsim: IdP certificate: %w", err)
	}
	var b strings.Builder
	esc := func(v string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(v))
		return e.String()
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>%s</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s"/>
  </md:IDPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="en">awsx simulated identity provider</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="en">awsx simulated identity provider</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="en">%s</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>
`, esc(entityID), base64.StdEncoding.EncodeToString(der), esc(entityID+"/sso"), esc(entityID+"/sso"), esc(entityID))
	return b.String(), nil
}

// IssueSAMLAssertion returns a base64 SAML Response, its assertion signed by the
// simulator's IdP for r.Issuer, as an IdP posts it to AWS's sign-in endpoint: the value
// AssumeRoleWithSAML takes once a SAML provider with [Store.SAMLMetadata]'s document exists.
func (s *Store) IssueSAMLAssertion(r SAMLRequest) (string, error) {
	if r.Issuer == "" || r.Subject == "" {
		return "", fmt.Errorf("iamsim: an assertion needs an issuer and a subject")
	}
	if len(r.Roles) == 0 {
		return "", fmt.Errorf("iamsim: an assertion needs a role (ROLE-ARN,PROVIDER-ARN)")
	}
	if r.SessionName == "" {
		r.SessionName = r.Subject
	}
	life := r.Lifetime
	if life == 0 {
		life = 5 * time.Minute
	}
	now := s.now().UTC().Truncate(time.Second)
	stamp := func(t time.Time) string { return t.Format("2006-01-02T15:04:05Z") }
	id := func() string { return "_" + s.ids.Hex("", 32) }

	resp := etree.NewElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", samlProtocolNS)
	resp.CreateAttr("xmlns:saml", samlAssertionNS)
	resp.CreateAttr("ID", id())
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", stamp(now))
	resp.CreateAttr("Destination", SAMLAudience)
	resp.CreateElement("saml:Issuer").SetText(r.Issuer)
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")

	as := etree.NewElement("saml:Assertion")
	as.CreateAttr("xmlns:saml", samlAssertionNS)
	as.CreateAttr("ID", id())
	as.CreateAttr("Version", "2.0")
	as.CreateAttr("IssueInstant", stamp(now))
	as.CreateElement("saml:Issuer").SetText(r.Issuer)
	subj := as.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", samlNameIDFormat+"persistent")
	nid.SetText(r.Subject)
	sc := subj.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", stamp(now.Add(life)))
	scd.CreateAttr("Recipient", SAMLAudience)
	cond := as.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", stamp(now))
	cond.CreateAttr("NotOnOrAfter", stamp(now.Add(life)))
	cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(SAMLAudience)
	authn := as.CreateElement("saml:AuthnStatement")
	authn.CreateAttr("AuthnInstant", stamp(now))
	authn.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	attrs := as.CreateElement("saml:AttributeStatement")
	attr := func(name string, values ...string) {
		a := attrs.CreateElement("saml:Attribute")
		a.CreateAttr("Name", name)
		for _, v := range values {
			a.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
	attr(samlRoleAttr, r.Roles...)
	attr(samlSessionNameAttr, r.SessionName)

	der, err := s.samlCert(r.Issuer)
	if err != nil {
		return "", fmt.Errorf("iamsim: IdP certificate: %w", err)
	}
	key := idpKey(s.ids.Seed(), "saml:"+r.Issuer)
	sc2, err := dsig.NewSigningContext(key, [][]byte{der})
	if err != nil {
		return "", fmt.Errorf("iamsim: signing context: %w", err)
	}
	if err := sc2.SetSignatureMethod(dsig.ECDSASHA256SignatureMethod); err != nil {
		return "", fmt.Errorf("iamsim: signature method: %w", err)
	}
	sig, err := sc2.ConstructSignature(as, true)
	if err != nil {
		return "", fmt.Errorf("iamsim: sign assertion: %w", err)
	}
	// The schema puts the Signature right after the Issuer.
	as.InsertChildAt(1, sig)
	resp.AddChild(as)
	doc := etree.NewDocument()
	doc.SetRoot(resp)
	b, err := doc.WriteToBytes()
	if err != nil {
		return "", fmt.Errorf("iamsim: write response: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
