package sim_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestS3Checksums(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "checksums")
			body := "checked content"
			sum := sha256.Sum256([]byte(body))
			want := base64.StdEncoding.EncodeToString(sum[:])
			put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String("k"), Body: strings.NewReader(body),
				ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(put.ChecksumSHA256) != want {
				t.Errorf("PutObject ChecksumSHA256 = %q, want %q", aws.ToString(put.ChecksumSHA256), want)
			}
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("checksums"), Key: aws.String("k"), ChecksumMode: s3types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			c.Diverges(t, conformance.Moto, "moto answers a GetObject's checksum without its ChecksumType (FULL_OBJECT)")
			if readBody(t, get) != body || aws.ToString(get.ChecksumSHA256) != want || get.ChecksumType != s3types.ChecksumTypeFullObject {
				t.Errorf("GetObject checksum = %q (%s), want %q", aws.ToString(get.ChecksumSHA256), get.ChecksumType, want)
			}
			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("checksums"), Key: aws.String("k")})
			if err != nil || head.ChecksumSHA256 != nil {
				t.Errorf("HeadObject without checksum mode: %v, %v", err, aws.ToString(head.ChecksumSHA256))
			}
			// The SDK's default CRC32, and the CRC64NVME S3 computes when none is sent.
			mustPut(t, client, "checksums", "default", body)
			h2, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("checksums"), Key: aws.String("default"), ChecksumMode: s3types.ChecksumModeEnabled})
			if err != nil || aws.ToString(h2.ChecksumCRC32) == "" && aws.ToString(h2.ChecksumCRC64NVME) == "" {
				t.Errorf("default checksum: %v %+v", err, h2)
			}

			_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String("bad"), Body: strings.NewReader(body),
				ChecksumCRC32: aws.String("AAAAAA==")})
			wantS3Error(t, err, "BadDigest", 400)
			_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String("bad"), Body: strings.NewReader(body),
				ContentMD5: aws.String(base64.StdEncoding.EncodeToString(make([]byte, 16)))})
			wantS3Error(t, err, "BadDigest", 400)
			_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String("bad"), Body: strings.NewReader(body),
				ContentMD5: aws.String("not-md5")})
			wantS3Error(t, err, "InvalidDigest", 400)
		})
	})
}

func TestS3Presigned(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "presigned")
		mustPut(t, client, "presigned", "report.txt", "quarterly numbers")
		ps := s3.NewPresignClient(client)
		get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presigned"), Key: aws.String("report.txt")}, s3.WithPresignExpires(15*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		hc := c.HTTPClient()
		fetch := func(method, url string, body io.Reader) (int, string) {
			t.Helper()
			req, _ := http.NewRequest(method, url, body)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if status, body := fetch("GET", get.URL, nil); status != 200 || body != "quarterly numbers" {
			t.Errorf("presigned GET = %d %q", status, body)
		}
		put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("presigned"), Key: aws.String("upload.txt")})
		if err != nil {
			t.Fatal(err)
		}
		if status, body := fetch("PUT", put.URL, strings.NewReader("uploaded")); status != 200 {
			t.Errorf("presigned PUT = %d %s", status, body)
		}
		if out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presigned"), Key: aws.String("upload.txt")}); err != nil || readBody(t, out) != "uploaded" {
			t.Errorf("object put by presigned URL: %v", err)
		}
		c.Require(t, conformance.Authenticates)
		// A tampered URL, then one past its expiry.
		if status, body := fetch("GET", strings.Replace(get.URL, "report.txt", "upload.txt", 1), nil); status != 403 || !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
			t.Errorf("tampered URL = %d %s", status, body)
		}
		c.Advance(t, 16*time.Minute)
		if status, body := fetch("GET", get.URL, nil); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code><Message>Request has expired</Message>") {
			t.Errorf("expired URL = %d %s", status, body)
		}
		// Unsigned, the object is not public.
		u := strings.Split(get.URL, "?")[0]
		if status, body := fetch("GET", u, nil); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
			t.Errorf("anonymous GET = %d %s", status, body)
		}
	})
}

func TestS3Authorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := s3Client(t, c, "virtual")
		mustBucket(t, root, "team-bucket")
		mustPut(t, root, "team-bucket", "shared/notes.txt", "notes")
		alexCfg := newUser(t, c, "alex")
		alex := s3Client(t, c, "virtual", conformance.WithCredentials(credsOf(t, alexCfg)))

		c.Require(t, conformance.EnforcesIAM)
		// No policy: denied, with S3's message naming the caller, the action and the resource.
		_, err := alex.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/notes.txt")})
		wantS3Error(t, err, "AccessDenied", 403)
		if !strings.Contains(err.Error(), `User: arn:aws:iam::123456789012:user/alex is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::team-bucket/shared/notes.txt" because no identity-based policy allows the s3:GetObject action`) {
			t.Errorf("message: %v", err)
		}
		_, err = alex.ListBuckets(ctx, &s3.ListBucketsInput{})
		wantS3Error(t, err, "AccessDenied", 403)
		// A missing key without s3:ListBucket is AccessDenied too.
		_, err = alex.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("missing")})
		wantS3Error(t, err, "AccessDenied", 403)

		// An identity policy granting read of one prefix.
		admin := iam.NewFromConfig(c.Config())
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("read-shared"), PolicyDocument: aws.String(`{
		"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-bucket/shared/*"},
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::team-bucket","Condition":{"StringLike":{"s3:prefix":"shared/*"}}}]}`)}); err != nil {
			t.Fatal(err)
		}
		if out, err := alex.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/notes.txt")}); err != nil || readBody(t, out) != "notes" {
			t.Errorf("allowed GetObject: %v", err)
		}
		if _, err := alex.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("team-bucket"), Prefix: aws.String("shared/")}); err != nil {
			t.Errorf("ListObjectsV2 with an allowed prefix: %v", err)
		}
		_, err = alex.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("team-bucket")})
		wantS3Error(t, err, "AccessDenied", 403)
		_, err = alex.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/new"), Body: strings.NewReader("x")})
		wantS3Error(t, err, "AccessDenied", 403)

		// A bucket policy naming alex grants the write; one denying deletes beats root.
		if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("team-bucket"), Policy: aws.String(`{
		"Version":"2012-10-17","Statement":[
		{"Sid":"AlexWrites","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alex"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::team-bucket/*"},
		{"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::team-bucket/*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := alex.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/new"), Body: strings.NewReader("x")}); err != nil {
			t.Errorf("PutObject allowed by the bucket policy: %v", err)
		}
		_, err = root.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/new")})
		wantS3Error(t, err, "AccessDenied", 403)
		if !strings.Contains(err.Error(), "with an explicit deny in a resource-based policy") {
			t.Errorf("deny message: %v", err)
		}
		// DeleteObjects reports each refused key in its result.
		del, err := root.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("team-bucket"), Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{{Key: aws.String("shared/new")}}}})
		if err != nil || len(del.Errors) != 1 || aws.ToString(del.Errors[0].Code) != "AccessDenied" {
			t.Errorf("DeleteObjects under a deny: %v %+v", err, del)
		}

		// A version is read with s3:GetObjectVersion, which alex lacks.
		_, err = alex.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/notes.txt"), VersionId: aws.String("null")})
		wantS3Error(t, err, "AccessDenied", 403)
		if !strings.Contains(err.Error(), "perform: s3:GetObjectVersion on resource") {
			t.Errorf("version denial: %v", err)
		}
		// An access key S3 does not know.
		stranger := s3Client(t, c, "virtual", conformance.WithCredentials("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", ""))
		_, err = stranger.ListBuckets(ctx, &s3.ListBucketsInput{})
		wantS3Error(t, err, "InvalidAccessKeyId", 403)

		// CopyObject needs s3:GetObject on the source as well as s3:PutObject on the target.
		mustBucket(t, root, "private-bucket")
		mustPut(t, root, "private-bucket", "secret", "s")
		_, err = alex.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("team-bucket"), Key: aws.String("shared/stolen"), CopySource: aws.String("private-bucket/secret")})
		wantS3Error(t, err, "AccessDenied", 403)
		if !strings.Contains(err.Error(), "s3:GetObject on resource: \"arn:aws:s3:::private-bucket/secret\"") {
			t.Errorf("copy denial: %v", err)
		}
	})
}

// credsOf returns the static credentials of cfg.
func credsOf(t *testing.T, cfg aws.Config) (string, string, string) {
	t.Helper()
	cr, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken
}

// anonymousGet fetches a URL of c without signing it.
func anonymousGet(t *testing.T, c *conformance.Account, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := c.HTTPClient().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// objectURL is the path-style URL of an object of c: on AWS's host, or on c's server.
func objectURL(t *testing.T, c *conformance.Account, bucket, key string) string {
	if u := c.URL(); u != "" {
		return u + "/" + bucket + "/" + key
	}
	return "https://s3.us-east-1.amazonaws.com/" + bucket + "/" + key
}

func TestS3PublicBucket(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := s3Client(t, c, "virtual")
		mustBucket(t, root, "public-site")
		mustPut(t, root, "public-site", "index.html", "<h1>hi</h1>")
		c.Diverges(t, conformance.Moto, "moto gives a new bucket no Block Public Access (NoSuchPublicAccessBlockConfiguration); AWS blocks by default")
		pab, err := root.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("public-site")})
		if err != nil {
			t.Fatal(err)
		}
		if cfg := pab.PublicAccessBlockConfiguration; !aws.ToBool(cfg.BlockPublicAcls) || !aws.ToBool(cfg.IgnorePublicAcls) || !aws.ToBool(cfg.BlockPublicPolicy) || !aws.ToBool(cfg.RestrictPublicBuckets) {
			t.Errorf("a new bucket's Block Public Access = %+v", cfg)
		}
		own, err := root.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("public-site")})
		if err != nil || own.OwnershipControls.Rules[0].ObjectOwnership != s3types.ObjectOwnershipBucketOwnerEnforced {
			t.Errorf("ownership controls: %v %+v", err, own)
		}
		acl, err := root.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("public-site")})
		if err != nil || len(acl.Grants) != 1 || acl.Grants[0].Permission != s3types.PermissionFullControl || acl.Grants[0].Grantee.Type != s3types.TypeCanonicalUser {
			t.Errorf("GetBucketAcl: %v %+v", err, acl)
		}
		_, err = root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("public-site"), Key: aws.String("x"), Body: strings.NewReader("x"), ACL: s3types.ObjectCannedACLPublicRead})
		wantS3Error(t, err, "AccessControlListNotSupported", 400)

		public := `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-site/*"}]}`
		_, err = root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("public-site"), Policy: aws.String(public)})
		wantS3Error(t, err, "AccessDenied", 403)
		if !strings.Contains(err.Error(), `User: arn:aws:iam::123456789012:root is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::public-site" because public policies are blocked by the BlockPublicPolicy block public access setting.`) {
			t.Errorf("message: %v", err)
		}
		_, err = root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("public-site")})
		wantS3Error(t, err, "NoSuchBucketPolicy", 404)
		_, err = root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("public-site"), Policy: aws.String(`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-site/*"}]}`)})
		wantS3Error(t, err, "MalformedPolicy", 400)
		_, err = root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("public-site"), Policy: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]}`)})
		wantS3Error(t, err, "MalformedPolicy", 400)

		if _, err := root.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("public-site")}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("public-site"), Policy: aws.String(public)}); err != nil {
			t.Fatal(err)
		}
		got, err := root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("public-site")})
		if err != nil || aws.ToString(got.Policy) != public {
			t.Errorf("GetBucketPolicy = %v %q", err, aws.ToString(got.Policy))
		}
		st, err := root.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("public-site")})
		if err != nil || !aws.ToBool(st.PolicyStatus.IsPublic) {
			t.Errorf("GetBucketPolicyStatus: %v %+v", err, st)
		}
		status, _, body := anonymousGet(t, c, objectURL(t, c, "public-site", "index.html"))
		if status != 200 || body != "<h1>hi</h1>" {
			t.Errorf("anonymous GET of a public object = %d %q", status, body)
		}
		// Listing is not public: the policy grants s3:GetObject only.
		status, _, body = anonymousGet(t, c, objectURL(t, c, "public-site", ""))
		if status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code><Message>Access Denied</Message>") {
			t.Errorf("anonymous listing = %d %s", status, body)
		}
		// RestrictPublicBuckets turns the public policy off for anonymous callers.
		if _, err := root.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("public-site"),
			PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{RestrictPublicBuckets: aws.Bool(true)}}); err != nil {
			t.Fatal(err)
		}
		if status, _, _ = anonymousGet(t, c, objectURL(t, c, "public-site", "index.html")); status != 403 {
			t.Errorf("anonymous GET under RestrictPublicBuckets = %d", status)
		}
		if _, err := root.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("public-site")}); err != nil {
			t.Fatal(err)
		}
		_, err = root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("public-site")})
		wantS3Error(t, err, "NoSuchBucketPolicy", 404)
	})
}

// An anonymous PUT is an S3 request from its first byte: its body is not held to the 8 MiB a
// query API form may have before the door knows the service.
func TestS3AnonymousLargePut(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Simulator)
		ctx := context.Background()
		root := s3Client(t, c, "path")
		mustBucket(t, root, "drop-box")
		if _, err := root.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("drop-box")}); err != nil {
			t.Fatal(err)
		}
		policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::drop-box/*"}]}`
		if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("drop-box"), Policy: aws.String(policy)}); err != nil {
			t.Fatal(err)
		}
		body := bytes.Repeat([]byte("a"), 9<<20)
		req, _ := http.NewRequest(http.MethodPut, objectURL(t, c, "drop-box", "big"), bytes.NewReader(body))
		resp, err := c.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("anonymous PUT of 9 MiB = %d %s", resp.StatusCode, msg)
		}
		head, err := root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("drop-box"), Key: aws.String("big")})
		if err != nil || aws.ToInt64(head.ContentLength) != int64(len(body)) {
			t.Errorf("HeadObject = %v, %v", err, head)
		}
	})
}
