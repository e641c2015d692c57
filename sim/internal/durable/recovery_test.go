package durable

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// twoCommits makes a directory with two journal records and returns its path, the journal's
// bytes and the length of the first record.
func twoCommits(t *testing.T) (path string, journal []byte, len1 int) {
	t.Helper()
	path = t.TempDir()
	d := openT(t, path, ReadWrite, noCompact)
	commitT(t, d, "a", "1", "b", "2")
	len1 = int(d.jend)
	commitT(t, d, "a", strings.Repeat("A", 1000), "c", "3")
	// Read before Close appends its seal: what a writer killed after its commits leaves.
	journal, err := os.ReadFile(filepath.Join(path, "journal.0"))
	if err != nil {
		t.Fatal(err)
	}
	closeT(t, d)
	sealed, _ := os.ReadFile(filepath.Join(path, "journal.0"))
	if want := append(bytes.Clone(journal), encodeHeader(2, nil)...); !bytes.Equal(sealed, want) {
		t.Fatalf("after Close, the journal is %d bytes; want the %d before and a seal", len(sealed), len(journal))
	}
	return path, journal, len1
}

const (
	after1 = "a=1\nb=2\n"
)

var after2 = "a=" + strings.Repeat("A", 1000) + "\nb=2\nc=3\n"

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 0x20
	return b
}

func TestTornTail(t *testing.T) {
	_, full, len1 := twoCommits(t)
	seal := encodeHeader(2, nil)
	type tcase struct {
		name    string
		journal []byte
		want    string // contents after recovery
		wantLen int    // journal length after a writer's recovery
	}
	cases := []tcase{
		{"intact", full, after2, len(full)},
		{"garbage after the last record", append(bytes.Clone(full), "garbage!"...), after2, len(full)},
		{"zeros after the last record", append(bytes.Clone(full), make([]byte, 4096)...), after2, len(full)},
		{"a prefix of a third record", append(bytes.Clone(full), full[len1:len1+15]...), after2, len(full)},
		{"a header of a third record", append(bytes.Clone(full), full[len1:len1+60]...), after2, len(full)},
		{"last record's payload flipped", flip(full, len(full)-5), after1, len1},
		{"last record's header flipped", flip(full, len1+prefixSize+3), after1, len1},
		{"last record's prefix flipped", flip(full, len1+5), after1, len1},
		{"last record's payload zeroed", append(bytes.Clone(full[:len(full)-1000]), make([]byte, 1000)...), after1, len1},
		{"empty journal", nil, "", 0},
		{"sealed", append(bytes.Clone(full), seal...), after2, len(full) + len(seal)},
		{"sealed twice", append(append(bytes.Clone(full), seal...), seal...), after2, len(full) + 2*len(seal)},
		{"torn seal", append(bytes.Clone(full), seal[:len(seal)-1]...), after2, len(full)},
		{"flipped seal", append(bytes.Clone(full), flip(seal, 9)...), after2, len(full)},
		{"sealed, garbage after", append(append(bytes.Clone(full), seal...), "junk"...), after2, len(full) + len(seal)},
	}
	// A crash can cut the last record anywhere: every byte of its prefix and header, and
	// through its contents.
	for cut := len1; cut < len(full); cut += max(1, (cut-len1)/64*7) {
		cases = append(cases, tcase{"cut at " + strconv.Itoa(cut), full[:cut], after1, len1})
	}
	for cut := 0; cut < len1; cut++ {
		cases = append(cases, tcase{"first record cut at " + strconv.Itoa(cut), full[:cut], "", 0})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := t.TempDir()
			jpath := filepath.Join(path, "journal.0")
			if err := os.WriteFile(jpath, tc.journal, 0o600); err != nil {
				t.Fatal(err)
			}
			d := openT(t, path, ReadOnly)
			if got := contents(t, d); got != tc.want {
				t.Errorf("ReadOnly: contents %.40q, want %.40q", got, tc.want)
			}
			closeT(t, d)
			if b, _ := os.ReadFile(jpath); !bytes.Equal(b, tc.journal) {
				t.Errorf("ReadOnly open changed the journal")
			}

			d = openT(t, path, ReadWrite, noCompact)
			if got := contents(t, d); got != tc.want {
				t.Errorf("ReadWrite: contents %.40q, want %.40q", got, tc.want)
			}
			if fi, _ := os.Stat(jpath); fi.Size() != int64(tc.wantLen) {
				t.Errorf("ReadWrite: journal is %d bytes, want it cut to %d", fi.Size(), tc.wantLen)
			}
			commitT(t, d, "z", "after")
			closeT(t, d)
			d = openT(t, path, ReadOnly)
			if got := contents(t, d); got != tc.want+"z=after\n" {
				t.Errorf("after a new commit: contents %.40q, want %.40q", got, tc.want+"z=after\n")
			}
		})
	}
}

// Damage anywhere but in a torn last record is reported, never dropped.
func TestCorruptJournal(t *testing.T) {
	_, full, len1 := twoCommits(t)
	wrongSeq := append(bytes.Clone(full), encodeHeader(7, nil)...)
	cases := []struct {
		name    string
		journal []byte
		openErr bool   // Open fails
		badPart string // else Part(badPart) fails
	}{
		{"first record's payload flipped", flip(full, len1-1), false, "b"},
		{"first record's header flipped", flip(full, prefixSize+3), true, ""},
		{"first record's magic flipped", flip(full, 1), true, ""},
		{"last record's payload flipped, bytes after it", append(flip(full, len(full)-5), "junk"...), true, ""},
		{"record with a wrong sequence number", wrongSeq, true, ""},
		{"seal with a wrong sequence number", append(bytes.Clone(full), encodeHeader(1, nil)...), true, ""},
		{"last record's payload flipped, torn seal after it", append(flip(full, len(full)-5), encodeHeader(2, nil)[:5]...), true, ""},
		{"sealed, last record's payload flipped", append(flip(full, len(full)-5), encodeHeader(2, nil)...), false, "a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := t.TempDir()
			jpath := filepath.Join(path, "journal.0")
			if err := os.WriteFile(jpath, tc.journal, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, mode := range []Mode{ReadOnly, ReadWrite} {
				d, err := Open(context.Background(), path, mode)
				if tc.openErr {
					if !errors.Is(err, ErrCorrupt) {
						t.Errorf("%v Open: err = %v, want ErrCorrupt", mode, err)
					}
					if err == nil {
						d.Close()
					}
					continue
				}
				if err != nil {
					t.Fatalf("%v Open: %v", mode, err)
				}
				if _, err := d.Part(tc.badPart); !errors.Is(err, ErrCorrupt) {
					t.Errorf("%v Part(%q): err = %v, want ErrCorrupt", mode, tc.badPart, err)
				}
				if mode == ReadWrite {
					if err := d.Compact(nil); !errors.Is(err, ErrCorrupt) {
						t.Errorf("Compact: err = %v, want ErrCorrupt", err)
					}
				}
				closeT(t, d)
			}
			if b, _ := os.ReadFile(jpath); !bytes.HasPrefix(b, tc.journal) {
				t.Errorf("the damaged journal lost bytes")
			}
		})
	}
}

func TestCorruptSnapshot(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, noCompact)
	commitT(t, d, "a", "1", "b", strings.Repeat("B", 100))
	if err := d.Compact(nil); err != nil {
		t.Fatal(err)
	}
	closeT(t, d)
	spath := filepath.Join(path, "snapshot.1")
	good, err := os.ReadFile(spath)
	if err != nil {
		t.Fatal(err)
	}
	mpath := filepath.Join(path, "MANIFEST")
	goodManifest, _ := os.ReadFile(mpath)
	cases := []struct {
		name     string
		snapshot []byte
		manifest string
		openErr  bool
	}{
		{"header flipped", flip(good, prefixSize+2), "", true},
		{"cut short", good[:len(good)-1], "", true},
		{"bytes after the record", append(bytes.Clone(good), 'x'), "", true},
		{"payload flipped", flip(good, len(good)-1), "", false},
		{"manifest garbage", good, "hello\n", true},
		{"manifest names a missing generation", good, "awsx durable state, format 1\ngeneration 9\n", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(spath, tc.snapshot, 0o600)
			m := goodManifest
			if tc.manifest != "" {
				m = []byte(tc.manifest)
			}
			os.WriteFile(mpath, m, 0o600)
			d, err := Open(context.Background(), path, ReadOnly)
			if tc.openErr {
				if err == nil {
					d.Close()
					t.Fatalf("Open succeeded, want an error")
				}
				if !errors.Is(err, ErrCorrupt) || errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Open: err = %v, want ErrCorrupt (and not fs.ErrNotExist)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Part("b"); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Part(b): err = %v, want ErrCorrupt", err)
			}
			if got, err := d.Part("a"); err != nil || string(got) != "1" {
				t.Errorf("Part(a) = %q, %v; want 1", got, err)
			}
		})
	}
}
