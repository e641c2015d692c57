// Package s3cmd is the AWS CLI's hand-made s3 commands — ls, mb, rb, cp, mv, rm, sync,
// website, presign — over an S3 client, printing what the AWS CLI v2 prints.
//
// The rules are the AWS CLI's (awscli/customizations/s3): how s3:// paths and local paths
// name sources and destinations, which files --exclude and --include keep, when sync copies
// a file, which content type an upload gets, how listings and transfers are printed and
// which exit codes they end with. [NewClient] is the S3 client the AWS CLI would use.
//
// # Scope and limitations
//
//   - Results are printed in the order the files were found; the AWS CLI prints them in the
//     order its ten threads finish them, which varies from run to run.
//   - Progress lines ("Completed 1.0 MiB/8.0 MiB …") are printed only on a terminal; the
//     AWS CLI v2 2.9.19 prints them to pipes and files as well.
//   - Parts of a multipart transfer are sent one after the other (files, up to ten at a
//     time, in parallel); the transfer settings of ~/.aws/config's s3 section
//     (multipart_threshold, multipart_chunksize, max_concurrent_requests) are not read.
//   - A bucket's region is learnt from the x-amz-bucket-region header of a wrong-region
//     answer, not from a HeadBucket of its own.
//   - Argument abbreviations are those of the command's options (--recur is --recursive);
//     the global options must be written in full.
package s3cmd
