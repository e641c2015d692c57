package s3cmd

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// NewClient returns the S3 client the AWS CLI would make from cfg. pathStyle addresses
// buckets in the path (http://host/bucket/key), as botocore does whenever an endpoint URL is
// given (botocore/args.py: ForcePathStyle unless s3.addressing_style is virtual); awsx uses
// it for the simulators too.
//
// Checksums are botocore's of the AWS CLI v2 2.9.19: a flexible checksum (x-amz-checksum-*)
// only when --checksum-algorithm asks for one, otherwise Content-MD5 on PutObject, UploadPart
// and the operations whose model requires a checksum (botocore/httpchecksum.py,
// conditionally_calculate_md5). The SDK's default, CRC32 on every upload, would make the
// service return checksum members the AWS CLI never asked for.
//
// A request answered with the bucket's region (a wrong signing region, a redirect) is sent
// again to that region, which is remembered for the bucket, as botocore's
// S3RegionRedirectorv2 does.
func NewClient(cfg aws.Config, pathStyle bool) *s3.Client {
	rd := &regionRedirect{regions: map[string]string{}}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = pathStyle
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		o.DisableLogOutputChecksumValidationSkipped = true
		o.APIOptions = append(o.APIOptions, botocoreChecksums, func(s *middleware.Stack) error {
			if err := s.Initialize.Add(sseCustomerKey{}, middleware.Before); err != nil {
				return err
			}
			return s.Initialize.Add(rd, middleware.Before)
		})
	})
	rd.opts = c.Options()
	return c
}

// regionRedirect sends a request for a bucket in another region to that region.
type regionRedirect struct {
	opts    s3.Options
	mu      sync.Mutex
	regions map[string]string // bucket → region, as the service named it
}

type redirectedKey struct{}

func (*regionRedirect) ID() string { return "awsx:S3RegionRedirect" }

func (rd *regionRedirect) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	if ctx.Value(redirectedKey{}) != nil {
		return next.HandleInitialize(ctx, in)
	}
	bucket := stringMember(in.Parameters, "Bucket")
	if bucket == "" || strings.HasPrefix(bucket, "arn:") {
		return next.HandleInitialize(ctx, in)
	}
	rd.mu.Lock()
	region, known := rd.regions[bucket]
	rd.mu.Unlock()
	if known && region != rd.opts.Region {
		return rd.resend(ctx, in, region)
	}
	body, _ := bodyOf(in.Parameters).(io.Seeker)
	var start int64
	if body != nil {
		start, _ = body.Seek(0, io.SeekCurrent)
	}
	out, md, err := next.HandleInitialize(ctx, in)
	if err == nil {
		return out, md, err
	}
	region = redirectRegion(middleware.GetOperationName(ctx), err)
	if region == "" || region == rd.opts.Region {
		return out, md, err
	}
	if body != nil {
		if _, serr := body.Seek(start, io.SeekStart); serr != nil {
			return out, md, err // the body cannot be sent again
		}
	}
	rd.mu.Lock()
	rd.regions[bucket] = region
	rd.mu.Unlock()
	return rd.resend(ctx, in, region)
}

// resend calls the operation again through a client of the region.
func (rd *regionRedirect) resend(ctx context.Context, in middleware.InitializeInput, region string) (middleware.InitializeOutput, middleware.Metadata, error) {
	c := s3.New(rd.opts, func(o *s3.Options) { o.Region = region })
	m := reflect.ValueOf(c).MethodByName(middleware.GetOperationName(ctx))
	if !m.IsValid() {
		return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("s3cmd: no operation %q to redirect", middleware.GetOperationName(ctx))
	}
	res := m.Call([]reflect.Value{reflect.ValueOf(context.WithValue(ctx, redirectedKey{}, true)), reflect.ValueOf(in.Parameters)})
	err, _ := res[1].Interface().(error)
	if err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, unwrapOperation(err)
	}
	return middleware.InitializeOutput{Result: res[0].Interface()}, middleware.Metadata{}, nil
}

// unwrapOperation takes off the operation error the inner call added: the outer call adds
// its own.
func unwrapOperation(err error) error {
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		return oe.Err
	}
	return err
}

// redirectRegion is the region an error says the bucket is in, when botocore would follow
// it: a wrong signing region, a permanent or temporary redirect, or a HEAD's 301 or 400 —
// from the x-amz-bucket-region header.
func redirectRegion(op string, err error) string {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil {
		return ""
	}
	status := re.HTTPStatusCode()
	code := ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	head := (op == "HeadObject" || op == "HeadBucket") && (status == 301 || status == 400)
	if !(code == "AuthorizationHeaderMalformed" || code == "PermanentRedirect" || status == 301 || status == 302 || status == 307 || head) {
		return ""
	}
	return re.Response.Header.Get("X-Amz-Bucket-Region")
}

// bodyOf is the input's Body member, nil when it has none.
func bodyOf(in any) any {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	if f := v.FieldByName("Body"); f.IsValid() && f.Kind() == reflect.Interface && !f.IsNil() {
		return f.Interface()
	}
	return nil
}

// stringMember is the input's string member name, "" when unset or absent.
func stringMember(in any, name string) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName(name)
	if f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String {
		return f.Elem().String()
	}
	return ""
}

// md5Operations are the operations botocore sends a Content-MD5 with when no flexible
// checksum is asked for: PutObject and UploadPart (handlers.py), and those whose model has
// requestChecksumRequired.
var md5Operations = map[string]bool{
	"PutObject": true, "UploadPart": true,
	"DeleteObjects": true, "PutBucketAcl": true, "PutBucketCors": true, "PutBucketEncryption": true,
	"PutBucketLifecycle": true, "PutBucketLifecycleConfiguration": true, "PutBucketLogging": true,
	"PutBucketNotification": true, "PutBucketOwnershipControls": true, "PutBucketPolicy": true,
	"PutBucketReplication": true, "PutBucketRequestPayment": true, "PutBucketTagging": true,
	"PutBucketVersioning": true, "PutBucketWebsite": true, "PutObjectAcl": true,
	"PutObjectLegalHold": true, "PutObjectLockConfiguration": true, "PutObjectRetention": true,
	"PutObjectTagging": true, "PutPublicAccessBlock": true, "UpdateObjectEncryption": true,
}

const setupChecksum = "AWSChecksum:SetupInputContext"

func botocoreChecksums(stack *middleware.Stack) error {
	if orig, ok := stack.Initialize.Get(setupChecksum); ok {
		if _, err := stack.Initialize.Swap(setupChecksum, onlyAskedChecksum{orig}); err != nil {
			return err
		}
	}
	if err := stack.Serialize.Add(noDefaultContentType{}, middleware.After); err != nil {
		return err
	}
	return stack.Finalize.Add(contentMD5{}, middleware.Before)
}

// noDefaultContentType drops the Content-Type the SDK sets on an object's body when none is
// given (application/octet-stream): botocore sends none, and S3 stores binary/octet-stream.
type noDefaultContentType struct{}

func (noDefaultContentType) ID() string { return "awsx:NoDefaultContentType" }

func (noDefaultContentType) HandleSerialize(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
	if req, ok := in.Request.(*smithyhttp.Request); ok && smithyhttp.GetIsContentTypeDefaultValue(ctx) {
		req.Header.Del("Content-Type")
	}
	return next.HandleSerialize(ctx, in)
}

// onlyAskedChecksum runs the SDK's checksum setup only when the input names an algorithm.
type onlyAskedChecksum struct {
	orig middleware.InitializeMiddleware
}

func (m onlyAskedChecksum) ID() string { return setupChecksum }

func (m onlyAskedChecksum) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	if checksumAlgorithm(in.Parameters) != "" {
		return m.orig.HandleInitialize(ctx, in, next)
	}
	return next.HandleInitialize(ctx, in)
}

// checksumAlgorithm is the input's ChecksumAlgorithm member, "" when unset or absent.
func checksumAlgorithm(in any) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName("ChecksumAlgorithm")
	if !f.IsValid() || f.Kind() != reflect.String {
		return ""
	}
	return f.String()
}

// sseCustomerKey encodes an SSE-C key as botocore does for the AWS CLI and boto3, whose
// users give the key itself (--sse-c-key, --sse-c-copy-source-key, SSECustomerKey): a key
// without its MD5 is sent base64-encoded, with the MD5 of its bytes (botocore/handlers.py,
// sse_md5 and copy_source_sse_md5). A key given with its MD5 is sent as it is.
type sseCustomerKey struct{}

func (sseCustomerKey) ID() string { return "awsx:SSECustomerKeyMD5" }

func (sseCustomerKey) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	v := reflect.ValueOf(in.Parameters)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		for _, prefix := range []string{"SSECustomer", "CopySourceSSECustomer"} {
			key, sum := v.Elem().FieldByName(prefix+"Key"), v.Elem().FieldByName(prefix+"KeyMD5")
			if !key.IsValid() || !sum.IsValid() || key.IsNil() || !sum.IsNil() {
				continue
			}
			raw := []byte(key.Elem().String())
			md := md5.Sum(raw)
			key.Set(reflect.ValueOf(aws.String(base64.StdEncoding.EncodeToString(raw))))
			sum.Set(reflect.ValueOf(aws.String(base64.StdEncoding.EncodeToString(md[:]))))
		}
	}
	return next.HandleInitialize(ctx, in)
}

// contentMD5 adds botocore's Content-MD5 header to the operations of md5Operations whose
// request has no checksum header yet and a body that can be read twice.
type contentMD5 struct{}

func (contentMD5) ID() string { return "awsx:ContentMD5" }

func (contentMD5) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok || !md5Operations[middleware.GetOperationName(ctx)] || req.Header.Get("Content-MD5") != "" {
		return next.HandleFinalize(ctx, in)
	}
	for h := range req.Header {
		if strings.HasPrefix(strings.ToLower(h), "x-amz-checksum-") {
			return next.HandleFinalize(ctx, in)
		}
	}
	if body := req.GetStream(); body != nil && req.IsStreamSeekable() {
		h := md5.New()
		if _, err := io.Copy(h, body); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		if err := req.RewindStream(); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(h.Sum(nil)))
	} else if body == nil {
		sum := md5.Sum(nil)
		req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	}
	return next.HandleFinalize(ctx, in)
}
