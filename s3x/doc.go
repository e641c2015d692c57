// Package s3x is what a Go program does with S3 beyond single requests: publish a directory
// as a static website, keep a directory and a bucket in step, move files in and out with
// the SDK's transfer manager, share an object with a presigned URL, and remove a bucket
// with everything in it. Each helper takes [API] — the S3 operations it calls, which
// *s3.Client has — and options as the SDK's own functions do (optFns ...func(*Options)).
//
// The rules are the AWS CLI's, so that what `aws s3 sync` would do is what [Sync] does:
// which files are compared and how ([Outdated]: sizes, then times; --size-only,
// --exact-timestamps), which files --exclude and --include keep ([Filter]: the last
// matching rule wins; fnmatch patterns, where "*" crosses slashes), which content type an
// upload gets ([ContentType]: Python's mimetypes table, as the AWS CLI guesses it). The
// awsx command's `s3` commands are built on this package.
//
// # Helpers
//
//   - [StaticSite]: a bucket in a region, its Block Public Access settings opened to
//     policies, a public-read bucket policy ([PublicReadPolicy], checked with package
//     iamx/policy), the website configuration and the directory uploaded; its URL by
//     [WebsiteURL], which knows AWS's two forms of website endpoint (s3-website-REGION for
//     the nine oldest regions, s3-website.REGION for the others).
//   - [Sync], [UploadDir] and [DownloadDir]: directories to prefixes and back, files in
//     parallel, progress through a callback ([SyncOptions.Progress]), a [Report] of what
//     was done.
//   - [UploadFile], [Upload] and [DownloadFile]: one file or stream, in parts above 8 MiB
//     ([PartSize] as the AWS CLI sizes them).
//   - [Presign]: a GET or PUT URL that works without credentials until it expires.
//   - [CreateBucket], [EmptyBucket] (every version and delete marker, batched
//     DeleteObjects, and the multipart uploads in progress) and [DeleteBucket].
//
// # Safe to run again, and nothing left behind
//
// Every helper can be run again after a failure or a success: [CreateBucket] finds a bucket
// the caller owns, [Sync] sends only what is missing or outdated, [EmptyBucket] and
// [DeleteBucket] accept a bucket that is gone. What fails cleans up after itself: a
// multipart upload that fails is aborted (its parts would be billed), a download is written
// to a temporary file renamed into place only when complete, and [StaticSite] deletes the
// bucket it made if a later step fails.
//
// Errors name the package, the operation and the resource ("s3x: upload site/a.css to
// s3://b/a.css: …") and wrap the SDK's: errors.As finds the smithy.APIError, so callers
// branch on ErrorCode() ("NoSuchBucket", "AccessDenied") as with the SDK. A key that
// DeleteObjects refused is a [DeleteError], itself a smithy.APIError.
//
// # Transfers
//
// Uploads and downloads use the SDK's transfer manager,
// github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager (v0.5), the successor of the
// deprecated feature/s3/manager: one PutObject up to the part size, else a multipart upload
// of parts sent five at a time, aborted on failure; downloads in ranged GETs of the part
// size fetched in parallel, as the AWS CLI fetches them. [FileOptions] reaches the manager's
// own settings ([FileOptions.Transfer]). The SDK's PutObjectInput and GetObjectInput stay
// this package's request types: the few members the manager cannot send (ContentMD5, a
// whole-object checksum of the XXHASH or MD5 kinds, an object lock event hold, a write
// offset, a part number) are refused, naming the member, not dropped.
//
// # What it costs on real AWS
//
// Storage is billed per GB-month (about $0.023 in us-east-1, S3 Standard), requests per
// 1,000 (PUT, COPY, POST and LIST about $0.005; GET about $0.0004; DELETE free), and bytes
// out to the internet per GB after the first 100 GB a month (about $0.09). A [Sync] lists
// both ends (a LIST per 1,000 objects) and makes a PUT or GET per file sent; a multipart
// upload is a request per part. [StaticSite] makes the bucket's contents public: anyone can
// read every object in it, and the bytes they read are billed to the bucket's owner.
// Presigning is free. Incomplete multipart uploads are billed until aborted:
// [EmptyBucket] aborts them.
//
// # Testing
//
// The examples run on the simulator (package sim), in memory: the same helpers against a
// config from sim.New().Config() instead of awsx.Load. Faults injected into it
// (sim.Cloud.Inject) show each helper's failure paths.
//
// # Concurrency
//
// The helpers are safe for concurrent use, on different buckets or keys; [Sync] transfers
// files concurrently itself and calls its Progress callback one call at a time.
package s3x
