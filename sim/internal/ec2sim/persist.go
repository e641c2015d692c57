package ec2sim

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON writes the store's whole state: every region used so far.
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(s.regions)
}

// UnmarshalJSON replaces the store's state with one written by MarshalJSON.
func (s *Store) UnmarshalJSON(b []byte) error {
	var saved map[string]json.RawMessage
	if err := json.Unmarshal(b, &saved); err != nil {
		return fmt.Errorf("ec2sim: load: %w", err)
	}
	regions := map[string]*regionState{}
	for name, raw := range saved {
		if _, ok := lookupRegion(name); !ok {
			return fmt.Errorf("ec2sim: load: unknown region %q", name)
		}
		r := newRegionState(name)
		if err := json.Unmarshal(raw, r); err != nil {
			return fmt.Errorf("ec2sim: load: region %s: %w", name, err)
		}
		if r.Name != name {
			return fmt.Errorf("ec2sim: load: the state of region %q is saved under %q", r.Name, name)
		}
		regions[name] = r
	}
	s.mu.Lock()
	s.gen.Bump()
	s.regions = regions
	s.mu.Unlock()
	return nil
}
