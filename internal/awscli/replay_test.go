package awscli_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/internal/awscli"
	"github.com/awsxlab/awsx/sim"
)

// What differs between runs is written relative to the session, and written back as it was.
func TestNormalizer(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 8, 1, 2, 3, 0, time.UTC)
	n := awscli.Normalizer{Now: now, Names: map[string]string{"127.0.0.1:4321": "⟦endpoint⟧", "/tmp/home": "⟦home⟧"}}
	texts := []string{
		`<CreateDate>2026-12-08T01:02:03Z</CreateDate><Expiration>2026-12-08T02:02:03.000Z</Expiration>`,
		`"LaunchTime": "2026-12-07T23:59:59+00:00", "Policy": "2026-02-01T00:00:00Z", "At": "2026-12-08T01:02:03-05:00", "Other": "2026-12-08T01:02:03+0100"`,
		`{"CreationDate":1765155723,"LastModified":1765155723.5}`,
		"Last-Modified: Tue, 08 Dec 2026 01:02:03 GMT\nX-Amz-Date: 20261208T010203Z",
		"http://127.0.0.1:4321/bucket in /tmp/home/.aws/config",
		"2026-12-08 01:02:03 lab-bucket\n2026-12-08 01:02:03         16 notes/a.txt",
		"2020-01-01T00:00:00Z 1234567890 size 12345678901 and 2026-12-08 alone",
	}
	for _, s := range texts {
		norm := n.Norm(s)
		if back := n.Denorm(norm); back != s {
			t.Errorf("Denorm(Norm(%q)) = %q", s, back)
		}
		// The same text a day later, on a server on another port, reads the same.
		later := awscli.Normalizer{Now: now.Add(24 * time.Hour), Names: map[string]string{"127.0.0.1:5555": "⟦endpoint⟧", "/tmp/other": "⟦home⟧"}}
		if got := later.Norm(later.Denorm(norm)); got != norm {
			t.Errorf("a day later %q normalizes to %q, not %q", later.Denorm(norm), got, norm)
		}
	}
	if got := n.Norm(texts[0]); strings.Contains(got, "2026") {
		t.Errorf("times near the clock are kept: %q", got)
	}
	if got := n.Norm(texts[6]); got != texts[6] {
		t.Errorf("times far from the clock, and numbers that are not times, changed: %q", got)
	}
}

// Keys are paired with the secret written nearest them, in environments, files and answers.
func TestSecrets(t *testing.T) {
	t.Parallel()
	got := map[string]string{}
	for _, text := range []string{
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"[dev]\naws_access_key_id = AKIA0000000000000001\naws_secret_access_key = 0000000000000000000000000000000000000001\n[ops]\naws_access_key_id = AKIA0000000000000002\naws_secret_access_key = 0000000000000000000000000000000000000002",
		`<Credentials><AccessKeyId>ASIA0000000000000003</AccessKeyId><SecretAccessKey>000000000000000000000000000000000000003+</SecretAccessKey></Credentials>`,
		`{"AccessKey": {"UserName": "a", "AccessKeyId": "AKIA0000000000000004", "Status": "Active", "SecretAccessKey": "000000000000000000000000000000000000004/"}}`,
	} {
		awscli.Secrets(got, text)
	}
	want := map[string]string{
		"AKIAIOSFODNN7EXAMPLE": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AKIA0000000000000001": "0000000000000000000000000000000000000001",
		"AKIA0000000000000002": "0000000000000000000000000000000000000002",
		"ASIA0000000000000003": "000000000000000000000000000000000000003+",
		"AKIA0000000000000004": "000000000000000000000000000000000000004/",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("secret of %s: %q, want %q", k, got[k], v)
		}
	}
}

// A recorded exchange replays on a server in the same state, signed anew, and does not on
// one whose answer differs.
func TestReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	serve := func() (*sim.Cloud, string, *awscli.Tap) {
		c := sim.New(sim.WithSeed(1), sim.WithClock(func() time.Time { return now }))
		tap := &awscli.Tap{}
		srv := httptest.NewServer(tap.Wrap(c))
		t.Cleanup(srv.Close)
		return c, srv.URL, tap
	}
	norm := func(url string) awscli.Normalizer {
		return awscli.Normalizer{Now: now, Names: map[string]string{strings.TrimPrefix(url, "http://"): "⟦endpoint⟧"}}
	}
	root := func(c *sim.Cloud, url string) aws.Config {
		cfg := c.Config()
		cfg.BaseEndpoint = aws.String(url)
		cfg.HTTPClient = nil
		return cfg
	}

	// Recorded: a user made, then a call signed by the user's new key, whose secret only the
	// first answer holds.
	c, url, tap := serve()
	out, err := iam.NewFromConfig(root(c, url)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")})
	if err != nil {
		t.Fatal(err)
	}
	key, err := iam.NewFromConfig(root(c, url)).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: out.User.UserName})
	if err != nil {
		t.Fatal(err)
	}
	rootKey, err := c.Config().Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{}
	awscli.Secrets(secrets, "AWS_ACCESS_KEY_ID="+rootKey.AccessKeyID+"\nAWS_SECRET_ACCESS_KEY="+rootKey.SecretAccessKey)
	made, replayable := tap.Record(norm(url), secrets)
	if !replayable || len(made) != 2 {
		t.Fatalf("%d exchanges, replayable %v", len(made), replayable)
	}
	alex := root(c, url)
	alex.Credentials = credentials.NewStaticCredentialsProvider(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, "")
	if _, err := sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	called, replayable := tap.Record(norm(url), secrets)
	if !replayable || len(called) != 1 || called[0].Secret != *key.AccessKey.SecretAccessKey {
		t.Fatalf("the user's call: %+v, replayable %v", called, replayable)
	}

	// Replayed on a new server of the same seed and clock: the same answers.
	_, url2, tap2 := serve()
	if err := awscli.Replay(ctx, url2, tap2, norm(url2), made); err != nil {
		t.Fatalf("a replay on a server in the same state: %v", err)
	}
	if err := awscli.Replay(ctx, url2, tap2, norm(url2), called); err != nil {
		t.Fatalf("a replay of the user's call: %v", err)
	}
	// The user's creation replayed again is refused: the answer differs.
	if err := awscli.Replay(ctx, url2, tap2, norm(url2), made[:1]); err == nil || !strings.Contains(err.Error(), "status 409, recorded 200") {
		t.Fatalf("a user made twice: %v", err)
	}
	// A server of another seed gives other IDs.
	other := sim.New(sim.WithSeed(2), sim.WithClock(func() time.Time { return now }))
	tap3 := &awscli.Tap{}
	srv := httptest.NewServer(tap3.Wrap(other))
	defer srv.Close()
	if err := awscli.Replay(ctx, srv.URL, tap3, norm(srv.URL), made); err == nil || !strings.Contains(err.Error(), "the answer differs") {
		t.Fatalf("a server with other IDs: %v", err)
	}

	// A request signed by a key whose secret is unknown cannot be replayed.
	_, url4, tap4 := serve()
	if _, err := sts.NewFromConfig(alex, func(o *sts.Options) { o.BaseEndpoint = aws.String(url4) }).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("an unknown key was accepted")
	}
	if _, replayable := tap4.Record(norm(url4), map[string]string{}); replayable {
		t.Fatal("a request signed by an unknown key is replayable")
	}
}
