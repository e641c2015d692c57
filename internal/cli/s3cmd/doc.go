// Package s3cmd is the AWS CLI's hand-made s3 commands — ls, mb, rb, cp, mv, rm, sync,
// website, presign — over an S3 client, printing what the AWS CLI v2 prints.
//
// The rules are the AWS CLI's (awscli/customizations/s3): how s3:// paths and local paths
// name sources and destinations, which files --exclude and --include keep, when sync copies
// a file, which content type an upload gets, how listings and transfers are printed and
// which exit codes they end with. [NewClient] is the S3 client the AWS CLI would use.
package s3cmd
