package s3sim

import (
	"context"
	"net/http"
	"time"
)

// # Archived objects and their restores
//
// An object in S3 Glacier Flexible Retrieval or Deep Archive (GLACIER, DEEP_ARCHIVE) cannot
// be read (InvalidObjectState) until a RestoreObject has made a temporary copy of it, which
// takes the tier's time and lasts the days asked for; HEAD says how the restore stands in
// x-amz-restore. The times are worked out from when the restore was asked, so the simulator's
// clock moving (Cloud.Advance) finishes a restore with no work.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html

// restoreState is an archived object's restore: asked at Started, ready at Ready, gone at
// Expiry.
type restoreState struct {
	Started, Ready, Expiry time.Time
	Tier                   string
}

// archived reports whether o's storage class keeps it from being read without a restore.
func (o *object) archived() bool {
	return o.StorageClass == "GLACIER" || o.StorageClass == "DEEP_ARCHIVE"
}

// readable reports whether o's body can be read at now: not archived, or restored.
func (o *object) readable(now time.Time) bool {
	if !o.archived() {
		return true
	}
	r := o.Restore
	return r != nil && !now.Before(r.Ready) && now.Before(r.Expiry)
}

// restoreHeader writes x-amz-restore of o at now, if a restore was asked and is not over.
func (o *object) restoreHeader(h http.Header, now time.Time) {
	r := o.Restore
	switch {
	case r == nil || !o.archived() || !now.Before(r.Expiry):
	case now.Before(r.Ready):
		h.Set("X-Amz-Restore", `ongoing-request="true"`)
	default:
		h.Set("X-Amz-Restore", `ongoing-request="false", expiry-date="`+timeHTTP(r.Expiry)+`"`)
	}
}

// invalidObjectState is the refusal to read an archived object.
func invalidObjectState(o *object) *Error {
	return errorf(InvalidObjectState, "The operation is not valid for the object's storage class").With("StorageClass", o.storageClass())
}

// restoreTimes are how long a restore takes, by storage class and tier.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html
var restoreTimes = map[string]map[string]time.Duration{
	"GLACIER":      {"Expedited": 5 * time.Minute, "Standard": 5 * time.Hour, "Bulk": 12 * time.Hour},
	"DEEP_ARCHIVE": {"Standard": 12 * time.Hour, "Bulk": 48 * time.Hour},
}

type restoreRequest struct {
	Days                 *int `xml:"Days"`
	GlacierJobParameters *struct {
		Tier string `xml:"Tier"`
	} `xml:"GlacierJobParameters"`
	Tier string `xml:"Tier"`
	Type string `xml:"Type"`
}

// parseRestoreRequest reads RestoreObject's document: the days the copy lasts and the tier.
func parseRestoreRequest(body []byte) (days int, tier string, err error) {
	var in restoreRequest
	if err := decodeXML(body, &in); err != nil {
		return 0, "", err
	}
	if in.Type != "" {
		return 0, "", errorf(InvalidArgument, "The simulator does not implement S3 Select restores.")
	}
	tier = "Standard"
	if in.Tier != "" {
		tier = in.Tier
	}
	if in.GlacierJobParameters != nil && in.GlacierJobParameters.Tier != "" {
		tier = in.GlacierJobParameters.Tier
	}
	if tier != "Standard" && tier != "Bulk" && tier != "Expedited" {
		return 0, "", malformedXML()
	}
	if in.Days == nil || *in.Days < 1 {
		return 0, "", invalidArgument("Days must be a positive integer", "Days", "")
	}
	return *in.Days, tier, nil
}

func restoreObject(s *Store, ctx context.Context, r *Request) (*Response, error) {
	days, tier, err := parseRestoreRequest(r.Body)
	if err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		o, err := s.lookup(b, r)
		if err != nil {
			return nil, err
		}
		if !o.archived() {
			return nil, errorf(InvalidObjectState, "Restore is not allowed for the object's current storage class").With("StorageClass", o.storageClass())
		}
		took, ok := restoreTimes[o.StorageClass][tier]
		if !ok {
			return nil, errorf(InvalidArgument, "Expedited retrievals are not supported for objects in the DEEP_ARCHIVE storage class").With("ArgumentName", "Tier").With("ArgumentValue", tier)
		}
		now := s.now()
		h := versionHeader(b, o)
		c := *o
		switch rs := o.Restore; {
		case rs != nil && now.Before(rs.Ready):
			return nil, errorf(RestoreAlreadyInProgress, "Object restore is already in progress")
		case rs != nil && now.Before(rs.Expiry):
			// A restored copy's days are counted again from now.
			c.Restore = &restoreState{Started: rs.Started, Ready: rs.Ready, Expiry: dueAfter(now, days), Tier: rs.Tier}
			replaceVersion(b, o, &c)
			return &Response{Status: http.StatusOK, Header: h}, nil
		}
		ready := now.Add(took)
		c.Restore = &restoreState{Started: now, Ready: ready, Expiry: dueAfter(ready, days), Tier: tier}
		replaceVersion(b, o, &c)
		return &Response{Status: http.StatusAccepted, Header: h}, nil
	})
}
