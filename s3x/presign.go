package s3x

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// MaxPresignExpiry is the longest a SigV4 presigned URL can be valid: seven days. A URL
// signed with temporary credentials (a role's, an SSO session's) stops working when they
// expire, whichever comes first.
const MaxPresignExpiry = 7 * 24 * time.Hour

// Presign returns a URL that lets whoever holds it GET (download) or PUT (upload) the object
// bucket/key for expires, with no credentials of their own: the request is signed with the
// presigner's credentials, in the query string (SigV4). It makes no request; a URL for an
// object that does not exist is signed all the same, and answers 404 when used. optFns
// tune the SDK's presign call (s3.PresignOptions).
//
// On AWS, presigning is free; the GET or PUT made with the URL costs what any other does.
func Presign(ctx context.Context, p Presigner, method, bucket, key string, expires time.Duration, optFns ...func(*s3.PresignOptions)) (string, error) {
	if expires <= 0 || expires > MaxPresignExpiry {
		return "", fmt.Errorf("s3x: presign s3://%s/%s: expiry %v: want more than 0 and at most %v", bucket, key, expires, MaxPresignExpiry)
	}
	if key == "" {
		return "", fmt.Errorf("s3x: presign s3://%s/: an object key is required", bucket)
	}
	opts := append([]func(*s3.PresignOptions){s3.WithPresignExpires(expires)}, optFns...)
	switch method {
	case http.MethodGet:
		req, err := p.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, opts...)
		if err != nil {
			return "", wrap(err, "presign GET s3://%s/%s", bucket, key)
		}
		return req.URL, nil
	case http.MethodPut:
		req, err := p.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, opts...)
		if err != nil {
			return "", wrap(err, "presign PUT s3://%s/%s", bucket, key)
		}
		return req.URL, nil
	}
	return "", fmt.Errorf("s3x: presign s3://%s/%s: method %q: want GET or PUT", bucket, key, method)
}
