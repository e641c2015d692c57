// Package s3sim is the simulator's S3: buckets (global by name, each in a region) and their
// objects, in memory or with their bodies in blob storage, answered in S3's REST-XML protocol.
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
// # Bodies
//
// A store keeps object and part bodies in memory, unless it is given blob storage
// ([Store.UseBlobs]; package sim gives it the state directory's): then each new body is
// written there, durably, before the change that brings it is made, the state holds refs
// and sizes, and its saved form ([Store.MarshalJSON]) is metadata only. A copy shares its
// source's blob; identical bodies are one blob. [Store.Garbage] and [Store.LiveBlobs] let
// the caller remove the blobs no state references (see body.go for why that is safe while
// requests run).
//
// A body is hashed once, in one pass over it: its MD5 (the ETag) and the checksum it came
// with or the one S3 gives it (CRC64NVME, with the CPU's carry-less multiply). A bucket's
// keys are in a B-tree beside its map of objects, so that a new key and the first page of a
// listing cost the same in a bucket of a million keys as in one of ten.
//
// # Scope and limitations
//
// One account owns every bucket. Each object is at most the front door's body limit, and a
// body is read whole into memory to be served.
//
// Simulated beside objects: default encryption and each object's, customer-provided keys
// (SSE-C: the key's MD5 kept, never the key; reads without it or with another refused)
// (encryption.go; no byte is encrypted), CORS and preflight requests (cors.go), lifecycle rules played lazily on the
// clock (lifecycle.go), archived storage classes and restores (archive.go), Object Lock
// (objectlock.go), event notifications to SNS (notification.go), GetObjectAttributes and
// GET by part number (attributes.go, parts.go), S3 Select over CSV and JSON objects
// (select.go; the SQL, the readers and the event stream are package internal/s3select). Kept and answered without effect: logging,
// Transfer Acceleration, Requester Pays (settings.go), replication and the analytics,
// inventory, metrics and Intelligent-Tiering configurations (configs.go).
//
// Not simulated: ACLs other than the owner's FULL_CONTROL, S3 Select over Parquet, S3 Express
// (directory buckets and CreateSession), Object Lambda, metadata tables, RenameObject,
// torrents, notifications to SQS and Lambda (neither service is simulated: a configuration
// naming one is refused as unreachable), restore completions as notifications. sim/OPERATIONS.md lists every operation with its state.
package s3sim
