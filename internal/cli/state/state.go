// Package state keeps the embedded simulator's state between awsx invocations, in a state
// directory (~/.awsx by default, or $AWSX_STATE_DIR).
//
// Each invocation loads the saved state into a fresh [sim.Cloud], runs, and saves it back. Two
// files live in the directory: state.json, the simulator's saved state, and state.lock, which
// holds the lock. Invocations that run at once serialize on an exclusive lock ([Dir.Update]) or
// share a read lock ([Dir.View]). The state is replaced atomically: it is written to a
// temporary file in the same directory, synced, renamed over state.json, and the directory is
// synced, so a process killed at any point leaves either the old state or the new one.
//
// # Scope and limitations
//
// The lock is flock(2) (through github.com/gofrs/flock): advisory, so only awsx processes
// honour it, and not reliable on network file systems.
package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/awsxlab/awsx/sim"
)

// EnvDir is the environment variable that overrides the default state directory.
const EnvDir = "AWSX_STATE_DIR"

const (
	stateFile  = "state.json"
	lockFile   = "state.lock"
	tempPrefix = "state.json.tmp-"
	// lockPoll is how often a waiting invocation retries the lock; the lock is held for the
	// length of one command, typically a few milliseconds.
	lockPoll = 2 * time.Millisecond
)

// Dir is a state directory. Its methods are safe for concurrent use by goroutines and by
// processes: they serialize on a file lock.
type Dir struct {
	// Path is the directory's absolute path.
	Path string
}

// DefaultPath returns the state directory awsx uses when none is given: $AWSX_STATE_DIR, or
// ~/.awsx.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvDir); p != "" {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("state: no state directory: %w (set %s)", err, EnvDir)
	}
	return filepath.Join(home, ".awsx"), nil
}

// Open opens the state directory at path, or at [DefaultPath] when path is empty, creating it
// with mode 0700 if it does not exist. created reports whether this call created it (the
// command says which backend is in use the first time).
func Open(path string) (d *Dir, created bool, err error) {
	if path == "" {
		if path, err = DefaultPath(); err != nil {
			return nil, false, err
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false, fmt.Errorf("state: open %q: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, false, fmt.Errorf("state: open %q: %w", path, err)
	}
	switch err := os.Mkdir(abs, 0o700); {
	case err == nil:
		created = true
	case errors.Is(err, os.ErrExist):
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, false, fmt.Errorf("state: open %q: %w", path, err)
		}
		if !fi.IsDir() {
			return nil, false, fmt.Errorf("state: open %q: not a directory", path)
		}
	default:
		return nil, false, fmt.Errorf("state: open %q: %w", path, err)
	}
	return &Dir{Path: abs}, created, nil
}

// Update loads the saved state into a new simulator made with opts, runs f with it, and saves
// the state back, all under an exclusive lock, so that concurrent invocations serialize and
// none loses another's changes. The state is saved even when f returns an error, because the
// calls f made before failing may have changed it; f's error is returned. When f changed
// nothing, nothing is written.
func (d *Dir) Update(ctx context.Context, opts []sim.Option, f func(*sim.Cloud) error) error {
	return d.run(ctx, opts, f, true)
}

// View is [Dir.Update] without the save, under a shared lock: changes f makes are discarded.
func (d *Dir) View(ctx context.Context, opts []sim.Option, f func(*sim.Cloud) error) error {
	return d.run(ctx, opts, f, false)
}

func (d *Dir) run(ctx context.Context, opts []sim.Option, f func(*sim.Cloud) error, write bool) (err error) {
	lk := flock.New(filepath.Join(d.Path, lockFile), flock.SetPermissions(0o600))
	defer lk.Close()
	var ok bool
	if write {
		ok, err = lk.TryLockContext(ctx, lockPoll)
	} else {
		ok, err = lk.TryRLockContext(ctx, lockPoll)
	}
	if err != nil || !ok {
		if err == nil {
			err = ctx.Err()
		}
		return fmt.Errorf("state: lock %q: %w", d.Path, err)
	}
	defer func() {
		if uerr := lk.Unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("state: unlock %q: %w", d.Path, uerr)
		}
	}()
	if write {
		// Under the exclusive lock no one else is writing: any temporary file is what a
		// killed writer left.
		d.removeTemps()
	}

	cloud := sim.New(opts...)
	old, err := os.ReadFile(filepath.Join(d.Path, stateFile))
	switch {
	case err == nil:
		if err := cloud.Load(bytes.NewReader(old)); err != nil {
			return fmt.Errorf("state: %s: %w", filepath.Join(d.Path, stateFile), err)
		}
	case errors.Is(err, os.ErrNotExist):
		old = nil
	default:
		return fmt.Errorf("state: %w", err)
	}

	ferr := f(cloud)
	if !write {
		return ferr
	}
	var buf bytes.Buffer
	if err := cloud.Save(&buf); err != nil {
		return errors.Join(ferr, fmt.Errorf("state: %w", err))
	}
	if bytes.Equal(buf.Bytes(), old) {
		return ferr
	}
	if err := d.replace(buf.Bytes()); err != nil {
		return errors.Join(ferr, err)
	}
	return ferr
}

// testHookWriter, when set (by tests), wraps the writer of the temporary file, so a test can
// stop the process in the middle of a write.
var testHookWriter func(io.Writer) io.Writer

// testHookBeforeRename, when set (by tests), runs after the temporary file is complete and
// before it replaces the state.
var testHookBeforeRename func()

// replace writes data to state.json atomically: temporary file, fsync, rename, fsync of the
// directory.
func (d *Dir) replace(data []byte) (err error) {
	tmp, err := os.CreateTemp(d.Path, tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	var w io.Writer = tmp
	if testHookWriter != nil {
		w = testHookWriter(w)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename()
	}
	if err := os.Rename(tmp.Name(), filepath.Join(d.Path, stateFile)); err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	// The rename is durable only once the directory entry is.
	dir, err := os.Open(d.Path)
	if err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fmt.Errorf("state: save: sync %q: %w", d.Path, err)
	}
	return nil
}

// removeTemps removes temporary files that a killed writer left behind.
func (d *Dir) removeTemps() {
	entries, _ := os.ReadDir(d.Path)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			os.Remove(filepath.Join(d.Path, e.Name()))
		}
	}
}
