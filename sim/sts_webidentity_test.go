package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

const (
	githubIssuer   = "https://token.actions.githubusercontent.com"
	githubProvider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	ciRoleARN      = "arn:aws:iam::123456789012:role/ci"
	ciSubject      = "repo:octo-org/octo-repo:ref:refs/heads/main"
)

// ciTrust is the trust policy AWS's guide for GitHub Actions gives: the provider, the
// audience sts.amazonaws.com, and the repository's branches.
const ciTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
 "Principal":{"Federated":"` + githubProvider + `"},
 "Action":"sts:AssumeRoleWithWebIdentity",
 "Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
  "StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:*"}}}]}`

// setupCI makes the GitHub OIDC provider and a role ci that trusts the repository's
// workflows and may list buckets.
func setupCI(t testing.TB, cfg aws.Config) {
	t.Helper()
	ctx := context.Background()
	admin := iam.NewFromConfig(cfg)
	if _, err := admin.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String(githubIssuer), ClientIDList: []string{"sts.amazonaws.com"},
		ThumbprintList: []string{"6938fd4d98bab03faadb97b34396831e3780aea1"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ci"), AssumeRolePolicyDocument: aws.String(ciTrust)}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ci"), PolicyName: aws.String("list"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
}

// anonymous is cfg without credentials: AssumeRoleWithWebIdentity's request is unsigned.
func anonymous(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	cfg.Credentials = aws.AnonymousCredentials{}
	return cfg
}

// A CI job's flow: the CI system's token for the repository's branch buys the role's
// session, which acts as the role.
func TestAssumeRoleWithWebIdentity(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		setupCI(t, c.Config())
		token, err := cloud.IssueWebIdentityToken(githubIssuer, ciSubject, "sts.amazonaws.com")
		if err != nil {
			t.Fatal(err)
		}
		out, err := sts.NewFromConfig(anonymous(c.Config())).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("gh-run-1"), WebIdentityToken: aws.String(token),
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::123456789012:assumed-role/ci/gh-run-1" {
			t.Errorf("AssumedRoleUser.Arn = %s", got)
		}
		if aws.ToString(out.SubjectFromWebIdentityToken) != ciSubject || aws.ToString(out.Audience) != "sts.amazonaws.com" ||
			aws.ToString(out.Provider) != githubProvider {
			t.Errorf("subject, audience, provider = %s, %s, %s", aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Audience), aws.ToString(out.Provider))
		}
		if exp := out.Credentials.Expiration; !exp.Equal(cloud.Now().Add(time.Hour).Truncate(time.Second)) && exp.Sub(cloud.Now()) != time.Hour {
			t.Errorf("expiration %v, now %v: want an hour", exp, cloud.Now())
		}
		session := c.Config()
		session.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
		who, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(who.Arn) != "arn:aws:sts::123456789012:assumed-role/ci/gh-run-1" {
			t.Errorf("GetCallerIdentity = %s", aws.ToString(who.Arn))
		}
		if _, err := s3.NewFromConfig(session).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
			t.Errorf("the role's session may list buckets: %v", err)
		}
		_, err = s3.NewFromConfig(session).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("not-allowed-bucket")})
		wantCode(t, err, "AccessDenied")

		// The SDK's own provider, as a CI job's SDK reads AWS_WEB_IDENTITY_TOKEN_FILE.
		provider := stscreds.NewWebIdentityRoleProvider(sts.NewFromConfig(anonymous(c.Config())), ciRoleARN, tokenString(token),
			func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = "sdk" })
		creds, err := provider.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || creds.SessionToken == "" {
			t.Errorf("credentials = %+v", creds)
		}

		// A signed request is taken too: the token is what counts.
		if _, err := sts.NewFromConfig(c.Config()).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("signed"), WebIdentityToken: aws.String(token),
		}); err != nil {
			t.Errorf("signed AssumeRoleWithWebIdentity: %v", err)
		}
	})
}

type tokenString string

func (s tokenString) GetIdentityToken() ([]byte, error) { return []byte(s), nil }

func TestAssumeRoleWithWebIdentityRefusals(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		setupCI(t, c.Config())
		anon := sts.NewFromConfig(anonymous(c.Config()))
		issue := func(issuer, sub, aud string, opts ...func(*sim.WebIdentityTokenOptions)) string {
			tok, err := cloud.IssueWebIdentityToken(issuer, sub, aud, opts...)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		good := issue(githubIssuer, ciSubject, "sts.amazonaws.com")
		other := sim.New(sim.WithSeed(99))
		foreign, err := other.IssueWebIdentityToken(githubIssuer, ciSubject, "sts.amazonaws.com")
		if err != nil {
			t.Fatal(err)
		}
		tampered := good[:strings.LastIndexByte(good, '.')] + "." + strings.Repeat("A", 86)
		tests := []struct {
			name, role, session, token, code, msg string
		}{
			{"another repository", ciRoleARN, "s1", issue(githubIssuer, "repo:evil/repo:ref:refs/heads/main", "sts.amazonaws.com"), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
			{"an audience the provider lacks", ciRoleARN, "s1", issue(githubIssuer, ciSubject, "sigstore"), "InvalidIdentityToken", "Incorrect token audience"},
			{"an issuer without a provider", ciRoleARN, "s1", issue("https://gitlab.example.com", ciSubject, "sts.amazonaws.com"), "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://gitlab.example.com"},
			{"signed by another key", ciRoleARN, "s1", foreign, "InvalidIdentityToken", "signature"},
			{"a tampered signature", ciRoleARN, "s1", tampered, "InvalidIdentityToken", "signature"},
			{"not a JWT", ciRoleARN, "s1", "not-a-token", "InvalidIdentityToken", "not a valid JWT"},
			{"no such role", "arn:aws:iam::123456789012:role/nope", "s1", good, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
			{"a bad session name", ciRoleARN, "a b", good, "ValidationError", "roleSessionName"},
			{"a short token", ciRoleARN, "s1", "abc", "ValidationError", "webIdentityToken"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
					RoleArn: aws.String(tt.role), RoleSessionName: aws.String(tt.session), WebIdentityToken: aws.String(tt.token),
				})
				wantCode(t, err, tt.code)
				if !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("message %q does not contain %q", err, tt.msg)
				}
			})
		}

		// Time: a token is refused once expired, and its credentials once theirs are.
		short := issue(githubIssuer, ciSubject, "sts.amazonaws.com", func(o *sim.WebIdentityTokenOptions) { o.Lifetime = 5 * time.Minute })
		out, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("t1"), WebIdentityToken: aws.String(short), DurationSeconds: aws.Int32(900),
		})
		if err != nil {
			t.Fatal(err)
		}
		c.Advance(t, 10*time.Minute)
		_, err = anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("t1"), WebIdentityToken: aws.String(short),
		})
		wantCode(t, err, "ExpiredTokenException")
		if !strings.Contains(err.Error(), "Token expired: current date/time") {
			t.Errorf("message: %v", err)
		}
		c.Advance(t, 10*time.Minute)
		session := c.Config()
		session.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
		_, err = sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, err, "ExpiredToken")

		// Unsigned requests are taken only by the federation operations.
		_, err = anon.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, err, "MissingAuthenticationToken")
		_, err = anon.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("x1")})
		wantCode(t, err, "MissingAuthenticationToken")
		_, err = iam.NewFromConfig(anonymous(c.Config())).ListRoles(ctx, &iam.ListRolesInput{})
		wantCode(t, err, "MissingAuthenticationToken")
	})
}

// The trust policy sees the token's claims as condition keys, and the simulator publishes
// the issuer's keys.
func TestWebIdentityKeys(t *testing.T) {
	t.Parallel()
	c := sim.New()
	keys, err := c.WebIdentityKeys(githubIssuer)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(keys, &set); err != nil || len(set.Keys) != 1 || set.Keys[0]["kty"] != "EC" || set.Keys[0]["alg"] != "ES256" {
		t.Fatalf("keys = %s (%v)", keys, err)
	}
	again, _ := sim.New().WebIdentityKeys(githubIssuer)
	if string(again) != string(keys) {
		t.Errorf("keys differ between two simulators of one seed")
	}
	otherSeed, _ := sim.New(sim.WithSeed(7)).WebIdentityKeys(githubIssuer)
	otherIssuer, _ := c.WebIdentityKeys("https://gitlab.com")
	if string(otherSeed) == string(keys) || string(otherIssuer) == string(keys) {
		t.Errorf("keys are the same for another seed or issuer")
	}
	for _, bad := range []string{"http://example.com", "example.com", "https://example.com/?q=1"} {
		if _, err := c.IssueWebIdentityToken(bad, "s", "a"); err == nil {
			t.Errorf("IssueWebIdentityToken(%q) took an issuer that is not an https URL", bad)
		}
	}
}

// Many CI jobs at once: each gets its own session, and providers change meanwhile.
func TestWebIdentityConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	setupCI(t, c.Config())
	token, err := c.IssueWebIdentityToken(githubIssuer, ciSubject, "sts.amazonaws.com")
	if err != nil {
		t.Fatal(err)
	}
	anon := sts.NewFromConfig(anonymous(c.Config()))
	admin := iam.NewFromConfig(c.Config())
	const n = 16
	errs := make(chan error, 2*n)
	keys := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String(fmt.Sprintf("job-%d", i)), WebIdentityToken: aws.String(token),
			})
			if err != nil {
				errs <- err
				return
			}
			keys <- *out.Credentials.AccessKeyId
		})
		wg.Go(func() {
			arn := "arn:aws:iam::123456789012:oidc-provider/other.example.com/" + fmt.Sprint(i)
			if _, err := admin.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://other.example.com/" + fmt.Sprint(i))}); err != nil {
				errs <- err
				return
			}
			if _, err := admin.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	close(keys)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for k := range keys {
		if seen[k] {
			t.Errorf("key %s handed out twice", k)
		}
		seen[k] = true
	}
	if len(seen) != n {
		t.Errorf("%d sessions, want %d", len(seen), n)
	}
}

// A web-identity session: the token's ES256 signature checked, the trust policy evaluated, a
// session recorded.
func BenchmarkAssumeRoleWithWebIdentity(b *testing.B) {
	c := sim.New()
	cfg := c.Config()
	setupCI(b, cfg)
	token, err := c.IssueWebIdentityToken(githubIssuer, ciSubject, "sts.amazonaws.com")
	if err != nil {
		b.Fatal(err)
	}
	benchCall(b, c, anonymous(cfg), func(cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("bench"), WebIdentityToken: aws.String(token),
		})
		return err
	})
}
