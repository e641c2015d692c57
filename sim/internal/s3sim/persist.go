package s3sim

import (
	"encoding/json"
	"fmt"
	"slices"
)

// MarshalJSON writes the store's whole state: every bucket and its objects.
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

// UnmarshalJSON replaces the store's state with one written by MarshalJSON. A state that does
// not load leaves the store as it was.
func (s *Store) UnmarshalJSON(data []byte) error {
	var saved map[string]*bucket
	if err := json.Unmarshal(data, &saved); err != nil {
		return fmt.Errorf("s3sim: load: %w", err)
	}
	for name, b := range saved {
		if b == nil || b.Name != name {
			return fmt.Errorf("s3sim: load: the bucket saved under %q is not named so", name)
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
			b.keys = append(b.keys, key)
		}
		slices.Sort(b.keys)
	}
	if saved == nil {
		saved = map[string]*bucket{}
	}
	s.mu.Lock()
	s.gen.Bump()
	s.buckets = saved
	s.mu.Unlock()
	return nil
}
