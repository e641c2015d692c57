package ec2sim

import (
	"maps"
	"net/netip"
	"slices"
)

// InstanceAt returns the instance that has the address a — its private address, its public
// address or its Elastic IP — in any region, as a client that connects to the address finds
// it (an SSH client, scp). private says that a is the instance's private address. Terminated
// instances have no address.
func (s *Store) InstanceAt(a netip.Addr) (id string, private bool, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	addr := a.String()
	for _, name := range slices.Sorted(maps.Keys(s.regions)) {
		r := s.regions[name]
		for _, i := range inOrder(r.Instances) {
			if i.State == stateTerminated {
				continue
			}
			if i.PrivateIP == addr {
				return i.ID, true, true
			}
			if p := r.publicAddr(i); p != "" && p == addr {
				return i.ID, false, true
			}
		}
	}
	return "", false, false
}
