package s3sim

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// withBucket runs fn on the bucket r names under the write lock (read lock when read).
func (s *Store) withBucket(r *Request, write bool, fn func(b *bucket) (*Response, error)) (*Response, error) {
	if write {
		s.mu.Lock()
		s.gen.Bump()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	return fn(b)
}

// ---- Bucket policy -------------------------------------------------------------------

// maxPolicy is the largest bucket policy, in bytes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
const maxPolicy = 20 << 10

// parseBucketPolicy parses and validates a bucket policy of bucket name, answering
// MalformedPolicy with S3's messages.
func parseBucketPolicy(name, doc string) (*policy.Policy, error) {
	if len(doc) > maxPolicy {
		return nil, errorf(PolicyTooLarge, "Policy exceeds the maximum allowed document size.")
	}
	// JSON is UTF-8 (RFC 8259 §8.1); S3 refuses other bytes as it refuses any text that is
	// not JSON (TestHostileInput, s3/policy not UTF-8).
	if !utf8.ValidString(doc) {
		return nil, errorf(MalformedPolicy, "Policies must be valid JSON and the first byte must be '{'")
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		var pe *policy.Error
		msg := "Policies must be valid JSON and the first byte must be '{'"
		if errors.As(err, &pe) {
			switch {
			case strings.HasPrefix(pe.Detail, "unknown element "):
				msg = "Unknown field " + strings.Trim(strings.TrimPrefix(pe.Detail, "unknown element "), `"`)
			case pe.Message == "Missing required field Principal":
				msg = pe.Message
			case pe.Message == "Invalid principal in policy":
				msg = pe.Message
			case strings.HasPrefix(pe.Message, "Actions/Condition"):
				msg = "Policy has invalid action"
			case strings.HasPrefix(pe.Message, "Resource vendor"):
				msg = "Policy has invalid resource"
			case pe.Message == "Policy statement must contain actions.":
				msg = "Missing required field Action"
			case pe.Message == "Policy statement must contain resources.":
				msg = "Missing required field Resource"
			case pe.Message != "Syntax errors in policy.":
				msg = pe.Message
			}
		}
		return nil, errorf(MalformedPolicy, "%s", msg)
	}
	for _, st := range p.Statements {
		for _, a := range append(append([]string(nil), st.Action...), st.NotAction...) {
			vendor, _, _ := strings.Cut(a, ":")
			if a != "*" && !strings.EqualFold(vendor, "s3") {
				return nil, errorf(MalformedPolicy, "Policy has invalid action")
			}
		}
		for _, res := range append(append([]string(nil), st.Resource...), st.NotResource...) {
			if !resourceInBucket(res, name) {
				return nil, errorf(MalformedPolicy, "Policy has invalid resource")
			}
		}
	}
	return p, nil
}

// resourceInBucket reports whether a bucket policy's resource names bucket or its objects.
func resourceInBucket(res, bucket string) bool {
	rest, ok := strings.CutPrefix(res, "arn:aws:s3:::")
	if !ok {
		return false
	}
	b, _, _ := strings.Cut(rest, "/")
	if b == bucket {
		return true
	}
	m, err := path.Match(b, bucket)
	return err == nil && m
}

// restrictingKeys are the condition keys whose fixed values keep a wildcard principal from
// making a policy public.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
var restrictingKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceaccount": true,
	"aws:sourceowner": true, "aws:principalaccount": true, "aws:principalarn": true, "aws:principalorgid": true,
	"aws:userid": true, "aws:sourceip": true, "s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
}

// isPublic reports whether a bucket policy grants public access: an Allow statement for
// every principal ("*" or NotPrincipal) that no condition on a fixed value restricts.
func isPublic(p *policy.Policy) bool {
	for _, st := range p.Statements {
		if st.Effect != "Allow" {
			continue
		}
		wild := st.NotPrincipal != nil || st.Principal != nil && (st.Principal.All || containsStar(st.Principal.AWS))
		if !wild || restricted(st.Condition) {
			continue
		}
		return true
	}
	return false
}

func containsStar(l []string) bool {
	for _, v := range l {
		if v == "*" {
			return true
		}
	}
	return false
}

func restricted(cond map[string]map[string][]string) bool {
	for op, keys := range cond {
		if strings.Contains(strings.ToLower(op), "like") || strings.HasPrefix(strings.ToLower(op), "not") {
			continue
		}
		for k, vals := range keys {
			if !restrictingKeys[strings.ToLower(k)] || len(vals) == 0 {
				continue
			}
			fixed := true
			for _, v := range vals {
				if strings.Contains(v, "*") || v == "0.0.0.0/0" || v == "::/0" {
					fixed = false
				}
			}
			if fixed {
				return true
			}
		}
	}
	return false
}

// blocked is the AccessDenied of a request that a Block Public Access setting refuses.
func blocked(r *Request, act, resource, setting, what string) error {
	if r.Caller == nil || r.Caller.Kind == core.Anonymous {
		return errorf(AccessDenied, msgAccessDenied)
	}
	return errorf(AccessDenied, "User: %s is not authorized to perform: %s on resource: \"%s\" because public %s are blocked by the %s block public access setting.",
		r.Caller.ARN, act, resource, what, setting)
}

func putBucketPolicy(s *Store, ctx context.Context, r *Request) (*Response, error) {
	doc := string(r.Body)
	if strings.TrimSpace(doc) == "" {
		return nil, errorf(MalformedPolicy, "Policies must be valid JSON and the first byte must be '{'")
	}
	p, err := parseBucketPolicy(r.Bucket, doc)
	if err != nil {
		return nil, err
	}
	public := isPublic(p)
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		if public && b.PublicAccessBlock != nil && b.PublicAccessBlock.BlockPublicPolicy {
			return nil, blocked(r, "s3:PutBucketPolicy", b.arn(), "BlockPublicPolicy", "policies")
		}
		b.Policy, b.policy, b.public = doc, p, public
		return empty(http.StatusNoContent), nil
	})
}

func getBucketPolicy(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.Policy == "" {
			return nil, errorf(NoSuchBucketPolicy, "The bucket policy does not exist").With("BucketName", b.Name)
		}
		return &Response{Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(b.Policy)}, nil
	})
}

func deleteBucketPolicy(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Policy, b.policy, b.public = "", nil, false
		return empty(http.StatusNoContent), nil
	})
}

type policyStatus struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PolicyStatus"`
	IsPublic bool     `xml:"IsPublic"`
}

func getBucketPolicyStatus(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.Policy == "" {
			return nil, errorf(NoSuchBucketPolicy, "The bucket policy does not exist").With("BucketName", b.Name)
		}
		return xmlResponse(policyStatus{IsPublic: b.public})
	})
}

// ---- Block Public Access -------------------------------------------------------------

// PublicAccessBlockConfiguration is a bucket's Block Public Access settings.
type PublicAccessBlockConfiguration struct {
	BlockPublicAcls       bool `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool `xml:"RestrictPublicBuckets"`
}

type publicAccessBlockDoc struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
	PublicAccessBlockConfiguration
}

func getPublicAccessBlock(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.PublicAccessBlock == nil {
			return nil, errorf(NoSuchPublicAccessBlockConfiguration, "The public access block configuration was not found").With("BucketName", b.Name)
		}
		return xmlResponse(publicAccessBlockDoc{PublicAccessBlockConfiguration: *b.PublicAccessBlock})
	})
}

func putPublicAccessBlock(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in PublicAccessBlockConfiguration
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.PublicAccessBlock = &in
		return empty(http.StatusOK), nil
	})
}

func deletePublicAccessBlock(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.PublicAccessBlock = nil
		return empty(http.StatusNoContent), nil
	})
}

// ---- Object Ownership and ACLs ---------------------------------------------------------

type ownershipControls struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ OwnershipControls"`
	Rules   []struct {
		ObjectOwnership string `xml:"ObjectOwnership"`
	} `xml:"Rule"`
}

func getBucketOwnershipControls(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.Ownership == "" {
			return nil, errorf(OwnershipControlsNotFoundError, "The bucket ownership controls were not found").With("BucketName", b.Name)
		}
		var out ownershipControls
		out.Rules = append(out.Rules, struct {
			ObjectOwnership string `xml:"ObjectOwnership"`
		}{b.Ownership})
		return xmlResponse(out)
	})
}

func putBucketOwnershipControls(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in ownershipControls
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if len(in.Rules) != 1 || !validOwnership(in.Rules[0].ObjectOwnership) {
		return nil, malformedXML()
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Ownership = in.Rules[0].ObjectOwnership
		return empty(http.StatusOK), nil
	})
}

func deleteBucketOwnershipControls(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Ownership = ""
		return empty(http.StatusNoContent), nil
	})
}

type grantee struct {
	XSI  string `xml:"xmlns:xsi,attr"`
	Type string `xml:"xsi:type,attr"`
	ID   string `xml:"ID"`
}

type grant struct {
	Grantee    grantee `xml:"Grantee"`
	Permission string  `xml:"Permission"`
}

type accessControlPolicy struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccessControlPolicy"`
	Owner   owner    `xml:"Owner"`
	Grants  []grant  `xml:"AccessControlList>Grant"`
}

// ownerOnly is the ACL of every bucket and object here: the owner has FULL_CONTROL.
func (s *Store) ownerOnly() accessControlPolicy {
	return accessControlPolicy{Owner: owner{s.owner}, Grants: []grant{{
		Grantee:    grantee{XSI: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: s.owner},
		Permission: "FULL_CONTROL",
	}}}
}

func getBucketAcl(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return xmlResponse(s.ownerOnly())
}

// checkPutACL accepts the ACLs that change nothing here (private, bucket-owner-full-control,
// or a document granting the owner FULL_CONTROL only); a bucket with ACLs disabled refuses
// others, as does Block Public Access a public one; the simulator keeps no other ACLs.
func (s *Store) checkPutACL(r *Request, b *bucket) error {
	acl := r.Header.Get("X-Amz-Acl")
	if acl == "" && len(strings.TrimSpace(string(r.Body))) > 0 {
		var in struct {
			Grants []struct {
				ID         string `xml:"Grantee>ID"`
				URI        string `xml:"Grantee>URI"`
				Permission string `xml:"Permission"`
			} `xml:"AccessControlList>Grant"`
		}
		if err := decodeXML(r.Body, &in); err != nil {
			return err
		}
		for _, g := range in.Grants {
			if g.ID != s.owner || g.Permission != "FULL_CONTROL" {
				acl = "custom"
			}
		}
	}
	for k := range r.Header {
		if hasPrefixFold(k, "x-amz-grant-") {
			acl = "custom"
		}
	}
	if acl == "" || acl == "private" || acl == "bucket-owner-full-control" {
		return nil
	}
	if b.Ownership == "BucketOwnerEnforced" {
		return errorf(AccessControlListNotSupported, "The bucket does not allow ACLs").With("BucketName", b.Name)
	}
	if strings.HasPrefix(acl, "public-") && b.PublicAccessBlock != nil && b.PublicAccessBlock.BlockPublicAcls {
		return blocked(r, action(r.op.op, false), b.arn(), "BlockPublicAcls", "ACLs")
	}
	return errorf(core.NotImplemented, "The simulator does not implement ACL grants other than the owner's yet.")
}

func putBucketAcl(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if err := s.checkPutACL(r, b); err != nil {
			return nil, err
		}
		return empty(http.StatusOK), nil
	})
}

func getObjectAcl(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if _, err := s.lookup(b, r); err != nil {
			return nil, err
		}
		return xmlResponse(s.ownerOnly())
	})
}

func putObjectAcl(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if _, err := s.lookup(b, r); err != nil {
			return nil, err
		}
		if err := s.checkPutACL(r, b); err != nil {
			return nil, err
		}
		return empty(http.StatusOK), nil
	})
}

// ---- Versioning ------------------------------------------------------------------------

type versioningConfiguration struct {
	XMLName   xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status    string   `xml:"Status,omitempty"`
	MfaDelete string   `xml:"MfaDelete,omitempty"`
}

func putBucketVersioning(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in versioningConfiguration
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if in.Status != "Enabled" && in.Status != "Suspended" {
		return nil, malformedXML()
	}
	if in.MfaDelete == "Enabled" {
		return nil, errorf(InvalidRequest, "DevPay and Mfa are mutually exclusive authorization methods.")
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		if b.ObjectLock != nil && in.Status != "Enabled" {
			return nil, errorf(InvalidBucketState, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
		}
		b.Versioning = in.Status
		return empty(http.StatusOK), nil
	})
}

func getBucketVersioning(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		return xmlResponse(versioningConfiguration{Status: b.Versioning})
	})
}

// ---- Tagging ---------------------------------------------------------------------------

// Tag is a bucket's or object's tag.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type tagging struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  []Tag    `xml:"TagSet>Tag"`
}

// The limits of tags.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
const (
	maxBucketTags = 50
	maxObjectTags = 10
)

func checkTags(tags []Tag, max int, object bool) error {
	if len(tags) > max {
		if object {
			return errorf(BadRequest, "Object tags cannot be greater than %d", max)
		}
		return errorf(InvalidTag, "Bucket tag count cannot be greater than %d", max)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > 128:
			return errorf(InvalidTag, "The TagKey you have provided is invalid").With("TagKey", t.Key)
		case utf8.RuneCountInString(t.Value) > 256:
			return errorf(InvalidTag, "The TagValue you have provided is invalid").With("TagKey", t.Key).With("TagValue", t.Value)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return errorf(InvalidTag, "Your TagKey cannot be prefixed with aws:").With("TagKey", t.Key)
		case seen[t.Key]:
			return errorf(InvalidTag, "Cannot provide multiple Tags with the same key").With("TagKey", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// parseTaggingHeader reads x-amz-tagging: URL-encoded key=value pairs.
func parseTaggingHeader(v string) ([]Tag, error) {
	var tags []Tag
	for pair := range strings.SplitSeq(v, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			return nil, invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging", v)
		}
		tags = append(tags, Tag{dk, dv})
	}
	if err := checkTags(tags, maxObjectTags, true); err != nil {
		return nil, err
	}
	return tags, nil
}

func putBucketTagging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in tagging
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTags(in.TagSet, maxBucketTags, false); err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Tags = append([]Tag{}, in.TagSet...)
		return empty(http.StatusNoContent), nil
	})
}

func getBucketTagging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if len(b.Tags) == 0 {
			return nil, errorf(NoSuchTagSet, "The TagSet does not exist").With("BucketName", b.Name)
		}
		return xmlResponse(tagging{TagSet: b.Tags})
	})
}

func deleteBucketTagging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Tags = nil
		return empty(http.StatusNoContent), nil
	})
}

// replaceVersion stores a changed copy of version old of its key. s.mu is held for writing.
func replaceVersion(b *bucket, old, changed *object) {
	vs := append([]*object(nil), b.Objects[old.Key]...)
	for i, v := range vs {
		if v == old {
			vs[i] = changed
		}
	}
	b.setVersions(old.Key, vs)
}

func versionHeader(b *bucket, o *object) http.Header {
	h := http.Header{}
	if b.Versioning != "" {
		h.Set("X-Amz-Version-Id", o.VersionID)
	}
	return h
}

func putObjectTagging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in tagging
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTags(in.TagSet, maxObjectTags, true); err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		o, err := s.lookup(b, r)
		if err != nil {
			return nil, err
		}
		c := *o
		c.Tags = append([]Tag{}, in.TagSet...)
		replaceVersion(b, o, &c)
		return &Response{Header: versionHeader(b, o)}, nil
	})
}

func getObjectTagging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		o, err := s.lookup(b, r)
		if err != nil {
			return nil, err
		}
		resp, err := xmlResponse(tagging{TagSet: o.Tags})
		if err != nil {
			return nil, err
		}
		for k, v := range versionHeader(b, o) {
			resp.Header[k] = v
		}
		return resp, nil
	})
}

func deleteObjectTagging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		o, err := s.lookup(b, r)
		if err != nil {
			return nil, err
		}
		c := *o
		c.Tags = nil
		replaceVersion(b, o, &c)
		return &Response{Status: http.StatusNoContent, Header: versionHeader(b, o)}, nil
	})
}
