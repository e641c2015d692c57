package sim_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestS3EntityTooLarge(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, sim.WithMaxObjectSize(1<<10))
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "small-objects")
		mustPut(t, client, "small-objects", "fits", strings.Repeat("x", 1<<10))
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("small-objects"), Key: aws.String("too-big"), Body: strings.NewReader(strings.Repeat("x", 1<<10+1))})
		wantS3Error(t, err, "EntityTooLarge", 400)
	})
}

// A body that is not the one whose hash was signed: XAmzContentSHA256Mismatch.
func TestS3ContentSHA256Mismatch(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Authenticates) // the signed hash of the body is checked
		mustBucket(t, s3Client(t, c, "path"), "hashed")
		url := objectURL(t, c, "hashed", "k")
		signed := sha256.Sum256([]byte("what was signed"))
		req, _ := http.NewRequest("PUT", url, strings.NewReader("what was sent"))
		req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(signed[:]))
		root := must(c.Config().Credentials.Retrieve(context.Background()))(t)
		err := v4.NewSigner().SignHTTP(context.Background(), root,
			req, hex.EncodeToString(signed[:]), "s3", "us-east-1", time.Now(), func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>XAmzContentSHA256Mismatch</Code>") || resp.Header.Get("X-Amz-Request-Id") == "" || resp.Header.Get("X-Amz-Id-2") == "" {
			t.Errorf("= %d %s %v", resp.StatusCode, body, resp.Header)
		}
	})
}
