package ec2sim

import (
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// instanceIndex looks the region's instances up by state, beside Instances (by ID), so that
// what a call costs does not grow with the instances it does not touch: RunInstances counts
// the running ones and forgets the terminated ones whose hour is up without a scan, and
// DescribeInstances filtered by state reads only that state's. It is derived from Instances
// and not saved: newRegionState makes it empty, UnmarshalJSON rebuilds it, and every change
// goes through addInstance, setState and forgetTerminated. The region's lock guards it.
type instanceIndex struct {
	byState map[types.InstanceStateName]map[string]*instance
	ended   []*instance // the terminated ones, by the time they ended, oldest first
}

func newInstanceIndex() instanceIndex {
	return instanceIndex{byState: map[types.InstanceStateName]map[string]*instance{}}
}

// reindexInstances rebuilds the index from Instances, for a loaded state.
func (r *regionState) reindexInstances() {
	r.instanceIndex = newInstanceIndex()
	for _, i := range inOrder(r.Instances) {
		r.index(i)
	}
}

// addInstance stores a new instance.
func (r *regionState) addInstance(i *instance) {
	r.Instances[i.ID] = i
	r.index(i)
}

func (r *regionState) index(i *instance) {
	m := r.byState[i.State]
	if m == nil {
		m = map[string]*instance{}
		r.byState[i.State] = m
	}
	m[i.ID] = i
	if i.State == stateTerminated {
		// By the time it ended: almost always after every other, so at the end.
		k, _ := slices.BinarySearchFunc(r.ended, i.Terminated, func(e *instance, t time.Time) int { return e.Terminated.Compare(t) })
		for k < len(r.ended) && !r.ended[k].Terminated.After(i.Terminated) {
			k++
		}
		r.ended = slices.Insert(r.ended, k, i)
	}
}

// setState moves i to the state to; one that ends it must have set i.Terminated first.
func (r *regionState) setState(i *instance, to types.InstanceStateName) {
	if i.State == to {
		return
	}
	delete(r.byState[i.State], i.ID)
	i.State = to
	r.index(i)
}

// notTerminated returns how many of the region's instances are not terminated.
func (r *regionState) notTerminated() int {
	return len(r.Instances) - len(r.byState[stateTerminated])
}

// forgetTerminated drops the instances terminated more than an hour ago. s.mu is held for
// writing.
func (s *Store) forgetTerminated(r *regionState) {
	now := s.now()
	k := 0
	for k < len(r.ended) && r.ended[k].gone(now) {
		delete(r.Instances, r.ended[k].ID)
		delete(r.byState[stateTerminated], r.ended[k].ID)
		k++
	}
	if k > 0 {
		r.ended = slices.Delete(r.ended, 0, k)
	}
}

// visible returns the region's instances that DescribeInstances still shows: those of ids
// (all of them when ids is empty), by ID.
func (s *Store) visible(r *regionState, ids ...string) map[string]*instance {
	now := s.now()
	if len(ids) > 0 {
		out := make(map[string]*instance, len(ids))
		for _, id := range ids {
			if i, ok := r.Instances[id]; ok && !i.gone(now) {
				out[id] = i
			}
		}
		return out
	}
	out := make(map[string]*instance, len(r.Instances))
	for id, i := range r.Instances {
		if !i.gone(now) {
			out[id] = i
		}
	}
	return out
}

// inStates returns the visible instances in the states a DescribeInstances filter on
// instance-state-name names, by ID; ok is false when the filters name no such set (no
// such filter, or one with a wildcard), and every visible instance is a candidate.
func (s *Store) inStates(r *regionState, fs []types.Filter) (_ map[string]*instance, ok bool) {
	for _, f := range fs {
		if f.Name == nil || *f.Name != "instance-state-name" {
			continue
		}
		now := s.now()
		out := map[string]*instance{}
		for _, v := range f.Values {
			if hasWildcard(v) {
				return nil, false
			}
			for id, i := range r.byState[types.InstanceStateName(v)] {
				if !i.gone(now) {
					out[id] = i
				}
			}
		}
		return out, true
	}
	return nil, false
}

func hasWildcard(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] == '*' || v[i] == '?' || v[i] == '\\' {
			return true
		}
	}
	return false
}
