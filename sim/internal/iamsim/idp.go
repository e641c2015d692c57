package iamsim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The simulator as an identity provider. A CI system (GitHub Actions, GitLab) or a web app's
// sign-in service issues a signed token that AWS checks against the keys the issuer
// publishes; the simulator cannot fetch an issuer's keys, so it is every issuer itself: it
// holds one signing key per issuer URL, derived from the simulator's seed (the same in every
// process of one simulator, never stored), and takes in AssumeRoleWithWebIdentity the tokens
// signed with it. [Store.IssueWebIdentityToken] mints them.

// TokenRequest is what an OpenID Connect ID token says: who issued it, about whom, for
// which audiences, and for how long.
type TokenRequest struct {
	// Issuer is the issuer's URL, the token's iss claim: https://token.actions.githubusercontent.com.
	Issuer string
	// Subject is the sub claim: repo:octo-org/octo-repo:ref:refs/heads/main.
	Subject string
	// Audience is the aud claim: the client IDs the token is for (sts.amazonaws.com).
	Audience []string
	// Lifetime is how long the token is valid from the simulator's now; 0 means an hour.
	Lifetime time.Duration
	// Claims are more claims to carry (amr, email, a CI system's job details); they do not
	// replace iss, sub, aud, iat, nbf or exp.
	Claims map[string]any
}

// webIdentityAlg is the signature algorithm of the simulator's tokens. ECDSA keys can be
// derived from a seed (an RSA key cannot, with Go's crypto since 1.26), and AWS takes ES256
// ("Tokens must be signed using either RSA keys (RS256, RS384, or RS512) or ECDSA keys
// (ES256, ES384, or ES512)", AssumeRoleWithWebIdentity's WebIdentityToken).
const webIdentityAlg = "ES256"

// idpKey returns the simulator's signing key for an issuer: a P-256 scalar from
// HMAC-SHA256(seed, issuer), drawn again in the rare case it is not below the curve's order.
func idpKey(seed uint64, issuer string) *ecdsa.PrivateKey {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seed)
	for i := byte(0); ; i++ {
		m := hmac.New(sha256.New, k[:])
		fmt.Fprintf(m, "awsx identity provider\x00%s\x00%d", issuer, i)
		if key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), m.Sum(nil)); err == nil {
			return key
		}
	}
}

// keyID names a public key in the token's header and the key set: the base64url SHA-256 of
// its uncompressed point, cut to 16 bytes.
func keyID(pub *ecdsa.PublicKey) string {
	b, _ := pub.Bytes()
	return keyIDOf(b)
}

func keyIDOf(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// IssueWebIdentityToken returns an OpenID Connect ID token that the simulator's
// AssumeRoleWithWebIdentity takes once an OIDC provider for r.Issuer exists in the account:
// ES256-signed with the simulator's key for the issuer, issued at the simulator's now.
func (s *Store) IssueWebIdentityToken(r TokenRequest) (string, error) {
	if _, ok := oidcURL(r.Issuer); !ok {
		return "", fmt.Errorf("iamsim: issuer %q is not an https URL without a query", r.Issuer)
	}
	if r.Subject == "" {
		return "", fmt.Errorf("iamsim: a token needs a subject")
	}
	if len(r.Audience) == 0 {
		return "", fmt.Errorf("iamsim: a token needs an audience")
	}
	life := r.Lifetime
	if life == 0 {
		life = time.Hour
	}
	if life < 0 {
		return "", fmt.Errorf("iamsim: lifetime %v is negative", life)
	}
	now := s.now().Truncate(time.Second)
	claims := jwt.MapClaims{}
	maps.Copy(claims, r.Claims)
	claims["iss"], claims["sub"] = r.Issuer, r.Subject
	if len(r.Audience) == 1 {
		claims["aud"] = r.Audience[0]
	} else {
		claims["aud"] = r.Audience
	}
	claims["iat"], claims["nbf"], claims["exp"] = now.Unix(), now.Unix(), now.Add(life).Unix()
	key := idpKey(s.ids.Seed(), r.Issuer)
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	t.Header["kid"] = keyID(&key.PublicKey)
	signed, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("iamsim: sign token: %w", err)
	}
	return signed, nil
}

// WebIdentityKeys returns the JSON Web Key Set an issuer would publish at its jwks_uri: the
// public half of the simulator's key for it, for programs that check tokens themselves.
func (s *Store) WebIdentityKeys(issuer string) ([]byte, error) {
	if _, ok := oidcURL(issuer); !ok {
		return nil, fmt.Errorf("iamsim: issuer %q is not an https URL without a query", issuer)
	}
	s.mu.RLock()
	if a := s.st.Account; a.Outbound != "" && issuer == a.Outbound {
		// The account's own issuer: GetWebIdentityToken's keys (webtoken.go).
		keys := s.outboundKeys()
		s.mu.RUnlock()
		return json.Marshal(map[string]any{"keys": keys})
	}
	s.mu.RUnlock()
	pub := &idpKey(s.ids.Seed(), issuer).PublicKey
	b, _ := pub.Bytes() // 0x04 || X || Y
	enc := base64.RawURLEncoding.EncodeToString
	type jwk struct {
		Kty string `json:"kty"`
		Crv string `json:"crv"`
		X   string `json:"x"`
		Y   string `json:"y"`
		Kid string `json:"kid"`
		Alg string `json:"alg"`
		Use string `json:"use"`
	}
	return json.Marshal(struct {
		Keys []jwk `json:"keys"`
	}{[]jwk{{Kty: "EC", Crv: "P-256", X: enc(b[1:33]), Y: enc(b[33:]), Kid: keyID(pub), Alg: webIdentityAlg, Use: "sig"}}})
}
