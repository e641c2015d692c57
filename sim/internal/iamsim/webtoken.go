package iamsim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/golang-jwt/jwt/v5"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Outbound identity federation's tokens: GetWebIdentityToken signs a JSON web token about
// the caller, under the account's issuer (outbound.go), for an outside service that trusts
// the issuer's published keys. ES384 tokens are signed with a P-384 key derived from the
// simulator's seed and the issuer, as the simulator's identity provider derives its own
// (idp.go); an RSA key cannot be derived with Go's crypto, so the account's RS256 key is made
// at its first use and kept in the account's state. [Store.WebIdentityKeys] publishes both
// for the account's issuer.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetWebIdentityToken.html

// The codes of GetWebIdentityToken's errors, 403 both.
const (
	OutboundWebIdentityFederationDisabledException core.Code = "OutboundWebIdentityFederationDisabledException"
	SessionDurationEscalationException             core.Code = "SessionDurationEscalationException"
)

func init() {
	statuses[OutboundWebIdentityFederationDisabledException] = 403
	statuses[SessionDurationEscalationException] = 403
}

// The bounds of GetWebIdentityToken's members in STS's model.
const (
	maxTokenAudiences      = 10
	minTokenDuration       = 60
	maxTokenDuration       = 3600
	defaultTokenDuration   = 300
	outboundClaimNamespace = "https://sts.amazonaws.com/"
)

// outboundECKey is the account's ES384 key for its issuer.
func outboundECKey(seed uint64, issuer string) *ecdsa.PrivateKey {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seed)
	for i := byte(0); ; i++ {
		m := hmac.New(sha512.New384, k[:])
		fmt.Fprintf(m, "awsx outbound identity federation\x00%s\x00%d", issuer, i)
		if key, err := ecdsa.ParseRawPrivateKey(elliptic.P384(), m.Sum(nil)); err == nil {
			return key
		}
	}
}

// outboundRSAKey returns the account's RS256 key, made now if it has none. s.mu is held for
// writing.
func (s *Store) outboundRSAKey() (*rsa.PrivateKey, error) {
	if der := s.st.Account.OutboundRSA; der != nil {
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, err
		}
		return k.(*rsa.PrivateKey), nil
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	s.st.Account.OutboundRSA = der
	return k, nil
}

func rsaKeyID(pub *rsa.PublicKey) string {
	return keyIDOf(x509.MarshalPKCS1PublicKey(pub))
}

// GetWebIdentityToken issues a token about the caller for the audiences it names, once the
// account has outbound identity federation on. A session's token expires no later than the
// session does.
func (h *STS) GetWebIdentityToken(ctx context.Context, in *sts.GetWebIdentityTokenInput) (*sts.GetWebIdentityTokenOutput, error) {
	c := core.CallerFrom(ctx)
	if c == nil {
		return nil, core.Errorf(AccessDenied, "GetWebIdentityToken needs credentials")
	}
	var v validation
	if n := len(in.Audience); n < 1 || n > maxTokenAudiences {
		bound := "greater than or equal to 1"
		if n > maxTokenAudiences {
			bound = fmt.Sprintf("less than or equal to %d", maxTokenAudiences)
		}
		v = append(v, fmt.Sprintf("Value '[%s]' at 'audience' failed to satisfy constraint: Member must have length %s", strings.Join(in.Audience, ", "), bound))
	}
	for _, a := range in.Audience {
		if a == "" || len(a) > 1000 {
			v = append(v, fmt.Sprintf("Value '%s' at 'audience' failed to satisfy constraint: Member must have length between 1 and 1000", a))
		}
	}
	alg := aws.ToString(in.SigningAlgorithm)
	if alg != "RS256" && alg != "ES384" {
		v = append(v, fmt.Sprintf("Value '%s' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]", alg))
	}
	dur := int32(defaultTokenDuration)
	if in.DurationSeconds != nil {
		dur = *in.DurationSeconds
		if dur < minTokenDuration {
			v = append(v, fmt.Sprintf("Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", dur, minTokenDuration))
		} else if dur > maxTokenDuration {
			v = append(v, fmt.Sprintf("Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", dur, maxTokenDuration))
		}
	}
	v.sessionTags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	a := &s.st.Account
	if !a.OutboundOn {
		return nil, errorf(OutboundWebIdentityFederationDisabledException, "Outbound web identity federation is not enabled for this account. To use this feature, you must first enable it.")
	}
	now := s.now().Truncate(time.Second)
	exp := now.Add(time.Duration(dur) * time.Second)
	if ses, ok := s.st.Sessions[c.AccessKeyID]; ok && c.Temporary && exp.After(ses.Expires) {
		return nil, errorf(SessionDurationEscalationException, "The requested token duration would extend the session beyond its original expiration time.")
	}
	tags := map[string]string{}
	for _, t := range in.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	sub := c.ARN
	if c.RoleARN != "" {
		sub = c.RoleARN
	}
	claims := jwt.MapClaims{
		"iss": a.Outbound, "sub": sub, "iat": now.Unix(), "nbf": now.Unix(), "exp": exp.Unix(),
		"jti": uuid(s.ids.Hex("", 32)),
		outboundClaimNamespace: map[string]any{
			"aws_account": s.account, "source_region": core.RegionFrom(ctx), "principal_id": c.ARN, "request_tags": tags,
		},
	}
	if len(in.Audience) == 1 {
		claims["aud"] = in.Audience[0]
	} else {
		claims["aud"] = in.Audience
	}
	var signed string
	var err error
	if alg == "ES384" {
		key := outboundECKey(s.ids.Seed(), a.Outbound)
		t := jwt.NewWithClaims(jwt.SigningMethodES384, claims)
		t.Header["kid"] = keyID(&key.PublicKey)
		signed, err = t.SignedString(key)
	} else {
		var key *rsa.PrivateKey
		if key, err = s.outboundRSAKey(); err == nil {
			t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
			t.Header["kid"] = rsaKeyID(&key.PublicKey)
			signed, err = t.SignedString(key)
		}
	}
	if err != nil {
		return nil, err
	}
	return &sts.GetWebIdentityTokenOutput{WebIdentityToken: aws.String(signed), Expiration: aws.Time(exp)}, nil
}

// outboundKeys is the key set of the account's outbound issuer: its ES384 key and, once
// made, its RS256 key. s.mu is held.
func (s *Store) outboundKeys() []map[string]string {
	enc := base64.RawURLEncoding.EncodeToString
	ec := &outboundECKey(s.ids.Seed(), s.st.Account.Outbound).PublicKey
	b, _ := ec.Bytes()
	keys := []map[string]string{{"kty": "EC", "crv": "P-384", "x": enc(b[1:49]), "y": enc(b[49:]), "kid": keyID(ec), "alg": "ES384", "use": "sig"}}
	if der := s.st.Account.OutboundRSA; der != nil {
		if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
			pub := &k.(*rsa.PrivateKey).PublicKey
			keys = append(keys, map[string]string{"kty": "RSA", "n": enc(pub.N.Bytes()), "e": enc(big.NewInt(int64(pub.E)).Bytes()),
				"kid": rsaKeyID(pub), "alg": "RS256", "use": "sig"})
		}
	}
	return keys
}
