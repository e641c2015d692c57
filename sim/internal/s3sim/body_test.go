package s3sim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// memBlobs is blob storage in a map, counting what it is asked.
type memBlobs struct {
	mu          sync.Mutex
	blobs       map[string][]byte
	puts, reads int
	fail        error // returned by PutBlob when set
	onPut       func(ref string)
}

func newMemBlobs() *memBlobs { return &memBlobs{blobs: map[string][]byte{}} }

func (m *memBlobs) PutBlob(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	ref := hex.EncodeToString(sum[:])
	m.mu.Lock()
	if m.fail != nil {
		m.mu.Unlock()
		return "", m.fail
	}
	m.puts++
	m.blobs[ref] = bytes.Clone(data)
	onPut := m.onPut
	m.mu.Unlock()
	if onPut != nil {
		onPut(ref)
	}
	return ref, nil
}

func (m *memBlobs) ReadBlob(ref string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	b, ok := m.blobs[ref]
	if !ok {
		return nil, fmt.Errorf("blob %s: %w", ref, fs.ErrNotExist)
	}
	return b, nil
}

// testStore is a store with a bucket "bkt" and a way to serve it requests as its root.
type testStore struct {
	t *testing.T
	s *Store
}

func newTestStore(t *testing.T) *testStore {
	t.Helper()
	ts := &testStore{t, NewStore("123456789012", core.NewClock(func() time.Time { return time.Unix(1700000000, 0) }), core.NewIDs(1))}
	ts.must("PUT", "bkt", "", "", nil, nil)
	return ts
}

// do serves one request as the account's root.
func (ts *testStore) do(method, bucket, key, rawQuery string, h http.Header, body []byte) (*Response, error) {
	q, _ := url.ParseQuery(rawQuery)
	if h == nil {
		h = http.Header{}
	}
	root := &core.Caller{Kind: core.Root, Account: "123456789012", ARN: "arn:aws:iam::123456789012:root"}
	return serveRequest(ts.s, &Request{Method: method, Target: Target{bucket, key}, Query: q, Header: h, Body: body, Region: "us-east-1",
		Caller: root, Authorize: func(Access) error { return nil }})
}

func (ts *testStore) must(method, bucket, key, rawQuery string, h http.Header, body []byte) *Response {
	ts.t.Helper()
	resp, err := ts.do(method, bucket, key, rawQuery, h, body)
	if err != nil {
		ts.t.Fatalf("%s %s/%s?%s: %v", method, bucket, key, rawQuery, err)
	}
	return resp
}

func (ts *testStore) get(key string) []byte {
	ts.t.Helper()
	return ts.must("GET", "bkt", key, "", nil, nil).Body
}

// multipart uploads parts to key and completes the upload.
func (ts *testStore) multipart(key string, parts ...[]byte) {
	ts.t.Helper()
	id := ts.createUpload(key)
	var doc strings.Builder
	doc.WriteString("<CompleteMultipartUpload>")
	for i, p := range parts {
		resp := ts.must("PUT", "bkt", key, fmt.Sprintf("partNumber=%d&uploadId=%s", i+1, url.QueryEscape(id)), nil, p)
		fmt.Fprintf(&doc, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", i+1, resp.Header.Get("Etag"))
	}
	doc.WriteString("</CompleteMultipartUpload>")
	ts.must("POST", "bkt", key, "uploadId="+url.QueryEscape(id), nil, []byte(doc.String()))
}

func (ts *testStore) createUpload(key string) string {
	ts.t.Helper()
	resp := ts.must("POST", "bkt", key, "uploads", nil, nil)
	_, id, _ := strings.Cut(string(resp.Body), "<UploadId>")
	id, _, _ = strings.Cut(id, "</UploadId>")
	return id
}

func big(seed byte, n int) []byte { return bytes.Repeat([]byte{seed}, n) }

// A store with blob storage keeps refs, in memory and in its saved state, and reads every
// body through them; one without keeps the bytes.
func TestBlobBodies(t *testing.T) {
	for _, withBlobs := range []bool{false, true} {
		t.Run(fmt.Sprintf("blobs=%v", withBlobs), func(t *testing.T) {
			ts := newTestStore(t)
			mem := newMemBlobs()
			if withBlobs {
				if err := ts.s.UseBlobs(mem, false); err != nil {
					t.Fatal(err)
				}
			}
			ts.must("PUT", "bkt", "small", "", nil, []byte("small body"))
			ts.must("PUT", "bkt", "empty", "", nil, nil)
			part1, part2 := big('1', minPartSize), []byte("tail")
			ts.multipart("multi", part1, part2)
			ts.must("PUT", "bkt", "copy", "", http.Header{"X-Amz-Copy-Source": {"bkt/multi"}}, nil)
			id := ts.createUpload("ranged")
			ts.must("PUT", "bkt", "ranged", "partNumber=1&uploadId="+url.QueryEscape(id), http.Header{"X-Amz-Copy-Source": {"bkt/small"}, "X-Amz-Copy-Source-Range": {"bytes=0-4"}}, nil)
			ts.must("PUT", "bkt", "ranged", "partNumber=2&uploadId="+url.QueryEscape(id), http.Header{"X-Amz-Copy-Source": {"bkt/small"}}, nil)

			whole := append(bytes.Clone(part1), part2...)
			for key, want := range map[string][]byte{"small": []byte("small body"), "empty": nil, "multi": whole, "copy": whole} {
				if got := ts.get(key); !bytes.Equal(got, want) {
					t.Errorf("%s: %d bytes back, want %d", key, len(got), len(want))
				}
			}
			resp := ts.must("GET", "bkt", "multi", "", http.Header{"Range": {"bytes=5242878-5242881"}}, nil)
			if string(resp.Body) != "11ta" || resp.Status != http.StatusPartialContent {
				t.Errorf("range across parts: %d %q", resp.Status, resp.Body)
			}
			reads := mem.reads
			if head := ts.must("HEAD", "bkt", "multi", "", nil, nil); head.Header.Get("Content-Length") != fmt.Sprint(len(whole)) || head.Body != nil {
				t.Errorf("HEAD: Content-Length %s, body of %d bytes", head.Header.Get("Content-Length"), len(head.Body))
			}
			if mem.reads != reads {
				t.Error("HEAD read the body")
			}
			parts := ts.must("GET", "bkt", "ranged", "uploadId="+url.QueryEscape(id), nil, nil)
			if !strings.Contains(string(parts.Body), "<Size>5</Size>") || !strings.Contains(string(parts.Body), "<Size>10</Size>") {
				t.Errorf("ListParts: %s", parts.Body)
			}

			saved, err := ts.s.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(saved, []byte(`"Data"`)); got == withBlobs {
				t.Errorf("the saved state has bodies inline: %v, want %v", got, !withBlobs)
			}
			if withBlobs {
				// small, the two parts, the multipart object (shared by its copy), "small"[0:5];
				// the empty body and the full copy of small are no new blob.
				if len(mem.blobs) != 5 {
					t.Errorf("%d blobs, want 5", len(mem.blobs))
				}
				if len(saved) > 10<<10 {
					t.Errorf("the saved state has %d bytes", len(saved))
				}
			}
			// The saved state loads back, with the same bodies.
			back := NewStore("123456789012", ts.s.clock, core.NewIDs(2))
			if withBlobs {
				back.UseBlobs(mem, true)
			}
			if err := back.UnmarshalJSON(saved); err != nil {
				t.Fatal(err)
			}
			ts.s = back
			if got := ts.get("copy"); !bytes.Equal(got, whole) {
				t.Errorf("copy after a reload: %d bytes back", len(got))
			}
		})
	}
}

// A state with bodies inline loads anywhere; one with refs only in a store with blob
// storage; UseBlobs moves inline bodies (objects and parts) to blobs, once.
func TestBlobLoad(t *testing.T) {
	ts := newTestStore(t)
	ts.must("PUT", "bkt", "k", "", nil, []byte("inline"))
	id := ts.createUpload("up")
	ts.must("PUT", "bkt", "up", "partNumber=1&uploadId="+url.QueryEscape(id), nil, []byte("a part"))
	inline, err := ts.s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}

	s := NewStore("123456789012", ts.s.clock, core.NewIDs(2))
	if err := s.UnmarshalJSON(inline); err != nil {
		t.Fatal(err)
	}
	mem := newMemBlobs()
	gen := s.Generation()
	if err := s.UseBlobs(mem, true); err != nil || mem.puts != 0 || s.Generation() != gen {
		t.Errorf("read-only UseBlobs: %v, %d puts, generation %d → %d", err, mem.puts, gen, s.Generation())
	}
	if err := s.UseBlobs(mem, false); err != nil {
		t.Fatal(err)
	}
	if mem.puts != 2 || s.Generation() == gen {
		t.Errorf("UseBlobs moved %d bodies, generation %d → %d; want 2 and a change", mem.puts, gen, s.Generation())
	}
	gen = s.Generation()
	if err := s.UseBlobs(mem, false); err != nil || mem.puts != 2 || s.Generation() != gen {
		t.Errorf("UseBlobs again: %v, %d puts, generation %d → %d; want nothing", err, mem.puts, gen, s.Generation())
	}
	refs, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(refs, []byte(`"Data"`)) {
		t.Errorf("bodies inline after UseBlobs: %s", refs)
	}
	ts.s = s
	if got := ts.get("k"); string(got) != "inline" {
		t.Errorf("k = %q", got)
	}

	err = NewStore("123456789012", ts.s.clock, core.NewIDs(3)).UnmarshalJSON(refs)
	if err == nil || !strings.Contains(err.Error(), "no blob storage") {
		t.Errorf("refs loaded into a store without blob storage: %v", err)
	}
	for name, bad := range map[string]string{
		"both":  `{"bkt":{"Name":"bkt","Objects":{"k":[{"Key":"k","Data":"eA==","Blob":"` + strings.Repeat("a", 64) + `","Size":1}]}}}`,
		"ref":   `{"bkt":{"Name":"bkt","Objects":{"k":[{"Key":"k","Blob":"../../etc/passwd","Size":1}]}}}`,
		"size":  `{"bkt":{"Name":"bkt","Objects":{"k":[{"Key":"k","Blob":"` + strings.Repeat("a", 64) + `","Size":-1}]}}}`,
		"null":  `{"bkt":{"Name":"bkt","Objects":{"k":[null]}}}`,
		"part":  `{"bkt":{"Name":"bkt","Uploads":{"u":{"ID":"u","Key":"k","Object":{"Key":"k"},"Parts":{"1":null}}}}}`,
		"upObj": `{"bkt":{"Name":"bkt","Uploads":{"u":{"ID":"u","Key":"k"}}}}`,
	} {
		s := NewStore("123456789012", ts.s.clock, core.NewIDs(3))
		s.UseBlobs(mem, true)
		if err := s.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

// Garbage counts the bodies let go of; LiveBlobs reports refs of the saved state, of the
// state as it is, and of changes in progress.
func TestBlobGarbage(t *testing.T) {
	ts := newTestStore(t)
	mem := newMemBlobs()
	ts.s.UseBlobs(mem, false)
	ref := func(body string) string { sum := sha256.Sum256([]byte(body)); return hex.EncodeToString(sum[:]) }

	ts.must("PUT", "bkt", "k", "", nil, []byte("one"))
	ts.must("PUT", "bkt", "k", "", nil, []byte("two")) // overwrites "one"
	if g := ts.s.Garbage(); g != 1 {
		t.Errorf("Garbage after an overwrite = %d, want 1", g)
	}
	live, gen := ts.s.LiveBlobs()
	if gen != ts.s.Generation() || live(ref("one")) || !live(ref("two")) {
		t.Errorf("LiveBlobs: gen %d (store %d), one %v, two %v", gen, ts.s.Generation(), live(ref("one")), live(ref("two")))
	}
	ts.must("DELETE", "bkt", "k", "", nil, nil)
	if !live(ref("two")) {
		t.Error("a ref of the state as of LiveBlobs is dead once deleted")
	}
	ts.must("PUT", "bkt", "k2", "", nil, []byte("three"))
	if !live(ref("three")) {
		t.Error("a ref stored after LiveBlobs is dead")
	}
	if g := ts.s.Garbage(); g != 2 {
		t.Errorf("Garbage after a delete = %d, want 2", g)
	}

	id := ts.createUpload("up")
	ts.must("PUT", "bkt", "up", "partNumber=1&uploadId="+url.QueryEscape(id), nil, []byte("p1"))
	ts.must("PUT", "bkt", "up", "partNumber=1&uploadId="+url.QueryEscape(id), nil, []byte("p1 again"))
	ts.must("PUT", "bkt", "up", "partNumber=2&uploadId="+url.QueryEscape(id), nil, []byte("p2"))
	ts.must("DELETE", "bkt", "up", "uploadId="+url.QueryEscape(id), nil, nil)
	if g := ts.s.Garbage(); g != 5 {
		t.Errorf("Garbage after a part uploaded again and an abort = %d, want 5", g)
	}

	// A write refused before its body is stored stores nothing; one whose storage fails is an
	// InternalError.
	puts := mem.puts
	_, err := ts.do("PUT", "missing", "k", "", nil, []byte("nowhere"))
	if err == nil || mem.puts != puts {
		t.Errorf("PUT into a missing bucket: %v, %d blobs written", err, mem.puts-puts)
	}
	_, err = ts.do("PUT", "bkt", "k2", "", http.Header{"If-None-Match": {"*"}}, []byte("not written"))
	if err == nil || mem.puts != puts {
		t.Errorf("a conditional PUT that fails: %v, %d blobs written", err, mem.puts-puts)
	}
	mem.fail = errors.New("disk full")
	if _, err := ts.do("PUT", "bkt", "k3", "", nil, []byte("x")); err == nil || AsError(err).Code != core.InternalError {
		t.Errorf("PUT with storage failing: %v, want InternalError", err)
	}
	mem.fail = nil

	// While a PutBlob is in progress, every ref is live; the blob of a body written for a
	// change not yet made is live until it is made.
	live, _ = ts.s.LiveBlobs()
	in := make(chan bool)
	mem.mu.Lock()
	mem.onPut = func(string) { in <- live(ref("never stored")); <-in }
	mem.mu.Unlock()
	done := make(chan error)
	go func() { _, err := ts.do("PUT", "bkt", "k4", "", nil, []byte("four")); done <- err }()
	if !<-in {
		t.Error("a ref is dead while a PutBlob is in progress")
	}
	in <- true
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mem.mu.Lock()
	mem.onPut = nil
	mem.mu.Unlock()
	if live(ref("never stored")) || !live(ref("four")) {
		t.Error("after the PUT: a ref never stored is live, or the one stored is dead")
	}

	// Deleting a bucket with an upload in progress lets go of its parts.
	ts.must("DELETE", "bkt", "k2", "", nil, nil)
	ts.must("DELETE", "bkt", "k4", "", nil, nil)
	id = ts.createUpload("up")
	ts.must("PUT", "bkt", "up", "partNumber=1&uploadId="+url.QueryEscape(id), nil, []byte("left"))
	g := ts.s.Garbage()
	ts.must("DELETE", "bkt", "", "", nil, nil)
	if ts.s.Garbage() != g+1 {
		t.Errorf("Garbage after deleting a bucket with a part = %d, want %d", ts.s.Garbage(), g+1)
	}
	// A state replaced whole lets go of everything it referenced.
	ts.must("PUT", "bkt", "", "", nil, nil)
	ts.must("PUT", "bkt", "k", "", nil, []byte("replaced"))
	g = ts.s.Garbage()
	if err := ts.s.UnmarshalJSON([]byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if ts.s.Garbage() != g+1 {
		t.Errorf("Garbage after a load = %d, want %d", ts.s.Garbage(), g+1)
	}
}
