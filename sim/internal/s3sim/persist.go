package s3sim

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON writes the store's whole state: every bucket and its objects. A body in blob
// storage is written as its ref and size (Blob, Size), one in memory as its bytes (Data).
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(s.buckets)
}

// Empty reports whether the store has no bucket.
func (s *Store) Empty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.buckets) == 0
}

// UnmarshalJSON replaces the store's state with one written by MarshalJSON. Bodies may be
// inline (Data, as every state saved before blob storage has them) or refs (Blob and Size),
// which only a store given blob storage takes; inline bodies stay in memory until
// [Store.UseBlobs] moves them. A state that does not load leaves the store as it was.
func (s *Store) UnmarshalJSON(data []byte) error {
	var saved map[string]*bucket
	if err := json.Unmarshal(data, &saved); err != nil {
		return fmt.Errorf("s3sim: load: %w", err)
	}
	blobs := s.blobs.Load() != nil
	for name, b := range saved {
		if b == nil || b.Name != name {
			return fmt.Errorf("s3sim: load: the bucket saved under %q is not named so", name)
		}
		for key, vs := range b.Objects {
			for _, o := range vs {
				if o == nil {
					return fmt.Errorf("s3sim: load: object %q of bucket %q: a version is null", key, name)
				}
				if err := loadPayload(&o.payload, blobs); err != nil {
					return fmt.Errorf("s3sim: load: object %q of bucket %q: %w", key, name, err)
				}
			}
		}
		for id, u := range b.Uploads {
			if u == nil || u.Object == nil {
				return fmt.Errorf("s3sim: load: upload %q of bucket %q: no object", id, name)
			}
			for n, p := range u.Parts {
				if p == nil {
					return fmt.Errorf("s3sim: load: upload %q of bucket %q: part %d is null", id, name, n)
				}
				if err := loadPayload(&p.payload, blobs); err != nil {
					return fmt.Errorf("s3sim: load: upload %q of bucket %q, part %d: %w", id, name, n, err)
				}
			}
		}

		if b.Policy != "" {
			p, err := parseBucketPolicy(name, b.Policy)
			if err != nil {
				return fmt.Errorf("s3sim: load: the policy of bucket %q: %w", name, err)
			}
			b.policy, b.public = p, isPublic(p)
		}
		for key, vs := range b.Objects {
			if len(vs) == 0 {
				delete(b.Objects, key)
				continue
			}
			if b.keys == nil {
				b.keys = keyTree()
			}
			b.keys.ReplaceOrInsert(key)
		}
	}
	if saved == nil {
		saved = map[string]*bucket{}
	}
	s.mu.Lock()
	s.gen.Bump()
	s.garbage.Add(uint64(len(s.refsLocked())))
	s.buckets = saved
	s.mu.Unlock()
	return nil
}

// loadPayload checks a loaded body and sets the size of one saved inline. blobs reports
// whether the store has blob storage to read a ref from.
func loadPayload(p *payload, blobs bool) error {
	if p.Blob == "" {
		p.Size = int64(len(p.Data))
		return nil
	}
	switch {
	case len(p.Data) > 0:
		return fmt.Errorf("the body is saved both inline and as blob %s", p.Blob)
	case !validRef(p.Blob):
		return fmt.Errorf("the body's blob ref %q is not 64 lowercase hex digits (a SHA-256)", p.Blob)
	case p.Size < 0:
		return fmt.Errorf("the body's size %d is negative", p.Size)
	case !blobs:
		return fmt.Errorf("the body is blob %s, and this store has no blob storage (a state saved from a cloud with a state directory loads only there)", p.Blob)
	}
	p.Data = nil
	return nil
}

// validRef reports whether ref has the shape of a blob ref: a SHA-256 in lowercase hex.
func validRef(ref string) bool {
	if len(ref) != 64 {
		return false
	}
	for i := 0; i < len(ref); i++ {
		if c := ref[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// MarshalInline is MarshalJSON with every body written as its bytes, read from blob storage
// where it is kept there: a state that a store without blob storage loads whole (what
// [sim.Cloud.Save] writes).
func (s *Store) MarshalInline() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	inline := func(p payload) (payload, error) {
		if p.Blob == "" {
			return p, nil
		}
		data, err := s.body(p)
		return payload{Data: data}, err
	}
	out := make(map[string]*bucket, len(s.buckets))
	for name, b := range s.buckets {
		c := *b
		c.Objects = make(map[string][]*object, len(b.Objects))
		for key, vs := range b.Objects {
			cvs := make([]*object, len(vs))
			for i, o := range vs {
				co := *o
				var err error
				if co.payload, err = inline(o.payload); err != nil {
					return nil, err
				}
				cvs[i] = &co
			}
			c.Objects[key] = cvs
		}
		c.Uploads = make(map[string]*upload, len(b.Uploads))
		for id, u := range b.Uploads {
			cu := *u
			cu.Parts = make(map[int]*part, len(u.Parts))
			for n, p := range u.Parts {
				cp := *p
				var err error
				if cp.payload, err = inline(p.payload); err != nil {
					return nil, err
				}
				cu.Parts[n] = &cp
			}
			c.Uploads[id] = &cu
		}
		out[name] = &c
	}
	return json.Marshal(out)
}
