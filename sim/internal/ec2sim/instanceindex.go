package ec2sim

import (
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// instanceIndex looks the region's instances up by state, by VPC and by tag key, beside
// Instances (by ID), so that what a call costs does not grow with the instances it does not
// touch: RunInstances counts the running ones and forgets the terminated ones whose hour is up
// without a scan, and DescribeInstances filtered by state, VPC or tag reads only those
// instances. It is derived from Instances and not saved: newRegionState makes it empty,
// UnmarshalJSON rebuilds it, and every change goes through addInstance, setState, leaveVPC,
// forgetTerminated and retag. The region's lock guards it.
type instanceIndex struct {
	byState  map[types.InstanceStateName]map[string]*instance
	byVPC    map[string]map[string]*instance
	byTagKey map[string]map[string]*instance
	ended    []*instance // the terminated ones, by the time they ended, oldest first
}

func newInstanceIndex() instanceIndex {
	return instanceIndex{
		byState:  map[types.InstanceStateName]map[string]*instance{},
		byVPC:    map[string]map[string]*instance{},
		byTagKey: map[string]map[string]*instance{},
	}
}

// file puts the record v in the set of m under k, a set by ID.
func file[K comparable, V record](m map[K]map[string]V, k K, v V) {
	set := m[k]
	if set == nil {
		set = map[string]V{}
		m[k] = set
	}
	set[v.base().ID] = v
}

// unfile takes the record v out of the set of m under k, and the set out of m when it
// empties.
func unfile[K comparable, V record](m map[K]map[string]V, k K, v V) {
	delete(m[k], v.base().ID)
	if len(m[k]) == 0 {
		delete(m, k)
	}
}

// reindexInstances rebuilds the index from Instances, for a loaded state.
func (r *regionState) reindexInstances() {
	r.instanceIndex = newInstanceIndex()
	for _, i := range inOrder(r.Instances) {
		r.index(i)
		r.indexPlace(i)
	}
}

// addInstance stores a new instance.
func (r *regionState) addInstance(i *instance) {
	r.Instances[i.ID] = i
	r.index(i)
	r.indexPlace(i)
}

// leaveVPC takes a terminated instance out of its VPC and subnet: AWS shows neither.
func (r *regionState) leaveVPC(i *instance) {
	unfile(r.byVPC, i.VPC, i)
	i.VPC, i.Subnet = "", ""
	file(r.byVPC, i.VPC, i)
}

// indexPlace files i under its VPC, which only leaveVPC changes, and its tag keys.
func (r *regionState) indexPlace(i *instance) {
	file(r.byVPC, i.VPC, i)
	for k := range i.Tags {
		file(r.byTagKey, k, i)
	}
}

// retag runs change, which changes the tags of the record id, and files the record again
// under its new tag keys if it is an instance.
func (r *regionState) retag(id string, change func()) {
	i, ok := r.Instances[id]
	if !ok {
		change()
		return
	}
	for k := range i.Tags {
		unfile(r.byTagKey, k, i)
	}
	change()
	for k := range i.Tags {
		file(r.byTagKey, k, i)
	}
}

func (r *regionState) index(i *instance) {
	file(r.byState, i.State, i)
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
	unfile(r.byState, i.State, i)
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
		i := r.ended[k]
		delete(r.Instances, i.ID)
		unfile(r.byState, stateTerminated, i)
		unfile(r.byVPC, i.VPC, i)
		for key := range i.Tags {
			unfile(r.byTagKey, key, i)
		}
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

// candidates returns the visible instances that may match the filters of a DescribeInstances
// request, by ID: those of the smallest set the index holds for one of its filters on the
// state, the VPC or a tag key. ok is false when no filter names such a set (none of those
// filters, or only ones with wildcards where the index needs exact values), and every visible
// instance is a candidate. The filters still apply to the candidates after.
func (s *Store) candidates(r *regionState, fs []types.Filter) (_ map[string]*instance, ok bool) {
	var best []map[string]*instance
	size := -1
	for _, f := range fs {
		sets, exact := r.indexed(f)
		if !exact {
			continue
		}
		n := 0
		for _, set := range sets {
			n += len(set)
		}
		if size < 0 || n < size {
			best, size = sets, n
		}
	}
	if size < 0 {
		return nil, false
	}
	now := s.now()
	out := make(map[string]*instance, size)
	for _, set := range best {
		for id, i := range set {
			if !i.gone(now) {
				out[id] = i
			}
		}
	}
	return out, true
}

// indexed returns the sets of the index that hold every instance f can match; ok is false
// when the index has no such sets for f.
func (r *regionState) indexed(f types.Filter) (sets []map[string]*instance, ok bool) {
	name := aws.ToString(f.Name)
	if key, isTag := strings.CutPrefix(name, "tag:"); isTag {
		return []map[string]*instance{r.byTagKey[key]}, true
	}
	for _, v := range f.Values {
		if hasWildcard(v) {
			return nil, false
		}
		switch name {
		case "instance-state-name":
			sets = append(sets, r.byState[types.InstanceStateName(v)])
		case "vpc-id":
			sets = append(sets, r.byVPC[v])
		case "tag-key":
			sets = append(sets, r.byTagKey[v])
		default:
			return nil, false
		}
	}
	return sets, true
}

func hasWildcard(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] == '*' || v[i] == '?' || v[i] == '\\' {
			return true
		}
	}
	return false
}
