package durable

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBlobs(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	for _, data := range [][]byte{nil, []byte("hello"), big} {
		ref, err := d.PutBlob(data)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if ref != hex.EncodeToString(sum[:]) {
			t.Errorf("ref = %s, want the SHA-256 %x", ref, sum)
		}
		if again, err := d.PutBlob(bytes.Clone(data)); err != nil || again != ref {
			t.Errorf("PutBlob of the same bytes = %s, %v; want %s", again, err, ref)
		}
		got, err := d.ReadBlob(ref)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("ReadBlob(%s) = %d bytes, %v; want the %d put", ref, len(got), err, len(data))
		}
		if fi, err := os.Stat(filepath.Join(path, "blobs", ref[:2], ref)); err != nil || fi.Size() != int64(len(data)) || fi.Mode().Perm() != 0o600 {
			t.Errorf("blob file: %v, %v; want %d bytes, mode 0600", fi, err, len(data))
		}
	}
	ref, _ := d.PutBlob(big)
	b, err := d.OpenBlob(ref)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Size() != int64(len(big)) {
		t.Errorf("Size = %d, want %d", b.Size(), len(big))
	}
	p := make([]byte, 10)
	if _, err := b.ReadAt(p, 1<<19+3); err != nil || string(p) != "3456789abc" {
		t.Errorf("ReadAt = %q, %v", p, err)
	}
	if _, err := b.Seek(-4, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	if rest, err := io.ReadAll(b); err != nil || string(rest) != "cdef" {
		t.Errorf("Seek to the end and ReadAll = %q, %v; want cdef", rest, err)
	}
	assertFiles(t, filepath.Join(path, "tmp"))
	closeT(t, d)
	// Blobs outlive the Dir: a reader reads them too.
	r := openT(t, path, ReadOnly)
	if got, err := r.ReadBlob(ref); err != nil || !bytes.Equal(got, big) {
		t.Errorf("ReadOnly ReadBlob = %d bytes, %v", len(got), err)
	}
}

func TestBlobErrors(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite)
	missing := strings.Repeat("ab", 32)
	if _, err := d.OpenBlob(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenBlob(missing): %v, want fs.ErrNotExist", err)
	}
	if _, err := d.ReadBlob(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadBlob(missing): %v, want fs.ErrNotExist", err)
	}
	for _, ref := range []string{"", "abc", strings.Repeat("AB", 32), strings.Repeat("g", 64), "../" + strings.Repeat("a", 61)} {
		if _, err := d.OpenBlob(ref); err == nil || !strings.Contains(err.Error(), "want 64 lowercase hex digits") {
			t.Errorf("OpenBlob(%q): %v, want an invalid ref error", ref, err)
		}
	}
	ref, _ := d.PutBlob([]byte("original"))
	if err := os.WriteFile(filepath.Join(path, "blobs", ref[:2], ref), []byte("tampered"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ReadBlob(ref); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadBlob of altered bytes: %v, want ErrCorrupt", err)
	}
}

func TestBlobGC(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, func(o *Options) { o.BlobGrace = -1 })
	refs := map[string]string{}
	for _, s := range []string{"live", "dead1", "dead2", "shared"} {
		ref, err := d.PutBlob([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		refs[s] = ref
	}
	commitT(t, d, "s3", refs["live"]+" "+refs["shared"])
	var asked []string
	err := d.Compact(func(ref string) bool {
		asked = append(asked, ref)
		return ref == refs["live"] || ref == refs["shared"]
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 4 {
		t.Errorf("live was asked about %d refs, want the 4 blobs", len(asked))
	}
	for s, ref := range refs {
		_, err := d.ReadBlob(ref)
		if dead := strings.HasPrefix(s, "dead"); dead != errors.Is(err, fs.ErrNotExist) {
			t.Errorf("blob %q after GC: err = %v, want removed = %v", s, err, dead)
		}
	}
	if got, _ := d.Part("s3"); string(got) != refs["live"]+" "+refs["shared"] {
		t.Errorf("part after compaction = %q", got)
	}
	// A dead blob put again comes back.
	if ref, err := d.PutBlob([]byte("dead1")); err != nil || ref != refs["dead1"] {
		t.Fatal(ref, err)
	}
	if got, err := d.ReadBlob(refs["dead1"]); err != nil || string(got) != "dead1" {
		t.Errorf("re-put blob: %q, %v", got, err)
	}
	closeT(t, d)

	// Within the grace, a blob that live calls dead stays.
	d = openT(t, path, ReadWrite)
	young, _ := d.PutBlob([]byte("young"))
	if err := d.Compact(func(string) bool { return false }); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ReadBlob(young); err != nil {
		t.Errorf("blob put within the grace was removed: %v", err)
	}
	for _, s := range []string{"live", "shared", "dead1"} {
		if _, err := d.ReadBlob(refs[s]); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("blob %q put by an earlier Dir, reported dead: err = %v, want removed", s, err)
		}
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// blobRefs returns the refs of the blobs under path.
func blobRefs(t testing.TB, path string) map[string]bool {
	t.Helper()
	refs := map[string]bool{}
	subs, err := os.ReadDir(filepath.Join(path, "blobs"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) { // no writer has opened path yet
		t.Fatal(err)
	}
	for _, s := range subs {
		names, err := os.ReadDir(filepath.Join(path, "blobs", s.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			refs[n.Name()] = true
		}
	}
	return refs
}
