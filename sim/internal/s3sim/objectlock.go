package s3sim

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"time"
)

// # Object Lock
//
// A bucket made with Object Lock enabled (x-amz-bucket-object-lock-enabled, which turns
// versioning on for good) keeps each version from being deleted while it is under a legal
// hold or a retention period: COMPLIANCE binds everyone, GOVERNANCE yields to a request that
// sends x-amz-bypass-governance-retention: true and is allowed s3:BypassGovernanceRetention.
// A bucket's default retention applies to new versions that name none. Deleting without a
// version ID adds a delete marker, as in any versioned bucket, and is always allowed.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html

// objectLock is a bucket's Object Lock configuration.
type objectLock struct {
	Mode  string `json:",omitempty"` // the default retention's: GOVERNANCE or COMPLIANCE, "" for none
	Days  int    `json:",omitempty"`
	Years int    `json:",omitempty"`
}

// retention is a version's retention: its mode and the instant it ends.
type retention struct {
	Mode  string
	Until time.Time
}

const (
	lockGovernance = "GOVERNANCE"
	lockCompliance = "COMPLIANCE"
)

type objectLockConfiguration struct {
	XMLName           xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ObjectLockConfiguration"`
	ObjectLockEnabled string   `xml:"ObjectLockEnabled,omitempty"`
	Rule              *struct {
		DefaultRetention *struct {
			Mode  string `xml:"Mode,omitempty"`
			Days  *int   `xml:"Days,omitempty"`
			Years *int   `xml:"Years,omitempty"`
		} `xml:"DefaultRetention"`
	} `xml:"Rule,omitempty"`
}

func missingLock() *Error {
	return errorf(InvalidRequest, "Bucket is missing Object Lock Configuration")
}

func noLockOnObject() *Error {
	return errorf(NoSuchObjectLockConfiguration, "The specified object does not have a ObjectLock configuration")
}

// parseObjectLockConfiguration reads and validates PutObjectLockConfiguration's document.
func parseObjectLockConfiguration(body []byte) (*objectLock, error) {
	var in objectLockConfiguration
	if err := decodeXML(body, &in); err != nil {
		return nil, err
	}
	if in.ObjectLockEnabled != "Enabled" {
		return nil, malformedXML()
	}
	lock := &objectLock{}
	if in.Rule == nil {
		return lock, nil
	}
	d := in.Rule.DefaultRetention
	if d == nil || (d.Days == nil) == (d.Years == nil) || d.Mode != lockGovernance && d.Mode != lockCompliance {
		return nil, malformedXML()
	}
	switch {
	case d.Days != nil && (*d.Days <= 0 || *d.Days > 36500):
		return nil, invalidArgument("Default retention period must be a positive integer value.", "Days", "")
	case d.Years != nil && (*d.Years <= 0 || *d.Years > 100):
		return nil, invalidArgument("Default retention period must be a positive integer value.", "Years", "")
	}
	lock.Mode = d.Mode
	if d.Days != nil {
		lock.Days = *d.Days
	} else {
		lock.Years = *d.Years
	}
	return lock, nil
}

func putObjectLockConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	lock, err := parseObjectLockConfiguration(r.Body)
	if err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		// Object Lock can be turned on for a bucket whose versioning is on.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html
		if b.ObjectLock == nil && b.Versioning != "Enabled" {
			return nil, errorf(InvalidBucketState, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
		}
		b.ObjectLock = lock
		return empty(http.StatusOK), nil
	})
}

func getObjectLockConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.ObjectLock == nil {
			return nil, errorf(ObjectLockConfigurationNotFoundError, "Object Lock configuration does not exist for this bucket").With("BucketName", b.Name)
		}
		out := objectLockConfiguration{ObjectLockEnabled: "Enabled"}
		if l := b.ObjectLock; l.Mode != "" {
			out.Rule = &struct {
				DefaultRetention *struct {
					Mode  string `xml:"Mode,omitempty"`
					Days  *int   `xml:"Days,omitempty"`
					Years *int   `xml:"Years,omitempty"`
				} `xml:"DefaultRetention"`
			}{}
			out.Rule.DefaultRetention = &struct {
				Mode  string `xml:"Mode,omitempty"`
				Days  *int   `xml:"Days,omitempty"`
				Years *int   `xml:"Years,omitempty"`
			}{Mode: l.Mode}
			if l.Days > 0 {
				out.Rule.DefaultRetention.Days = new(l.Days)
			} else {
				out.Rule.DefaultRetention.Years = new(l.Years)
			}
		}
		return xmlResponse(out)
	})
}

// requestLock reads the Object Lock headers of a write: the retention and legal hold the
// new version asks for. It checks what it can without the bucket.
func requestLock(h http.Header, now time.Time) (*retention, string, error) {
	mode, until, hold := h.Get("X-Amz-Object-Lock-Mode"), h.Get("X-Amz-Object-Lock-Retain-Until-Date"), h.Get("X-Amz-Object-Lock-Legal-Hold")
	if hold != "" && hold != "ON" && hold != "OFF" {
		return nil, "", invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold)
	}
	if (mode == "") != (until == "") {
		return nil, "", invalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied", "x-amz-object-lock-mode", mode)
	}
	if mode == "" {
		return nil, hold, nil
	}
	if mode != lockGovernance && mode != lockCompliance {
		return nil, "", invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode)
	}
	t, err := time.Parse(time.RFC3339, until)
	if err != nil {
		return nil, "", invalidArgument("The retain until date must be provided in ISO 8601 format", "x-amz-object-lock-retain-until-date", until)
	}
	if !t.After(now) {
		return nil, "", invalidArgument("The retain until date must be in the future!", "x-amz-object-lock-retain-until-date", until)
	}
	return &retention{Mode: mode, Until: t.UTC()}, hold, nil
}

// lockFor sets the retention and legal hold of a new version o of b: as its request asks,
// else the bucket's default retention. s.mu is held.
func (s *Store) lockFor(b *bucket, o *object, h http.Header, needDigest bool) error {
	ret, hold, err := requestLock(h, s.now())
	if err != nil {
		return err
	}
	if b.ObjectLock == nil {
		if ret != nil || hold != "" {
			return missingLock()
		}
		o.Retention, o.LegalHold = nil, ""
		return nil
	}
	if needDigest && (ret != nil || hold != "") {
		// Writes that set a lock must say their body's digest.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
		if h.Get("Content-Md5") == "" && !hasChecksumHeader(h) && h.Get("X-Amz-Sdk-Checksum-Algorithm") == "" {
			return errorf(InvalidRequest, "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters")
		}
	}
	if ret == nil && b.ObjectLock.Mode != "" {
		until := s.now().AddDate(b.ObjectLock.Years, 0, b.ObjectLock.Days)
		ret = &retention{Mode: b.ObjectLock.Mode, Until: until.UTC()}
	}
	o.Retention, o.LegalHold = ret, hold
	return nil
}

func hasChecksumHeader(h http.Header) bool {
	for k := range h {
		if hasPrefixFold(k, "x-amz-checksum-") && !strings.EqualFold(k, "x-amz-checksum-mode") {
			return true
		}
	}
	return false
}

// lockHeaders writes the Object Lock headers of an answer about o.
func (o *object) lockHeaders(h http.Header) {
	if o.Retention != nil {
		h.Set("X-Amz-Object-Lock-Mode", o.Retention.Mode)
		h.Set("X-Amz-Object-Lock-Retain-Until-Date", o.Retention.Until.Format("2006-01-02T15:04:05.000Z"))
	}
	if o.LegalHold != "" {
		h.Set("X-Amz-Object-Lock-Legal-Hold", o.LegalHold)
	}
}

// locked returns the error of deleting o for good at now: a legal hold, a COMPLIANCE
// retention, or a GOVERNANCE retention that the request may not bypass.
func (o *object) locked(now time.Time, bypass bool) error {
	if o.LegalHold == "ON" {
		return errorf(AccessDenied, msgAccessDenied)
	}
	if r := o.Retention; r != nil && now.Before(r.Until) && (r.Mode == lockCompliance || !bypass) {
		return errorf(AccessDenied, msgAccessDenied)
	}
	return nil
}

// mayBypass reports whether r asks to bypass GOVERNANCE retention of key and is allowed to.
// It takes s.mu itself: call it before taking the lock.
func (s *Store) mayBypass(r *Request, key string) bool {
	if !strings.EqualFold(r.Header.Get("X-Amz-Bypass-Governance-Retention"), "true") || r.Authorize == nil {
		return false
	}
	return r.Authorize(s.access(r, "s3:BypassGovernanceRetention", Target{r.Bucket, key})) == nil
}

// checkDeleteVersion refuses to delete version id of key for good while it is locked.
// s.mu is held.
func (s *Store) checkDeleteVersion(b *bucket, key, id string, bypass bool) error {
	if b.ObjectLock == nil {
		return nil
	}
	for _, v := range b.Objects[key] {
		if v.VersionID == id && !v.DeleteMarker {
			return v.locked(s.now(), bypass)
		}
	}
	return nil
}

type retentionDoc struct {
	XMLName         xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Retention"`
	Mode            string   `xml:"Mode,omitempty"`
	RetainUntilDate string   `xml:"RetainUntilDate,omitempty"`
}

type legalHoldDoc struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LegalHold"`
	Status  string   `xml:"Status"`
}

// lockedObject finds the version r names in a bucket with Object Lock. s.mu is held.
func (s *Store) lockedObject(b *bucket, r *Request) (*object, error) {
	if b.ObjectLock == nil {
		return nil, missingLock()
	}
	return s.lookup(b, r)
}

func putObjectRetention(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in retentionDoc
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	var ret *retention
	if in.Mode != "" || in.RetainUntilDate != "" {
		if in.Mode != lockGovernance && in.Mode != lockCompliance {
			return nil, malformedXML()
		}
		t, err := time.Parse(time.RFC3339, in.RetainUntilDate)
		if err != nil {
			return nil, malformedXML()
		}
		if !t.After(s.now()) {
			return nil, invalidArgument("The retain until date must be in the future!", "RetainUntilDate", in.RetainUntilDate)
		}
		ret = &retention{Mode: in.Mode, Until: t.UTC()}
	}
	bypass := s.mayBypass(r, r.Key)
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		o, err := s.lockedObject(b, r)
		if err != nil {
			return nil, err
		}
		// A retention may be lengthened; shortening or removing it, or COMPLIANCE turned to
		// GOVERNANCE, is refused under COMPLIANCE and needs the bypass under GOVERNANCE.
		if old := o.Retention; old != nil && s.now().Before(old.Until) {
			weaker := ret == nil || ret.Until.Before(old.Until) || old.Mode == lockCompliance && ret.Mode == lockGovernance
			if weaker && (old.Mode == lockCompliance || !bypass) {
				return nil, errorf(AccessDenied, msgAccessDenied)
			}
		}
		c := *o
		c.Retention = ret
		replaceVersion(b, o, &c)
		return empty(http.StatusOK), nil
	})
}

func getObjectRetention(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		o, err := s.lockedObject(b, r)
		if err != nil {
			return nil, err
		}
		if o.Retention == nil {
			return nil, noLockOnObject()
		}
		return xmlResponse(retentionDoc{Mode: o.Retention.Mode, RetainUntilDate: o.Retention.Until.Format("2006-01-02T15:04:05.000Z")})
	})
}

func putObjectLegalHold(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in legalHoldDoc
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if in.Status != "ON" && in.Status != "OFF" {
		return nil, malformedXML()
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		o, err := s.lockedObject(b, r)
		if err != nil {
			return nil, err
		}
		c := *o
		c.LegalHold = in.Status
		replaceVersion(b, o, &c)
		return empty(http.StatusOK), nil
	})
}

func getObjectLegalHold(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		o, err := s.lockedObject(b, r)
		if err != nil {
			return nil, err
		}
		if o.LegalHold == "" {
			return nil, noLockOnObject()
		}
		return xmlResponse(legalHoldDoc{Status: o.LegalHold})
	})
}
