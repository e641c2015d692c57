package s3sim

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/minio/crc64nvme"
)

// The checksum algorithms S3 takes, by the names of the wire (x-amz-checksum-<lower-case>).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
var checksumAlgorithms = []string{"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}

// checksumHeaders are the headers of checksumAlgorithms, canonical (X-Amz-Checksum-Crc32), so
// that looking one up or setting it costs no allocation.
var checksumHeaders = func() map[string]string {
	m := make(map[string]string, len(checksumAlgorithms))
	for _, alg := range checksumAlgorithms {
		m[alg] = textproto.CanonicalMIMEHeaderKey("X-Amz-Checksum-" + alg)
	}
	return m
}()

// checksumHeader is the header of a checksum algorithm.
func checksumHeader(alg string) string {
	if name, ok := checksumHeaders[alg]; ok {
		return name
	}
	return "X-Amz-Checksum-" + alg
}

// castagnoli is CRC32C's table. CRC-64/NVME (reflected, polynomial 0x9a6c9329ac4bc9b5, as the
// SDKs compute it) is crc64nvme's, whose sums checksum_test.go checks against hash/crc64's.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// newHash returns the hash of a checksum algorithm, nil for an unknown one.
func newHash(alg string) hash.Hash {
	switch alg {
	case "CRC32":
		return crc32.NewIEEE()
	case "CRC32C":
		return crc32.New(castagnoli)
	case "CRC64NVME":
		return crc64nvme.New() // hash/crc64's sums, with the CPU's carry-less multiply
	case "SHA1":
		return sha1.New()
	case "SHA256":
		return sha256.New()
	}
	return nil
}

// sumOf returns the base-64 checksum of data with alg.
func sumOf(alg string, data []byte) string {
	switch alg {
	case "CRC32":
		return b64u32(crc32.ChecksumIEEE(data))
	case "CRC32C":
		return b64u32(crc32.Checksum(data, castagnoli))
	case "CRC64NVME":
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], crc64nvme.Checksum(data))
		return base64.StdEncoding.EncodeToString(b[:])
	}
	h := newHash(alg)
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func b64u32(v uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return base64.StdEncoding.EncodeToString(b[:])
}

// Checksum is an object's (or part's) stored checksum.
type Checksum struct {
	Algorithm string `json:",omitempty"` // "CRC32", …; "" for none
	Value     string `json:",omitempty"` // base-64; a composite one ends in "-N"
	Type      string `json:",omitempty"` // "FULL_OBJECT" or "COMPOSITE"
}

// header returns the checksum's response headers.
func (c Checksum) header(h http.Header) {
	if c.Algorithm == "" {
		return
	}
	h.Set(checksumHeader(c.Algorithm), c.Value)
	h.Set("X-Amz-Checksum-Type", c.Type)
}

// checkDigests verifies what a request says about its body: Content-MD5 (BadDigest,
// InvalidDigest) and a flexible checksum, in a header or a trailer (BadDigest,
// InvalidRequest), and returns the body's MD5 and the checksum to store: the one the request
// gave, else the body's sum with fallback ("" for none). required says that the operation
// needs Content-MD5 or a checksum (DeleteObjects). The body is read once for all its sums.
func checkDigests(r *Request, required bool, fallback string) (md5sum []byte, sum Checksum, err error) {
	var found []string
	for _, alg := range checksumAlgorithms {
		name := checksumHeader(alg)
		if r.Header.Get(name) != "" || r.Trailer.Get(name) != "" {
			found = append(found, alg)
		}
	}
	alg := fallback
	if len(found) > 0 {
		alg = found[0]
	}
	md5sum, got := r.digests(alg)
	if v := r.Header.Get("Content-Md5"); v != "" {
		want, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(want) != md5.Size {
			return nil, sum, errorf(InvalidDigest, "The Content-MD5 you specified was invalid.").With("Content-MD5", v)
		}
		if string(want) != string(md5sum) {
			return nil, sum, errorf(BadDigest, "The Content-MD5 you specified did not match what we received.").
				With("ExpectedDigest", base64.StdEncoding.EncodeToString(want)).With("CalculatedDigest", base64.StdEncoding.EncodeToString(md5sum))
		}
	}
	declared := strings.ToUpper(r.Header.Get("X-Amz-Sdk-Checksum-Algorithm"))
	if len(found) > 1 {
		return nil, sum, errorf(InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	if len(found) == 0 {
		if declared != "" && r.Header.Get("X-Amz-Trailer") == "" {
			return nil, sum, errorf(InvalidRequest, "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
		if t := r.Header.Get("X-Amz-Trailer"); t != "" {
			return nil, sum, errorf(InvalidRequest, "The value specified in the x-amz-trailer header is not supported")
		}
		if required && r.Header.Get("Content-Md5") == "" {
			return nil, sum, errorf(InvalidRequest, "Missing required header for this request: Content-MD5")
		}
		if fallback != "" {
			sum = Checksum{Algorithm: fallback, Value: got, Type: "FULL_OBJECT"}
		}
		return md5sum, sum, nil
	}
	if declared != "" && declared != alg {
		return nil, sum, errorf(InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.")
	}
	name := checksumHeader(alg)
	v := r.Header.Get(name)
	if v == "" {
		v = r.Trailer.Get(name)
	}
	raw, derr := base64.StdEncoding.DecodeString(v)
	if derr != nil || len(raw) != newHash(alg).Size() {
		return nil, sum, errorf(InvalidRequest, "Value for %s header is invalid.", strings.ToLower(name))
	}
	if got != v {
		return nil, sum, errorf(BadDigest, "The %s you specified did not match the calculated checksum.", alg)
	}
	return md5sum, Checksum{Algorithm: alg, Value: v, Type: "FULL_OBJECT"}, nil
}

// digestChunk is how much of a body digests gives each hash at a time: small enough to stay
// in the CPU's cache between the hashes, so that the body is read from memory once.
const digestChunk = 64 << 10

// digests returns the MD5 of data and its base-64 checksum with alg ("" for none), in one
// pass over data.
func digests(data []byte, alg string) (md5sum []byte, sum string) {
	m := md5.New()
	var h hash.Hash
	if alg != "" {
		h = newHash(alg)
	}
	for len(data) > 0 {
		n := min(len(data), digestChunk)
		m.Write(data[:n])
		if h != nil {
			h.Write(data[:n])
		}
		data = data[n:]
	}
	if h != nil {
		sum = base64.StdEncoding.EncodeToString(h.Sum(nil))
	}
	return m.Sum(nil), sum
}

// digests returns the MD5 of r's body and its base-64 checksum with alg ("" for none): the
// checksum here while the MD5 the door began as it read the body ends on its own goroutine.
func (r *Request) digests(alg string) (md5sum []byte, sum string) {
	if r.bodyMD5 == nil {
		return digests(r.Body, alg)
	}
	if alg != "" {
		sum = sumOf(alg, r.Body)
	}
	return r.bodyMD5.Sum(), sum
}

// defaultChecksum is the checksum S3 stores for an object uploaded without one: CRC64NVME,
// since December 2024.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
func defaultChecksum(data []byte) Checksum {
	return Checksum{Algorithm: defaultAlgorithm, Value: sumOf(defaultAlgorithm, data), Type: "FULL_OBJECT"}
}

const defaultAlgorithm = "CRC64NVME"

// etag is the quoted hex MD5 S3 gives an object uploaded whole.
func etag(md5sum []byte) string { return `"` + hex.EncodeToString(md5sum) + `"` }

// multipartETag is the ETag of an object assembled from parts: the MD5 of the parts' MD5s,
// a dash and the number of parts.
func multipartETag(partMD5s [][]byte) string {
	h := md5.New()
	for _, m := range partMD5s {
		h.Write(m)
	}
	return `"` + hex.EncodeToString(h.Sum(nil)) + "-" + strconv.Itoa(len(partMD5s)) + `"`
}

// compositeChecksum is the checksum of a multipart object from its parts' checksums: the
// checksum of their concatenated raw values, a dash and the number of parts.
func compositeChecksum(alg string, parts []string) string {
	var raw []byte
	for _, p := range parts {
		b, _ := base64.StdEncoding.DecodeString(p)
		raw = append(raw, b...)
	}
	return sumOf(alg, raw) + "-" + strconv.Itoa(len(parts))
}
