package s3cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/s3x"
)

// submit checks the file for the AWS CLI's warnings, then queues its transfer (or prints
// what a dry run would do).
func (t *transfer) submit(ctx context.Context, pool *pool, f *fileStat) {
	if t.skip(pool, f) {
		return
	}
	src, dest := t.display(f)
	kind := f.op
	if t.isMove {
		kind = "move"
	}
	loc := src
	if dest != "" {
		loc = src + " to " + dest
	}
	if t.a.has("dryrun") {
		pool.put(result{kind: resultDryRun, text: kind + ": " + loc})
		return
	}
	pool.run(f.size, func() result {
		err := t.do(ctx, f)
		if err != nil {
			return result{kind: resultFailure, text: kind + " failed: " + loc + " " + errorText(err), size: f.size}
		}
		return result{kind: resultSuccess, text: kind + ": " + loc, size: f.size}
	})
}

// skip queues the warnings a file warrants and reports whether it is skipped: objects in
// Glacier (unless forced) for downloads and copies, downloads outside the destination.
// Uploads above S3's limit are warned of but tried.
func (t *transfer) skip(pool *pool, f *fileStat) bool {
	switch f.op {
	case "upload":
		if f.size > maxUploadSize {
			p := relativePath(f.src, t.env.Dir)
			pool.warn("warning: " + p + ". File " + p + " exceeds s3 upload limit of " + HumanSize(maxUploadSize) + ".")
		}
	case "download", "copy":
		if (f.storageClass == "GLACIER" || f.storageClass == "DEEP_ARCHIVE") && !strings.Contains(f.restore, `ongoing-request="false"`) &&
			!t.a.has("force-glacier-transfer") {
			if !t.a.has("ignore-glacier-warnings") {
				pool.warn(skipWarning("s3://"+f.src, fmt.Sprintf("Object is of storage class GLACIER. Unable to perform %[1]s operations on GLACIER objects. "+
					"You must restore the object to be able to perform the operation. See aws s3 %[1]s help for additional parameter options to ignore or force these transfers.", f.op)))
			}
			return true
		}
		if f.op == "download" && !t.isStream && strings.HasPrefix(filepath.Clean(f.compareKey), ".."+string(os.PathSeparator)) {
			pool.warn(skipWarning(f.compareKey, "File references a parent directory."))
			return true
		}
	}
	return false
}

// display is how a result names the transfer's source and destination: local paths
// relative to the working directory, objects as s3:// URLs, streams as "-".
func (t *transfer) display(f *fileStat) (src, dest string) {
	name := func(p, kind string) string {
		switch {
		case t.isStream && kind == "local":
			return "-"
		case kind == "s3":
			return "s3://" + strings.TrimPrefix(p, "s3://")
		}
		return relativePath(p, t.env.Dir)
	}
	if f.op == "delete" {
		return name(f.src, f.srcKind), ""
	}
	return name(f.src, f.srcKind), name(f.dest, f.dstKind)
}

// do performs one transfer.
func (t *transfer) do(ctx context.Context, f *fileStat) error {
	switch {
	case f.op == "delete" && f.srcKind == "local":
		return os.Remove(f.src)
	case f.op == "delete":
		bucket, key, err := FindBucketKey(f.src)
		if err != nil {
			return err
		}
		in := &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
		if p := t.a.get("request-payer"); p != "" {
			in.RequestPayer = types.RequestPayer(p)
		}
		_, err = t.client.DeleteObject(ctx, in)
		return err
	case f.op == "upload":
		if err := t.upload(ctx, f); err != nil {
			return err
		}
		if t.isMove {
			return os.Remove(f.src)
		}
		return nil
	case f.op == "download":
		if err := t.download(ctx, f); err != nil {
			return err
		}
		return t.deleteSource(ctx, f)
	case f.op == "copy":
		if err := t.copyObject(ctx, f); err != nil {
			return err
		}
		return t.deleteSource(ctx, f)
	}
	return fmt.Errorf("s3cmd: no %s of %s", f.op, f.src)
}

// deleteSource deletes a moved object's source.
func (t *transfer) deleteSource(ctx context.Context, f *fileStat) error {
	if !t.isMove {
		return nil
	}
	bucket, key, err := FindBucketKey(f.src)
	if err != nil {
		return err
	}
	in := &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if p := t.a.get("request-payer"); p != "" {
		in.RequestPayer = types.RequestPayer(p)
	}
	_, err = t.srcCl.DeleteObject(ctx, in)
	return err
}

// objectArgs are the request parameters the command line sets on a new object (PutObject,
// CreateMultipartUpload, CopyObject): RequestParamsMapper's.
type objectArgs struct {
	acl                                                        types.ObjectCannedACL
	storageClass                                               types.StorageClass
	redirect, contentType, cacheControl, disposition, encoding *string
	language                                                   *string
	expires                                                    *time.Time
	grantRead, grantFull, grantReadACP, grantWriteACP          *string
	metadata                                                   map[string]string
	sse                                                        types.ServerSideEncryption
	kmsKey, sseCAlg, sseCKey                                   *string
	payer                                                      types.RequestPayer
}

func opt(a *args, name string) *string {
	if v := a.get(name); v != "" {
		return aws.String(v)
	}
	return nil
}

func (t *transfer) objectArgs() (objectArgs, error) {
	a := t.a
	o := objectArgs{
		acl: types.ObjectCannedACL(a.get("acl")), storageClass: types.StorageClass(a.get("storage-class")),
		redirect: opt(a, "website-redirect"), contentType: opt(a, "content-type"), cacheControl: opt(a, "cache-control"),
		disposition: opt(a, "content-disposition"), encoding: opt(a, "content-encoding"), language: opt(a, "content-language"),
		sse: types.ServerSideEncryption(a.get("sse")), kmsKey: opt(a, "sse-kms-key-id"), payer: types.RequestPayer(a.get("request-payer")),
	}
	if v := a.get("expires"); v != "" {
		ts, err := parseTimestamp(v)
		if err != nil {
			return o, &paramError{fmt.Sprintf("Parameter validation failed:\nInvalid type for parameter Expires, value: %s, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string", v)}
		}
		o.expires = &ts
	}
	for _, g := range a.values["grants"] {
		perm, grantee, ok := strings.Cut(g, "=")
		if !ok {
			return o, &paramError{"grants should be of the form permission=principal"}
		}
		switch perm {
		case "read":
			o.grantRead = aws.String(grantee)
		case "full":
			o.grantFull = aws.String(grantee)
		case "readacl":
			o.grantReadACP = aws.String(grantee)
		case "writeacl":
			o.grantWriteACP = aws.String(grantee)
		default:
			return o, &paramError{"permission must be one of: read|readacl|writeacl|full"}
		}
	}
	if v := a.get("metadata"); v != "" {
		m, err := metadataArg(v)
		if err != nil {
			return o, err
		}
		o.metadata = m
	}
	if alg := a.get("sse-c"); alg != "" {
		o.sseCAlg, o.sseCKey = aws.String(alg), aws.String(a.get("sse-c-key"))
	}
	return o, nil
}

// parseTimestamp reads a timestamp as botocore's parameter validation accepts it.
func parseTimestamp(v string) (time.Time, error) {
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		sec, frac := math.Modf(n)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02", time.RFC1123, time.RFC1123Z} {
		if ts, err := time.Parse(layout, v); err == nil {
			return ts, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", v)
}

// upload puts a file (or standard input) with the transfer manager of package s3x: one
// PutObject up to the part size (8 MiB), parts above it, with the content type Python's
// mimetypes guesses unless --content-type or --no-guess-mime-type says otherwise.
func (t *transfer) upload(ctx context.Context, f *fileStat) error {
	bucket, key, err := FindBucketKey(f.dest)
	if err != nil {
		return err
	}
	o, err := t.objectArgs()
	if err != nil {
		return err
	}
	opts := t.fileOptions(func(fo *s3x.FileOptions) {
		fo.NoGuessContentType = t.a.has("no-guess-mime-type")
		fo.Put = o.put
	})
	if f.src == "-" {
		chunk := t.chunkSize
		if v := t.a.get("expected-size"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("invalid literal for int() with base 10: '%s'", v)
			}
			chunk = s3x.PartSize(chunk, n)
		}
		in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: struct{ io.Reader }{t.env.In}}
		return cliError(s3x.Upload(ctx, t.client, in, opts, func(fo *s3x.FileOptions) { fo.PartSize = chunk }), f.src)
	}
	return cliError(s3x.UploadFile(ctx, t.client, f.src, bucket, key, opts), f.src)
}

// fileOptions are the transfer manager's settings for the AWS CLI's transfers: parts of
// the chunk size, and checksums only when asked for (the client's setting).
func (t *transfer) fileOptions(more ...func(*s3x.FileOptions)) func(*s3x.FileOptions) {
	return func(fo *s3x.FileOptions) {
		fo.PartSize = t.chunkSize
		fo.Transfer = append(fo.Transfer, func(o *transfermanager.Options) {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		})
		for _, f := range more {
			f(fo)
		}
	}
}

// cliError takes off package s3x's wording of an error, for the AWS CLI's: a service's
// error as botocore prints it, a file's as Python's OSError.
func cliError(err error, path string) error {
	if err == nil {
		return nil
	}
	if _, ok := clientErrorText(err); ok {
		return err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return errors.New(params.PyOSError(pe, path))
	}
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		if !strings.HasPrefix(err.Error(), "s3x: ") {
			return err
		}
		err = u
	}
}

// put sets the command line's parameters on an upload's request.
func (o objectArgs) put(in *s3.PutObjectInput) {
	in.ACL, in.StorageClass, in.WebsiteRedirectLocation, in.ContentType = o.acl, o.storageClass, o.redirect, o.contentType
	in.CacheControl, in.ContentDisposition, in.ContentEncoding, in.ContentLanguage = o.cacheControl, o.disposition, o.encoding, o.language
	in.Expires, in.GrantRead, in.GrantFullControl, in.GrantReadACP, in.GrantWriteACP = o.expires, o.grantRead, o.grantFull, o.grantReadACP, o.grantWriteACP
	in.Metadata, in.ServerSideEncryption, in.SSEKMSKeyId, in.SSECustomerAlgorithm, in.SSECustomerKey = o.metadata, o.sse, o.kmsKey, o.sseCAlg, o.sseCKey
	in.RequestPayer = o.payer
}

func (t *transfer) abort(bucket, key string, id *string, payer types.RequestPayer) {
	t.client.AbortMultipartUpload(context.Background(), &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		UploadId: id, RequestPayer: payer})
}

// download gets an object into a file with the transfer manager of package s3x (into a
// temporary file beside the destination, renamed into place, with the object's modification
// time), or into standard output for a stream.
func (t *transfer) download(ctx context.Context, f *fileStat) error {
	bucket, key, err := FindBucketKey(f.src)
	if err != nil {
		return err
	}
	tune := func(in *s3.GetObjectInput) {
		if alg := t.a.get("sse-c"); alg != "" {
			in.SSECustomerAlgorithm, in.SSECustomerKey = aws.String(alg), aws.String(t.a.get("sse-c-key"))
		}
		if p := t.a.get("request-payer"); p != "" {
			in.RequestPayer = types.RequestPayer(p)
		}
	}
	if t.isStream {
		in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
		tune(in)
		out, err := t.srcCl.GetObject(ctx, in)
		if err != nil {
			return err
		}
		defer out.Body.Close()
		_, err = io.Copy(t.env.Out, out.Body)
		return err
	}
	dir := filepath.Dir(f.dest)
	if _, err := os.Stat(dir); err != nil {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return fmt.Errorf("Could not create directory %s: %s", dir, params.PyOSError(err, dir))
		}
	}
	return cliError(s3x.DownloadFile(ctx, t.srcCl, bucket, key, f.dest, t.fileOptions(func(fo *s3x.FileOptions) {
		fo.Get = tune
		if f.sizeKnown {
			fo.ModTime = f.lastUpdate
		}
	})), f.dest)
}

// copyObject copies an object with CopyObject below the multipart threshold, with
// UploadPartCopy in parts above it, its properties and tags carried over as the AWS CLI's
// --copy-props default does.
func (t *transfer) copyObject(ctx context.Context, f *fileStat) error {
	bucket, key, err := FindBucketKey(f.dest)
	if err != nil {
		return err
	}
	srcBucket, srcKey, err := FindBucketKey(f.src)
	if err != nil {
		return err
	}
	o, err := t.objectArgs()
	if err != nil {
		return err
	}
	source := QuoteCopySource(srcBucket + "/" + srcKey)
	directive := types.MetadataDirective(t.a.get("metadata-directive"))
	if directive == "" && o.metadata != nil {
		directive = types.MetadataDirectiveReplace
	}
	var tagging types.TaggingDirective
	multipartCopy := f.size >= t.multipartThresh
	var tags string
	if t.a.get("metadata-directive") == "" {
		props := t.a.get("copy-props")
		if props == "" {
			props = "default"
		}
		explicit := o.cacheControl != nil || o.disposition != nil || o.encoding != nil || o.language != nil ||
			o.contentType != nil || o.expires != nil || o.metadata != nil
		switch props {
		case "none":
			directive, tagging = types.MetadataDirectiveReplace, types.TaggingDirectiveReplace
		default:
			if multipartCopy || explicit {
				if !multipartCopy {
					directive = types.MetadataDirectiveReplace
				}
				head := f.head
				if head == nil || t.dirOp {
					in := &s3.HeadObjectInput{Bucket: aws.String(srcBucket), Key: aws.String(srcKey)}
					t.headParams(in)
					if head, err = t.srcCl.HeadObject(ctx, in); err != nil {
						return err
					}
				}
				inject(&o, head)
			}
			if props == "metadata-directive" {
				tagging = types.TaggingDirectiveReplace
			} else if multipartCopy {
				out, err := t.srcCl.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(srcBucket), Key: aws.String(srcKey),
					RequestPayer: o.payer})
				if err != nil {
					return err
				}
				var kv []string
				for _, tag := range out.TagSet {
					kv = append(kv, url.QueryEscape(aws.ToString(tag.Key))+"="+url.QueryEscape(aws.ToString(tag.Value)))
				}
				tags = strings.Join(kv, "&")
			}
		}
	}
	srcAlg, srcKeyC := opt(t.a, "sse-c-copy-source"), opt(t.a, "sse-c-copy-source-key")
	if !multipartCopy {
		_, err := t.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), CopySource: aws.String(source),
			MetadataDirective: directive, TaggingDirective: tagging,
			ACL: o.acl, StorageClass: o.storageClass, WebsiteRedirectLocation: o.redirect, ContentType: o.contentType,
			CacheControl: o.cacheControl, ContentDisposition: o.disposition, ContentEncoding: o.encoding, ContentLanguage: o.language,
			Expires: o.expires, GrantRead: o.grantRead, GrantFullControl: o.grantFull, GrantReadACP: o.grantReadACP, GrantWriteACP: o.grantWriteACP,
			Metadata: o.metadata, ServerSideEncryption: o.sse, SSEKMSKeyId: o.kmsKey, SSECustomerAlgorithm: o.sseCAlg, SSECustomerKey: o.sseCKey,
			CopySourceSSECustomerAlgorithm: srcAlg, CopySourceSSECustomerKey: srcKeyC, RequestPayer: o.payer})
		return err
	}
	create := &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		ACL: o.acl, StorageClass: o.storageClass, WebsiteRedirectLocation: o.redirect, ContentType: o.contentType,
		CacheControl: o.cacheControl, ContentDisposition: o.disposition, ContentEncoding: o.encoding, ContentLanguage: o.language,
		Expires: o.expires, GrantRead: o.grantRead, GrantFullControl: o.grantFull, GrantReadACP: o.grantReadACP, GrantWriteACP: o.grantWriteACP,
		Metadata: o.metadata, ServerSideEncryption: o.sse, SSEKMSKeyId: o.kmsKey, SSECustomerAlgorithm: o.sseCAlg, SSECustomerKey: o.sseCKey,
		RequestPayer: o.payer}
	if tags != "" {
		create.Tagging = aws.String(tags)
	}
	mu, err := t.client.CreateMultipartUpload(ctx, create)
	if err != nil {
		return err
	}
	chunk := s3x.PartSize(t.chunkSize, f.size)
	var parts []types.CompletedPart
	for n, off := int32(1), int64(0); off < f.size; n, off = n+1, off+chunk {
		out, err := t.client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(bucket), Key: aws.String(key),
			UploadId: mu.UploadId, PartNumber: aws.Int32(n), CopySource: aws.String(source),
			CopySourceRange:      aws.String(fmt.Sprintf("bytes=%d-%d", off, min(off+chunk, f.size)-1)),
			SSECustomerAlgorithm: o.sseCAlg, SSECustomerKey: o.sseCKey, CopySourceSSECustomerAlgorithm: srcAlg,
			CopySourceSSECustomerKey: srcKeyC, RequestPayer: o.payer})
		if err != nil {
			t.abort(bucket, key, mu.UploadId, o.payer)
			return err
		}
		parts = append(parts, types.CompletedPart{ETag: out.CopyPartResult.ETag, PartNumber: aws.Int32(n)})
	}
	_, err = t.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		UploadId: mu.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}, RequestPayer: o.payer})
	if err != nil {
		t.abort(bucket, key, mu.UploadId, o.payer)
	}
	return err
}

// inject fills in the properties the command line left unset from the source's
// HeadObject (SetMetadataDirectivePropsSubscriber).
func inject(o *objectArgs, h *s3.HeadObjectOutput) {
	if o.cacheControl == nil {
		o.cacheControl = h.CacheControl
	}
	if o.disposition == nil {
		o.disposition = h.ContentDisposition
	}
	if o.encoding == nil {
		o.encoding = h.ContentEncoding
	}
	if o.language == nil {
		o.language = h.ContentLanguage
	}
	if o.contentType == nil {
		o.contentType = h.ContentType
	}
	if o.expires == nil {
		o.expires = h.Expires
	}
	if o.metadata == nil && h.Metadata != nil {
		o.metadata = h.Metadata
	}
}

// QuoteCopySource is botocore's percent-encoding of a copy source "bucket/key": every byte
// but letters, digits, "-._~" and "/" encoded.
func QuoteCopySource(s string) string { return pyQuote(s, "-._~/") }

// pyQuote is Python's urllib.parse.quote(s, safe): every byte but letters, digits, "_.-~"
// and those in safe percent-encoded.
func pyQuote(s, safe string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~"+safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
