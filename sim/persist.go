package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/durable"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// # State on disk
//
// [Open] keeps a cloud's state in a directory, durably: each service's state is one part of
// a journaled store (package durable), and every request that changes a service has that
// service's new state committed — written to the journal and synced, file and directory —
// before it is answered. A request that changes nothing writes nothing. A part is read
// from disk the first time a request needs its service, so a command that only asks STS who
// it is does not read the account's buckets. The awsx command's state directory and `awsx
// sim serve --state-dir` both use it.
//
// Bodies (S3's objects) are not in the parts: a state that keeps them as blobs
// ([service.BlobKeeper]) is given the directory's blob storage, writes each new body there
// before the change that brings it, and saves refs, so that a change writes what it changes.
// A body is stored once however many objects hold it. Blobs no part references any more are
// removed when the cloud is closed, if it let some go (see [Cloud.Close]).

// legacyStateFile is the whole-state JSON file that awsx wrote before the journal; Open
// reads it once and moves it into the journal.
const legacyStateFile = "state.json"

// metaPart is the cloud's own part: its account, clock and ID generator.
const metaPart = "meta"

type savedMeta struct {
	Version int           `json:"version"`
	Account string        `json:"account"`
	Offset  time.Duration `json:"clockOffset"`
	IDs     []byte        `json:"ids"`
}

// state is a service's persisted state, as the store of a service keeps it.
type state = service.State

// disk ties a cloud to its directory.
type disk struct {
	dir      *durable.Dir
	readOnly bool
	parts    []*part

	mu         sync.Mutex // one commit at a time; guards savedClock
	savedClock time.Duration
}

// part is one service's state on disk.
type part struct {
	name  string
	state state

	once  sync.Once
	err   error
	saved uint64 // the generation last read or written; guarded by disk.mu once loaded
	ready bool   // loaded; set once, under once
}

// Open returns the cloud whose state is kept in the directory path, creating both when the
// directory is new. With readOnly, the directory is shared with other readers and nothing
// is written: changes last only as long as the Cloud. Otherwise the cloud holds the
// directory alone — other processes that open it wait, until ctx is done — and every change
// is durable before the request that made it is answered. Close the cloud to release the
// directory. opts are as for [New]; the saved state must be of the same account.
func Open(ctx context.Context, path string, readOnly bool, opts ...Option) (*Cloud, error) {
	mode := durable.ReadWrite
	if readOnly {
		mode = durable.ReadOnly
	}
	// No grace for new blobs: the live function of a collection covers changes in progress.
	dir, err := durable.Open(ctx, path, mode, func(o *durable.Options) { o.BlobGrace = -1 })
	if err != nil {
		return nil, fmt.Errorf("sim: open: %w", err)
	}
	c := New(opts...)
	d := &disk{dir: dir, readOnly: readOnly}
	seen := map[state]bool{}
	for _, s := range c.registry.all {
		if s.State != nil && !seen[s.State] {
			seen[s.State] = true
			d.parts = append(d.parts, &part{name: s.Name, state: s.State})
		}
	}
	// The instances' operating systems are no service, but are kept as one is.
	d.parts = append(d.parts, &part{name: "guest", state: c.guests})
	for _, p := range d.parts {
		if err := d.useBlobs(p); err != nil { // the states are empty yet: nothing moves
			dir.Close()
			return nil, err
		}
	}
	if err := c.openDisk(d); err != nil {
		dir.Close()
		return nil, err
	}
	return c, nil
}

// openDisk reads the meta part (or a legacy state.json) and attaches d.
func (c *Cloud) openDisk(d *disk) error {
	b, err := d.dir.Part(metaPart)
	switch {
	case err == nil:
		var m savedMeta
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("sim: open %s: %w", d.dir.Path(), err)
		}
		if m.Version != stateVersion {
			return fmt.Errorf("sim: open %s: state format %d, want %d", d.dir.Path(), m.Version, stateVersion)
		}
		if m.Account != c.opts.account {
			return fmt.Errorf("sim: open %s: state of account %s, this cloud is %s", d.dir.Path(), m.Account, c.opts.account)
		}
		if err := c.ids.UnmarshalBinary(m.IDs); err != nil {
			return fmt.Errorf("sim: open %s: %w", d.dir.Path(), err)
		}
		c.clock.SetOffset(m.Offset)
		d.savedClock = m.Offset
		c.disk = d
		// IAM answers nearly every request (who signed it, what may they do): read it now.
		return c.load(c.identity)
	case errors.Is(err, fs.ErrNotExist):
		return c.migrate(d)
	default:
		return fmt.Errorf("sim: open: %w", err)
	}
}

// migrate loads a state.json that awsx wrote before the journal, if there is one, and, in a
// writable directory, commits it as parts and removes the file.
func (c *Cloud) migrate(d *disk) error {
	legacy := filepath.Join(d.dir.Path(), legacyStateFile)
	f, err := os.Open(legacy)
	if errors.Is(err, fs.ErrNotExist) {
		for _, p := range d.parts {
			p.once.Do(func() { p.ready, p.saved = true, p.state.Generation() })
		}
		c.disk = d
		return nil
	}
	if err != nil {
		return fmt.Errorf("sim: open: %w", err)
	}
	err = c.Load(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("sim: open %s: %w", legacy, err)
	}
	for _, p := range d.parts {
		p.once.Do(func() { p.ready = true })  // p.saved stays 0: every part is written
		if err := d.useBlobs(p); err != nil { // the bodies state.json held move to blobs
			return err
		}
	}
	c.disk = d
	if d.readOnly {
		return nil
	}
	if err := c.commit(true); err != nil {
		return err
	}
	return os.Remove(legacy)
}

// load reads the part of s from disk, the first time it is needed.
func (c *Cloud) load(s state) error {
	d := c.disk
	if d == nil {
		return nil
	}
	for _, p := range d.parts {
		if p.state != s {
			continue
		}
		p.once.Do(func() {
			b, err := d.dir.Part(p.name)
			switch {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				p.err = fmt.Errorf("sim: %s state: %w", p.name, err)
			default:
				if err := p.state.UnmarshalJSON(b); err != nil {
					p.err = fmt.Errorf("sim: %s state: %w", p.name, err)
				}
			}
			saved := p.state.Generation()
			if p.err == nil {
				// Bodies a part saved inline (before blobs) move to blobs, and the
				// generation moves on, so that the next commit writes the part with refs.
				p.err = d.useBlobs(p)
			}
			d.mu.Lock()
			p.saved, p.ready = saved, true
			d.mu.Unlock()
		})
		return p.err
	}
	return nil
}

// useBlobs gives p's state the directory's blob storage, if it keeps bodies as blobs.
func (d *disk) useBlobs(p *part) error {
	k, ok := p.state.(service.BlobKeeper)
	if !ok {
		return nil
	}
	if err := k.UseBlobs(d.dir, d.readOnly); err != nil {
		return fmt.Errorf("sim: %s state: %w", p.name, err)
	}
	return nil
}

// loadAll reads every part not read yet.
func (c *Cloud) loadAll() error {
	if c.disk == nil {
		return nil
	}
	var errs []error
	for _, p := range c.disk.parts {
		errs = append(errs, c.load(p.state))
	}
	return errors.Join(errs...)
}

// commit writes every part that changed since it was last read or written, and the meta
// part with them; all when all is set. It returns once the change is durable.
func (c *Cloud) commit(all bool) error {
	d := c.disk
	if d == nil || d.readOnly {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	changes := map[string][]byte{}
	gens := map[*part]uint64{}
	for _, p := range d.parts {
		if !p.ready || p.err != nil {
			continue // never read, so never changed
		}
		g := p.state.Generation() // before the contents: a change after it is written again next time
		if g == p.saved && !all {
			continue
		}
		b, err := p.state.MarshalJSON()
		if err != nil {
			return fmt.Errorf("sim: save %s: %w", p.name, err)
		}
		changes[p.name], gens[p] = b, g
	}
	offset := c.clock.Offset()
	if len(changes) == 0 && offset == d.savedClock {
		return nil
	}
	// The generator's position is taken last: a request that runs meanwhile may leave a gap
	// in the IDs, never an ID that a reopened cloud would hand out again.
	ids, err := c.ids.MarshalBinary()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	meta, err := json.Marshal(savedMeta{Version: stateVersion, Account: c.opts.account, Offset: offset, IDs: ids})
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	changes[metaPart] = meta
	if err := d.dir.Commit(changes); err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	for p, g := range gens {
		p.saved = g
	}
	d.savedClock = offset
	return nil
}

// Sync makes every change to a cloud from [Open] durable. Requests do it themselves before
// they are answered; Sync is for changes made by the cloud's own methods ([Cloud.Advance],
// [Cloud.SetSpotPrice] …), which also sync on return. It does nothing for a cloud from
// [New] or a read-only one.
func (c *Cloud) Sync() error { return c.commit(false) }

// Close syncs the cloud (see [Cloud.Sync]) and releases its directory. If the cloud let go
// of bodies (an object deleted or overwritten, an upload completed or aborted), Close also
// removes the blobs no part references any more. Requests should be over: one that runs
// alongside Close may fail. It does nothing for a cloud from [New].
func (c *Cloud) Close() error {
	if c.disk == nil {
		return nil
	}
	err := c.commit(false)
	if err == nil {
		err = c.collect()
	}
	return errors.Join(err, c.disk.dir.Close())
}

// collect removes the blobs that no part references, when a state that keeps blobs has let
// some go. It holds commits back while it runs, and collects only if every such state is
// read and saved as it is, so that what it finds referenced is the committed parts' refs;
// each state's live function adds the refs of changes in progress and to come (see
// [service.BlobKeeper]). Blobs that a crashed writer stored and never committed stay until
// the next collection, which a later Close runs when its cloud lets bodies go.
func (c *Cloud) collect() error {
	d := c.disk
	if d.readOnly {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var lives []func(string) bool
	due := false
	for _, p := range d.parts {
		k, ok := p.state.(service.BlobKeeper)
		if !ok {
			continue
		}
		if !p.ready || p.err != nil {
			return nil // its refs are not known without reading it: it let none go
		}
		live, gen := k.LiveBlobs()
		if gen != p.saved {
			return nil // a change not committed: the next Close collects
		}
		due = due || k.Garbage() > 0
		lives = append(lives, live)
	}
	if !due {
		return nil
	}
	err := d.dir.Compact(func(ref string) bool {
		for _, live := range lives {
			if live(ref) {
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("sim: removing unreferenced blobs: %w", err)
	}
	return nil
}

// needs reads the state of a service before it is used.
func (c *Cloud) needs(s state) error {
	if err := c.load(s); err != nil {
		return core.Errorf(core.InternalError, "reading the saved state: %v", err)
	}
	return nil
}
