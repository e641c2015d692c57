package sim_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// customerKey is an SSE-C key as the SDK's inputs take it: the key and its MD5, base64.
type customerKey struct{ alg, key, md5 *string }

func newCustomerKey(seed byte) customerKey {
	raw := bytes.Repeat([]byte{seed}, 32)
	sum := md5.Sum(raw)
	return customerKey{aws.String("AES256"), aws.String(base64.StdEncoding.EncodeToString(raw)), aws.String(base64.StdEncoding.EncodeToString(sum[:]))}
}

// TestS3CustomerKeys stores and reads objects with customer-provided keys (SSE-C): the key's
// MD5 said back, reads without the key or with another refused as AWS does, copies and
// multipart uploads with keys, and the headers checked.
func TestS3CustomerKeys(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "sealed")
		k1, k2 := newCustomerKey(1), newCustomerKey(2)

		put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), Body: strings.NewReader("attack at dawn"),
			SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(put.SSECustomerAlgorithm) != "AES256" || aws.ToString(put.SSECustomerKeyMD5) != *k1.md5 || put.ServerSideEncryption != "" {
			t.Errorf("PutObject: %q %q %q", aws.ToString(put.SSECustomerAlgorithm), aws.ToString(put.SSECustomerKeyMD5), put.ServerSideEncryption)
		}
		got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		if err != nil || readBody(t, got) != "attack at dawn" || aws.ToString(got.SSECustomerKeyMD5) != *k1.md5 {
			t.Fatalf("GetObject with the key: %v", err)
		}
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		if err != nil || aws.ToString(head.SSECustomerAlgorithm) != "AES256" || aws.ToInt64(head.ContentLength) != 14 {
			t.Fatalf("HeadObject with the key: %v", err)
		}

		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt")})
		wantS3Error(t, err, "InvalidRequest", 400)
		if !strings.Contains(err.Error(), "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.") {
			t.Errorf("message: %v", err)
		}
		_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt")})
		if httpStatus(err) != 400 {
			t.Errorf("HeadObject without the key: %v", err)
		}
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), SSECustomerAlgorithm: k2.alg, SSECustomerKey: k2.key, SSECustomerKeyMD5: k2.md5})
		wantS3Error(t, err, "AccessDenied", 403)
		_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), SSECustomerAlgorithm: k2.alg, SSECustomerKey: k2.key, SSECustomerKeyMD5: k2.md5})
		if httpStatus(err) != 403 {
			t.Errorf("HeadObject with another key: %v", err)
		}
		mustPut(t, client, "sealed", "plain.txt", "plain")
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sealed"), Key: aws.String("plain.txt"), SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		wantS3Error(t, err, "InvalidRequest", 400)

		// The headers themselves.
		for _, bad := range []struct {
			alg, key, md5 *string
			code          string
		}{
			{aws.String("AES128"), k1.key, k1.md5, "InvalidEncryptionAlgorithmError"},
			{k1.alg, k1.key, k2.md5, "InvalidArgument"},
			{k1.alg, aws.String(base64.StdEncoding.EncodeToString([]byte("short"))), k1.md5, "InvalidArgument"},
			{k1.alg, aws.String("!!not base64!!"), k1.md5, "InvalidArgument"},
			{k1.alg, k1.key, nil, "InvalidArgument"},
		} {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sealed"), Key: aws.String("bad"), Body: strings.NewReader("x"),
				SSECustomerAlgorithm: bad.alg, SSECustomerKey: bad.key, SSECustomerKeyMD5: bad.md5})
			wantS3Error(t, err, bad.code, 400)
		}
		_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sealed"), Key: aws.String("bad"), Body: strings.NewReader("x"),
			ServerSideEncryption: s3types.ServerSideEncryptionAes256, SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		wantS3Error(t, err, "InvalidArgument", 400)

		// Copies: the source's key in the copy-source headers, the destination's own.
		_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sealed"), Key: aws.String("copy.txt"), CopySource: aws.String("sealed/secret.txt")})
		wantS3Error(t, err, "InvalidRequest", 400)
		cp, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sealed"), Key: aws.String("copy.txt"), CopySource: aws.String("sealed/secret.txt"),
			CopySourceSSECustomerAlgorithm: k1.alg, CopySourceSSECustomerKey: k1.key, CopySourceSSECustomerKeyMD5: k1.md5,
			SSECustomerAlgorithm: k2.alg, SSECustomerKey: k2.key, SSECustomerKeyMD5: k2.md5})
		if err != nil || aws.ToString(cp.SSECustomerKeyMD5) != *k2.md5 {
			t.Fatalf("CopyObject re-keyed: %v", err)
		}
		if got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sealed"), Key: aws.String("copy.txt"), SSECustomerAlgorithm: k2.alg, SSECustomerKey: k2.key, SSECustomerKeyMD5: k2.md5}); err != nil || readBody(t, got) != "attack at dawn" {
			t.Errorf("the copy under its new key: %v", err)
		}
		// Re-keying an object in place is a change.
		if _, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sealed"), Key: aws.String("copy.txt"), CopySource: aws.String("sealed/copy.txt"),
			CopySourceSSECustomerAlgorithm: k2.alg, CopySourceSSECustomerKey: k2.key, CopySourceSSECustomerKeyMD5: k2.md5,
			SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5}); err != nil {
			t.Errorf("re-keying in place: %v", err)
		}
		dec, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sealed"), Key: aws.String("decrypted.txt"), CopySource: aws.String("sealed/secret.txt"),
			CopySourceSSECustomerAlgorithm: k1.alg, CopySourceSSECustomerKey: k1.key, CopySourceSSECustomerKeyMD5: k1.md5})
		if err != nil || dec.ServerSideEncryption != s3types.ServerSideEncryptionAes256 || dec.SSECustomerAlgorithm != nil {
			t.Fatalf("a copy without a destination key is SSE-S3: %v", err)
		}

		// A multipart upload with a key: each part brings it.
		mu, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("sealed"), Key: aws.String("big"), SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		if err != nil || aws.ToString(mu.SSECustomerKeyMD5) != *k1.md5 {
			t.Fatalf("CreateMultipartUpload: %v", err)
		}
		_, err = client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("sealed"), Key: aws.String("big"), UploadId: mu.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("part")})
		wantS3Error(t, err, "InvalidRequest", 400)
		_, err = client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("sealed"), Key: aws.String("big"), UploadId: mu.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("part"),
			SSECustomerAlgorithm: k2.alg, SSECustomerKey: k2.key, SSECustomerKeyMD5: k2.md5})
		wantS3Error(t, err, "InvalidRequest", 400)
		part, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("sealed"), Key: aws.String("big"), UploadId: mu.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("part"),
			SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		if err != nil || aws.ToString(part.SSECustomerKeyMD5) != *k1.md5 {
			t.Fatalf("UploadPart with the key: %v", err)
		}
		done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("sealed"), Key: aws.String("big"), UploadId: mu.UploadId,
			MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
		if err != nil || aws.ToString(done.ETag) == "" {
			t.Fatalf("CompleteMultipartUpload: %v", err)
		}
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sealed"), Key: aws.String("big")})
		wantS3Error(t, err, "InvalidRequest", 400)

		// S3 Select and GetObjectAttributes need the key too.
		_, _, _, err = selectAll(t, client, &s3.SelectObjectContentInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), Expression: aws.String("SELECT * FROM S3Object"),
			ExpressionType: s3types.ExpressionTypeSql, InputSerialization: &s3types.InputSerialization{CSV: &s3types.CSVInput{}}, OutputSerialization: &s3types.OutputSerialization{CSV: &s3types.CSVOutput{}}})
		wantS3Error(t, err, "InvalidRequest", 400)
		recs, _, _, err := selectAll(t, client, &s3.SelectObjectContentInput{Bucket: aws.String("sealed"), Key: aws.String("secret.txt"), Expression: aws.String("SELECT UPPER(_1) FROM S3Object"),
			ExpressionType: s3types.ExpressionTypeSql, InputSerialization: &s3types.InputSerialization{CSV: &s3types.CSVInput{}}, OutputSerialization: &s3types.OutputSerialization{CSV: &s3types.CSVOutput{}},
			SSECustomerAlgorithm: k1.alg, SSECustomerKey: k1.key, SSECustomerKeyMD5: k1.md5})
		if err != nil || recs != "ATTACK AT DAWN\n" {
			t.Errorf("S3 Select with the key: %q %v", recs, err)
		}
	})
}

// TestOpenKeepsCustomerKeys: an SSE-C object's key MD5 survives a reopen of the state
// directory — the key itself is in no file of it — and still guards the object.
func TestOpenKeepsCustomerKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	k := newCustomerKey(7)
	c := openCloud(t, dir, false)
	client := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("kept-sealed")}))(t)
	must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("kept-sealed"), Key: aws.String("s"), Body: strings.NewReader("sealed"),
		SSECustomerAlgorithm: k.alg, SSECustomerKey: k.key, SSECustomerKeyMD5: k.md5}))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(*k.key)) {
			t.Errorf("%s holds the customer's key", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("kept-sealed"), Key: aws.String("s")})
	wantS3Error(t, err, "InvalidRequest", 400)
	got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("kept-sealed"), Key: aws.String("s"), SSECustomerAlgorithm: k.alg, SSECustomerKey: k.key, SSECustomerKeyMD5: k.md5})
	if err != nil || readBody(t, got) != "sealed" || aws.ToString(got.SSECustomerKeyMD5) != *k.md5 {
		t.Fatalf("after the reopen: %v", err)
	}
}

// Many goroutines put SSE-C objects, read them back with their keys, run S3 Select over
// them and ask STS for tokens (the first RS256 one makes the account's key) on one cloud.
// Run with -race.
func TestConcurrentSealedSelects(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "path")
		mustBucket(t, client, "busy-sealed")
		if _, err := iam.NewFromConfig(c.Config()).EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{}); err != nil {
			t.Fatal(err)
		}
		tokens := sts.NewFromConfig(c.Config())
		const workers, each = 12, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				k := newCustomerKey(byte(w))
				for i := range each {
					key := fmt.Sprintf("w%d/%d.csv", w, i)
					if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("busy-sealed"), Key: aws.String(key), Body: strings.NewReader(fmt.Sprintf("%d,%d\n", w, i)),
						SSECustomerAlgorithm: k.alg, SSECustomerKey: k.key, SSECustomerKeyMD5: k.md5}); err != nil {
						errs <- err
						continue
					}
					recs, _, _, err := selectAll(t, client, &s3.SelectObjectContentInput{Bucket: aws.String("busy-sealed"), Key: aws.String(key), Expression: aws.String("SELECT _1 + _2 FROM S3Object"),
						ExpressionType: s3types.ExpressionTypeSql, InputSerialization: &s3types.InputSerialization{CSV: &s3types.CSVInput{}}, OutputSerialization: &s3types.OutputSerialization{CSV: &s3types.CSVOutput{}},
						SSECustomerAlgorithm: k.alg, SSECustomerKey: k.key, SSECustomerKeyMD5: k.md5})
					if err != nil || recs != fmt.Sprintf("%d\n", w+i) {
						errs <- fmt.Errorf("select %s: %q %v", key, recs, err)
					}
					if _, err := tokens.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{key}, SigningAlgorithm: aws.String("RS256")}); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
