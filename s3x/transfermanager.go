package s3x

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// transferClient is the client the transfer manager sends its requests through: the
// helper's API, each request tuned by FileOptions.ClientOptions (after the manager's own
// options, so that the caller's win), remembering the LastModified of the GetObject answers.
// It is safe for concurrent use, as the manager calls it from several goroutines.
type transferClient struct {
	API
	opts []func(*s3.Options)

	mu sync.Mutex
	lm time.Time
}

var _ transfermanager.S3APIClient = (*transferClient)(nil)

func (t *transferClient) with(optFns []func(*s3.Options)) []func(*s3.Options) {
	if len(t.opts) == 0 {
		return optFns
	}
	return append(optFns[:len(optFns):len(optFns)], t.opts...)
}

func (t *transferClient) PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	return t.API.PutObject(ctx, in, t.with(optFns)...)
}

func (t *transferClient) CreateMultipartUpload(ctx context.Context, in *s3.CreateMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error) {
	return t.API.CreateMultipartUpload(ctx, in, t.with(optFns)...)
}

func (t *transferClient) UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	return t.API.UploadPart(ctx, in, t.with(optFns)...)
}

func (t *transferClient) CompleteMultipartUpload(ctx context.Context, in *s3.CompleteMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error) {
	return t.API.CompleteMultipartUpload(ctx, in, t.with(optFns)...)
}

func (t *transferClient) AbortMultipartUpload(ctx context.Context, in *s3.AbortMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error) {
	return t.API.AbortMultipartUpload(ctx, in, t.with(optFns)...)
}

func (t *transferClient) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	return t.API.ListObjectsV2(ctx, in, t.with(optFns)...)
}

func (t *transferClient) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := t.API.GetObject(ctx, in, t.with(optFns)...)
	if err == nil && out.LastModified != nil {
		t.mu.Lock()
		t.lm = *out.LastModified
		t.mu.Unlock()
	}
	return out, err
}

// HeadObject is in the manager's client interface for its GetObject (a stream), which the
// helpers do not use; [API] does not require it, so it is passed on when the client has it.
func (t *transferClient) HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	h, ok := t.API.(interface {
		HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	})
	if !ok {
		return nil, fmt.Errorf("s3x: the client %T has no HeadObject", t.API)
	}
	return h.HeadObject(ctx, in, t.with(optFns)...)
}

func (t *transferClient) lastModified() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lm
}

// uploadInput is the transfer manager's input for in. A member the manager cannot send
// (a whole-object value such as ContentMD5, or one of PutObject alone) is refused, naming
// it, rather than dropped.
func uploadInput(in *s3.PutObjectInput) (*transfermanager.UploadObjectInput, error) {
	for _, m := range []struct {
		name string
		set  bool
	}{
		{"ContentMD5", in.ContentMD5 != nil},
		{"ChecksumMD5", in.ChecksumMD5 != nil},
		{"ChecksumXXHASH128", in.ChecksumXXHASH128 != nil},
		{"ChecksumXXHASH3", in.ChecksumXXHASH3 != nil},
		{"ChecksumXXHASH64", in.ChecksumXXHASH64 != nil},
		{"ObjectLockEventHold", in.ObjectLockEventHold != ""},
		{"ObjectLockEventHoldDurationDays", in.ObjectLockEventHoldDurationDays != nil},
		{"ObjectLockEventHoldDurationYears", in.ObjectLockEventHoldDurationYears != nil},
		{"WriteOffsetBytes", in.WriteOffsetBytes != nil},
	} {
		if m.set {
			return nil, fmt.Errorf("PutObjectInput.%s is not sent by the transfer manager: use PutObject", m.name)
		}
	}
	return &transfermanager.UploadObjectInput{
		Bucket:                    in.Bucket,
		Key:                       in.Key,
		Body:                      in.Body,
		ACL:                       tmtypes.ObjectCannedACL(in.ACL),
		BucketKeyEnabled:          in.BucketKeyEnabled,
		CacheControl:              in.CacheControl,
		ChecksumAlgorithm:         tmtypes.ChecksumAlgorithm(in.ChecksumAlgorithm),
		ChecksumCRC32:             in.ChecksumCRC32,
		ChecksumCRC32C:            in.ChecksumCRC32C,
		ChecksumCRC64NVME:         in.ChecksumCRC64NVME,
		ChecksumSHA1:              in.ChecksumSHA1,
		ChecksumSHA256:            in.ChecksumSHA256,
		ChecksumSHA512:            in.ChecksumSHA512,
		ContentLength:             in.ContentLength,
		ContentDisposition:        in.ContentDisposition,
		ContentEncoding:           in.ContentEncoding,
		ContentLanguage:           in.ContentLanguage,
		ContentType:               in.ContentType,
		ExpectedBucketOwner:       in.ExpectedBucketOwner,
		Expires:                   in.Expires,
		GrantFullControl:          in.GrantFullControl,
		GrantRead:                 in.GrantRead,
		GrantReadACP:              in.GrantReadACP,
		GrantWriteACP:             in.GrantWriteACP,
		IfMatch:                   in.IfMatch,
		IfNoneMatch:               in.IfNoneMatch,
		Metadata:                  in.Metadata,
		ObjectLockLegalHoldStatus: tmtypes.ObjectLockLegalHoldStatus(in.ObjectLockLegalHoldStatus),
		ObjectLockMode:            tmtypes.ObjectLockMode(in.ObjectLockMode),
		ObjectLockRetainUntilDate: in.ObjectLockRetainUntilDate,
		RequestPayer:              tmtypes.RequestPayer(in.RequestPayer),
		SSECustomerAlgorithm:      in.SSECustomerAlgorithm,
		SSECustomerKey:            in.SSECustomerKey,
		SSECustomerKeyMD5:         in.SSECustomerKeyMD5,
		SSEKMSEncryptionContext:   in.SSEKMSEncryptionContext,
		SSEKMSKeyID:               in.SSEKMSKeyId,
		ServerSideEncryption:      tmtypes.ServerSideEncryption(in.ServerSideEncryption),
		StorageClass:              tmtypes.StorageClass(in.StorageClass),
		Tagging:                   in.Tagging,
		WebsiteRedirectLocation:   in.WebsiteRedirectLocation,
	}, nil
}

// downloadInput is the transfer manager's input for in, written to w. PartNumber, which
// the manager sets itself, is refused.
func downloadInput(in *s3.GetObjectInput, w io.WriterAt) (*transfermanager.DownloadObjectInput, error) {
	if in.PartNumber != nil {
		return nil, fmt.Errorf("GetObjectInput.PartNumber is not sent by the transfer manager: use GetObject")
	}
	return &transfermanager.DownloadObjectInput{
		Bucket:                     in.Bucket,
		Key:                        in.Key,
		WriterAt:                   w,
		ChecksumMode:               tmtypes.ChecksumMode(in.ChecksumMode),
		ExpectedBucketOwner:        in.ExpectedBucketOwner,
		IfMatch:                    in.IfMatch,
		IfModifiedSince:            in.IfModifiedSince,
		IfNoneMatch:                in.IfNoneMatch,
		IfUnmodifiedSince:          in.IfUnmodifiedSince,
		Range:                      in.Range,
		RequestPayer:               tmtypes.RequestPayer(in.RequestPayer),
		ResponseCacheControl:       in.ResponseCacheControl,
		ResponseContentDisposition: in.ResponseContentDisposition,
		ResponseContentEncoding:    in.ResponseContentEncoding,
		ResponseContentLanguage:    in.ResponseContentLanguage,
		ResponseContentType:        in.ResponseContentType,
		ResponseExpires:            in.ResponseExpires,
		SSECustomerAlgorithm:       in.SSECustomerAlgorithm,
		SSECustomerKey:             in.SSECustomerKey,
		SSECustomerKeyMD5:          in.SSECustomerKeyMD5,
		VersionID:                  in.VersionId,
	}, nil
}
