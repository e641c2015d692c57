package s3sim

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
)

type objectEntry struct {
	Key               string   `xml:"Key"`
	LastModified      string   `xml:"LastModified"`
	ETag              string   `xml:"ETag"`
	ChecksumAlgorithm []string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string   `xml:"ChecksumType,omitempty"`
	Size              int64    `xml:"Size"`
	StorageClass      string   `xml:"StorageClass"`
	Owner             *owner   `xml:"Owner,omitempty"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

type listBucketResult struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	KeyCount              *int           `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	Contents              []objectEntry  `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

// listParams are the parameters every listing takes.
type listParams struct {
	prefix, delimiter, encoding string
	maxKeys                     int
}

func readListParams(r *Request) (listParams, error) {
	p := listParams{prefix: r.Query.Get("prefix"), delimiter: r.Query.Get("delimiter"), maxKeys: 1000}
	if v := r.Query.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", v)
		}
		p.maxKeys = min(n, 1000)
	}
	if r.Query.Has("encoding-type") {
		p.encoding = r.Query.Get("encoding-type")
		if p.encoding != "url" {
			return p, invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", p.encoding)
		}
	}
	return p, nil
}

// encode applies encoding-type=url to a name in a listing: every byte but the unreserved
// ones and '/' percent-encoded, a space as '+', which the AWS CLI decodes with unquote_plus.
func (p listParams) encode(s string) string {
	if p.encoding != "url" {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~', c == '/':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// walk lists the keys of b after `after`, under the prefix, rolled up by the delimiter into
// common prefixes, until max entries: visit is called for each key (whose current version is
// not a delete marker, unless all is set) and each common prefix, in order. It returns
// whether the listing was cut, and the last key or prefix it gave. s.mu is held.
func walk(b *bucket, p listParams, after string, all bool, visit func(key, prefix string)) (truncated bool, last string) {
	if b.keys == nil {
		return false, ""
	}
	n := 0
	b.keys.AscendGreaterOrEqual(max(after, p.prefix), func(key string) bool {
		if key == after && after != "" {
			return true
		}
		if !strings.HasPrefix(key, p.prefix) {
			return key < p.prefix
		}
		if !all {
			if cur := b.current(key); cur.DeleteMarker {
				return true
			}
		}
		if p.delimiter != "" {
			if j := strings.Index(key[len(p.prefix):], p.delimiter); j >= 0 {
				cp := key[:len(p.prefix)+j+len(p.delimiter)]
				if cp == last || cp <= after {
					return true
				}
				if n == p.maxKeys {
					truncated = true
					return false
				}
				visit("", cp)
				n++
				last = cp
				return true
			}
		}
		if n == p.maxKeys {
			truncated = true
			return false
		}
		visit(key, "")
		n++
		last = key
		return true
	})
	return truncated, last
}

func (s *Store) entry(o *object, withOwner bool, p listParams) objectEntry {
	e := objectEntry{Key: p.encode(o.Key), LastModified: timeXML(o.LastModified), ETag: o.ETag, Size: o.size(), StorageClass: o.storageClass()}
	if o.Checksum.Algorithm != "" {
		e.ChecksumAlgorithm, e.ChecksumType = []string{o.Checksum.Algorithm}, o.Checksum.Type
	}
	if withOwner {
		e.Owner = &owner{ID: s.owner}
	}
	return e
}

func listObjects(s *Store, ctx context.Context, r *Request) (*Response, error) {
	p, err := readListParams(r)
	if err != nil {
		return nil, err
	}
	marker := r.Query.Get("marker")
	out := listBucketResult{Name: r.Bucket, Prefix: p.encode(p.prefix), Marker: ptr(p.encode(marker)), MaxKeys: p.maxKeys,
		Delimiter: p.encode(p.delimiter), EncodingType: p.encoding}
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		s.mu.RUnlock()
		return nil, noSuchBucket(r.Bucket)
	}
	truncated, last := walk(b, p, marker, false, func(key, prefix string) {
		if prefix != "" {
			out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{p.encode(prefix)})
			return
		}
		out.Contents = append(out.Contents, s.entry(b.current(key), true, p))
	})
	s.mu.RUnlock()
	out.IsTruncated = truncated
	// NextMarker is sent only with a delimiter; without one, clients resume from the last key.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
	if truncated && p.delimiter != "" {
		out.NextMarker = p.encode(last)
	}
	return xmlResponse(out)
}

func ptr[T any](v T) *T { return &v }

// continuation tokens are opaque to clients; here they are the last key given, encoded.
func encodeToken(last string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x01" + last))
}

func decodeToken(t string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(t)
	if err != nil || len(b) == 0 || b[0] != 1 {
		return "", false
	}
	return string(b[1:]), true
}

func listObjectsV2(s *Store, ctx context.Context, r *Request) (*Response, error) {
	p, err := readListParams(r)
	if err != nil {
		return nil, err
	}
	after := r.Query.Get("start-after")
	token := r.Query.Get("continuation-token")
	if r.Query.Has("continuation-token") {
		last, ok := decodeToken(token)
		if !ok || token == "" {
			return nil, invalidArgument("The continuation token provided is incorrect", "continuation-token", token)
		}
		after = max(after, last)
	}
	withOwner := r.Query.Get("fetch-owner") == "true"
	out := listBucketResult{Name: r.Bucket, Prefix: p.encode(p.prefix), MaxKeys: p.maxKeys, Delimiter: p.encode(p.delimiter),
		EncodingType: p.encoding, ContinuationToken: token, StartAfter: p.encode(r.Query.Get("start-after"))}
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		s.mu.RUnlock()
		return nil, noSuchBucket(r.Bucket)
	}
	truncated, last := walk(b, p, after, false, func(key, prefix string) {
		if prefix != "" {
			out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{p.encode(prefix)})
			return
		}
		out.Contents = append(out.Contents, s.entry(b.current(key), withOwner, p))
	})
	s.mu.RUnlock()
	out.IsTruncated = truncated
	out.KeyCount = ptr(len(out.Contents) + len(out.CommonPrefixes))
	if truncated {
		out.NextContinuationToken = encodeToken(last)
	}
	return xmlResponse(out)
}

type versionEntry struct {
	XMLName           xml.Name
	Key               string   `xml:"Key"`
	VersionID         string   `xml:"VersionId"`
	IsLatest          bool     `xml:"IsLatest"`
	LastModified      string   `xml:"LastModified"`
	ETag              string   `xml:"ETag,omitempty"`
	ChecksumAlgorithm []string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string   `xml:"ChecksumType,omitempty"`
	Size              *int64   `xml:"Size"`
	StorageClass      string   `xml:"StorageClass,omitempty"`
	Owner             owner    `xml:"Owner"`
}

type listVersionsResult struct {
	XMLName             xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
	Name                string         `xml:"Name"`
	Prefix              string         `xml:"Prefix"`
	KeyMarker           string         `xml:"KeyMarker"`
	VersionIDMarker     string         `xml:"VersionIdMarker"`
	NextKeyMarker       string         `xml:"NextKeyMarker,omitempty"`
	NextVersionIDMarker string         `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int            `xml:"MaxKeys"`
	Delimiter           string         `xml:"Delimiter,omitempty"`
	EncodingType        string         `xml:"EncodingType,omitempty"`
	IsTruncated         bool           `xml:"IsTruncated"`
	Entries             []versionEntry // Version and DeleteMarker elements, in order
	CommonPrefixes      []commonPrefix `xml:"CommonPrefixes"`
}

func listObjectVersions(s *Store, ctx context.Context, r *Request) (*Response, error) {
	p, err := readListParams(r)
	if err != nil {
		return nil, err
	}
	keyMarker, idMarker := r.Query.Get("key-marker"), r.Query.Get("version-id-marker")
	if idMarker != "" && keyMarker == "" {
		return nil, invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", idMarker)
	}
	out := listVersionsResult{Name: r.Bucket, Prefix: p.encode(p.prefix), KeyMarker: p.encode(keyMarker), VersionIDMarker: idMarker,
		MaxKeys: p.maxKeys, Delimiter: p.encode(p.delimiter), EncodingType: p.encoding}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	// Versions and common prefixes count one by one toward max-keys; a page may end within
	// a key's versions, and the next resumes after the last version given (NextKeyMarker and
	// NextVersionIdMarker), or after the last common prefix (NextKeyMarker alone).
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
	// TestS3ListObjectVersionsPaging pins it.
	n := 0
	var nextKey, nextID string
	full := func() bool {
		if n == p.maxKeys {
			out.IsTruncated = true
		}
		return out.IsTruncated
	}
	versions := func(key string, vs []*object, older string) {
		i := len(vs) - 1
		if older != "" {
			for i >= 0 && vs[i].VersionID != older {
				i--
			}
			i-- // the versions after the marker: older ones
		}
		for ; i >= 0 && !full(); i-- {
			out.Entries = append(out.Entries, s.versionEntry(vs[i], i == len(vs)-1))
			n++
			nextKey, nextID = key, vs[i].VersionID
		}
	}
	if idMarker != "" && strings.HasPrefix(keyMarker, p.prefix) &&
		(p.delimiter == "" || !strings.Contains(keyMarker[len(p.prefix):], p.delimiter)) {
		versions(keyMarker, b.Objects[keyMarker], idMarker)
	}
	// Each key or prefix walked gives at least one entry: the walk needs one more than the
	// room left to know whether the listing is cut.
	lp := p
	lp.maxKeys = p.maxKeys - n + 1
	walk(b, lp, keyMarker, true, func(key, prefix string) {
		if full() {
			return
		}
		if prefix != "" {
			out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{p.encode(prefix)})
			n++
			nextKey, nextID = prefix, ""
			return
		}
		versions(key, b.Objects[key], "")
	})
	if out.IsTruncated {
		out.NextKeyMarker, out.NextVersionIDMarker = p.encode(nextKey), nextID
	}
	return xmlResponse(out)
}

func (s *Store) versionEntry(o *object, latest bool) versionEntry {
	e := versionEntry{Key: o.Key, VersionID: o.VersionID, IsLatest: latest, LastModified: timeXML(o.LastModified), Owner: owner{ID: s.owner}}
	if o.DeleteMarker {
		e.XMLName.Local = "DeleteMarker"
		return e
	}
	e.XMLName.Local = "Version"
	e.ETag, e.Size, e.StorageClass = o.ETag, ptr(o.size()), o.storageClass()
	if o.Checksum.Algorithm != "" {
		e.ChecksumAlgorithm, e.ChecksumType = []string{o.Checksum.Algorithm}, o.Checksum.Type
	}
	return e
}

type deleteRequest struct {
	Quiet   bool `xml:"Quiet"`
	Objects []struct {
		Key       string `xml:"Key"`
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

type deletedEntry struct {
	Key                   string `xml:"Key"`
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteError struct {
	Key       string    `xml:"Key"`
	VersionID string    `xml:"VersionId,omitempty"`
	Code      core.Code `xml:"Code"`
	Message   string    `xml:"Message"`
}

type deleteResult struct {
	XMLName xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []deletedEntry `xml:"Deleted"`
	Errors  []deleteError  `xml:"Error"`
}

// maxDeleteObjects is the most keys one DeleteObjects request takes.
const maxDeleteObjects = 1000

func deleteObjects(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in deleteRequest
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if len(in.Objects) == 0 || len(in.Objects) > maxDeleteObjects {
		return nil, malformedXML()
	}
	// Each key is authorized on its own, and a refusal is that key's error.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
	denied := make([]error, len(in.Objects))
	bypass := make([]bool, len(in.Objects))
	for i, o := range in.Objects {
		denied[i] = r.Authorize(s.access(r, action("DeleteObject", o.VersionID != ""), Target{r.Bucket, o.Key}))
		bypass[i] = o.VersionID != "" && s.mayBypass(r, o.Key)
	}
	var out deleteResult
	s.mu.Lock()
	s.gen.Bump()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		s.mu.Unlock()
		return nil, noSuchBucket(r.Bucket)
	}
	for i, o := range in.Objects {
		if denied[i] != nil {
			e := AsError(denied[i])
			out.Errors = append(out.Errors, deleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
			continue
		}
		if o.Key == "" || len(o.Key) > maxKey {
			out.Errors = append(out.Errors, deleteError{Key: o.Key, VersionID: o.VersionID, Code: InvalidArgument, Message: "Invalid key"})
			continue
		}
		d := deletedEntry{Key: o.Key}
		if o.VersionID != "" {
			err := s.checkDeleteVersion(b, o.Key, o.VersionID, bypass[i])
			id, marker := "", false
			if err == nil {
				id, marker, err = s.deleteVersion(b, o.Key, o.VersionID)
			}
			if err != nil {
				e := AsError(err)
				out.Errors = append(out.Errors, deleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
				continue
			}
			d.VersionID = id
			if marker {
				d.DeleteMarker, d.DeleteMarkerVersionID = true, id
			}
		} else if id := s.deleteCurrent(b, o.Key); id != "" {
			d.DeleteMarker, d.DeleteMarkerVersionID = true, id
		}
		if !in.Quiet {
			out.Deleted = append(out.Deleted, d)
		}
	}
	s.mu.Unlock()
	return xmlResponse(out)
}
