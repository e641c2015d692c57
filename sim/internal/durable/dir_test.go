package durable

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// openT opens path and closes it when the test ends (if the test has not).
func openT(t testing.TB, path string, mode Mode, optFns ...func(*Options)) *Dir {
	t.Helper()
	d, err := Open(context.Background(), path, mode, optFns...)
	if err != nil {
		t.Fatalf("Open(%q, %v): %v", path, mode, err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil && !errors.Is(err, ErrClosed) {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

func closeT(t testing.TB, d *Dir) {
	t.Helper()
	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func commitT(t testing.TB, d *Dir, kv ...string) {
	t.Helper()
	if err := d.Commit(parts(kv...)); err != nil {
		t.Fatalf("Commit(%q): %v", kv, err)
	}
}

// parts makes a commit from name, value pairs; the value "<nil>" deletes.
func parts(kv ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "<nil>" {
			m[kv[i]] = nil
		} else {
			m[kv[i]] = []byte(kv[i+1])
		}
	}
	return m
}

// contents returns every part of d as name=value lines, for comparisons.
func contents(t testing.TB, d *Dir) string {
	t.Helper()
	var b strings.Builder
	for _, name := range d.Parts() {
		v, err := d.Part(name)
		if err != nil {
			t.Fatalf("Part(%q): %v", name, err)
		}
		fmt.Fprintf(&b, "%s=%s\n", name, v)
	}
	return b.String()
}

func noCompact(o *Options) { o.CompactMin = -1 }

func TestCommitReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	d := openT(t, path, ReadWrite)
	if got := contents(t, d); got != "" || d.Seq() != 0 {
		t.Fatalf("new dir: contents %q, seq %d; want empty, 0", got, d.Seq())
	}
	commitT(t, d, "meta", "m1", "iam", "i1", "s3/bucket-a", "a1")
	commitT(t, d, "iam", "i2")
	commitT(t, d, "s3/bucket-a", "<nil>", "ec2", "")
	want := "ec2=\niam=i2\nmeta=m1\n"
	if got := contents(t, d); got != want {
		t.Fatalf("before reopen:\n%s\nwant\n%s", got, want)
	}
	closeT(t, d)

	for _, mode := range []Mode{ReadOnly, ReadWrite} {
		d := openT(t, path, mode)
		if got := contents(t, d); got != want {
			t.Errorf("%v reopen:\n%s\nwant\n%s", mode, got, want)
		}
		if d.Seq() != 3 {
			t.Errorf("%v reopen: Seq = %d, want 3", mode, d.Seq())
		}
		if _, err := d.Part("s3/bucket-a"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v: deleted part: err = %v, want fs.ErrNotExist", mode, err)
		}
		if v, err := d.Part("ec2"); err != nil || v == nil || len(v) != 0 {
			t.Errorf("%v: empty part = %q, %v; want empty non-nil", mode, v, err)
		}
		closeT(t, d)
	}
}

func TestPartsAreCopies(t *testing.T) {
	d := openT(t, t.TempDir(), ReadWrite)
	v := []byte("value")
	if err := d.Commit(map[string][]byte{"p": v}); err != nil {
		t.Fatal(err)
	}
	v[0] = 'X'
	got, _ := d.Part("p")
	got[1] = 'Y'
	if again, _ := d.Part("p"); string(again) != "value" {
		t.Fatalf("Part after changing the committed and the returned slices = %q, want %q", again, "value")
	}
}

func TestManyParts(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, noCompact)
	want := map[string]string{}
	for i := range 200 {
		m := map[string][]byte{}
		for j := range i%7 + 5 {
			name := fmt.Sprintf("svc%d/part%d", j%3, (i*31+j*7)%997)
			val := strings.Repeat(fmt.Sprint(i), i%50)
			m[name] = []byte(val)
			want[name] = val
		}
		if i%10 == 9 {
			name := fmt.Sprintf("svc0/part%d", i%997)
			m[name] = nil
			delete(want, name)
		}
		if err := d.Commit(m); err != nil {
			t.Fatal(err)
		}
	}
	check := func(d *Dir, when string) {
		t.Helper()
		names := d.Parts()
		if len(names) != len(want) {
			t.Errorf("%s: %d parts, want %d", when, len(names), len(want))
		}
		for name, val := range want {
			if got, err := d.Part(name); err != nil || string(got) != val {
				t.Fatalf("%s: Part(%q) = %q, %v; want %q", when, name, got, err, val)
			}
		}
	}
	if len(want) < 900 {
		t.Fatalf("%d parts, want many", len(want))
	}
	check(d, "before reopen")
	closeT(t, d)
	d = openT(t, path, ReadWrite)
	check(d, "after reopen")
	if err := d.Compact(nil); err != nil {
		t.Fatal(err)
	}
	check(d, "after compact")
	closeT(t, d)
	check(openT(t, path, ReadOnly), "after compact and reopen")
}

func TestCompact(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, noCompact)
	commitT(t, d, "a", "1", "b", "2", "c", "3")
	commitT(t, d, "b", "<nil>", "a", "11")
	if err := d.Compact(nil); err != nil {
		t.Fatal(err)
	}
	assertFiles(t, path, "MANIFEST", "blobs", "lock", "snapshot.1", "tmp")
	commitT(t, d, "d", "4")
	assertFiles(t, path, "MANIFEST", "blobs", "journal.1", "lock", "snapshot.1", "tmp")
	if err := d.Compact(nil); err != nil {
		t.Fatal(err)
	}
	assertFiles(t, path, "MANIFEST", "blobs", "lock", "snapshot.2", "tmp")
	if err := d.Compact(nil); err != nil { // nothing to do
		t.Fatal(err)
	}
	assertFiles(t, path, "MANIFEST", "blobs", "lock", "snapshot.2", "tmp")
	const want = "a=11\nc=3\nd=4\n"
	if got := contents(t, d); got != want || d.Seq() != 3 {
		t.Fatalf("after compaction: %q, seq %d; want %q, 3", got, d.Seq(), want)
	}
	closeT(t, d)
	d = openT(t, path, ReadOnly)
	if got := contents(t, d); got != want || d.Seq() != 3 {
		t.Fatalf("reopened: %q, seq %d; want %q, 3", got, d.Seq(), want)
	}
	if m, _ := os.ReadFile(filepath.Join(path, "MANIFEST")); string(m) != "awsx durable state, format 1\ngeneration 2\n" {
		t.Errorf("MANIFEST = %q", m)
	}
}

func assertFiles(t *testing.T, path string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("files in %s = %q, want %q", path, got, want)
	}
}

func TestAutoCompact(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, func(o *Options) { o.CompactMin = 8 << 10 })
	val := bytes.Repeat([]byte("x"), 1000)
	for i := range 200 {
		if err := d.Commit(map[string][]byte{fmt.Sprint("p", i%5): append(val, fmt.Sprint(i)...)}); err != nil {
			t.Fatal(err)
		}
		// 5 parts of 1 KB: the journal never holds more than twice that, plus one record.
		if fi, err := os.Stat(filepath.Join(path, fmt.Sprint("journal.", d.gen))); err == nil && fi.Size() > 2*5*1003+1100 {
			t.Fatalf("commit %d: journal is %d bytes, want compaction past 2×5 KB", i, fi.Size())
		}
	}
	if d.gen < 20 {
		t.Errorf("after 200 KB of commits, generation %d; want compactions every ~10 KB", d.gen)
	}
	closeT(t, d)
	d = openT(t, path, ReadOnly)
	for i := 195; i < 200; i++ {
		if got, err := d.Part(fmt.Sprint("p", i%5)); err != nil || !bytes.Equal(got, append(val, fmt.Sprint(i)...)) {
			t.Errorf("Part(p%d) = %.20q…, %v; want commit %d's", i%5, got, err, i)
		}
	}
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	if _, err := Open(context.Background(), path, ReadOnly); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadOnly Open of a missing dir: err = %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadOnly Open created the directory")
	}
	d := openT(t, path, ReadWrite)
	commitT(t, d, "meta", "m")
	closeT(t, d)

	before := snapshotFiles(t, path)
	d = openT(t, path, ReadOnly)
	if err := d.Commit(parts("meta", "x")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Commit: err = %v, want ErrReadOnly", err)
	}
	if _, err := d.PutBlob([]byte("x")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("PutBlob: err = %v, want ErrReadOnly", err)
	}
	if err := d.Compact(nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Compact: err = %v, want ErrReadOnly", err)
	}
	if got, _ := d.Part("meta"); string(got) != "m" {
		t.Errorf("Part(meta) = %q, want m", got)
	}
	// A second reader shares the lock.
	d2 := openT(t, path, ReadOnly)
	if got, _ := d2.Part("meta"); string(got) != "m" {
		t.Errorf("second reader: Part(meta) = %q, want m", got)
	}
	closeT(t, d2)
	closeT(t, d)
	if after := snapshotFiles(t, path); after != before {
		t.Errorf("ReadOnly open changed the directory:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshotFiles describes every file under path: name, size, modification time.
func snapshotFiles(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		if !e.IsDir() {
			fmt.Fprintf(&b, "%s:%d:%d ", strings.TrimPrefix(p, path), fi.Size(), fi.ModTime().UnixNano())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestLockWaits(t *testing.T) {
	path := t.TempDir()
	w := openT(t, path, ReadWrite)
	for _, mode := range []Mode{ReadOnly, ReadWrite} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, err := Open(ctx, path, mode)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%v Open while a writer holds the lock: err = %v, want DeadlineExceeded", mode, err)
		}
	}
	done := make(chan *Dir)
	go func() {
		d, err := Open(context.Background(), path, ReadWrite)
		if err != nil {
			t.Error(err)
		}
		done <- d
	}()
	select {
	case <-done:
		t.Fatal("second writer opened while the first held the lock")
	case <-time.After(20 * time.Millisecond):
	}
	commitT(t, w, "k", "v")
	closeT(t, w)
	d := <-done
	if d == nil {
		return
	}
	if got, _ := d.Part("k"); string(got) != "v" {
		t.Errorf("second writer sees k = %q, want v", got)
	}
	closeT(t, d)
}

func TestNames(t *testing.T) {
	d := openT(t, t.TempDir(), ReadWrite)
	valid := []string{"meta", "s3/bucket-a", "s3/my.bucket/x", strings.Repeat("n", 256), "ünïcode", "a..b"}
	invalid := []string{"", "..", ".", "a/../b", "/abs", "trail/", "a//b", "sp ace", "tab\t", "nl\n", "back\\slash",
		strings.Repeat("n", 257), "bad\xffutf8", "nul\x00"}
	for _, name := range valid {
		if err := d.Commit(map[string][]byte{name: []byte("v")}); err != nil {
			t.Errorf("Commit(%q): %v", name, err)
		}
		if _, err := d.Part(name); err != nil {
			t.Errorf("Part(%q): %v", name, err)
		}
	}
	for _, name := range invalid {
		err := d.Commit(map[string][]byte{name: []byte("v")})
		if err == nil || !strings.Contains(err.Error(), "invalid part name") || !strings.Contains(err.Error(), "want ") {
			t.Errorf("Commit(%q): err = %v, want an invalid part name error saying what is valid", name, err)
		}
		if _, err := d.Part(name); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Part(%q): err = %v, want an invalid name error", name, err)
		}
	}
	if got := d.Parts(); len(got) != len(valid) {
		t.Errorf("Parts() = %q, want the %d valid names", got, len(valid))
	}
	if _, err := Open(context.Background(), t.TempDir(), Mode(0)); err == nil || !strings.Contains(err.Error(), "invalid mode") {
		t.Errorf("Open with Mode(0): err = %v, want invalid mode", err)
	}
}

func TestClosed(t *testing.T) {
	d := openT(t, t.TempDir(), ReadWrite)
	closeT(t, d)
	if err := d.Commit(parts("a", "b")); !errors.Is(err, ErrClosed) {
		t.Errorf("Commit after Close: %v, want ErrClosed", err)
	}
	if _, err := d.Part("a"); !errors.Is(err, ErrClosed) {
		t.Errorf("Part after Close: %v, want ErrClosed", err)
	}
	if _, err := d.PutBlob(nil); !errors.Is(err, ErrClosed) {
		t.Errorf("PutBlob after Close: %v, want ErrClosed", err)
	}
	if err := d.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
}

func TestLeftoversRemoved(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, noCompact)
	commitT(t, d, "a", "1")
	closeT(t, d)
	// What a writer killed in the middle of a compaction and of a PutBlob leaves.
	for _, f := range []string{"tmp/blob-123", "tmp/snapshot.1", "tmp/MANIFEST", "snapshot.1", "journal.7"} {
		if err := os.WriteFile(filepath.Join(path, f), []byte("junk"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d = openT(t, path, ReadOnly)
	if got := contents(t, d); got != "a=1\n" {
		t.Errorf("reader sees %q, want a=1", got)
	}
	closeT(t, d)
	assertFiles(t, path, "blobs", "journal.0", "journal.7", "lock", "snapshot.1", "tmp")
	d = openT(t, path, ReadWrite)
	assertFiles(t, path, "blobs", "journal.0", "lock", "tmp")
	assertFiles(t, filepath.Join(path, "tmp"))
	if got := contents(t, d); got != "a=1\n" {
		t.Errorf("writer sees %q, want a=1", got)
	}
}

// A failed automatic compaction does not fail the commit that triggered it (the commit is
// durable); Close reports it, and the directory keeps every commit.
func TestAutoCompactFailure(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, func(o *Options) { o.CompactMin = 1 << 10 })
	tmp := filepath.Join(path, "tmp")
	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o600); err != nil { // compaction cannot write tmp/snapshot.1
		t.Fatal(err)
	}
	val := bytes.Repeat([]byte("v"), 600)
	for i := range 10 {
		if err := d.Commit(map[string][]byte{"p": append(val, byte('0'+i))}); err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
	}
	if d.gen != 0 {
		t.Fatalf("generation %d, want compaction to have failed", d.gen)
	}
	if err := d.Close(); err == nil || !strings.Contains(err.Error(), "compact") {
		t.Errorf("Close: %v, want the compaction's error", err)
	}
	os.Remove(tmp)
	d = openT(t, path, ReadWrite)
	if got, err := d.Part("p"); err != nil || !bytes.Equal(got, append(val, '9')) {
		t.Errorf("after reopen: Part(p) = %.10q…, %v; want the last commit", got, err)
	}
	if err := d.Compact(nil); err != nil || d.gen != 1 {
		t.Errorf("Compact: %v, generation %d; want 1", err, d.gen)
	}
}
