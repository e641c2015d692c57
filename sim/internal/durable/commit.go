package durable

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// commitReq is a Commit waiting in Dir.queue.
type commitReq struct {
	parts map[string][]byte
	err   error
	// wake receives false once the request is written (err is then set), or true when the
	// request is to lead: to write the queue as one record.
	wake chan bool
}

// Commit atomically replaces the named parts: each part whose value is nil is deleted,
// every other is set to a copy of its value (an empty, non-nil value is an empty part). When
// Commit returns nil the change is durable: its journal record and every blob that
// [Dir.PutBlob] returned before the call are on disk, synced. When it returns an error the
// change may or may not be durable; a later [Open] sees it whole or not at all. Commit does
// not keep parts or its values.
//
// Concurrent commits are written one after another, and those that wait are written
// together as one record. After a commit Commit may compact the directory (see
// [Options.CompactMin]).
func (d *Dir) Commit(parts map[string][]byte) error {
	if d.mode != ReadWrite {
		return fmt.Errorf("durable: commit in %q: %w", d.path, ErrReadOnly)
	}
	for name, v := range parts {
		if err := validName(name); err != nil {
			return fmt.Errorf("durable: commit: %w", err)
		}
		if len(v) > MaxPartSize {
			return fmt.Errorf("durable: commit: part %q is %d bytes (want at most %d)", name, len(v), MaxPartSize)
		}
	}
	if len(parts) == 0 {
		d.mu.RLock()
		defer d.mu.RUnlock()
		if d.closed {
			return fmt.Errorf("durable: commit in %q: %w", d.path, ErrClosed)
		}
		return nil
	}
	// Group commit: the first request in an empty queue leads; it writes every request
	// queued by then as one record, wakes their callers, and hands the lead to the first
	// request queued during its write. Callers wait on their own channel, not on wmu, so
	// they return as soon as their record is durable.
	req := &commitReq{parts: parts, wake: make(chan bool, 1)}
	d.qmu.Lock()
	d.queue = append(d.queue, req)
	lead := !d.leading
	d.leading = true
	d.qmu.Unlock()
	if !lead && !<-req.wake {
		return req.err
	}
	d.qmu.Lock()
	batch := d.queue
	d.queue = nil
	d.qmu.Unlock()

	d.wmu.Lock()
	err := d.appendLocked(batch)
	compact := err == nil && d.compactDueLocked()
	d.wmu.Unlock()
	for _, r := range batch {
		if r != req {
			r.err = err
			r.wake <- false
		}
	}
	d.qmu.Lock()
	if len(d.queue) > 0 {
		d.queue[0].wake <- true
	} else {
		d.leading = false
	}
	d.qmu.Unlock()

	if compact {
		// The commit is durable: a failed compaction leaves the directory as it was, and is
		// reported by Close.
		d.wmu.Lock()
		if !d.closed && d.compactDueLocked() {
			if cerr := d.compactLocked(); cerr != nil {
				d.compactErr = cerr
				// Try again once the journal has grown as much again.
				d.compactFailedAt = d.jend
			}
		}
		d.wmu.Unlock()
	}
	return err
}

// appendLocked writes batch as one journal record and syncs it, then shows it to readers.
func (d *Dir) appendLocked(batch []*commitReq) error {
	if d.closed {
		return fmt.Errorf("durable: commit in %q: %w", d.path, ErrClosed)
	}
	if d.broken != nil {
		return fmt.Errorf("durable: commit in %q: an earlier write failed, reopen the directory: %w", d.path, d.broken)
	}
	merged := map[string][]byte{}
	for _, r := range batch {
		for name, v := range r.parts {
			merged[name] = v
		}
	}
	names := make([]string, 0, len(merged))
	for name := range merged {
		names = append(names, name)
	}
	slices.Sort(names)
	entries := make([]entry, len(names))
	var plen int
	for i, name := range names {
		v := merged[name]
		entries[i] = entry{name: name, del: v == nil, size: int64(len(v)), crc: checksum(v)}
		plen += len(v)
	}
	h := encodeHeader(d.seq+1, entries)
	rec := make([]byte, 0, len(h)+plen)
	rec = append(rec, h...)
	for _, name := range names {
		rec = append(rec, merged[name]...)
	}

	if d.jrnl == nil {
		name := filepath.Join(d.path, jrnlPrefix+strconv.FormatUint(d.gen, 10))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("durable: commit: %w", err)
		}
		d.mu.Lock()
		d.jrnl = f
		d.mu.Unlock()
		d.jend = 0
		d.dirtyJournal = true
	}
	if _, err := d.jrnl.WriteAt(rec, d.jend); err != nil {
		// Cut the partial record off, so that the next commit appends after whole ones.
		if terr := d.jrnl.Truncate(d.jend); terr != nil {
			d.broken = errors.Join(err, terr)
		}
		return fmt.Errorf("durable: commit: %w", err)
	}
	d.hook("journal-written")
	if err := d.jrnl.Sync(); err != nil {
		// After a failed fsync the kernel may have dropped the pages: nothing written
		// since the last good sync can be trusted.
		d.broken = err
		return fmt.Errorf("durable: commit: %w", err)
	}
	if d.dirtyJournal {
		if err := syncDir(d.path); err != nil {
			d.broken = err
			return fmt.Errorf("durable: commit: %w", err)
		}
		d.dirtyJournal = false
	}
	d.hook("journal-synced")

	d.mu.Lock()
	d.apply(d.jrnl, d.jend, &header{seq: d.seq + 1, entries: entries, hlen: int64(len(h) - prefixSize)})
	d.mu.Unlock()
	d.jend += int64(len(rec))
	d.sealed = false
	return nil
}
