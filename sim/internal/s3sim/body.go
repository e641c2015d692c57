package s3sim

import (
	"fmt"
	"slices"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// # Bodies
//
// A store made by [NewStore] keeps the bodies of objects and upload parts in memory. Given
// blob storage ([Store.UseBlobs], as a cloud from sim.Open does), it writes each new body
// there before the change that brings it takes the lock, and keeps only its ref and size:
// the state, and so the part saved after each change, holds metadata, and a PutObject writes
// its body once. Every read of a body goes through [Store.body].
//
// Collecting the blobs no part references is the caller's ([Store.LiveBlobs]). What makes
// it safe while requests run is one counter, pending: a request counts a ref as pending
// before it calls PutBlob (or, for a ref it shares, while it holds the lock and sees the ref
// in the state), and stops counting only under the write lock, after the ref is in the
// state, or once the change is abandoned. LiveBlobs looks at pending and the state under one
// read lock, so a ref it reports dead is in no state, now or to come.

// payload is where the bytes of an object version or an upload part are: in memory (Data,
// in a store without blob storage or a read-only one), or in blob storage (Blob, its ref).
// Size is their length either way. A payload is never changed once stored.
type payload struct {
	Data []byte `json:",omitempty"`
	Blob string `json:",omitempty"`
	Size int64  `json:",omitempty"`
}

func (p payload) size() int64 {
	if p.Blob == "" {
		return int64(len(p.Data))
	}
	return p.Size
}

// blobStore is the blob storage a store was given.
type blobStore struct {
	b        service.Blobs
	readOnly bool
}

// body returns the bytes of p, reading them from blob storage if that is where they are.
func (s *Store) body(p payload) ([]byte, error) {
	if p.Blob == "" {
		return p.Data, nil
	}
	bs := s.blobs.Load()
	if bs == nil {
		return nil, errorf(core.InternalError, "We encountered an internal error. Please try again. (the body %s is in blob storage, and the store has none)", p.Blob)
	}
	data, err := bs.b.ReadBlob(p.Blob)
	if err != nil {
		return nil, errorf(core.InternalError, "We encountered an internal error. Please try again. (reading the body: %v)", err)
	}
	if int64(len(data)) != p.Size {
		return nil, errorf(core.InternalError, "We encountered an internal error. Please try again. (the body %s has %d bytes, not %d)", p.Blob, len(data), p.Size)
	}
	return data, nil
}

// newBody is a body kept for a change that is not in the state yet.
type newBody struct {
	s       *Store
	payload payload
	pending bool // counted in s.pending
	shared  bool // the bytes of a body in the state
	used    bool
}

// keep stores data as a new body: as a blob, durable when keep returns, when the store
// writes blobs (an empty body needs none), else in memory. It must not be called with s.mu
// held. The caller takes the write lock, then defers release, so that release runs before
// the lock is let go.
func (s *Store) keep(data []byte) (*newBody, error) {
	nb := &newBody{s: s, payload: payload{Data: data, Size: int64(len(data))}}
	bs := s.blobs.Load()
	if bs == nil || bs.readOnly || len(data) == 0 {
		if len(data) == 0 {
			nb.payload.Data = nil
		}
		return nb, nil
	}
	s.pending.Add(1) // before PutBlob: see Bodies
	ref, err := bs.b.PutBlob(data)
	if err != nil {
		s.pending.Add(-1)
		return nil, errorf(core.InternalError, "We encountered an internal error. Please try again. (storing the body: %v)", err)
	}
	nb.payload, nb.pending = payload{Blob: ref, Size: int64(len(data))}, true
	return nb, nil
}

// share returns a new body with the bytes of p, which is in the state: no blob is written.
// s.mu is held, for reading or writing.
func (s *Store) share(p payload) *newBody {
	nb := &newBody{s: s, payload: p, shared: true}
	if p.Blob != "" {
		s.pending.Add(1)
		nb.pending = true
	}
	return nb
}

// take returns the payload to install, which the caller puts into the state before it lets
// go of s.mu.
func (nb *newBody) take() payload {
	nb.used = true
	return nb.payload
}

// release ends the body's pending count: after it is installed (s.mu held for writing), or
// when the change is abandoned, in which case a written blob is garbage.
func (nb *newBody) release() {
	if !nb.pending {
		return
	}
	nb.pending = false
	if !nb.used && !nb.shared {
		nb.s.garbage.Add(1)
	}
	nb.s.pending.Add(-1)
}

// dropped counts the body of a version or part that leaves the state. s.mu is held.
func (s *Store) dropped(p payload) {
	if p.Blob != "" {
		s.garbage.Add(1)
	}
}

// droppedUpload counts the bodies of an upload's parts, which leave the state with it.
func (s *Store) droppedUpload(u *upload) {
	for _, p := range u.Parts {
		s.dropped(p.payload)
	}
}

// UseBlobs makes the store keep its bodies in b: it reads bodies that are there and, unless
// readOnly, writes every new one there before the change that brings it, keeping only its
// ref and size. It moves to b the bodies the store holds in memory, as a state loaded from
// a part saved before blobs did (or from a state.json) has them, and changes the store's
// Generation if there were any, so that the next save writes refs. With readOnly, b is
// only read, and new bodies stay in memory.
func (s *Store) UseBlobs(b service.Blobs, readOnly bool) error {
	s.blobs.Store(&blobStore{b: b, readOnly: readOnly})
	if readOnly {
		return nil
	}
	return s.spill()
}

// spilled is a body that spill moves: where it is in the state, its bytes and its ref.
type spilled struct {
	bucket string
	key    string  // of a version
	obj    *object // the version, or nil for an upload part
	upload string
	part   *part
	data   []byte
	to     payload
}

// spill writes the bodies held in memory to blob storage, outside the lock (see Bodies),
// and then puts their refs in the state in place of those still there.
func (s *Store) spill() error {
	var todo []spilled
	s.mu.RLock()
	for name, b := range s.buckets {
		for key, vs := range b.Objects {
			for _, o := range vs {
				if len(o.Data) > 0 {
					todo = append(todo, spilled{bucket: name, key: key, obj: o, data: o.Data})
				}
			}
		}
		for id, u := range b.Uploads {
			for _, p := range u.Parts {
				if len(p.Data) > 0 {
					todo = append(todo, spilled{bucket: name, upload: id, part: p, data: p.Data})
				}
			}
		}
	}
	s.mu.RUnlock()
	if len(todo) == 0 {
		return nil
	}
	s.pending.Add(int64(len(todo))) // before PutBlob: see Bodies
	bs := s.blobs.Load()
	for i := range todo {
		ref, err := bs.b.PutBlob(todo[i].data)
		if err != nil {
			s.garbage.Add(uint64(i))
			s.pending.Add(-int64(len(todo)))
			return fmt.Errorf("s3sim: moving bodies to blob storage: %w", err)
		}
		todo[i].to = payload{Blob: ref, Size: int64(len(todo[i].data))}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.pending.Add(-int64(len(todo))) // under the lock, once the refs are in the state
	s.gen.Bump()
	for _, t := range todo {
		b := s.buckets[t.bucket]
		if b == nil {
			s.garbage.Add(1)
			continue
		}
		if t.obj != nil {
			vs := slices.Clone(b.Objects[t.key])
			i := slices.Index(vs, t.obj)
			if i < 0 {
				s.garbage.Add(1)
				continue
			}
			c := *t.obj
			c.payload = t.to
			vs[i] = &c
			b.setVersions(t.key, vs)
			continue
		}
		u := b.Uploads[t.upload]
		if u == nil || u.Parts[t.part.Number] != t.part {
			s.garbage.Add(1)
			continue
		}
		c := *t.part
		c.payload = t.to
		u.Parts[c.Number] = &c
	}
	return nil
}

// Garbage counts the bodies in blob storage that the store has let go of since it was made
// (an overwritten or deleted version, an upload's parts, a body written for a change that
// failed). It may count a ref that another version still shares: it tells when a
// collection is worth running, not what it will remove.
func (s *Store) Garbage() uint64 { return s.garbage.Load() }

// LiveBlobs returns the store's Generation and a function that reports whether a ref is
// referenced by the state as of that generation, by a change in progress, or by the state
// as it is when the function is called. A caller that holds its saves back while it
// collects, and sees that the generation is the one it last saved, removes no blob that a
// saved state, a change in progress or a change to come references. The function is for
// one goroutine.
func (s *Store) LiveBlobs() (live func(ref string) bool, gen uint64) {
	s.mu.RLock()
	gen = s.gen.Load()
	then := s.refsLocked()
	s.mu.RUnlock()
	cur, curGen := then, gen
	return func(ref string) bool {
		if then[ref] {
			return true
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		if s.pending.Load() > 0 { // see Bodies
			return true
		}
		if g := s.gen.Load(); g != curGen {
			cur, curGen = s.refsLocked(), g
		}
		return cur[ref]
	}, gen
}

// refsLocked returns the refs the state references. s.mu is held.
func (s *Store) refsLocked() map[string]bool {
	refs := map[string]bool{}
	for _, b := range s.buckets {
		for _, vs := range b.Objects {
			for _, o := range vs {
				if o.Blob != "" {
					refs[o.Blob] = true
				}
			}
		}
		for _, u := range b.Uploads {
			for _, p := range u.Parts {
				if p.Blob != "" {
					refs[p.Blob] = true
				}
			}
		}
	}
	return refs
}
