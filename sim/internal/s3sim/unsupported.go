package s3sim

import (
	"context"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Operations of S3 features the simulator lacks what they need for: each is authorized and
// its bucket checked as any other, then answered NotImplemented with the reason, which
// sim/OPERATIONS.md lists. The reasons are AWS's documented limits:
//   - S3 Express One Zone: CreateSession and RenameObject serve directory buckets only
//     (https://docs.aws.amazon.com/AmazonS3/latest/API/API_RenameObject.html); every bucket
//     here is a general purpose bucket.
//   - BitTorrent: S3 stopped serving torrents in 2021 and never did in Regions launched after
//     May 30, 2016.
//   - S3 Metadata and object annotations: their tables live in S3 Tables
//     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/metadata-tables-overview.html).
var unsupported = map[string]string{
	"CreateSession":    "CreateSession serves directory buckets (S3 Express One Zone) only; the simulator has general purpose buckets only",
	"RenameObject":     "RenameObject renames objects in directory buckets (S3 Express One Zone) only; the simulator has general purpose buckets only",
	"GetObjectTorrent": "Amazon S3 no longer serves BitTorrent files (discontinued in 2021; never offered in Regions launched after May 30, 2016)",
}

const (
	metadataReason   = "S3 Metadata writes its journal, inventory and annotation tables to S3 Tables, which the simulator does not have"
	annotationReason = "Object annotations are kept in S3 Metadata's annotation table in S3 Tables, which the simulator does not have"
)

// addMetadataReasons lists S3 Metadata's and annotations' operations in unsupported.
func addMetadataReasons() {
	for _, op := range []string{
		"CreateBucketMetadataConfiguration", "GetBucketMetadataConfiguration", "DeleteBucketMetadataConfiguration",
		"CreateBucketMetadataTableConfiguration", "GetBucketMetadataTableConfiguration", "DeleteBucketMetadataTableConfiguration",
		"UpdateBucketMetadataInventoryTableConfiguration", "UpdateBucketMetadataJournalTableConfiguration",
		"UpdateBucketMetadataAnnotationTableConfiguration",
	} {
		unsupported[op] = metadataReason
	}
	for _, op := range []string{"PutObjectAnnotation", "GetObjectAnnotation", "DeleteObjectAnnotation", "ListObjectAnnotations"} {
		unsupported[op] = annotationReason
	}
}

// registerNewer adds the handlers of abac.go and of the operations above.
func registerNewer() {
	addMetadataReasons()
	handlers["PutBucketAbac"] = putBucketAbac
	handlers["GetBucketAbac"] = getBucketAbac
	handlers["PutBucketTagging"] = unlessAbac(handlers["PutBucketTagging"])
	handlers["DeleteBucketTagging"] = unlessAbac(handlers["DeleteBucketTagging"])
	for op, reason := range unsupported {
		handlers[op] = func(s *Store, ctx context.Context, r *Request) (*Response, error) {
			return nil, errorf(core.NotImplemented, "%s.", reason)
		}
	}
}
