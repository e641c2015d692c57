package ssmsim

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON writes the store's whole state: every region's parameters, with all their
// versions, labels and tags. AWS's public parameters are not state: they come from the
// image catalog.
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(&s.st)
}

// UnmarshalJSON replaces the store's state with one written by MarshalJSON. A state that does
// not load leaves the store as it was.
func (s *Store) UnmarshalJSON(b []byte) error {
	st := newState()
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("ssmsim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil || len(r.Parameters) == 0 {
			delete(st.Regions, name)
			continue
		}
		for k, p := range r.Parameters {
			switch {
			case p == nil || len(p.Versions) == 0:
				return fmt.Errorf("ssmsim: load: parameter %q of %s has no version", k, name)
			case key(p.Name) != k:
				return fmt.Errorf("ssmsim: load: the parameter saved under %q of %s is named %q", k, name, p.Name)
			}
			for i, v := range p.Versions {
				if v == nil || i > 0 && v.Version <= p.Versions[i-1].Version {
					return fmt.Errorf("ssmsim: load: the versions of parameter %q of %s are out of order", p.Name, name)
				}
			}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}
