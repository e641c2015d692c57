// Package sigv2 checks S3's legacy Signature Version 2: the "Authorization: AWS key:sig"
// header and presigned URLs with AWSAccessKeyId, Expires and Signature, which botocore
// (boto3's generate_presigned_url, the AWS CLI v1's `aws s3 presign`) still writes for
// us-east-1.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
package sigv2

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Auth is what a request says about its Signature Version 2.
type Auth struct {
	AccessKeyID  string
	Signature    string
	SessionToken string
	Presigned    bool
	Expires      time.Time // presigned: when the URL stops working
	Date         time.Time // header: Date or X-Amz-Date
}

// Error is a refused signature: code and message as S3 answers them.
type Error struct {
	Code, Message string
	Status        int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Parse reads the Signature Version 2 of r; ok is false when r has none.
func Parse(r *http.Request) (a *Auth, ok bool, err error) {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "AWS ") {
		key, sig, found := strings.Cut(strings.TrimPrefix(h, "AWS "), ":")
		if !found || key == "" || sig == "" {
			return nil, true, &Error{"InvalidArgument", "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature", http.StatusBadRequest}
		}
		a := &Auth{AccessKeyID: key, Signature: sig, SessionToken: r.Header.Get("X-Amz-Security-Token")}
		d := r.Header.Get("X-Amz-Date")
		if d == "" {
			d = r.Header.Get("Date")
		}
		t, err := http.ParseTime(d)
		if err != nil {
			return nil, true, &Error{"AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", http.StatusForbidden}
		}
		a.Date = t
		return a, true, nil
	}
	if r.URL == nil || !strings.Contains(r.URL.RawQuery, "AWSAccessKeyId=") {
		return nil, false, nil
	}
	q := r.URL.Query()
	if !q.Has("AWSAccessKeyId") {
		return nil, false, nil
	}
	if !q.Has("Signature") || !q.Has("Expires") {
		return nil, true, &Error{"AccessDenied", "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters", http.StatusForbidden}
	}
	n, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
	if err != nil {
		return nil, true, &Error{"AccessDenied", "Invalid date (should be seconds since epoch): " + q.Get("Expires"), http.StatusForbidden}
	}
	return &Auth{AccessKeyID: q.Get("AWSAccessKeyId"), Signature: q.Get("Signature"), SessionToken: q.Get("x-amz-security-token"),
		Presigned: true, Expires: time.Unix(n, 0)}, true, nil
}

// subresources are the query parameters that are part of the signed resource, as botocore
// lists them (HmacV1Auth.QSAOfInterest).
var subresources = map[string]bool{
	"accelerate": true, "acl": true, "cors": true, "defaultObjectAcl": true, "location": true, "logging": true,
	"partNumber": true, "policy": true, "requestPayment": true, "torrent": true, "versioning": true, "versionId": true,
	"versions": true, "website": true, "uploads": true, "uploadId": true, "response-content-type": true,
	"response-content-language": true, "response-expires": true, "response-cache-control": true,
	"response-content-disposition": true, "response-content-encoding": true, "delete": true, "lifecycle": true,
	"tagging": true, "restore": true, "storageClass": true, "notification": true, "replication": true,
	"analytics": true, "metrics": true, "inventory": true, "select": true, "select-type": true, "object-lock": true,
}

// StringToSign returns what the client signed. hostBucket is the bucket named by a
// virtual-hosted request's Host ("" for path-style), which the resource names first.
func StringToSign(r *http.Request, a *Auth, hostBucket string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	b.WriteString(strings.TrimSpace(r.Header.Get("Content-Md5")) + "\n")
	b.WriteString(strings.TrimSpace(r.Header.Get("Content-Type")) + "\n")
	switch {
	case a.Presigned:
		b.WriteString(strconv.FormatInt(a.Expires.Unix(), 10) + "\n")
	case r.Header.Get("X-Amz-Date") != "":
		b.WriteString("\n")
	default:
		b.WriteString(strings.TrimSpace(r.Header.Get("Date")) + "\n")
	}
	var amz []string
	vals := map[string][]string{}
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "x-amz-") {
			continue
		}
		if _, ok := vals[lk]; !ok {
			amz = append(amz, lk)
		}
		for _, v := range vs {
			vals[lk] = append(vals[lk], strings.TrimSpace(v))
		}
	}
	if a.Presigned && a.SessionToken != "" && vals["x-amz-security-token"] == nil {
		amz = append(amz, "x-amz-security-token")
		vals["x-amz-security-token"] = []string{a.SessionToken}
	}
	slices.Sort(amz)
	for _, k := range amz {
		b.WriteString(k + ":" + strings.Join(vals[k], ",") + "\n")
	}
	path := "/"
	rawQuery := ""
	if r.URL != nil {
		path, rawQuery = r.URL.EscapedPath(), r.URL.RawQuery
		if path == "" {
			path = "/"
		}
	}
	if hostBucket != "" {
		path = "/" + hostBucket + path
	}
	b.WriteString(path)
	var sub [][2]string
	for pair := range strings.SplitSeq(rawQuery, "&") {
		k, v, hasValue := strings.Cut(pair, "=")
		if !subresources[k] {
			continue
		}
		if hasValue {
			if uv, err := url.QueryUnescape(v); err == nil {
				v = uv
			}
			sub = append(sub, [2]string{k, "=" + v})
		} else {
			sub = append(sub, [2]string{k, ""})
		}
	}
	slices.SortStableFunc(sub, func(x, y [2]string) int { return strings.Compare(x[0], y[0]) })
	for i, s := range sub {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(s[0] + s[1])
	}
	return b.String()
}

// Sign returns the signature of a string to sign with secret.
func Sign(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// MaxSkew is how far the date of a header-signed request may be from now.
const MaxSkew = 15 * time.Minute

// Verify checks a's signature of r with secret, and its time against now: a presigned URL
// until its Expires, a signed header within [MaxSkew] of its date.
func Verify(r *http.Request, a *Auth, secret, hostBucket string, now time.Time) error {
	if a.Presigned {
		if now.After(a.Expires) {
			return &Error{"AccessDenied", "Request has expired", http.StatusForbidden}
		}
	} else if d := now.Sub(a.Date); d > MaxSkew || d < -MaxSkew {
		return &Error{"RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", http.StatusForbidden}
	}
	want := Sign(secret, StringToSign(r, a, hostBucket))
	if subtle.ConstantTimeCompare([]byte(want), []byte(a.Signature)) != 1 {
		return &Error{"SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", http.StatusForbidden}
	}
	return nil
}
