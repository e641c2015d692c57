package durable

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// PutBlob stores data as a blob and returns its ref, the lowercase hex SHA-256 of data.
// When PutBlob returns, the blob is durable: written to a temporary file, synced, renamed to
// blobs/xx/ref and the directory synced. Storing bytes already stored writes nothing new.
// Blobs are immutable; a blob no part references is removed by [Dir.Compact].
func (d *Dir) PutBlob(data []byte) (ref string, err error) {
	if d.mode != ReadWrite {
		return "", fmt.Errorf("durable: put blob in %q: %w", d.path, ErrReadOnly)
	}
	sum := sha256.Sum256(data)
	ref = hex.EncodeToString(sum[:])
	d.gcMu.RLock()
	defer d.gcMu.RUnlock()
	d.mu.RLock()
	closed := d.closed
	d.mu.RUnlock()
	if closed {
		return "", fmt.Errorf("durable: put blob in %q: %w", d.path, ErrClosed)
	}
	if err := d.putBlob(ref, data); err != nil {
		return "", fmt.Errorf("durable: put blob %s in %q: %w", ref, d.path, err)
	}
	return ref, nil
}

func (d *Dir) putBlob(ref string, data []byte) error {
	sub, err := d.blobDir(ref)
	if err != nil {
		return err
	}
	final := filepath.Join(sub, ref)
	if d.opts.BlobGrace > 0 {
		d.recentMu.Lock()
		now := time.Now()
		d.recent[ref] = now
		if len(d.recent) > d.recentMax {
			d.forgetLocked(now)
			d.recentMax = max(1024, 2*len(d.recent))
		}
		d.recentMu.Unlock()
	}
	if fi, err := os.Stat(final); err == nil && fi.Size() == int64(len(data)) {
		// Another writer may have renamed it and crashed before syncing the directory.
		return syncDir(sub)
	}
	tmp, err := os.CreateTemp(filepath.Join(d.path, tmpName), "blob-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		d.hook("blob-synced")
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	d.hook("blob-renamed")
	return syncDir(sub)
}

// forgetLocked drops from recent the refs whose grace is over.
func (d *Dir) forgetLocked(now time.Time) {
	for ref, t := range d.recent {
		if d.opts.BlobGrace < 0 || now.Sub(t) >= d.opts.BlobGrace {
			delete(d.recent, ref)
		}
	}
}

// blobDir returns blobs/xx for ref, creating it if needed. The first time a Dir uses it, it
// syncs blobs/, so that the entry is durable even if another writer created it and crashed.
func (d *Dir) blobDir(ref string) (string, error) {
	sub := filepath.Join(d.path, blobsName, ref[:2])
	n, _ := strconv.ParseUint(ref[:2], 16, 8)
	d.recentMu.Lock()
	known := d.blobDirs[n]
	d.recentMu.Unlock()
	if known {
		return sub, nil
	}
	if err := os.Mkdir(sub, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	if err := syncDir(filepath.Join(d.path, blobsName)); err != nil {
		return "", err
	}
	d.recentMu.Lock()
	d.blobDirs[n] = true
	d.recentMu.Unlock()
	return sub, nil
}

// Blob is an open blob. Its ReadAt is safe for concurrent use; Read and Seek share an
// offset, as an [os.File]'s do. A Blob stays readable after its [Dir] is closed.
type Blob struct {
	f    *os.File
	size int64
}

// OpenBlob opens the blob ref for reading, without reading it: a large object is served from
// the file. It returns an error wrapping [fs.ErrNotExist] if there is no such blob.
func (d *Dir) OpenBlob(ref string) (*Blob, error) {
	if err := validRef(ref); err != nil {
		return nil, fmt.Errorf("durable: open blob: %w", err)
	}
	d.mu.RLock()
	closed := d.closed
	d.mu.RUnlock()
	if closed {
		return nil, fmt.Errorf("durable: open blob %s: %w", ref, ErrClosed)
	}
	f, err := os.Open(filepath.Join(d.path, blobsName, ref[:2], ref))
	if err != nil {
		return nil, fmt.Errorf("durable: open blob %s in %q: %w", ref, d.path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("durable: open blob %s in %q: %w", ref, d.path, err)
	}
	return &Blob{f: f, size: fi.Size()}, nil
}

// ReadBlob returns the contents of the blob ref, checked against its SHA-256. It returns an
// error wrapping [fs.ErrNotExist] if there is no such blob, and one wrapping [ErrCorrupt] if
// the contents do not match.
func (d *Dir) ReadBlob(ref string) ([]byte, error) {
	b, err := d.OpenBlob(ref)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	data := make([]byte, b.size)
	if _, err := b.f.ReadAt(data, 0); err != nil && !(errors.Is(err, io.EOF) && b.size == 0) {
		return nil, fmt.Errorf("durable: read blob %s in %q: %w", ref, d.path, err)
	}
	sum := sha256.Sum256(data)
	if want, _ := hex.DecodeString(ref); !bytes.Equal(sum[:], want) {
		return nil, fmt.Errorf("durable: read blob %s in %q: %w: contents hash to %x", ref, d.path, ErrCorrupt, sum)
	}
	return data, nil
}

// Size returns the blob's length in bytes.
func (b *Blob) Size() int64 { return b.size }

// Read reads from the blob at the current offset.
func (b *Blob) Read(p []byte) (int, error) { return b.f.Read(p) }

// ReadAt reads len(p) bytes from the blob at off.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) { return b.f.ReadAt(p, off) }

// Seek sets the offset of the next Read, as [io.Seeker] says.
func (b *Blob) Seek(offset int64, whence int) (int64, error) { return b.f.Seek(offset, whence) }

// Close closes the blob's file.
func (b *Blob) Close() error { return b.f.Close() }

// validRef reports why ref is not a blob ref, or nil.
func validRef(ref string) error {
	if len(ref) != 2*sha256.Size {
		return fmt.Errorf("invalid blob ref %q: want 64 lowercase hex digits (a SHA-256)", ref)
	}
	for i := 0; i < len(ref); i++ {
		if c := ref[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("invalid blob ref %q: want 64 lowercase hex digits (a SHA-256)", ref)
		}
	}
	return nil
}
