package s3sim

import (
	"context"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"time"
)

// # Lifecycle
//
// A bucket's lifecycle rules expire current and noncurrent versions, remove expired delete
// markers, move objects to other storage classes and abort incomplete multipart uploads, at
// the times S3 would: the object's creation (or the moment it became noncurrent) plus the
// rule's days, rounded up to the next midnight UTC, or the rule's date.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
//
// The simulator's clock moves by itself or when told (Cloud.Advance), never by a timer, so
// the rules are played lazily, as the Spot market is: before a request touches a bucket
// that has rules, every action that fell due since is done, each at its own time and in
// order (a version made noncurrent by an expiration counts its noncurrent days from then).
// The bucket remembers when its next action falls due, so a request before then costs a
// look at two fields.

// lifecycleRule is one rule of a bucket's lifecycle configuration, as S3's XML has it.
type lifecycleRule struct {
	ID                             string                  `xml:"ID,omitempty" json:",omitempty"`
	Filter                         *lifecycleFilter        `xml:"Filter,omitempty" json:",omitempty"`
	Prefix                         *string                 `xml:"Prefix,omitempty" json:",omitempty"` // the deprecated form of Filter
	Status                         string                  `xml:"Status"`
	Expiration                     *lifecycleExpiration    `xml:"Expiration,omitempty" json:",omitempty"`
	Transitions                    []lifecycleTransition   `xml:"Transition,omitempty" json:",omitempty"`
	NoncurrentVersionTransitions   []noncurrentTransition  `xml:"NoncurrentVersionTransition,omitempty" json:",omitempty"`
	NoncurrentVersionExpiration    *noncurrentExpiration   `xml:"NoncurrentVersionExpiration,omitempty" json:",omitempty"`
	AbortIncompleteMultipartUpload *abortIncompleteUploads `xml:"AbortIncompleteMultipartUpload,omitempty" json:",omitempty"`
}

type lifecycleFilter struct {
	Prefix                *string       `xml:"Prefix,omitempty" json:",omitempty"`
	Tag                   *Tag          `xml:"Tag,omitempty" json:",omitempty"`
	ObjectSizeGreaterThan *int64        `xml:"ObjectSizeGreaterThan,omitempty" json:",omitempty"`
	ObjectSizeLessThan    *int64        `xml:"ObjectSizeLessThan,omitempty" json:",omitempty"`
	And                   *lifecycleAnd `xml:"And,omitempty" json:",omitempty"`
}

type lifecycleAnd struct {
	Prefix                *string `xml:"Prefix,omitempty" json:",omitempty"`
	Tags                  []Tag   `xml:"Tag,omitempty" json:",omitempty"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan,omitempty" json:",omitempty"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan,omitempty" json:",omitempty"`
}

type lifecycleExpiration struct {
	Date                      string `xml:"Date,omitempty" json:",omitempty"`
	Days                      *int   `xml:"Days,omitempty" json:",omitempty"`
	ExpiredObjectDeleteMarker *bool  `xml:"ExpiredObjectDeleteMarker,omitempty" json:",omitempty"`
}

type lifecycleTransition struct {
	Date         string `xml:"Date,omitempty" json:",omitempty"`
	Days         *int   `xml:"Days,omitempty" json:",omitempty"`
	StorageClass string `xml:"StorageClass"`
}

type noncurrentTransition struct {
	NoncurrentDays          *int   `xml:"NoncurrentDays,omitempty" json:",omitempty"`
	StorageClass            string `xml:"StorageClass"`
	NewerNoncurrentVersions *int   `xml:"NewerNoncurrentVersions,omitempty" json:",omitempty"`
}

type noncurrentExpiration struct {
	NoncurrentDays          *int `xml:"NoncurrentDays,omitempty" json:",omitempty"`
	NewerNoncurrentVersions *int `xml:"NewerNoncurrentVersions,omitempty" json:",omitempty"`
}

type abortIncompleteUploads struct {
	DaysAfterInitiation *int `xml:"DaysAfterInitiation,omitempty" json:",omitempty"`
}

type lifecycleConfiguration struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LifecycleConfiguration"`
	Rules   []lifecycleRule `xml:"Rule"`
}

// lifecycle is a bucket's lifecycle configuration and when its next action falls due.
type lifecycle struct {
	Rules []lifecycleRule
	// MinSize is x-amz-transition-default-minimum-object-size: all_storage_classes_128K
	// (objects under 128 KiB are not transitioned, the default since September 2024) or
	// varies_by_storage_class.
	MinSize string `json:",omitempty"`

	next time.Time // when an action next falls due; zero: work it out
	gen  uint64    // the store's generation when next was worked out
}

const (
	minSize128K      = "all_storage_classes_128K"
	minSizeVaries    = "varies_by_storage_class"
	maxLifecycleRule = 1000
	transitionFloor  = 128 << 10
)

// transitionClasses rank the storage classes a transition may go to: a transition only
// goes down the list.
var transitionClasses = map[string]int{
	"STANDARD": 0, "REDUCED_REDUNDANCY": 0, "STANDARD_IA": 1, "INTELLIGENT_TIERING": 1, "ONEZONE_IA": 2,
	"GLACIER_IR": 3, "GLACIER": 4, "DEEP_ARCHIVE": 5,
}

// minimumDays are the least days a transition to a class may name.
var minimumDays = map[string]int{"STANDARD_IA": 30, "ONEZONE_IA": 30}

// parseLifecycle reads and validates a PutBucketLifecycleConfiguration document.
func parseLifecycle(body []byte) ([]lifecycleRule, error) {
	var in lifecycleConfiguration
	if err := decodeXML(body, &in); err != nil {
		return nil, err
	}
	if len(in.Rules) == 0 || len(in.Rules) > maxLifecycleRule {
		return nil, malformedXML()
	}
	ids := map[string]bool{}
	for _, rule := range in.Rules {
		if err := checkLifecycleRule(&rule); err != nil {
			return nil, err
		}
		if rule.ID != "" && ids[rule.ID] {
			return nil, invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", rule.ID)
		}
		ids[rule.ID] = true
	}
	return in.Rules, nil
}

func positive(n *int) bool { return n != nil && *n > 0 }

func checkLifecycleRule(rule *lifecycleRule) error {
	if len(rule.ID) > 255 {
		return invalidArgument("ID length should not exceed allowed limit of 255", "ID", rule.ID)
	}
	if rule.Status != "Enabled" && rule.Status != "Disabled" {
		return malformedXML()
	}
	if (rule.Filter == nil) == (rule.Prefix == nil) && rule.Filter != nil {
		return malformedXML()
	}
	tagged := false
	if f := rule.Filter; f != nil {
		n := 0
		for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.ObjectSizeGreaterThan != nil, f.ObjectSizeLessThan != nil, f.And != nil} {
			if set {
				n++
			}
		}
		if n > 1 {
			return malformedXML()
		}
		tagged = f.Tag != nil || f.And != nil && len(f.And.Tags) > 0
		if f.Tag != nil {
			if err := checkTags([]Tag{*f.Tag}, maxObjectTags, false); err != nil {
				return err
			}
		}
		if f.And != nil {
			if err := checkTags(f.And.Tags, maxBucketTags, false); err != nil {
				return err
			}
			if gt, lt := f.And.ObjectSizeGreaterThan, f.And.ObjectSizeLessThan; gt != nil && lt != nil && *gt >= *lt {
				return invalidArgument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan", "ObjectSizeGreaterThan", "")
			}
		}
	}
	if rule.Expiration == nil && len(rule.Transitions) == 0 && len(rule.NoncurrentVersionTransitions) == 0 &&
		rule.NoncurrentVersionExpiration == nil && rule.AbortIncompleteMultipartUpload == nil {
		return errorf(InvalidRequest, "At least one action needs to be specified in a rule")
	}
	if e := rule.Expiration; e != nil {
		n := 0
		for _, set := range []bool{e.Date != "", e.Days != nil, e.ExpiredObjectDeleteMarker != nil} {
			if set {
				n++
			}
		}
		switch {
		case n != 1:
			return malformedXML()
		case e.Days != nil && *e.Days <= 0:
			return invalidArgument("'Days' for Expiration action must be a positive integer", "Days", "")
		case e.Date != "":
			if err := checkLifecycleDate(e.Date); err != nil {
				return err
			}
		case e.ExpiredObjectDeleteMarker != nil && tagged:
			return errorf(InvalidRequest, "ExpiredObjectDeleteMarker cannot be specified with a tag-based filter.")
		}
	}
	for _, tr := range rule.Transitions {
		if _, ok := transitionClasses[tr.StorageClass]; !ok || tr.StorageClass == "STANDARD" || tr.StorageClass == "REDUCED_REDUNDANCY" {
			return malformedXML()
		}
		if (tr.Date != "") == (tr.Days != nil) {
			return malformedXML()
		}
		if tr.Days != nil && (*tr.Days < 0 || *tr.Days < minimumDays[tr.StorageClass]) {
			return invalidArgument("'Days' in Transition action must be greater than or equal to 30 for storageClass '"+tr.StorageClass+"'", "Days", "")
		}
		if tr.Date != "" {
			if err := checkLifecycleDate(tr.Date); err != nil {
				return err
			}
		}
	}
	for _, tr := range rule.NoncurrentVersionTransitions {
		if _, ok := transitionClasses[tr.StorageClass]; !ok || tr.StorageClass == "STANDARD" || tr.StorageClass == "REDUCED_REDUNDANCY" || tr.NoncurrentDays == nil {
			return malformedXML()
		}
		if *tr.NoncurrentDays < minimumDays[tr.StorageClass] || *tr.NoncurrentDays < 0 {
			return invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '"+tr.StorageClass+"'", "NoncurrentDays", "")
		}
	}
	if e := rule.NoncurrentVersionExpiration; e != nil && !positive(e.NoncurrentDays) {
		return invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", "NoncurrentDays", "")
	}
	if a := rule.AbortIncompleteMultipartUpload; a != nil {
		if tagged {
			return errorf(InvalidRequest, "AbortIncompleteMultipartUpload cannot be specified with Tags.")
		}
		if !positive(a.DaysAfterInitiation) {
			return invalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", "DaysAfterInitiation", "")
		}
	}
	return nil
}

// checkLifecycleDate accepts an ISO 8601 date at midnight UTC.
func checkLifecycleDate(v string) error {
	t, err := parseLifecycleDate(v)
	if err != nil {
		return invalidArgument("Invalid date: "+v, "Date", v)
	}
	if !t.Equal(t.Truncate(24 * time.Hour)) {
		return invalidArgument("'Date' must be at midnight GMT", "Date", v)
	}
	return nil
}

func parseLifecycleDate(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errorf(InvalidArgument, "bad date")
}

func putBucketLifecycleConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	minSize := r.Header.Get("X-Amz-Transition-Default-Minimum-Object-Size")
	switch minSize {
	case "":
		minSize = minSize128K
	case minSize128K, minSizeVaries:
	default:
		return nil, invalidArgument("Invalid value for x-amz-transition-default-minimum-object-size", "x-amz-transition-default-minimum-object-size", minSize)
	}
	rules, err := parseLifecycle(r.Body)
	if err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Lifecycle = &lifecycle{Rules: rules, MinSize: minSize}
		return &Response{Status: http.StatusOK, Header: http.Header{"X-Amz-Transition-Default-Minimum-Object-Size": {minSize}}}, nil
	})
}

func getBucketLifecycleConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.Lifecycle == nil {
			return nil, errorf(NoSuchLifecycleConfiguration, "The lifecycle configuration does not exist").With("BucketName", b.Name)
		}
		resp, err := xmlResponse(lifecycleConfiguration{Rules: b.Lifecycle.Rules})
		if err != nil {
			return nil, err
		}
		resp.Header.Set("X-Amz-Transition-Default-Minimum-Object-Size", b.Lifecycle.MinSize)
		return resp, nil
	})
}

func deleteBucketLifecycle(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Lifecycle = nil
		return empty(http.StatusNoContent), nil
	})
}

// ---- Playing the rules ---------------------------------------------------------------

// settleLifecycle does every lifecycle action of bucket name that has fallen due, and sends
// their event notifications.
func (s *Store) settleLifecycle(ctx context.Context, name string) {
	if name == "" {
		return
	}
	now := s.now()
	s.mu.RLock()
	b := s.buckets[name]
	need := b != nil && b.Lifecycle != nil && (b.Lifecycle.gen != s.gen.Load() || !now.Before(b.Lifecycle.next))
	s.mu.RUnlock()
	if !need {
		return
	}
	var events []event
	var cfg *notificationConfiguration
	region := ""
	s.mu.Lock()
	b = s.buckets[name]
	if b != nil && b.Lifecycle != nil && (b.Lifecycle.gen != s.gen.Load() || !now.Before(b.Lifecycle.next)) {
		next, changed := s.playLifecycle(b, now, &events)
		if changed {
			s.gen.Bump()
		}
		b.Lifecycle.next, b.Lifecycle.gen = next, s.gen.Load()
		cfg, region = b.Notifications, b.Region
	}
	s.mu.Unlock()
	if cfg != nil && len(events) > 0 {
		s.send(ctx, &Request{Target: Target{Bucket: name}}, region, cfg, events)
	}
}

// dueAfter is the instant an action of days days after t falls due: rounded up to the next
// midnight UTC.
func dueAfter(t time.Time, days int) time.Time {
	return t.UTC().Add(time.Duration(days) * 24 * time.Hour).Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// forever is a time after any the simulator reaches.
var forever = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// lifecycleAction is one thing a rule will do to a key's versions.
type lifecycleAction struct {
	at      time.Time
	version int    // index in the key's versions
	expire  bool   // delete (the current version: expire it; a noncurrent one or a marker: remove it)
	class   string // or move to this storage class
}

// playLifecycle does b's actions due by now, and returns when the next falls due. s.mu is
// held for writing.
func (s *Store) playLifecycle(b *bucket, now time.Time, events *[]event) (time.Time, bool) {
	next, changed := forever, false
	for _, key := range b.sortedKeys() {
		for range 1000 { // a key's actions are few; the bound keeps a bad rule from looping
			a, ok := s.nextAction(b, key)
			if !ok {
				break
			}
			if a.at.After(now) {
				next = minTime(next, a.at)
				break
			}
			*events = append(*events, s.doAction(b, key, a))
			changed = true
		}
	}
	for id, u := range b.Uploads {
		for _, rule := range b.Lifecycle.Rules {
			if rule.Status != "Enabled" || rule.AbortIncompleteMultipartUpload == nil || !rule.matchesKey(u.Key) {
				continue
			}
			at := dueAfter(u.Initiated, *rule.AbortIncompleteMultipartUpload.DaysAfterInitiation)
			if at.After(now) {
				next = minTime(next, at)
				continue
			}
			delete(b.Uploads, id)
			s.droppedUpload(u)
			changed = true
			break
		}
	}
	return next, changed
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// nextAction returns the earliest action the rules have for key's versions.
func (s *Store) nextAction(b *bucket, key string) (lifecycleAction, bool) {
	vs := b.Objects[key]
	var best lifecycleAction
	found := false
	consider := func(a lifecycleAction) {
		if !found || a.at.Before(best.at) {
			best, found = a, true
		}
	}
	last := len(vs) - 1
	for _, rule := range b.Lifecycle.Rules {
		if rule.Status != "Enabled" || !rule.matchesKey(key) {
			continue
		}
		for i, v := range vs {
			if v.DeleteMarker {
				// A delete marker with no version behind it is expired by
				// ExpiredObjectDeleteMarker, or by an expiration in days.
				if i == last && len(vs) == 1 && rule.Expiration != nil && (rule.Expiration.Days != nil || rule.Expiration.ExpiredObjectDeleteMarker != nil && *rule.Expiration.ExpiredObjectDeleteMarker) {
					consider(lifecycleAction{at: dueAfter(v.LastModified, 0), version: i, expire: true})
				}
				// A noncurrent delete marker is a noncurrent version.
				if e := rule.NoncurrentVersionExpiration; i < last && e != nil && (e.NewerNoncurrentVersions == nil || last-1-i >= *e.NewerNoncurrentVersions) {
					consider(lifecycleAction{at: dueAfter(vs[i+1].LastModified, *e.NoncurrentDays), version: i, expire: true})
				}
				continue
			}
			if !rule.matchesObject(v) {
				continue
			}
			if i == last {
				if e := rule.Expiration; e != nil {
					switch {
					case e.Days != nil:
						consider(lifecycleAction{at: dueAfter(v.LastModified, *e.Days), version: i, expire: true})
					case e.Date != "":
						d, _ := parseLifecycleDate(e.Date)
						consider(lifecycleAction{at: later(d, dueAfter(v.LastModified, 0)), version: i, expire: true})
					}
				}
				for _, tr := range rule.Transitions {
					if !b.Lifecycle.transitions(v, tr.StorageClass) {
						continue
					}
					at := time.Time{}
					if tr.Days != nil {
						at = dueAfter(v.LastModified, *tr.Days)
					} else {
						d, _ := parseLifecycleDate(tr.Date)
						at = later(d, dueAfter(v.LastModified, 0))
					}
					consider(lifecycleAction{at: at, version: i, class: tr.StorageClass})
				}
				continue
			}
			// Noncurrent since the next version was made; NewerNoncurrentVersions keeps that
			// many newer noncurrent versions.
			since, newer := vs[i+1].LastModified, last-1-i
			if e := rule.NoncurrentVersionExpiration; e != nil && (e.NewerNoncurrentVersions == nil || newer >= *e.NewerNoncurrentVersions) && v.LegalHold != "ON" {
				at := dueAfter(since, *e.NoncurrentDays)
				if v.Retention != nil {
					at = later(at, v.Retention.Until) // a locked version waits for its retention to end
				}
				consider(lifecycleAction{at: at, version: i, expire: true})
			}
			for _, tr := range rule.NoncurrentVersionTransitions {
				if b.Lifecycle.transitions(v, tr.StorageClass) && (tr.NewerNoncurrentVersions == nil || newer >= *tr.NewerNoncurrentVersions) {
					consider(lifecycleAction{at: dueAfter(since, *tr.NoncurrentDays), version: i, class: tr.StorageClass})
				}
			}
		}
	}
	return best, found
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// transitions reports whether a transition to class would move o: down the classes, and
// for an object large enough.
func (l *lifecycle) transitions(o *object, class string) bool {
	if transitionClasses[class] <= transitionClasses[o.storageClass()] {
		return false
	}
	return l.MinSize == minSizeVaries || o.size() >= transitionFloor
}

// doAction does a to key's versions. s.mu is held for writing.
func (s *Store) doAction(b *bucket, key string, a lifecycleAction) event {
	vs := b.Objects[key]
	v := vs[a.version]
	ev := event{key: key, versionID: v.VersionID, by: "s3.amazonaws.com"}
	if v.VersionID == "null" && b.Versioning == "" {
		ev.versionID = ""
	}
	switch {
	case a.class != "":
		c := *v
		c.StorageClass = a.class
		replaceVersion(b, v, &c)
		ev.name, ev.size, ev.withSize = "LifecycleTransition", v.size(), true
	case a.version == len(vs)-1 && !v.DeleteMarker && b.Versioning != "":
		// Expiring the current version of a versioned bucket adds a delete marker.
		m := &object{Key: key, DeleteMarker: true, LastModified: a.at}
		ev.name, ev.versionID = "LifecycleExpiration:DeleteMarkerCreated", s.store(b, m)
	default:
		rest := append(append([]*object(nil), vs[:a.version]...), vs[a.version+1:]...)
		b.setVersions(key, rest)
		s.dropped(v.payload)
		ev.name = "LifecycleExpiration:Delete"
	}
	return ev
}

// matchesKey reports whether the rule's prefix takes key.
func (rule *lifecycleRule) matchesKey(key string) bool {
	prefix := ""
	switch {
	case rule.Prefix != nil:
		prefix = *rule.Prefix
	case rule.Filter != nil && rule.Filter.Prefix != nil:
		prefix = *rule.Filter.Prefix
	case rule.Filter != nil && rule.Filter.And != nil && rule.Filter.And.Prefix != nil:
		prefix = *rule.Filter.And.Prefix
	}
	return strings.HasPrefix(key, prefix)
}

// matchesObject reports whether the rule's tags and sizes take o.
func (rule *lifecycleRule) matchesObject(o *object) bool {
	f := rule.Filter
	if f == nil {
		return true
	}
	var tags []Tag
	gt, lt := f.ObjectSizeGreaterThan, f.ObjectSizeLessThan
	if f.Tag != nil {
		tags = []Tag{*f.Tag}
	}
	if f.And != nil {
		tags, gt, lt = f.And.Tags, f.And.ObjectSizeGreaterThan, f.And.ObjectSizeLessThan
	}
	for _, t := range tags {
		if !slices.Contains(o.Tags, t) {
			return false
		}
	}
	size := o.size()
	return (gt == nil || size > *gt) && (lt == nil || size < *lt)
}

// expirationHeader is x-amz-expiration for o, the current version of its key in b: when the
// rule that expires it first will, and the rule's ID; "" when no rule expires it. s.mu is held.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (x-amz-expiration)
func expirationHeader(b *bucket, o *object) string {
	if b.Lifecycle == nil || o.DeleteMarker {
		return ""
	}
	var at time.Time
	id := ""
	for _, rule := range b.Lifecycle.Rules {
		e := rule.Expiration
		if rule.Status != "Enabled" || e == nil || !rule.matchesKey(o.Key) || !rule.matchesObject(o) {
			continue
		}
		var t time.Time
		switch {
		case e.Days != nil:
			t = dueAfter(o.LastModified, *e.Days)
		case e.Date != "":
			d, _ := parseLifecycleDate(e.Date)
			t = later(d, dueAfter(o.LastModified, 0))
		default:
			continue
		}
		if at.IsZero() || t.Before(at) {
			at, id = t, rule.ID
		}
	}
	if at.IsZero() {
		return ""
	}
	return `expiry-date="` + timeHTTP(at) + `", rule-id="` + id + `"`
}
