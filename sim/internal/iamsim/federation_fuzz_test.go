package iamsim

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

func testStore(t testing.TB) *Store {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return NewStore("123456789012", core.NewClock(func() time.Time { return now }), core.NewIDs(1))
}

// The metadata parser takes any text without panicking; what it takes has an entity ID and a
// certificate, and the simulator's own metadata is taken.
func FuzzSAMLMetadata(f *testing.F) {
	s := testStore(f)
	doc, err := s.SAMLMetadata("https://idp.example.com/saml")
	if err != nil {
		f.Fatal(err)
	}
	if m, err := parseSAMLMetadata(doc); err != nil || m.EntityID != "https://idp.example.com/saml" || len(m.Certs) != 1 {
		f.Fatalf("the simulator's own metadata: %+v, %v", m, err)
	}
	f.Add(doc)
	f.Add(`<EntityDescriptor entityID="x"><IDPSSODescriptor><KeyDescriptor><KeyInfo><X509Data><X509Certificate>AAAA</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`)
	f.Add(`<EntityDescriptor entityID="x" validUntil="nope"/>`)
	f.Add(`<html/>`)
	f.Add("")
	f.Fuzz(func(t *testing.T, doc string) {
		m, err := parseSAMLMetadata(doc)
		if err != nil {
			return
		}
		if m.EntityID == "" || len(m.Certs) == 0 {
			t.Errorf("taken without an entity ID or a certificate: %+v", m)
		}
	})
}

// verifiedAssertion takes any response without panicking, answers InvalidIdentityToken to
// whatever it refuses, and takes the simulator's own assertion. A change to a signed
// assertion is refused.
func FuzzSAMLResponse(f *testing.F) {
	s := testStore(f)
	entity := "https://idp.example.com/saml"
	doc, _ := s.SAMLMetadata(entity)
	md, err := parseSAMLMetadata(doc)
	if err != nil {
		f.Fatal(err)
	}
	good, err := s.IssueSAMLAssertion(SAMLRequest{Issuer: entity, Subject: "alice", Roles: []string{"arn:aws:iam::123456789012:role/r,arn:aws:iam::123456789012:saml-provider/p"}})
	if err != nil {
		f.Fatal(err)
	}
	if a, err := verifiedAssertion(good, md.Certs, s.now()); err != nil || a.Subject.NameID.Value != "alice" {
		f.Fatalf("the simulator's own assertion: %+v, %v", a, err)
	}
	raw, _ := base64.StdEncoding.DecodeString(good)
	f.Add(good)
	f.Add(base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), "alice", "mallory", 1))))
	f.Add(base64.StdEncoding.EncodeToString([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`)))
	f.Add("not base64!")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := verifiedAssertion(in, md.Certs, s.now())
		if err != nil {
			var e *core.Error
			if !errors.As(err, &e) || e.Code != InvalidIdentityToken {
				t.Errorf("refused with %v, not InvalidIdentityToken", err)
			}
			return
		}
		if a.Issuer == "" && a.Subject.NameID.Value == "" {
			t.Errorf("took an assertion without issuer or subject: %q", in)
		}
	})
}

// AssumeRoleWithWebIdentity answers any token with a token error or a session, never a panic
// or an internal error.
func FuzzWebIdentityToken(f *testing.F) {
	s := testStore(f)
	h := NewIAM(s)
	ctx := context.Background()
	if _, err := h.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://issuer.example.com"), ClientIDList: []string{"aud"}}); err != nil {
		f.Fatal(err)
	}
	good, err := s.IssueWebIdentityToken(TokenRequest{Issuer: "https://issuer.example.com", Subject: "sub", Audience: []string{"aud"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-4] + "AAAA")
	f.Add("eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLmNvbSJ9.")
	f.Add("a.b.c")
	f.Add("....")
	sh := NewSTS(s)
	f.Fuzz(func(t *testing.T, tok string) {
		_, err := sh.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String("arn:aws:iam::123456789012:role/none"), RoleSessionName: aws.String("fuzz"), WebIdentityToken: aws.String(tok),
		})
		var e *core.Error
		if err == nil || !errors.As(err, &e) {
			t.Fatalf("no role, yet %v", err)
		}
		switch e.Code {
		case InvalidIdentityToken, ExpiredTokenException, ValidationError, AccessDenied:
		default:
			t.Errorf("answered %s: %s", e.Code, e.Message)
		}
	})
}

// KeyAccount decodes AWS's published example and never panics.
func FuzzKeyAccount(f *testing.F) {
	if got := KeyAccount("ASIAY34FZKBOKMUTVV7A"); got != "609629065308" {
		f.Fatalf("KeyAccount = %s", got)
	}
	f.Add("ASIAY34FZKBOKMUTVV7A")
	f.Add("AKIAIOSFODNN7EXAMPLE")
	f.Add("short")
	f.Fuzz(func(t *testing.T, id string) {
		if a := KeyAccount(id); a != "" && len(a) != 12 {
			t.Errorf("KeyAccount(%q) = %q", id, a)
		}
	})
}

// DecodeAuthorizationMessage opens what EncodeAuthorizationMessage sealed, and refuses
// anything else with InvalidAuthorizationMessageException.
func FuzzAuthorizationMessage(f *testing.F) {
	s := testStore(f)
	good := s.EncodeAuthorizationMessage(&core.Caller{ARN: "arn:aws:iam::123456789012:user/alex", UserID: "AIDA"},
		&policy.Request{Action: "ec2:RunInstances", Resource: "*", Context: policy.Context{"aws:username": {"alex"}}}, policy.Decision{Effect: policy.ImplicitDeny})
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add("bm90LWEtbWVzc2FnZQ")
	h := NewSTS(s)
	f.Fuzz(func(t *testing.T, msg string) {
		out, err := h.DecodeAuthorizationMessage(context.Background(), &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(msg)})
		if err == nil {
			if !strings.Contains(aws.ToString(out.DecodedMessage), `"action":"ec2:RunInstances"`) {
				t.Errorf("opened %q to %s", msg, aws.ToString(out.DecodedMessage))
			}
			return
		}
		var e *core.Error
		if !errors.As(err, &e) || (e.Code != InvalidAuthorizationMessageException && e.Code != ValidationError) {
			t.Errorf("refused with %v", err)
		}
	})
}
