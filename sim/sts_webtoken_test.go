package sim_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/golang-jwt/jwt/v5"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// verifyWithJWKS checks a token's signature with the key of its kid in a JSON Web Key Set,
// and returns its claims.
func verifyWithJWKS(t *testing.T, token string, jwks []byte) jwt.MapClaims {
	t.Helper()
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		t.Fatal(err)
	}
	dec := func(s string) *big.Int {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return new(big.Int).SetBytes(b)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k["kid"] != tok.Header["kid"] || k["alg"] != tok.Header["alg"] {
				continue
			}
			switch k["kty"] {
			case "EC":
				return &ecdsa.PublicKey{Curve: elliptic.P384(), X: dec(k["x"]), Y: dec(k["y"])}, nil
			case "RSA":
				return &rsa.PublicKey{N: dec(k["n"]), E: int(dec(k["e"]).Int64())}, nil
			}
		}
		return nil, fmt.Errorf("no key %v in the set", tok.Header["kid"])
	}, jwt.WithTimeFunc(func() time.Time { return time.Unix(int64(claims["iat"].(float64)), 0) }))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return claims
}

// TestGetWebIdentityToken: outbound identity federation's tokens, ES384 and RS256, verified
// with the keys the account's issuer publishes; the switch, the bounds, a session's
// expiration and the permission checked.
func TestGetWebIdentityToken(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		client := sts.NewFromConfig(c.Config())
		in := &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String("ES384")}

		_, err := client.GetWebIdentityToken(ctx, in)
		wantCode(t, err, "OutboundWebIdentityFederationDisabledException")
		if httpStatus(err) != 403 {
			t.Errorf("status %d", httpStatus(err))
		}
		en, err := iam.NewFromConfig(c.Config()).EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
		if err != nil {
			t.Fatal(err)
		}
		issuer := aws.ToString(en.IssuerIdentifier)

		in.Tags = []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}}
		out, err := client.GetWebIdentityToken(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := cloud.WebIdentityKeys(issuer)
		if err != nil {
			t.Fatal(err)
		}
		claims := verifyWithJWKS(t, aws.ToString(out.WebIdentityToken), keys)
		iat := int64(claims["iat"].(float64))
		if claims["iss"] != issuer || claims["sub"] != "arn:aws:iam::123456789012:root" || claims["aud"] != "https://api.example.com" ||
			int64(claims["exp"].(float64))-iat != 300 || out.Expiration.Unix() != int64(claims["exp"].(float64)) {
			t.Errorf("claims %v, expiration %v", claims, out.Expiration)
		}
		if aws := claims["https://sts.amazonaws.com/"].(map[string]any); aws["aws_account"] != "123456789012" || aws["request_tags"].(map[string]any)["team"] != "data" {
			t.Errorf("AWS's claims %v", aws)
		}

		rs, err := client.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"a", "b"}, SigningAlgorithm: aws.String("RS256"), DurationSeconds: aws.Int32(3600)})
		if err != nil {
			t.Fatal(err)
		}
		keys, _ = cloud.WebIdentityKeys(issuer)
		if claims := verifyWithJWKS(t, aws.ToString(rs.WebIdentityToken), keys); fmt.Sprint(claims["aud"]) != "[a b]" {
			t.Errorf("RS256 claims %v", claims)
		}

		for _, bad := range []*sts.GetWebIdentityTokenInput{
			{Audience: []string{"a"}, SigningAlgorithm: aws.String("HS256")},
			{Audience: []string{"a"}, SigningAlgorithm: aws.String("ES384"), DurationSeconds: aws.Int32(59)},
			{Audience: []string{"a"}, SigningAlgorithm: aws.String("ES384"), DurationSeconds: aws.Int32(3601)},
			{Audience: strings.Split("a,b,c,d,e,f,g,h,i,j,k", ","), SigningAlgorithm: aws.String("ES384")},
		} {
			_, err := client.GetWebIdentityToken(ctx, bad)
			wantCode(t, err, "ValidationError")
		}

		// A role session's token is about the role, and ends no later than the session.
		alex := sts.NewFromConfig(newUser(t, c, "alex"))
		role, err := iam.NewFromConfig(c.Config()).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("caller"),
			AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alex"},"Action":"sts:AssumeRole"}]}`)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := iam.NewFromConfig(c.Config()).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("caller"), PolicyName: aws.String("tokens"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*","Condition":{"StringEquals":{"sts:SigningAlgorithm":"ES384"}}}]}`)}); err != nil {
			t.Fatal(err)
		}
		ses, err := alex.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("job"), DurationSeconds: aws.Int32(900)})
		if err != nil {
			t.Fatal(err)
		}
		job := sts.NewFromConfig(c.Config(conformance.WithCredentials(*ses.Credentials.AccessKeyId, *ses.Credentials.SecretAccessKey, *ses.Credentials.SessionToken)))
		_, err = job.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"a"}, SigningAlgorithm: aws.String("ES384"), DurationSeconds: aws.Int32(901)})
		wantCode(t, err, "SessionDurationEscalationException")
		tok, err := job.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"a"}, SigningAlgorithm: aws.String("ES384"), DurationSeconds: aws.Int32(900)})
		if err != nil {
			t.Fatal(err)
		}
		if claims := verifyWithJWKS(t, aws.ToString(tok.WebIdentityToken), keys); claims["sub"] != aws.ToString(role.Role.Arn) ||
			claims["https://sts.amazonaws.com/"].(map[string]any)["principal_id"] != aws.ToString(ses.AssumedRoleUser.Arn) {
			t.Errorf("a session's claims %v", claims)
		}
		c.Require(t, conformance.EnforcesIAM)
		_, err = job.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"a"}, SigningAlgorithm: aws.String("RS256")})
		wantCode(t, err, "AccessDenied")
	})
}

// TestOpenKeepsOutboundKeys: the account's RS256 key survives a reopen; its tokens still
// verify with the key set published after it.
func TestOpenKeepsOutboundKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	en := must(iam.NewFromConfig(c.Config()).EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{}))(t)
	out := must(sts.NewFromConfig(c.Config()).GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"a"}, SigningAlgorithm: aws.String("RS256")}))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	keys := must(c.WebIdentityKeys(aws.ToString(en.IssuerIdentifier)))(t)
	verifyWithJWKS(t, aws.ToString(out.WebIdentityToken), keys)
	if other := must(sim.New().WebIdentityKeys(aws.ToString(en.IssuerIdentifier)))(t); string(other) == string(keys) {
		t.Error("another simulator publishes the same keys for the issuer")
	}
}
