package ec2sim

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
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
		r.reindexInstances()
		r.reindexSubnets()
		r.reindexGroups()
		r.rootVolumesOfOldState()
		r.reindexVolumes()
		r.aclsOfOldState()
		r.dhcpOfOldState()
		regions[name] = r
	}
	s.mu.Lock()
	s.gen.Bump()
	s.regions = regions
	s.mu.Unlock()
	return nil
}

// rootVolumesOfOldState gives the instances of a state saved before volumes were records the
// root volume they name: made from their image, attached since their launch.
func (r *regionState) rootVolumesOfOldState() {
	for _, i := range inOrder(r.Instances) {
		if i.State == stateTerminated || i.Volume == "" || r.Volumes[i.Volume] != nil {
			continue
		}
		im, ok := imageByID(r.Name, i.Image)
		if !ok || im.InstanceStore {
			continue
		}
		sp := volSpec{Type: im.Volume, Size: im.Size}
		if sp.Type == types.VolumeTypeGp3 {
			sp.IOPS, sp.Throughput = 3000, 125
		}
		r.Volumes[i.Volume] = &volume{
			meta: r.newMeta(i.Volume, nil), Zone: i.Zone, volSpec: sp, Snapshot: im.Snapshot, Created: i.Launched, Ready: i.Launched,
			Attach: &volAttach{Instance: i.ID, Device: im.Root, Time: i.Launched, Ready: i.Launched, DeleteOnTermination: true},
		}
	}
}
