package cfnsim

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/s3sim"
)

// s3Location is the bucket and key of a TemplateURL in one of S3's forms: virtual-hosted
// (https://BUCKET.s3.amazonaws.com/KEY, https://BUCKET.s3.REGION.amazonaws.com/KEY,
// https://BUCKET.s3-REGION.amazonaws.com/KEY) or path-style (https://s3.amazonaws.com/BUCKET/KEY,
// https://s3.REGION.amazonaws.com/BUCKET/KEY, https://s3-REGION.amazonaws.com/BUCKET/KEY);
// ok is false for any other URL.
func s3Location(raw string) (bucket, key string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.RawQuery != "" && !strings.HasPrefix(u.RawQuery, "versionId=") {
		return "", "", false
	}
	host := strings.ToLower(u.Hostname())
	rest, found := strings.CutSuffix(host, ".amazonaws.com")
	if !found {
		return "", "", false
	}
	p := strings.TrimPrefix(u.Path, "/")
	s3Host := func(h string) bool {
		if h == "s3" {
			return true
		}
		if r, ok := strings.CutPrefix(h, "s3."); ok {
			return r != "" && !strings.Contains(r, ".")
		}
		if r, ok := strings.CutPrefix(h, "s3-"); ok {
			return r != "" && !strings.Contains(r, ".")
		}
		return false
	}
	if s3Host(rest) { // path-style
		bucket, key, _ = strings.Cut(p, "/")
	} else if i := strings.Index(rest, ".s3"); i > 0 && s3Host(rest[i+1:]) {
		bucket, key = rest[:i], p
	}
	if bucket == "" || key == "" {
		return "", "", false
	}
	return bucket, key, true
}

// readTemplateURL reads a template from the simulator's S3, through S3's GetObject at the
// door as the caller: a caller who may not read the object cannot use it.
func (s *Store) readTemplateURL(ctx context.Context, raw string) (string, error) {
	if len(raw) > 1024 {
		return "", invalid("1 validation error detected: Value at 'templateURL' failed to satisfy constraint: Member must have length less than or equal to 1024")
	}
	bucket, key, ok := s3Location(raw)
	if !ok {
		return "", invalid("TemplateURL must be a supported URL.")
	}
	if s.call == nil {
		return "", core.Errorf(core.NotImplemented, "the simulator reads no templates from S3 here")
	}
	op, req, err := s3sim.InternalRequest(http.MethodGet, bucket, key, nil, nil, nil)
	if err != nil {
		return "", invalid("TemplateURL must be a supported URL.")
	}
	out, err := s.call(ctx, "s3", op, req)
	if err != nil {
		var e *core.Error
		if errors.As(err, &e) {
			return "", invalid("S3 error: %s", e.Message)
		}
		return "", invalid("S3 error: %v", err)
	}
	resp, ok := out.(*s3sim.Response)
	if !ok || resp.Status >= 300 {
		return "", invalid("S3 error: the template could not be read from %s", raw)
	}
	if len(resp.Body) > 1<<20 {
		return "", invalid("Template may not exceed 1048576 bytes in size.")
	}
	return string(resp.Body), nil
}
