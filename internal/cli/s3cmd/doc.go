// Package s3cmd is the AWS CLI's hand-made s3 commands — ls, mb, rb, cp, mv, rm, sync,
// website, presign — over an S3 client, printing what the AWS CLI v2 prints.
//
// The rules are the AWS CLI's (awscli/customizations/s3): how s3:// paths and local paths
// name sources and destinations, which files --exclude and --include keep, when sync copies
// a file, which content type an upload gets, how listings and transfers are printed and
// which exit codes they end with. [NewClient] is the S3 client the AWS CLI would use.
//
// What a Go program would want as well lives in package s3x, which these commands are built
// on: content types ([s3x.ContentType]), --exclude and --include ([s3x.Filter]), sync's
// comparison ([s3x.Outdated]), uploads and downloads with the SDK's transfer manager
// ([s3x.UploadFile], [s3x.Upload], [s3x.DownloadFile]) and presigned URLs ([s3x.Presign]).
// This package adds the AWS CLI's paths, arguments, warnings and printing.
//
// # Scope and limitations
//
//   - Results are printed in the order the files were found; the AWS CLI prints them in the
//     order its ten threads finish them, which varies from run to run.
//   - Progress lines ("Completed 1.0 MiB/8.0 MiB …") are printed only on a terminal; the
//     AWS CLI v2 2.9.19 prints them to pipes and files as well.
//   - Uploads and downloads go through the SDK's transfer manager (five parts of a file at a
//     time, up to ten files in parallel); the transfer settings of ~/.aws/config's s3
//     section (multipart_threshold, multipart_chunksize, max_concurrent_requests) are not
//     read. A file of exactly 8 MiB is sent in one PutObject, where the AWS CLI makes a
//     multipart upload of one part (its ETag ends in "-1"); a stream's first part decides
//     between the two at the part size, not at 8 MiB, when --expected-size raises it.
//     Copies between buckets (UploadPartCopy above 8 MiB) are this package's own: the
//     transfer manager makes none.
//   - presign refuses an --expires-in beyond seven days (SigV4's limit), where the AWS CLI
//     prints a URL that AWS refuses.
//   - A bucket's region is learnt from the x-amz-bucket-region header of a wrong-region
//     answer, not from a HeadBucket of its own.
//   - Argument abbreviations are those of the command's options (--recur is --recursive);
//     the global options must be written in full.
package s3cmd
