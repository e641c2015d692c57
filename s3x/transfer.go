package s3x

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// DefaultPartSize is the AWS CLI's multipart_chunksize and, near enough, its
// multipart_threshold: 8 MiB. An object above it is sent and fetched in parts of it.
const DefaultPartSize = 8 << 20

// S3's limits on a multipart upload.
const (
	MaxParts      = 10000   // parts of one upload
	MinPartSize   = 5 << 20 // every part but the last
	MaxPartSize   = 5 << 30 // any part
	MaxObjectSize = 5 << 40 // the object
)

// PartSize is the part size the AWS CLI (s3transfer's ChunksizeAdjuster) uses for an
// object of size bytes when asked for parts of chunk bytes: doubled until the object fits in
// 10,000 parts, then kept within S3's part sizes (5 MiB to 5 GiB).
func PartSize(chunk, size int64) int64 {
	if chunk <= 0 {
		chunk = DefaultPartSize
	}
	for size > 0 && (size+chunk-1)/chunk > MaxParts {
		chunk *= 2
	}
	return min(max(chunk, MinPartSize), MaxPartSize)
}

// FileOptions tunes one transfer of [UploadFile], [Upload] or [DownloadFile].
type FileOptions struct {
	// PartSize is the part size asked for; 0 means [DefaultPartSize]. It is adjusted by
	// [PartSize] to the object's size. An object up to one part is sent in one PutObject.
	PartSize int64
	// Concurrency is how many parts of one object are sent or fetched at once; 0 means the
	// transfer manager's default (5).
	Concurrency int
	// NoGuessContentType leaves the content type of an upload unset when the input has
	// none (S3 then stores binary/octet-stream), instead of [ContentType] of its file name.
	NoGuessContentType bool
	// Put tunes the upload's request (ACL, metadata, encryption, cache control…); it is
	// called once, before the transfer starts.
	Put func(*s3.PutObjectInput)
	// Get tunes a download's request (SSE-C key, requester pays, version…).
	Get func(*s3.GetObjectInput)
	// ModTime is a downloaded file's modification time; zero means the object's
	// LastModified, truncated to the second as the AWS CLI sets it.
	ModTime time.Time
	// ClientOptions tune each request (for example the region of the bucket).
	ClientOptions []func(*s3.Options)
	// Transfer tunes the transfer manager (feature/s3/transfermanager), for example its
	// RequestChecksumCalculation or ChecksumAlgorithm; it is called after the part size,
	// the multipart threshold and the concurrency above are set.
	Transfer []func(*transfermanager.Options)
}

func fileOptions(optFns []func(*FileOptions)) FileOptions {
	var o FileOptions
	for _, f := range optFns {
		f(&o)
	}
	return o
}

// manager returns a transfer manager over c for parts of partSize bytes, and the client it
// sends its requests through.
func (o *FileOptions) manager(c API, partSize int64) (*transfermanager.Client, *transferClient) {
	tc := &transferClient{API: c, opts: o.ClientOptions}
	return transfermanager.New(tc, append([]func(*transfermanager.Options){func(t *transfermanager.Options) {
		t.PartSizeBytes = partSize
		// One PutObject up to the part size (the manager's threshold is the smallest size sent
		// in parts), as the AWS CLI sends a file of its chunk size.
		t.MultipartUploadThreshold = partSize + 1
		// Downloads in ranged GETs of the part size, as the AWS CLI fetches them (the manager's
		// default is the parts the object was uploaded in).
		t.GetObjectType = tmtypes.GetObjectRanges
		if o.Concurrency > 0 {
			t.Concurrency = o.Concurrency
		}
	}}, o.Transfer...)...), tc
}

// UploadFile uploads the local file path to bucket/key with the SDK's transfer manager: one
// PutObject up to the part size, else a multipart upload in parts sent in parallel, which
// the manager aborts if a part fails, so no parts are left behind to be billed. The content
// type is [ContentType] of path unless o.Put sets one or o.NoGuessContentType is set.
// Uploading the same file again writes the same object again.
func UploadFile(ctx context.Context, c API, path, bucket, key string, optFns ...func(*FileOptions)) error {
	o := fileOptions(optFns)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("s3x: upload %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("s3x: upload %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("s3x: upload %s: not a regular file", path)
	}
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if o.Put != nil {
		o.Put(in)
	}
	if in.ContentType == nil && !o.NoGuessContentType {
		if ct := ContentType(path); ct != "" {
			in.ContentType = aws.String(ct)
		}
	}
	in.Body = io.NewSectionReader(f, 0, fi.Size())
	in.ContentLength = nil // the manager sets each request's
	up, err := uploadInput(in)
	if err == nil {
		m, _ := o.manager(c, PartSize(o.PartSize, fi.Size()))
		_, err = m.UploadObject(ctx, up)
	}
	return wrap(err, "upload %s to s3://%s/%s", path, bucket, key)
}

// Upload uploads in.Body (any reader: a stream of unknown size is read a part at a time)
// to in.Bucket and in.Key with the transfer manager, as [UploadFile] does.
func Upload(ctx context.Context, c API, in *s3.PutObjectInput, optFns ...func(*FileOptions)) error {
	o := fileOptions(optFns)
	in = copyPut(in)
	if o.Put != nil {
		o.Put(in)
	}
	if in.Body == nil {
		return fmt.Errorf("s3x: upload to s3://%s/%s: no body", aws.ToString(in.Bucket), aws.ToString(in.Key))
	}
	size := int64(-1)
	if s, ok := in.Body.(io.Seeker); ok {
		if cur, err := s.Seek(0, io.SeekCurrent); err == nil {
			if end, err := s.Seek(0, io.SeekEnd); err == nil {
				size = end - cur
				s.Seek(cur, io.SeekStart)
			}
		}
		if size < 0 {
			// A seeker that cannot seek (standard input on a pipe): read it as a stream, which
			// the manager would otherwise refuse.
			in.Body = struct{ io.Reader }{in.Body}
		}
	}
	in.ContentLength = nil
	up, err := uploadInput(in)
	if err == nil {
		m, _ := o.manager(c, PartSize(o.PartSize, size))
		_, err = m.UploadObject(ctx, up)
	}
	return wrap(err, "upload to s3://%s/%s", aws.ToString(in.Bucket), aws.ToString(in.Key))
}

func copyPut(in *s3.PutObjectInput) *s3.PutObjectInput {
	c := *in
	return &c
}

// DownloadFile downloads bucket/key to the local file path with the transfer manager (ranged
// GETs of the part size, fetched in parallel), into a temporary file beside path that is
// renamed into place once complete: a failed download leaves neither a partial file nor
// the temporary one, and never changes an existing file. Missing directories of path are
// made. The file's modification time is o.ModTime, else the object's LastModified (to the
// second), so that [Sync] sees it as up to date.
func DownloadFile(ctx context.Context, c API, bucket, key, path string, optFns ...func(*FileOptions)) error {
	o := fileOptions(optFns)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("s3x: download s3://%s/%s: %w", bucket, key, err)
	}
	tmp, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("s3x: download s3://%s/%s: %w", bucket, key, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if o.Get != nil {
		o.Get(in)
	}
	din, err := downloadInput(in, tmp)
	if err != nil {
		return wrap(err, "download s3://%s/%s", bucket, key)
	}
	m, tc := o.manager(c, PartSize(o.PartSize, 0))
	if _, err := m.DownloadObject(ctx, din); err != nil {
		return wrap(err, "download s3://%s/%s", bucket, key)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("s3x: download s3://%s/%s: %w", bucket, key, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("s3x: download s3://%s/%s: %w", bucket, key, err)
	}
	ok = true
	mtime := o.ModTime
	if mtime.IsZero() {
		mtime = tc.lastModified()
	}
	if !mtime.IsZero() {
		mtime = mtime.Truncate(time.Second)
		os.Chtimes(path, mtime, mtime) // as the AWS CLI, a download whose time cannot be set is done
	}
	return nil
}

// createTemp creates the file a download of dest is written into before it is renamed into
// place, as s3transfer names it: dest's name, a dot and eight random hex digits, with the
// umask's permissions.
func createTemp(dest string) (*os.File, error) {
	for {
		var b [4]byte
		rand.Read(b[:])
		f, err := os.OpenFile(fmt.Sprintf("%s.%x", dest, b), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
		if !errors.Is(err, os.ErrExist) {
			return f, err
		}
	}
}
