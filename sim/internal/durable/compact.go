package durable

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// Compact writes every part into a new snapshot and starts a new, empty journal. Then, if
// live is not nil, it removes each blob for which live returns false, except those that
// [Dir.PutBlob] returned within [Options.BlobGrace].
//
// live must return true for every ref that a committed part references and for every ref
// that a Commit in progress or to come may reference. Compact calls it once per blob, from
// one goroutine, after compacting and without holding the lock that commits take, so live
// may take the caller's own locks: a caller that holds its lock across each change and its
// Commit, and derives live from its state under that lock, meets the contract (the grace
// covers a PutBlob made before taking the lock). A live that checks a set of refs in flight
// and then the committed parts must check in that order, as a ref leaves the set only after
// its Commit is visible. Other processes cannot be using the blobs: Compact runs under the
// exclusive lock.
func (d *Dir) Compact(live func(ref string) bool) error {
	if d.mode != ReadWrite {
		return fmt.Errorf("durable: compact %q: %w", d.path, ErrReadOnly)
	}
	d.wmu.Lock()
	err := d.compactLocked()
	d.wmu.Unlock()
	if err != nil {
		return err
	}
	if live != nil {
		return d.sweepBlobs(live)
	}
	return nil
}

// compactDueLocked reports whether the journal has grown enough to compact.
func (d *Dir) compactDueLocked() bool {
	if d.opts.CompactMin < 0 {
		return false
	}
	return d.jend-d.compactFailedAt > max(d.opts.CompactMin, 2*d.live)
}

// compactLocked writes the parts to snapshot.N+1, switches the manifest to generation N+1,
// and removes generation N's files. The order makes every step safe to interrupt:
//
//  1. tmp/snapshot.N+1 is written and synced, renamed to snapshot.N+1, and the directory
//     synced: until the manifest names it, the file is a leftover that Open removes;
//  2. tmp/MANIFEST is written and synced, renamed over MANIFEST, and the directory synced:
//     the switch, after which Open reads snapshot.N+1 and journal.N+1 (created by the next
//     commit), and before which it reads snapshot.N and journal.N, both untouched;
//  3. snapshot.N and journal.N are removed (or by the next Open, if a crash comes first).
func (d *Dir) compactLocked() error {
	if d.closed {
		return fmt.Errorf("durable: compact %q: %w", d.path, ErrClosed)
	}
	if d.broken != nil {
		return fmt.Errorf("durable: compact %q: an earlier write failed, reopen the directory: %w", d.path, d.broken)
	}
	if d.jend == 0 && (d.gen > 0 || len(d.index) == 0) {
		return nil // the snapshot, if any, already holds every part
	}
	gen := d.gen + 1
	snapName := snapPrefix + strconv.FormatUint(gen, 10)
	f, index, err := d.writeSnapshot(filepath.Join(d.path, tmpName, snapName))
	if err != nil {
		return fmt.Errorf("durable: compact %q: %w", d.path, err)
	}
	err = os.Rename(f.Name(), filepath.Join(d.path, snapName))
	if err == nil {
		err = syncDir(d.path)
	}
	if err == nil {
		d.hook("snapshot-renamed")
		var switched bool
		if switched, err = writeManifest(d.path, gen); switched && err != nil {
			// The manifest on disk may name generation N+1, or may not: appending to
			// journal.N could lose commits, and so could journal.N+1.
			d.broken = err
		}
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("durable: compact %q: %w", d.path, err)
	}
	d.hook("manifest-renamed")

	for name, l := range index {
		l.f = f
		index[name] = l
	}
	d.mu.Lock()
	oldSnap, oldJrnl, oldGen := d.snap, d.jrnl, d.gen
	d.snap, d.jrnl, d.gen, d.index = f, nil, gen, index
	d.mu.Unlock()
	d.jend, d.compactFailedAt, d.dirtyJournal, d.compactErr = 0, 0, false, nil

	var errs []error
	for _, old := range []*os.File{oldSnap, oldJrnl} {
		if old != nil {
			errs = append(errs, old.Close())
		}
	}
	for _, p := range []string{snapPrefix, jrnlPrefix} {
		err := os.Remove(filepath.Join(d.path, p+strconv.FormatUint(oldGen, 10)))
		if !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		// The new generation is in place: the old files are leftovers the next Open removes.
		return fmt.Errorf("durable: compact %q: removing generation %d: %w", d.path, oldGen, err)
	}
	return nil
}

// writeSnapshot writes every part, copied from where it is and checked against its CRC, as
// one record to a new file at name, and syncs it. It returns the file, open for reading, and
// the parts' new locations (with f unset).
func (d *Dir) writeSnapshot(name string) (_ *os.File, _ map[string]loc, err error) {
	names := make([]string, 0, len(d.index))
	for n := range d.index {
		names = append(names, n)
	}
	slices.Sort(names)
	entries := make([]entry, len(names))
	for i, n := range names {
		l := d.index[n]
		entries[i] = entry{name: n, size: l.size, crc: l.crc}
	}
	h := encodeHeader(d.seq, entries)

	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(name)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.Write(h)
	index := make(map[string]loc, len(names))
	pos := int64(len(h))
	for _, n := range names {
		l := d.index[n]
		c := crc32.New(castagnoli)
		if _, err := io.Copy(io.MultiWriter(bw, c), io.NewSectionReader(l.f, l.off, l.size)); err != nil {
			return nil, nil, err
		}
		if c.Sum32() != l.crc {
			return nil, nil, fmt.Errorf("part %q: %w: %s at offset %d fails its CRC", n, ErrCorrupt, l.f.Name(), l.off)
		}
		index[n] = loc{off: pos, size: l.size, crc: l.crc}
		pos += l.size
	}
	if err := bw.Flush(); err != nil {
		return nil, nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, nil, err
	}
	return f, index, nil
}

// writeManifest atomically replaces the manifest with one naming gen. switched reports
// whether it renamed the new manifest into place (made durable only if err is nil).
func writeManifest(dir string, gen uint64) (switched bool, err error) {
	tmp := filepath.Join(dir, tmpName, manifestName)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return false, fmt.Errorf("manifest: %w", err)
	}
	_, err = fmt.Fprintf(f, "%sgeneration %d\n", manifestHead, gen)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, manifestName))
	}
	if err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("manifest: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return true, fmt.Errorf("manifest: %w", err)
	}
	return true, nil
}

// sweepBlobs removes the blobs that live reports dead and that are not within their grace.
func (d *Dir) sweepBlobs(live func(ref string) bool) error {
	d.gcMu.Lock()
	defer d.gcMu.Unlock()
	root := filepath.Join(d.path, blobsName)
	subs, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("durable: compact %q: %w", d.path, err)
	}
	d.recentMu.Lock()
	d.forgetLocked(time.Now())
	recent := len(d.recent) > 0
	d.recentMu.Unlock()
	var errs []error
	for _, sub := range subs {
		names, err := os.ReadDir(filepath.Join(root, sub.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range names {
			ref := e.Name()
			if validRef(ref) != nil || ref[:2] != sub.Name() || live(ref) {
				continue
			}
			if recent {
				d.recentMu.Lock()
				_, keep := d.recent[ref]
				d.recentMu.Unlock()
				if keep {
					continue
				}
			}
			if err := os.Remove(filepath.Join(root, sub.Name(), ref)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("durable: compact %q: removing blobs: %w", d.path, err)
	}
	return nil
}
