package durable

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzJournal opens arbitrary bytes as a journal. Open must not panic and must either fail
// with ErrCorrupt or recover a state that a reader and a writer agree on, that reopening
// leaves as it is, and that a commit extends. The seed corpus (testdata/fuzz) holds whole,
// torn and damaged journals.
func FuzzJournal(f *testing.F) {
	f.Fuzz(func(t *testing.T, journal []byte) {
		path := t.TempDir()
		jpath := filepath.Join(path, "journal.0")
		if err := os.WriteFile(jpath, journal, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Open(context.Background(), path, ReadOnly)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("ReadOnly Open: %v, want nil or ErrCorrupt", err)
			}
			if _, err := Open(context.Background(), path, ReadWrite); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("ReadWrite Open: %v, want ErrCorrupt as ReadOnly", err)
			}
			return
		}
		names, seq := r.Parts(), r.Seq()
		for _, n := range names {
			if _, err := r.Part(n); err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Part(%q): %v", n, err)
			}
		}
		r.Close()
		w, err := Open(context.Background(), path, ReadWrite, noCompact)
		if err != nil {
			t.Fatalf("ReadWrite Open after a ReadOnly one succeeded: %v", err)
		}
		if got := w.Parts(); !slices.Equal(got, names) || w.Seq() != seq {
			t.Fatalf("writer sees %q at %d, reader %q at %d", got, w.Seq(), names, seq)
		}
		if fi, _ := os.Stat(jpath); fi.Size() != w.jend {
			t.Fatalf("journal is %d bytes after recovery, valid end %d", fi.Size(), w.jend)
		}
		if err := w.Commit(map[string][]byte{"new": []byte("v")}); err != nil {
			t.Fatal(err)
		}
		w.Close()
		r, err = Open(context.Background(), path, ReadOnly)
		if err != nil {
			t.Fatalf("reopen after recovery and commit: %v", err)
		}
		defer r.Close()
		if got, err := r.Part("new"); err != nil || string(got) != "v" || r.Seq() != seq+1 {
			t.Fatalf("after recovery and commit: new = %q, %v, seq %d; want v, seq %d", got, err, r.Seq(), seq+1)
		}
	})
}
