package sim_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
)

// TestAuthenticate: a request outside AWS's API is taken when signed by the root or a user,
// and refused unsigned, with a wrong secret, an unknown key or a body changed after signing.
func TestAuthenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	client := iam.NewFromConfig(c.Config())
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}); err != nil {
		t.Fatal(err)
	}
	key, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")})
	if err != nil {
		t.Fatal(err)
	}
	root := aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: sim.DefaultSecretAccessKey}
	alex := aws.Credentials{AccessKeyID: *key.AccessKey.AccessKeyId, SecretAccessKey: *key.AccessKey.SecretAccessKey}
	signed := func(creds *aws.Credentials, signedBody, body string) (string, error) {
		r := httptest.NewRequest("POST", "http://127.0.0.1:4566/_awsx/v1/advance", strings.NewReader(body))
		if creds != nil {
			sum := sha256.Sum256([]byte(signedBody))
			if err := v4.NewSigner().SignHTTP(ctx, *creds, r, hex.EncodeToString(sum[:]), "awsx", "us-east-1", time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return c.Authenticate(r, []byte(body))
	}
	for _, tc := range []struct {
		name             string
		creds            *aws.Credentials
		signedBody, body string
		arn              string // "" for a refusal
	}{
		{"root", &root, "{}", "{}", "arn:aws:iam::123456789012:root"},
		{"user", &alex, "{}", "{}", "arn:aws:iam::123456789012:user/alex"},
		{"unsigned", nil, "{}", "{}", ""},
		{"wrong secret", &aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: "x"}, "{}", "{}", ""},
		{"unknown key", &aws.Credentials{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "x"}, "{}", "{}", ""},
		{"body changed", &root, `{"Duration":"1m"}`, `{"Duration":"9h"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arn, err := signed(tc.creds, tc.signedBody, tc.body)
			if arn != tc.arn || (err == nil) != (tc.arn != "") {
				t.Errorf("Authenticate: %q, %v; want %q", arn, err, tc.arn)
			}
		})
	}
}
