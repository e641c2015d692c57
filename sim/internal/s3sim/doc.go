// Package s3sim is the simulator's S3: buckets (global by name, each in a region) and their
// objects, in memory, answered in S3's REST-XML protocol.
//
// # Routing
//
// S3 names an operation by its HTTP method, the form of its path (the service, a bucket or
// an object) and its query subresources (?uploads, ?versioning, list-type=2), with a few
// told apart by a header (x-amz-copy-source makes a PutObject a CopyObject). routes_gen.go
// holds every operation's binding, generated from botocore's model of S3 by
// internal/routegen; [Store.Serve] matches a request against it, so that every S3
// operation has a name, and one the simulator does not implement answers NotImplemented
// naming it. [ParseHost] reads virtual-hosted, path-style and website-endpoint hosts, on
// amazonaws.com and on localhost.
//
// # Authorization
//
// The front door (package sim) authenticates a request and reads its body; [Store.Serve]
// works out the IAM actions and resource ARNs the operation needs (the table in
// actions.go: ListObjectsV2 is s3:ListBucket on arn:aws:s3:::bucket, with s3:prefix,
// s3:delimiter and s3:max-keys; CopyObject also needs s3:GetObject on its source;
// DeleteObjects checks each key) and asks the front door's [Request.Authorize], handing it
// the bucket policy that applies.
//
// # Scope and limitations
//
// One account owns every bucket. Objects live in memory, each at most the front door's
// body limit, stored whole. ACLs other than the owner's FULL_CONTROL, server-side
// encryption other than the default SSE-S3, object lock, lifecycle, replication, CORS,
// notifications, S3 Select and S3 Express are not simulated.
package s3sim
