package s3sim

func init() {
	handlers = map[string]handler{
		// Buckets.
		"ListBuckets":       listBuckets,
		"CreateBucket":      createBucket,
		"DeleteBucket":      deleteBucket,
		"HeadBucket":        headBucket,
		"GetBucketLocation": getBucketLocation,

		// Objects.
		"PutObject":           putObject,
		"GetObject":           getObject,
		"HeadObject":          headObject,
		"DeleteObject":        deleteObject,
		"DeleteObjects":       deleteObjects,
		"CopyObject":          copyObject,
		"ListObjects":         listObjects,
		"ListObjectsV2":       listObjectsV2,
		"ListObjectVersions":  listObjectVersions,
		"SelectObjectContent": selectObjectContent,

		// Server-side encryption of an existing object (objectencryption.go).
		"UpdateObjectEncryption": updateObjectEncryption,

		// Multipart uploads.
		"CreateMultipartUpload":   createMultipartUpload,
		"UploadPart":              uploadPart,
		"UploadPartCopy":          uploadPartCopy,
		"CompleteMultipartUpload": completeMultipartUpload,
		"AbortMultipartUpload":    abortMultipartUpload,
		"ListParts":               listParts,
		"ListMultipartUploads":    listMultipartUploads,

		// Access: bucket policy, Block Public Access, Object Ownership, ACLs.
		"PutBucketPolicy":               putBucketPolicy,
		"GetBucketPolicy":               getBucketPolicy,
		"DeleteBucketPolicy":            deleteBucketPolicy,
		"GetBucketPolicyStatus":         getBucketPolicyStatus,
		"PutPublicAccessBlock":          putPublicAccessBlock,
		"GetPublicAccessBlock":          getPublicAccessBlock,
		"DeletePublicAccessBlock":       deletePublicAccessBlock,
		"GetBucketOwnershipControls":    getBucketOwnershipControls,
		"PutBucketOwnershipControls":    putBucketOwnershipControls,
		"DeleteBucketOwnershipControls": deleteBucketOwnershipControls,
		"GetBucketAcl":                  getBucketAcl,
		"PutBucketAcl":                  putBucketAcl,
		"GetObjectAcl":                  getObjectAcl,
		"PutObjectAcl":                  putObjectAcl,

		// Versioning.
		"PutBucketVersioning": putBucketVersioning,
		"GetBucketVersioning": getBucketVersioning,

		// Static websites.
		"PutBucketWebsite":    putBucketWebsite,
		"GetBucketWebsite":    getBucketWebsite,
		"DeleteBucketWebsite": deleteBucketWebsite,

		// Default encryption.
		"PutBucketEncryption":    putBucketEncryption,
		"GetBucketEncryption":    getBucketEncryption,
		"DeleteBucketEncryption": deleteBucketEncryption,

		// CORS, and the preflight requests it answers.
		"PutBucketCors":    putBucketCors,
		"GetBucketCors":    getBucketCors,
		"DeleteBucketCors": deleteBucketCors,
		preflightOp:        preflight,

		// Lifecycle, storage classes and restores.
		"PutBucketLifecycleConfiguration": putBucketLifecycleConfiguration,
		"GetBucketLifecycleConfiguration": getBucketLifecycleConfiguration,
		"DeleteBucketLifecycle":           deleteBucketLifecycle,
		"RestoreObject":                   restoreObject,

		// Object Lock.
		"PutObjectLockConfiguration": putObjectLockConfiguration,
		"GetObjectLockConfiguration": getObjectLockConfiguration,
		"PutObjectRetention":         putObjectRetention,
		"GetObjectRetention":         getObjectRetention,
		"PutObjectLegalHold":         putObjectLegalHold,
		"GetObjectLegalHold":         getObjectLegalHold,

		// Object attributes, and settings kept but not acted on.
		"GetObjectAttributes":              getObjectAttributes,
		"PutBucketAccelerateConfiguration": putBucketAccelerateConfiguration,
		"GetBucketAccelerateConfiguration": getBucketAccelerateConfiguration,
		"PutBucketRequestPayment":          putBucketRequestPayment,
		"GetBucketRequestPayment":          getBucketRequestPayment,
		"PutBucketLogging":                 putBucketLogging,
		"GetBucketLogging":                 getBucketLogging,

		// Event notifications.
		"PutBucketNotificationConfiguration": putBucketNotificationConfiguration,
		"GetBucketNotificationConfiguration": getBucketNotificationConfiguration,

		// Tags.
		"PutBucketTagging":    putBucketTagging,
		"GetBucketTagging":    getBucketTagging,
		"DeleteBucketTagging": deleteBucketTagging,
		"PutObjectTagging":    putObjectTagging,
		"GetObjectTagging":    getObjectTagging,
		"DeleteObjectTagging": deleteObjectTagging,
	}
	registerStoredConfigs()
	registerNewer()
}
