// Package state keeps the embedded simulator's state between awsx invocations, in a state
// directory (~/.awsx by default, or $AWSX_STATE_DIR).
//
// Each invocation opens the directory with [sim.Open], runs, and closes it: the simulator
// writes each change to the directory's journal before it answers the request that made it
// (one part per service, only the services that changed), and reads a service's part only
// when a request needs that service. Invocations that run at once serialize on an exclusive
// lock ([Dir.Update]) or share a read lock ([Dir.View]). A process killed at any point
// leaves every change that was answered. A directory written by an older awsx (one
// state.json) is moved into the journal the first time it is opened for writing.
//
// # Scope and limitations
//
// The lock is flock(2): advisory, so only awsx processes honour it, and not reliable on
// network file systems.
package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/awsxlab/awsx/sim"
)

// EnvDir is the environment variable that overrides the default state directory.
const EnvDir = "AWSX_STATE_DIR"

// LockWait is how long an invocation waits for another that holds the directory: other
// commands hold it for milliseconds; a server (`awsx sim serve --state-dir`) for its life.
var LockWait = 10 * time.Second

// Dir is a state directory. Its methods are safe for concurrent use by goroutines and by
// processes: they serialize on a file lock.
type Dir struct {
	// Path is the directory's absolute path.
	Path string
}

// DefaultPath returns the state directory awsx uses when none is given, in the environment
// getenv reads: $AWSX_STATE_DIR, or .awsx in $HOME.
func DefaultPath(getenv func(string) string) (string, error) {
	if p := getenv(EnvDir); p != "" {
		return p, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("state: no state directory: HOME is not set (set %s)", EnvDir)
	}
	return filepath.Join(home, ".awsx"), nil
}

// Open opens the state directory at path, creating it with mode 0700 if it does not exist.
// created reports whether this call created it (the command says which backend is in use
// the first time).
func Open(path string) (d *Dir, created bool, err error) {
	if path == "" {
		return nil, false, errors.New("state: open: no path")
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

// Update opens the saved state as a simulator made with opts and runs f with it, under an
// exclusive lock, so that concurrent invocations serialize and none loses another's changes.
// Every change f's requests make is saved before the request is answered, so it is kept
// even when f then returns an error; f's error is returned. When f changes nothing, nothing
// is written.
func (d *Dir) Update(ctx context.Context, opts []sim.Option, f func(*sim.Cloud) error) error {
	return d.run(ctx, opts, f, false)
}

// View is [Dir.Update] under a shared lock, with nothing saved: changes f makes are
// discarded.
func (d *Dir) View(ctx context.Context, opts []sim.Option, f func(*sim.Cloud) error) error {
	return d.run(ctx, opts, f, true)
}

func (d *Dir) run(ctx context.Context, opts []sim.Option, f func(*sim.Cloud) error, readOnly bool) error {
	wait, cancel := context.WithTimeout(ctx, LockWait)
	defer cancel()
	cloud, err := sim.Open(wait, d.Path, readOnly, opts...)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("state: %s is held by another process for more than %v — a running `awsx sim serve --state-dir %s`? Talk to it with --endpoint-url instead", d.Path, LockWait, d.Path)
	}
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	ferr := f(cloud)
	if err := cloud.Close(); err != nil {
		return errors.Join(ferr, fmt.Errorf("state: %w", err))
	}
	return ferr
}
