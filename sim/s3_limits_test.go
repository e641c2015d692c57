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
)

func TestS3EntityTooLarge(t *testing.T) {
	ctx := context.Background()
	c := sim.New(sim.WithMaxObjectSize(1 << 10))
	client := s3Client(t, c, "virtual")
	mustBucket(t, client, "small-objects")
	mustPut(t, client, "small-objects", "fits", strings.Repeat("x", 1<<10))
	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("small-objects"), Key: aws.String("too-big"), Body: strings.NewReader(strings.Repeat("x", 1<<10+1))})
	wantS3Error(t, err, "EntityTooLarge", 400)
}

// A body that is not the one whose hash was signed: XAmzContentSHA256Mismatch.
func TestS3ContentSHA256Mismatch(t *testing.T) {
	c := sim.New()
	mustBucket(t, s3Client(t, c, "path"), "hashed")
	url := objectURL(t, c, "hashed", "k")
	signed := sha256.Sum256([]byte("what was signed"))
	req, _ := http.NewRequest("PUT", url, strings.NewReader("what was sent"))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(signed[:]))
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: sim.DefaultSecretAccessKey},
		req, hex.EncodeToString(signed[:]), "s3", "us-east-1", time.Now(), func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s3HTTP(t, c).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "<Code>XAmzContentSHA256Mismatch</Code>") || resp.Header.Get("X-Amz-Request-Id") == "" || resp.Header.Get("X-Amz-Id-2") == "" {
		t.Errorf("= %d %s %v", resp.StatusCode, b, resp.Header)
	}
}
