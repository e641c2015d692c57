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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// Mode says how [Open] opens a directory.
type Mode int

const (
	// ReadOnly takes a shared lock: readers run side by side, and no writer runs while they
	// hold it. A ReadOnly [Dir] writes nothing (but the lock file, if it is missing).
	ReadOnly Mode = iota + 1
	// ReadWrite takes an exclusive lock, creating the directory if needed.
	ReadWrite
)

func (m Mode) String() string {
	switch m {
	case ReadOnly:
		return "ReadOnly"
	case ReadWrite:
		return "ReadWrite"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// Options tune a [Dir]. The zero value of each field selects its default.
type Options struct {
	// CompactMin is the journal length below which [Dir.Commit] never compacts. Commit
	// compacts when the journal is longer than both CompactMin and twice the size of the
	// parts. Zero means 1 MiB; a negative value turns automatic compaction off.
	CompactMin int64
	// BlobGrace is how long after [Dir.PutBlob] returns a ref [Dir.Compact] keeps the blob
	// even when live reports it dead, so that a body written just before the Commit that
	// references it survives a Compact that runs in between. Zero means one minute; a
	// negative value turns the grace off (live must then report in-flight refs too).
	BlobGrace time.Duration
}

const (
	defaultCompactMin = 1 << 20
	defaultBlobGrace  = time.Minute
)

// Errors that [Dir] methods wrap.
var (
	// ErrReadOnly is returned by writes to a directory opened [ReadOnly].
	ErrReadOnly = errors.New("opened ReadOnly")
	// ErrClosed is returned by methods called after [Dir.Close].
	ErrClosed = errors.New("closed")
)

// File names inside the directory.
const (
	lockName     = "lock"
	manifestName = "MANIFEST"
	snapPrefix   = "snapshot."
	jrnlPrefix   = "journal."
	blobsName    = "blobs"
	tmpName      = "tmp"
)

// testHook, when set by tests, is called at the named points of a write (holding the locks
// the write holds), so that a test can kill the process there or damage what it wrote.
var testHook func(d *Dir, point string)

func (d *Dir) hook(point string) {
	if testHook != nil {
		testHook(d, point)
	}
}

// Dir is an open state directory. A Dir is safe for concurrent use by goroutines: commits
// are serialized (and those that wait are written together), reads run alongside them and
// see only commits that are durable. Across processes the directory's lock serializes
// writers and keeps them out while readers hold it.
type Dir struct {
	path string
	mode Mode
	opts Options
	lk   *flock.Flock

	// qmu guards queue, the commits waiting to be written, and leading, whether a Commit
	// is writing them or has been told to.
	qmu     sync.Mutex
	queue   []*commitReq
	leading bool

	// wmu serializes what changes the files: commits, compaction, Close. It guards the
	// fields from here to mu.
	wmu    sync.Mutex
	broken error // set when a failed write leaves the journal in doubt
	jend   int64 // length of the journal's valid records
	// dirtyJournal reports whether the journal was created and the directory not yet synced.
	dirtyJournal bool
	sealed       bool  // the journal ends with a seal
	compactErr   error // the last automatic compaction's error, reported by Close
	// compactFailedAt is the journal length when an automatic compaction last failed.
	compactFailedAt int64

	// mu guards the state readers see, the fields from here to gcMu. Readers hold it across
	// their reads of the files, so that compaction does not close a file under them. These
	// fields change under wmu too, so a holder of wmu reads them without mu.
	mu     sync.RWMutex
	closed bool
	index  map[string]loc
	seq    uint64
	gen    uint64
	live   int64 // the parts' total size
	snap   *os.File
	jrnl   *os.File

	// gcMu is held shared by PutBlob and exclusively by the blob sweep.
	gcMu     sync.RWMutex
	recentMu sync.Mutex
	recent   map[string]time.Time // refs PutBlob returned, for BlobGrace
	// recentMax is the size of recent at which PutBlob forgets the refs past their grace.
	recentMax int
	blobDirs  [256]bool // blobs/xx directories known durable, under recentMu
}

// loc is where a part's contents are.
type loc struct {
	f    *os.File
	off  int64
	size int64
	crc  uint32
}

// Open opens the state directory at path and takes its lock, waiting for other processes
// that hold it until ctx is done. In [ReadWrite] mode Open creates the directory (mode 0700)
// if it does not exist, and completes the recovery of a writer that crashed: it cuts a torn
// record off the journal and removes temporary and superseded files. In [ReadOnly] mode a
// missing directory is an error wrapping [fs.ErrNotExist], and a torn record is ignored.
func Open(ctx context.Context, path string, mode Mode, optFns ...func(*Options)) (*Dir, error) {
	var opts Options
	for _, fn := range optFns {
		fn(&opts)
	}
	if opts.CompactMin == 0 {
		opts.CompactMin = defaultCompactMin
	}
	if opts.BlobGrace == 0 {
		opts.BlobGrace = defaultBlobGrace
	}
	if mode != ReadOnly && mode != ReadWrite {
		return nil, fmt.Errorf("durable: open %q: invalid mode %v (want ReadOnly or ReadWrite)", path, mode)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("durable: open %q: %w", path, err)
	}
	if mode == ReadWrite {
		err = mkdirDurable(abs)
	} else {
		var fi fs.FileInfo
		if fi, err = os.Stat(abs); err == nil && !fi.IsDir() {
			err = errors.New("not a directory")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("durable: open %q: %w", path, err)
	}
	d := &Dir{path: abs, mode: mode, opts: opts, index: map[string]loc{}, recent: map[string]time.Time{}}
	d.lk = flock.New(filepath.Join(abs, lockName), flock.SetPermissions(0o600))
	if err := d.lock(ctx); err != nil {
		d.lk.Close()
		return nil, fmt.Errorf("durable: open %q: lock: %w", path, err)
	}
	if err := d.load(); err != nil {
		d.closeFiles()
		d.lk.Close()
		return nil, fmt.Errorf("durable: open %q: %w", path, err)
	}
	return d, nil
}

// lock takes the directory's lock, polling with a backoff from 1 ms to 50 ms: a CLI
// command holds it for milliseconds, a server for its lifetime.
func (d *Dir) lock(ctx context.Context) error {
	try := d.lk.TryLock
	if d.mode == ReadOnly {
		try = d.lk.TryRLock
	}
	delay := time.Millisecond
	for {
		ok, err := try()
		if err != nil || ok {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("held by another process: %w", ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// load reads the manifest, the snapshot and the journal. A writer then makes the recovered
// state its own: it cuts a torn tail, syncs the directory, and removes leftovers.
func (d *Dir) load() error {
	gen, err := readManifest(d.path)
	if err != nil {
		return err
	}
	d.gen = gen
	if gen > 0 {
		name := filepath.Join(d.path, snapPrefix+strconv.FormatUint(gen, 10))
		if d.snap, err = os.Open(name); err != nil {
			// Not %w: a missing snapshot must not read as a missing directory.
			return fmt.Errorf("%w: the snapshot %s names: %v", ErrCorrupt, manifestName, err)
		}
		if err := d.loadSnapshot(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	flag := os.O_RDONLY
	if d.mode == ReadWrite {
		flag = os.O_RDWR
	}
	name := filepath.Join(d.path, jrnlPrefix+strconv.FormatUint(gen, 10))
	d.jrnl, err = os.OpenFile(name, flag, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.jrnl = nil
	case err != nil:
		return err
	default:
		if err := d.replay(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if d.mode == ReadOnly {
		return nil
	}
	for _, sub := range []string{blobsName, tmpName} {
		if err := os.Mkdir(filepath.Join(d.path, sub), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	// A writer killed between renaming the manifest and syncing the directory leaves a
	// manifest that a power loss could still undo: sync before building on it or removing
	// the files it superseded.
	if err := syncDir(d.path); err != nil {
		return err
	}
	return d.removeLeftovers()
}

// loadSnapshot indexes the snapshot's parts. The snapshot was synced before the manifest
// named it, so anything short of a whole record is corruption.
func (d *Dir) loadSnapshot() error {
	fi, err := d.snap.Stat()
	if err != nil {
		return err
	}
	w := &window{r: d.snap, size: fi.Size()}
	h, err := readHeader(w, 0)
	if errors.Is(err, errTorn) {
		return fmt.Errorf("%w: not a whole record", ErrCorrupt)
	}
	if err != nil {
		return err
	}
	if h.size() != fi.Size() {
		return fmt.Errorf("%w: %d bytes after the record", ErrCorrupt, fi.Size()-h.size())
	}
	for _, e := range h.entries {
		if e.del {
			return fmt.Errorf("%w: snapshot deletes part %q", ErrCorrupt, e.name)
		}
	}
	d.apply(d.snap, 0, h)
	return nil
}

// replay applies the journal's records in order, up to the end of the last whole record.
//
// Each append follows the fsync of the record before it, so a crash can tear only the last
// record, and leaves nothing after it. Hence the bytes after the last whole record are
// discarded only if they could be one torn append (no whole record follows them), and the
// last record's contents are checked here, the others' when read: unless the journal ends
// with a seal, an empty record that a writer's Close appends to vouch that the records before
// it are whole, so that the next reader reads only the parts it asks for. If the last record
// fails its CRCs with bytes after it, or a whole record follows damaged bytes, the damage is in
// acknowledged records: replay reports it as [ErrCorrupt] rather than dropping them.
func (d *Dir) replay() error {
	fi, err := d.jrnl.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	w := &window{r: d.jrnl, size: size}
	type rec struct {
		off int64
		h   *header
	}
	var recs []rec
	var off int64
	seq, sealed := d.seq, false
	for off < size {
		h, err := readHeader(w, off)
		if errors.Is(err, errTorn) {
			break
		}
		if err != nil {
			return err
		}
		want := seq + 1
		if len(h.entries) == 0 {
			want = seq // a seal changes nothing
		}
		if h.seq != want {
			return fmt.Errorf("%w: record at offset %d has sequence number %d, want %d", ErrCorrupt, off, h.seq, want)
		}
		if sealed = len(h.entries) == 0; !sealed {
			recs = append(recs, rec{off, h})
			seq++
		}
		off += h.size()
	}
	if off < size {
		if next, err := findRecord(w, off+1); err != nil {
			return err
		} else if next >= 0 {
			return fmt.Errorf("%w: damaged record at offset %d, followed by a whole record at offset %d", ErrCorrupt, off, next)
		}
	}
	if n := len(recs); n > 0 && !sealed {
		last := recs[n-1]
		if err := verifyPayload(d.jrnl, last.off, last.h); err != nil {
			if !errors.Is(err, ErrCorrupt) || off < size {
				return err
			}
			recs, off = recs[:n-1], last.off
		}
	}
	for _, r := range recs {
		d.apply(d.jrnl, r.off, r.h)
	}
	d.jend, d.sealed = off, sealed
	if d.mode == ReadWrite && (off < size || !sealed) {
		if off < size {
			if err := d.jrnl.Truncate(off); err != nil {
				return err
			}
		}
		// Also, a writer killed before its fsync leaves a whole record that a power loss
		// could still tear: make it durable before a seal vouches for it.
		if err := d.jrnl.Sync(); err != nil {
			return err
		}
	}
	return nil
}

// findRecord returns the offset of the first whole record that starts at or after from, or
// -1 if there is none.
func findRecord(w *window, from int64) (int64, error) {
	for pos := from; pos+prefixSize <= w.size; {
		n := min(maxWindow, w.size-pos)
		b, err := w.bytes(pos, n)
		if err != nil {
			return 0, err
		}
		i := bytes.Index(b, []byte(recordMagic))
		if i < 0 {
			// The magic may straddle the boundary: look again from its last 3 bytes.
			pos += max(1, n-int64(len(recordMagic))+1)
			continue
		}
		cand := pos + int64(i)
		_, err = readHeader(w, cand)
		if err == nil || errors.Is(err, ErrCorrupt) {
			return cand, nil
		}
		if !errors.Is(err, errTorn) {
			return 0, err
		}
		pos = cand + 1
	}
	return -1, nil
}

// verifyPayload reads the contents of the record at off and checks their CRCs.
func verifyPayload(f *os.File, off int64, h *header) error {
	pos := off + prefixSize + h.hlen
	var buf []byte
	for _, e := range h.entries {
		if e.del {
			continue
		}
		if int64(cap(buf)) < e.size {
			buf = make([]byte, e.size)
		}
		b := buf[:e.size]
		if _, err := f.ReadAt(b, pos); err != nil {
			return err
		}
		if checksum(b) != e.crc {
			return fmt.Errorf("%w: part %q at offset %d fails its CRC", ErrCorrupt, e.name, pos)
		}
		pos += e.size
	}
	return nil
}

// apply records in the index the parts of the record at off in f.
func (d *Dir) apply(f *os.File, off int64, h *header) {
	pos := off + prefixSize + h.hlen
	for _, e := range h.entries {
		if old, ok := d.index[e.name]; ok {
			d.live -= old.size
			delete(d.index, e.name)
		}
		if !e.del {
			d.index[e.name] = loc{f: f, off: pos, size: e.size, crc: e.crc}
			d.live += e.size
			pos += e.size
		}
	}
	d.seq = h.seq
}

// removeLeftovers removes what killed writers left: temporary files, and the snapshot and
// journal of generations that the manifest no longer names.
func (d *Dir) removeLeftovers() error {
	tmps, err := os.ReadDir(filepath.Join(d.path, tmpName))
	if err != nil {
		return err
	}
	for _, e := range tmps {
		if err := os.Remove(filepath.Join(d.path, tmpName, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return err
	}
	current := strconv.FormatUint(d.gen, 10)
	for _, e := range entries {
		for _, p := range []string{snapPrefix, jrnlPrefix} {
			if g, ok := strings.CutPrefix(e.Name(), p); ok && g != current {
				if err := os.Remove(filepath.Join(d.path, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
		}
	}
	return nil
}

// Close releases the lock and the files. It waits for commits and blob writes in progress,
// and reports the
// error of an automatic compaction that failed (the commits themselves were durable). A
// writer's Close appends a seal to the journal (see [Open]).
func (d *Dir) Close() error {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.gcMu.Lock() // wait for PutBlob calls in progress: they write under the lock too
	defer d.gcMu.Unlock()
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return fmt.Errorf("durable: close %q: %w", d.path, ErrClosed)
	}
	d.closed = true
	d.mu.Unlock()
	if d.mode == ReadWrite && d.jrnl != nil && !d.sealed && d.broken == nil {
		// Not synced: every record before it is, and if the seal is lost or torn the next
		// Open checks the last record instead. So its error is of no consequence either.
		d.jrnl.WriteAt(encodeHeader(d.seq, nil), d.jend)
		d.hook("seal-written")
	}
	err := d.closeFiles()
	if uerr := d.lk.Close(); uerr != nil {
		err = errors.Join(err, fmt.Errorf("unlock: %w", uerr))
	}
	err = errors.Join(err, d.compactErr)
	if err != nil {
		return fmt.Errorf("durable: close %q: %w", d.path, err)
	}
	return nil
}

func (d *Dir) closeFiles() error {
	var err error
	for _, f := range []*os.File{d.snap, d.jrnl} {
		if f != nil {
			err = errors.Join(err, f.Close())
		}
	}
	return err
}

// Path returns the directory's absolute path.
func (d *Dir) Path() string { return d.path }

// Part returns a copy of the named part's contents, read from disk and checked against its
// CRC, or an error wrapping [fs.ErrNotExist] if there is no such part.
func (d *Dir) Part(name string) ([]byte, error) {
	if err := validName(name); err != nil {
		return nil, fmt.Errorf("durable: part: %w", err)
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return nil, fmt.Errorf("durable: part %q: %w", name, ErrClosed)
	}
	l, ok := d.index[name]
	if !ok {
		return nil, fmt.Errorf("durable: part %q: %w", name, fs.ErrNotExist)
	}
	b := make([]byte, l.size)
	if _, err := l.f.ReadAt(b, l.off); err != nil {
		return nil, fmt.Errorf("durable: part %q: %w", name, err)
	}
	if checksum(b) != l.crc {
		return nil, fmt.Errorf("durable: part %q: %w: %s at offset %d fails its CRC", name, ErrCorrupt, l.f.Name(), l.off)
	}
	return b, nil
}

// Parts returns the names of the parts, sorted.
func (d *Dir) Parts() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	names := make([]string, 0, len(d.index))
	for n := range d.index {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Seq returns the sequence number of the last durable commit: 0 for an empty directory, one
// more with each journal record. Commits that wait for one another are written as one
// record, so Seq may grow by less than the number of Commit calls.
func (d *Dir) Seq() uint64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.seq
}

// readManifest returns the generation the manifest names, or 0 when there is none yet.
func readManifest(dir string) (uint64, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(b), manifestHead)
	if !ok {
		return 0, fmt.Errorf("%s: %w: want a first line %q", manifestName, ErrCorrupt, strings.TrimSpace(manifestHead))
	}
	g, ok := strings.CutPrefix(rest, "generation ")
	if !ok || !strings.HasSuffix(g, "\n") {
		return 0, fmt.Errorf("%s: %w: want \"generation N\"", manifestName, ErrCorrupt)
	}
	gen, err := strconv.ParseUint(strings.TrimSuffix(g, "\n"), 10, 64)
	if err != nil || gen == 0 {
		return 0, fmt.Errorf("%s: %w: generation %q", manifestName, ErrCorrupt, strings.TrimSuffix(g, "\n"))
	}
	return gen, nil
}

const manifestHead = "awsx durable state, format 1\n"

// syncDir makes the entries of the directory durable.
func syncDir(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// mkdirDurable creates path and its missing parents (mode 0700), syncing each parent after
// creating its child, so that the directory outlives a power loss.
func mkdirDurable(path string) error {
	fi, err := os.Stat(path)
	if err == nil {
		if !fi.IsDir() {
			return errors.New("not a directory")
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(path)
	if parent != path {
		if err := mkdirDurable(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}
