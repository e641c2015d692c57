package s3sim

import (
	"context"
	"encoding/xml"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/btree"

	"github.com/awsxlab/awsx/iamx/policy"
)

// bucket is one bucket and everything in it, in the form persist.go writes.
type bucket struct {
	Name              string
	Region            string
	Created           time.Time
	Versioning        string                          `json:",omitempty"` // "", "Enabled" or "Suspended"
	Ownership         string                          `json:",omitempty"` // "" when the controls were deleted
	PublicAccessBlock *PublicAccessBlockConfiguration `json:",omitempty"`
	Policy            string                          `json:",omitempty"`
	Website           *WebsiteConfiguration           `json:",omitempty"`
	Tags              []Tag                           `json:",omitempty"`
	CORS              []corsRule                      `json:",omitempty"`
	Lifecycle         *lifecycle                      `json:",omitempty"`
	ObjectLock        *objectLock                     `json:",omitempty"` // Object Lock is on (objectlock.go)
	Accelerate        string                          `json:",omitempty"` // settings.go
	RequesterPays     bool                            `json:",omitempty"`
	Logging           *loggingEnabled                 `json:",omitempty"`
	Notifications     *notificationConfiguration      `json:",omitempty"`
	Replication       string                          `json:",omitempty"` // the document (configs.go)
	Configs           map[string]map[string]string    `json:",omitempty"` // analytics, inventory, …: by ID, the document
	Encryption        *encryption                     `json:",omitempty"` // nil: SSE-S3, the default
	Objects           map[string][]*object            `json:",omitempty"` // by key: its versions, oldest first
	Uploads           map[string]*upload              `json:",omitempty"`
	Completed         map[string]*completion          `json:",omitempty"` // uploads completed lately, by ID (parts.go)

	keys   *btree.BTreeG[string] // the keys of Objects, in order (nil: none yet): keyTree
	policy *policy.Policy        // Policy, parsed
	public bool                  // Policy grants public access
}

func (b *bucket) arn() string { return "arn:aws:s3:::" + b.Name }

// current returns the current version of key: nil when there is none (or only a delete
// marker's, which is returned).
func (b *bucket) current(key string) *object {
	vs := b.Objects[key]
	if len(vs) == 0 {
		return nil
	}
	return vs[len(vs)-1]
}

// setVersions replaces the versions of key, keeping keys in order.
func (b *bucket) setVersions(key string, vs []*object) {
	_, found := b.Objects[key]
	if len(vs) == 0 {
		delete(b.Objects, key)
		if found {
			b.keys.Delete(key)
		}
		return
	}
	if b.Objects == nil {
		b.Objects = map[string][]*object{}
	}
	b.Objects[key] = vs
	if !found {
		if b.keys == nil {
			b.keys = keyTree()
		}
		b.keys.ReplaceOrInsert(key)
	}
}

// sortedKeys returns the bucket's keys in order, a copy its caller may change the bucket under.
func (b *bucket) sortedKeys() []string {
	if b.keys == nil {
		return nil
	}
	keys := make([]string, 0, b.keys.Len())
	b.keys.Ascend(func(key string) bool {
		keys = append(keys, key)
		return true
	})
	return keys
}

// keyTree is an empty tree of a bucket's keys: a B-tree, so that a new key costs the same in
// a bucket of a million keys as in a bucket of ten, and a listing starts at its first key
// without a scan. Its readers may share it under the store's read lock.
func keyTree() *btree.BTreeG[string] {
	return btree.NewOrderedG[string](32)
}

// The regions where buckets can be made (S3's commercial regions).
// https://docs.aws.amazon.com/general/latest/gr/s3.html
var regions = map[string]bool{
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true, "ap-south-1": true, "ap-south-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-4": true,
	"ap-southeast-5": true, "ap-southeast-7": true, "ap-northeast-1": true, "ap-northeast-2": true,
	"ap-northeast-3": true, "ca-central-1": true, "ca-west-1": true, "eu-central-1": true,
	"eu-central-2": true, "eu-west-1": true, "eu-west-2": true, "eu-west-3": true, "eu-south-1": true,
	"eu-south-2": true, "eu-north-1": true, "il-central-1": true, "me-south-1": true, "me-central-1": true,
	"mx-central-1": true, "sa-east-1": true,
}

// maxBuckets is the default quota of general purpose buckets per account.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
const maxBuckets = 10000

// ValidBucketName reports whether name follows the naming rules of general purpose buckets.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	first, last := name[0], name[len(name)-1]
	if first == '.' || first == '-' || last == '.' || last == '-' || strings.Contains(name, "..") {
		return false
	}
	// A period next to a hyphen is refused: each label between periods begins and ends with
	// a letter or number, as in DNS (TestHostileInput, s3/bucket abc.-def and abc-.def).
	if strings.Contains(name, ".-") || strings.Contains(name, "-.") {
		return false
	}
	if net.ParseIP(name) != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

type createBucketConfiguration struct {
	LocationConstraint string `xml:"LocationConstraint"`
}

func createBucket(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if !ValidBucketName(r.Bucket) {
		return nil, errorf(InvalidBucketName, "The specified bucket is not valid.").With("BucketName", r.Bucket)
	}
	var cfg createBucketConfiguration
	if len(strings.TrimSpace(string(r.Body))) > 0 {
		if err := decodeXML(r.Body, &cfg); err != nil {
			return nil, err
		}
	}
	signed := r.Region
	if signed == "" {
		signed = "us-east-1"
	}
	region := cfg.LocationConstraint
	switch {
	case region == "" && signed == "us-east-1":
		region = "us-east-1"
	case region == "us-east-1", region != "" && !regions[region]:
		// us-east-1 is the region of no constraint; naming it is an error.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
		return nil, errorf(InvalidLocationConstraint, "The specified location-constraint is not valid").With("LocationConstraint", region)
	case region == "":
		return nil, errorf(IllegalLocationConstraintException, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case signed != "us-east-1" && region != signed:
		return nil, errorf(IllegalLocationConstraintException, "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", region)
	}
	ownership := "BucketOwnerEnforced"
	if v := r.Header.Get("X-Amz-Object-Ownership"); v != "" {
		if !validOwnership(v) {
			return nil, invalidArgument("Invalid x-amz-object-ownership header: "+v, "x-amz-object-ownership", v)
		}
		ownership = v
	}
	if acl := r.Header.Get("X-Amz-Acl"); acl != "" && acl != "private" && ownership == "BucketOwnerEnforced" {
		return nil, errorf(InvalidBucketAclWithObjectOwnership, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	if b, ok := s.buckets[r.Bucket]; ok {
		// us-east-1 answers a repeated CreateBucket of one's own bucket with success.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html (Errors)
		if b.Region == "us-east-1" && region == "us-east-1" {
			return &Response{Header: http.Header{"Location": {"/" + r.Bucket}}}, nil
		}
		return nil, errorf(BucketAlreadyOwnedByYou, "Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", r.Bucket)
	}
	if len(s.buckets) >= maxBuckets {
		return nil, errorf(TooManyBuckets, "You have attempted to create more buckets than allowed")
	}
	nb := &bucket{
		Name: r.Bucket, Region: region, Created: s.now(), Ownership: ownership,
		// New buckets block all public access, as on AWS since April 2023.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-overview.html
		PublicAccessBlock: &PublicAccessBlockConfiguration{true, true, true, true},
	}
	if strings.EqualFold(r.Header.Get("X-Amz-Bucket-Object-Lock-Enabled"), "true") {
		nb.ObjectLock, nb.Versioning = &objectLock{}, "Enabled" // Object Lock turns versioning on for good
	}
	s.buckets[r.Bucket] = nb
	loc := "/" + r.Bucket
	if region != "us-east-1" {
		loc = "http://" + r.Bucket + ".s3.amazonaws.com/"
	}
	return &Response{Header: http.Header{"Location": {loc}}}, nil
}

func validOwnership(v string) bool {
	return v == "BucketOwnerEnforced" || v == "BucketOwnerPreferred" || v == "ObjectWriter"
}

func deleteBucket(s *Store, ctx context.Context, r *Request) (*Response, error) {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	if len(b.Objects) > 0 {
		msg := "The bucket you tried to delete is not empty"
		if b.Versioning != "" {
			msg += ". You must delete all versions in the bucket."
		}
		return nil, errorf(BucketNotEmpty, "%s", msg).With("BucketName", r.Bucket)
	}
	delete(s.buckets, r.Bucket)
	for _, u := range b.Uploads {
		s.droppedUpload(u)
	}
	return empty(http.StatusNoContent), nil
}

func headBucket(s *Store, ctx context.Context, r *Request) (*Response, error) {
	b, err := s.bucket(r.Bucket)
	if err != nil {
		return nil, err
	}
	return &Response{Header: http.Header{"X-Amz-Bucket-Region": {b.Region}, "X-Amz-Access-Point-Alias": {"false"}}}, nil
}

// bucket returns the bucket called name, taking the read lock for the look-up only: the
// fields it reads after are those that never change (Name, Region, Created).
func (s *Store) bucket(name string) (*bucket, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[name]
	if !ok {
		return nil, noSuchBucket(name)
	}
	return b, nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

func getBucketLocation(s *Store, ctx context.Context, r *Request) (*Response, error) {
	b, err := s.bucket(r.Bucket)
	if err != nil {
		return nil, err
	}
	loc := locationConstraint{}
	if b.Region != "us-east-1" {
		loc.Region = b.Region
	}
	return xmlResponse(loc)
}

type listAllMyBucketsResult struct {
	XMLName           xml.Name      `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner             owner         `xml:"Owner"`
	Buckets           []bucketEntry `xml:"Buckets>Bucket"`
	Prefix            string        `xml:"Prefix,omitempty"`
	ContinuationToken string        `xml:"ContinuationToken,omitempty"`
}

type bucketEntry struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

func listBuckets(s *Store, ctx context.Context, r *Request) (*Response, error) {
	max := maxBuckets
	if v := r.Query.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxBuckets {
			return nil, invalidArgument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets", v)
		}
		max = n
	}
	prefix, region, after := r.Query.Get("prefix"), r.Query.Get("bucket-region"), r.Query.Get("continuation-token")
	s.mu.RLock()
	names := make([]string, 0, len(s.buckets))
	for n := range s.buckets {
		names = append(names, n)
	}
	slices.Sort(names)
	out := listAllMyBucketsResult{Owner: owner{ID: s.owner}, Prefix: prefix, Buckets: []bucketEntry{}}
	for _, n := range names {
		b := s.buckets[n]
		if !strings.HasPrefix(n, prefix) || region != "" && b.Region != region || after != "" && n <= after {
			continue
		}
		if len(out.Buckets) == max {
			out.ContinuationToken = out.Buckets[len(out.Buckets)-1].Name
			break
		}
		out.Buckets = append(out.Buckets, bucketEntry{Name: n, CreationDate: timeXML(b.Created), BucketRegion: b.Region})
	}
	s.mu.RUnlock()
	return xmlResponse(out)
}
