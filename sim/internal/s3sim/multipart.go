package s3sim

import (
	"context"
	"crypto/md5"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// upload is a multipart upload in progress.
type upload struct {
	ID        string
	Key       string
	Initiated time.Time
	Object    *object       // the attributes the object will have (no data yet)
	Algorithm string        `json:",omitempty"` // x-amz-checksum-algorithm of CreateMultipartUpload
	Type      string        `json:",omitempty"` // x-amz-checksum-type: COMPOSITE or FULL_OBJECT
	Parts     map[int]*part `json:",omitempty"`
}

type part struct {
	Number int
	payload
	MD5          []byte
	ETag         string
	LastModified time.Time
	Checksum     Checksum `json:",omitzero"`
}

// The limits of multipart uploads.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const (
	minPartSize = 5 << 20
	maxParts    = 10000
)

type initiateResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

func createMultipartUpload(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if err := checkKey(r.Key); err != nil {
		return nil, err
	}
	o, err := objectFromHeaders(r.Key, r.Header)
	if err != nil {
		return nil, err
	}
	alg := strings.ToUpper(r.Header.Get("X-Amz-Checksum-Algorithm"))
	if alg != "" && newHash(alg) == nil {
		return nil, invalidArgument("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]", "x-amz-checksum-algorithm", alg)
	}
	typ := strings.ToUpper(r.Header.Get("X-Amz-Checksum-Type"))
	switch {
	case typ == "" && alg == "CRC64NVME":
		typ = "FULL_OBJECT"
	case typ == "" && alg != "":
		typ = "COMPOSITE"
	case typ != "" && typ != "COMPOSITE" && typ != "FULL_OBJECT":
		return nil, invalidArgument("Value for x-amz-checksum-type header is invalid.", "x-amz-checksum-type", typ)
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	b, err := s.bucketForWrite(r)
	if err != nil {
		return nil, err
	}
	if o.SSE, err = s.encryptionFor(b, r.Header); err != nil {
		return nil, err
	}
	if err := s.lockFor(b, o, r.Header, false); err != nil {
		return nil, err
	}
	u := &upload{ID: s.ids.Token(64), Key: r.Key, Initiated: s.now(), Object: o, Algorithm: alg, Type: typ, Parts: map[int]*part{}}
	u.ID = strings.NewReplacer("+", ".", "/", "_").Replace(u.ID)
	if b.Uploads == nil {
		b.Uploads = map[string]*upload{}
	}
	b.Uploads[u.ID] = u
	resp, err := xmlResponse(initiateResult{Bucket: r.Bucket, Key: r.Key, UploadID: u.ID})
	if err != nil {
		return nil, err
	}
	o.SSE.header(resp.Header)
	if alg != "" {
		resp.Header.Set("X-Amz-Checksum-Algorithm", alg)
		resp.Header.Set("X-Amz-Checksum-Type", typ)
	}
	return resp, nil
}

// findUpload returns the upload r names. s.mu is held.
func (s *Store) findUpload(r *Request) (*bucket, *upload, error) {
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, nil, noSuchBucket(r.Bucket)
	}
	u, ok := b.Uploads[r.Query.Get("uploadId")]
	if !ok || u.Key != r.Key {
		return nil, nil, errorf(NoSuchUpload, msgNoSuchUpload).With("UploadId", r.Query.Get("uploadId"))
	}
	return b, u, nil
}

func partNumber(r *Request) (int, error) {
	v := r.Query.Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxParts {
		return 0, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	return n, nil
}

func uploadPart(s *Store, ctx context.Context, r *Request) (*Response, error) {
	n, err := partNumber(r)
	if err != nil {
		return nil, err
	}
	md5sum, sum, err := checkDigests(r, false, "")
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	_, u, err := s.findUpload(r)
	s.mu.RUnlock()
	if err != nil {
		return nil, err // before the body is stored
	}
	if err := u.checkCustomerKey(r.Header); err != nil {
		return nil, err
	}
	// u.Algorithm is set when the upload is made, and never changes.
	if u.Algorithm != "" && sum.Algorithm != "" && sum.Algorithm != u.Algorithm {
		return nil, errorf(InvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s", strings.ToLower(u.Algorithm), strings.ToLower(sum.Algorithm))
	}
	if u.Algorithm != "" && sum.Algorithm == "" {
		sum = Checksum{Algorithm: u.Algorithm, Value: sumOf(u.Algorithm, r.Body), Type: "FULL_OBJECT"}
	}
	body, err := s.keep(r.Body)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	defer body.release()
	if _, u, err = s.findUpload(r); err != nil {
		return nil, err
	}
	p := &part{Number: n, payload: body.take(), MD5: md5sum, ETag: etag(md5sum), LastModified: s.now(), Checksum: sum}
	s.setPart(u, p)
	h := http.Header{"Etag": {p.ETag}}
	u.Object.SSE.header(h)
	if sum.Algorithm != "" {
		h.Set(checksumHeader(sum.Algorithm), sum.Value)
	}
	return &Response{Header: h}, nil
}

func uploadPartCopy(s *Store, ctx context.Context, r *Request) (*Response, error) {
	n, err := partNumber(r)
	if err != nil {
		return nil, err
	}
	src, cs, body, err := s.partSource(r)
	if err != nil {
		return nil, err
	}
	data, err := s.body(src.payload)
	if err != nil {
		body.release()
		return nil, err
	}
	if v := r.Header.Get("X-Amz-Copy-Source-Range"); v != "" {
		start, end, partial, rerr := parseRange(v, src.size())
		if rerr != nil || !partial {
			body.release()
			return nil, invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", v)
		}
		if data = data[start : end+1]; int64(len(data)) != src.size() {
			body.release()
			if body, err = s.keep(data); err != nil {
				return nil, err
			}
		}
	}
	m := md5.Sum(data)
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	defer body.release()
	_, u, err := s.findUpload(r)
	if err != nil {
		return nil, err
	}
	if err := u.checkCustomerKey(r.Header); err != nil {
		return nil, err
	}
	p := &part{Number: n, payload: body.take(), MD5: m[:], ETag: etag(m[:]), LastModified: s.now()}
	if u.Algorithm != "" {
		p.Checksum = Checksum{Algorithm: u.Algorithm, Value: sumOf(u.Algorithm, data), Type: "FULL_OBJECT"}
	}
	s.setPart(u, p)
	resp, err := xmlResponse(copyPartResult{ETag: p.ETag, LastModified: timeXML(p.LastModified), checksumFields: fieldsOf(Checksum{Algorithm: p.Checksum.Algorithm, Value: p.Checksum.Value})})
	if err != nil {
		return nil, err
	}
	if cs.VersionID != "" {
		resp.Header.Set("X-Amz-Copy-Source-Version-Id", cs.VersionID)
	}
	u.Object.SSE.header(resp.Header)
	return resp, nil
}

// checkCustomerKey checks that a part of an upload made with a customer key (SSE-C) brings
// the same key, and that a part of any other upload brings none.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html (SSECustomerKey)
func (u *upload) checkCustomerKey(h http.Header) error {
	c, ok, err := customerKey(h, sseCustomerHeader)
	switch {
	case err != nil:
		return err
	case u.Object.SSE.CustomerAlgorithm != "" && !ok:
		return errorf(InvalidRequest, "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.")
	case u.Object.SSE.CustomerAlgorithm == "" && ok:
		return errorf(InvalidRequest, "The multipart upload initiate did not request encryption. Subsequent part requests must not include encryption parameters.")
	case ok && c.CustomerKeyMD5 != u.Object.SSE.CustomerKeyMD5:
		return errorf(InvalidRequest, "The provided encryption parameters did not match the ones used originally.")
	}
	return nil
}

// partSource finds the object an UploadPartCopy reads, once the upload is known to exist,
// and holds its body for the copy; the caller releases it.
func (s *Store) partSource(r *Request) (*object, copySource, *newBody, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, _, err := s.findUpload(r); err != nil {
		return nil, copySource{}, nil, err
	}
	src, cs, err := s.source(r)
	if err != nil {
		return nil, cs, nil, err
	}
	return src, cs, s.share(src.payload), nil
}

// setPart adds p to u, in place of a part of the same number. s.mu is held for writing.
func (s *Store) setPart(u *upload, p *part) {
	if old := u.Parts[p.Number]; old != nil {
		s.dropped(old.payload)
	}
	if u.Parts == nil {
		u.Parts = map[int]*part{} // a loaded upload that had none
	}
	u.Parts[p.Number] = p
}

type completeRequest struct {
	Parts []struct {
		PartNumber        int    `xml:"PartNumber"`
		ETag              string `xml:"ETag"`
		ChecksumCRC32     string `xml:"ChecksumCRC32"`
		ChecksumCRC32C    string `xml:"ChecksumCRC32C"`
		ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME"`
		ChecksumSHA1      string `xml:"ChecksumSHA1"`
		ChecksumSHA256    string `xml:"ChecksumSHA256"`
	} `xml:"Part"`
}

type completeResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	checksumFields
}

func normalizeETag(e string) string {
	e = strings.TrimSpace(e)
	e = strings.ReplaceAll(e, "&quot;", `"`)
	return `"` + strings.Trim(e, `"`) + `"`
}

func completeMultipartUpload(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in completeRequest
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if len(in.Parts) == 0 {
		return nil, errorf(MalformedXML, msgMalformedXML)
	}
	if resp, ok, err := s.completedBefore(r); ok || err != nil {
		return resp, err
	}
	prev := 0
	for _, p := range in.Parts {
		if p.PartNumber <= prev {
			return nil, errorf(InvalidPartOrder, "The list of parts was not in ascending order. The parts list must be specified in order by part number.")
		}
		prev = p.PartNumber
	}
	// The parts are read and the object's body stored outside the lock; if the upload
	// changed meanwhile (a part uploaded again), it is done again.
	for {
		u, parts, err := s.completedParts(r, &in)
		if err != nil {
			return nil, err
		}
		var total int64
		for _, p := range parts {
			total += p.size()
		}
		data := make([]byte, 0, total)
		var md5s [][]byte
		var sums []string
		for _, p := range parts {
			b, err := s.body(p.payload)
			if err != nil {
				return nil, err
			}
			data = append(data, b...)
			md5s = append(md5s, p.MD5)
			sums = append(sums, p.Checksum.Value)
		}
		o := *u.Object
		o.ETag, o.PartsCount = multipartETag(md5s), len(parts)
		o.PartSizes = partSizes(parts)
		switch {
		case u.Algorithm != "" && u.Type == "COMPOSITE" && !slices.Contains(sums, ""):
			o.Checksum = Checksum{Algorithm: u.Algorithm, Value: compositeChecksum(u.Algorithm, sums), Type: "COMPOSITE"}
		case u.Algorithm != "":
			o.Checksum = Checksum{Algorithm: u.Algorithm, Value: sumOf(u.Algorithm, data), Type: "FULL_OBJECT"}
		default:
			o.Checksum = defaultChecksum(data)
		}
		body, err := s.keep(data)
		if err != nil {
			return nil, err
		}
		resp, again, err := s.complete(r, u, parts, &o, body)
		if !again {
			return resp, err
		}
	}
}

// completedParts returns the upload r completes and the parts in names, checked as S3
// checks them, and checks the write's conditions.
func (s *Store) completedParts(r *Request, in *completeRequest) (*upload, []*part, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, u, err := s.findUpload(r)
	if err != nil {
		return nil, nil, err
	}
	var parts []*part
	for i, p := range in.Parts {
		got, ok := u.Parts[p.PartNumber]
		if !ok || normalizeETag(p.ETag) != got.ETag {
			e := errorf(InvalidPart, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.").
				With("UploadId", u.ID).With("PartNumber", strconv.Itoa(p.PartNumber)).With("ETag", p.ETag)
			return nil, nil, e
		}
		if i < len(in.Parts)-1 && got.size() < minPartSize {
			return nil, nil, errorf(EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size").
				With("ProposedSize", strconv.FormatInt(got.size(), 10)).With("MinSizeAllowed", strconv.Itoa(minPartSize)).
				With("PartNumber", strconv.Itoa(p.PartNumber)).With("ETag", got.ETag)
		}
		parts = append(parts, got)
	}
	if err := checkWriteConditions(b, r); err != nil {
		return nil, nil, err // before the body is stored; checked again when it is
	}
	return u, parts, nil
}

// complete stores o, made of parts of u, as the upload's object with body, and ends the
// upload. It reports again, having changed nothing, if one of the parts was uploaded again
// since it was read.
func (s *Store) complete(r *Request, u *upload, parts []*part, o *object, body *newBody) (_ *Response, again bool, _ error) {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	defer body.release()
	b, now, err := s.findUpload(r)
	if err != nil {
		return nil, false, err
	}
	for _, p := range parts {
		if now != u || u.Parts[p.Number] != p {
			return nil, true, nil
		}
	}
	if err := checkWriteConditions(b, r); err != nil {
		return nil, false, err
	}
	o.payload, o.LastModified = body.take(), s.now()
	delete(b.Uploads, u.ID)
	s.droppedUpload(u)
	h := http.Header{}
	o.SSE.header(h)
	if v := s.store(b, o); v != "" {
		h.Set("X-Amz-Version-Id", v)
	}
	s.remember(b, u.ID, o)
	resp, err := xmlResponse(completeResult{Location: "https://" + r.Bucket + ".s3." + b.Region + ".amazonaws.com/" + r.Key,
		Bucket: r.Bucket, Key: r.Key, ETag: o.ETag, checksumFields: fieldsOf(o.Checksum)})
	if err != nil {
		return nil, false, err
	}
	for k, v := range h {
		resp.Header[k] = v
	}
	return resp, false, nil
}

func abortMultipartUpload(s *Store, ctx context.Context, r *Request) (*Response, error) {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	b, u, err := s.findUpload(r)
	if err != nil {
		return nil, err
	}
	delete(b.Uploads, u.ID)
	s.droppedUpload(u)
	return empty(http.StatusNoContent), nil
}

type partEntry struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	checksumFields
}

type listPartsResult struct {
	XMLName              xml.Name    `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string      `xml:"Bucket"`
	Key                  string      `xml:"Key"`
	UploadID             string      `xml:"UploadId"`
	Initiator            owner       `xml:"Initiator"`
	Owner                owner       `xml:"Owner"`
	StorageClass         string      `xml:"StorageClass"`
	PartNumberMarker     int         `xml:"PartNumberMarker"`
	NextPartNumberMarker int         `xml:"NextPartNumberMarker"`
	MaxParts             int         `xml:"MaxParts"`
	IsTruncated          bool        `xml:"IsTruncated"`
	ChecksumAlgorithm    string      `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string      `xml:"ChecksumType,omitempty"`
	Parts                []partEntry `xml:"Part"`
}

func intParam(r *Request, name string, def, lo, hi int) (int, error) {
	v := r.Query.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, invalidArgument("Provided "+name+" not an integer or within integer range", name, v)
	}
	return n, nil
}

func listParts(s *Store, ctx context.Context, r *Request) (*Response, error) {
	max, err := intParam(r, "max-parts", 1000, 0, 1<<31-1)
	if err != nil {
		return nil, err
	}
	max = min(max, 1000)
	marker, err := intParam(r, "part-number-marker", 0, 0, 1<<31-1)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, u, err := s.findUpload(r)
	if err != nil {
		return nil, err
	}
	out := listPartsResult{Bucket: r.Bucket, Key: r.Key, UploadID: u.ID, Initiator: owner{s.owner}, Owner: owner{s.owner},
		StorageClass: u.Object.storageClass(), PartNumberMarker: marker, MaxParts: max, ChecksumAlgorithm: u.Algorithm, ChecksumType: u.Type}
	var nums []int
	for n := range u.Parts {
		if n > marker {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	for _, n := range nums {
		if len(out.Parts) == max {
			out.IsTruncated = true
			break
		}
		p := u.Parts[n]
		out.Parts = append(out.Parts, partEntry{PartNumber: n, LastModified: timeXML(p.LastModified), ETag: p.ETag, Size: p.size(),
			checksumFields: fieldsOf(Checksum{Algorithm: p.Checksum.Algorithm, Value: p.Checksum.Value})})
		out.NextPartNumberMarker = n
	}
	return xmlResponse(out)
}

type uploadEntry struct {
	Key               string `xml:"Key"`
	UploadID          string `xml:"UploadId"`
	Initiator         owner  `xml:"Initiator"`
	Owner             owner  `xml:"Owner"`
	StorageClass      string `xml:"StorageClass"`
	Initiated         string `xml:"Initiated"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
}

type listUploadsResult struct {
	XMLName            xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string         `xml:"Bucket"`
	KeyMarker          string         `xml:"KeyMarker"`
	UploadIDMarker     string         `xml:"UploadIdMarker"`
	NextKeyMarker      string         `xml:"NextKeyMarker"`
	NextUploadIDMarker string         `xml:"NextUploadIdMarker"`
	Prefix             string         `xml:"Prefix"`
	Delimiter          string         `xml:"Delimiter,omitempty"`
	MaxUploads         int            `xml:"MaxUploads"`
	EncodingType       string         `xml:"EncodingType,omitempty"`
	IsTruncated        bool           `xml:"IsTruncated"`
	Uploads            []uploadEntry  `xml:"Upload"`
	CommonPrefixes     []commonPrefix `xml:"CommonPrefixes"`
}

func listMultipartUploads(s *Store, ctx context.Context, r *Request) (*Response, error) {
	p, err := readListParams(r)
	if err != nil {
		return nil, err
	}
	if p.maxKeys, err = intParam(r, "max-uploads", 1000, 0, 1<<31-1); err != nil {
		return nil, err
	}
	p.maxKeys = min(p.maxKeys, 1000)
	keyMarker, idMarker := r.Query.Get("key-marker"), r.Query.Get("upload-id-marker")
	out := listUploadsResult{Bucket: r.Bucket, KeyMarker: p.encode(keyMarker), UploadIDMarker: idMarker, Prefix: p.encode(p.prefix),
		Delimiter: p.encode(p.delimiter), MaxUploads: p.maxKeys, EncodingType: p.encoding}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	ups := make([]*upload, 0, len(b.Uploads))
	for _, u := range b.Uploads {
		ups = append(ups, u)
	}
	// Sorted by key, then by initiation time.
	slices.SortFunc(ups, func(x, y *upload) int {
		if c := strings.Compare(x.Key, y.Key); c != 0 {
			return c
		}
		if c := x.Initiated.Compare(y.Initiated); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	seenMarker := idMarker == ""
	var lastPrefix string
	for _, u := range ups {
		if !strings.HasPrefix(u.Key, p.prefix) || u.Key < keyMarker || u.Key == keyMarker && idMarker == "" {
			continue
		}
		if u.Key == keyMarker && !seenMarker {
			seenMarker = u.ID == idMarker
			continue
		}
		if p.delimiter != "" {
			if j := strings.Index(u.Key[len(p.prefix):], p.delimiter); j >= 0 {
				cp := u.Key[:len(p.prefix)+j+len(p.delimiter)]
				if cp == lastPrefix {
					continue
				}
				if len(out.Uploads)+len(out.CommonPrefixes) == p.maxKeys {
					out.IsTruncated = true
					break
				}
				out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{p.encode(cp)})
				lastPrefix = cp
				out.NextKeyMarker, out.NextUploadIDMarker = p.encode(cp), ""
				continue
			}
		}
		if len(out.Uploads)+len(out.CommonPrefixes) == p.maxKeys {
			out.IsTruncated = true
			break
		}
		out.Uploads = append(out.Uploads, uploadEntry{Key: p.encode(u.Key), UploadID: u.ID, Initiator: owner{s.owner}, Owner: owner{s.owner},
			StorageClass: u.Object.storageClass(), Initiated: timeXML(u.Initiated), ChecksumAlgorithm: u.Algorithm, ChecksumType: u.Type})
		out.NextKeyMarker, out.NextUploadIDMarker = p.encode(u.Key), u.ID
	}
	return xmlResponse(out)
}
