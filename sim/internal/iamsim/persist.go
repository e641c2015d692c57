package iamsim

import (
	"encoding/json"
	"fmt"

	"github.com/awsxlab/awsx/iamx/policy"
)

// MarshalJSON writes the store's whole state.
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(&s.st)
}

// UnmarshalJSON replaces the store's state with one written by MarshalJSON, parsing every
// policy document again.
func (s *Store) UnmarshalJSON(b []byte) error {
	st := newState()
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("iamsim: load: %w", err)
	}
	st.Account.init()
	type doc struct {
		d    *document
		kind policy.Kind
	}
	var docs []doc
	common := func(pc *principalCommon) {
		for _, d := range pc.Inline {
			docs = append(docs, doc{d, policy.Identity})
		}
	}
	for _, u := range st.Users {
		common(&u.principalCommon)
	}
	for _, g := range st.Groups {
		common(&g.principalCommon)
	}
	for _, r := range st.Roles {
		common(&r.principalCommon)
		docs = append(docs, doc{r.Trust, policy.Trust})
	}
	for _, p := range st.Policies {
		for _, v := range p.Versions {
			docs = append(docs, doc{v.Doc, policy.Identity})
		}
	}
	for _, ses := range st.Sessions {
		if ses.Policy != nil {
			docs = append(docs, doc{ses.Policy, policy.Identity})
		}
	}
	for _, d := range docs {
		if d.d == nil {
			return fmt.Errorf("iamsim: load: a policy document is missing")
		}
		p, err := policy.Parse(d.d.Text, d.kind)
		if err != nil {
			return fmt.Errorf("iamsim: load: %w", err)
		}
		d.d.parsed = p
	}
	s.mu.Lock()
	s.gen.Bump()
	s.st = st
	s.ix = newIndex(&s.st)
	s.mu.Unlock()
	return nil
}
