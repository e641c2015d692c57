package iamsim

import (
	"slices"
	"strings"

	"github.com/google/btree"
)

// index looks users and roles up by path, access keys up by user and counts the uses of each
// managed policy, beside the state's maps by name and by key ID, so that what a call costs
// does not grow with the entities it does not touch: ListUsers and ListRoles with a
// PathPrefix read only the entities under it, DeleteUser and CreateAccessKey count one user's
// keys without a scan, and a policy's attachment counts (GetPolicy, ListPolicies,
// DeletePolicy) are read, not counted. It is derived from the state and not saved: newIndex
// builds it for a new or loaded state, and every change goes through addUser, moveUser,
// removeUser, rolePaths.add, rolePaths.remove, addKey, removeKey, use and unuse. The store's
// lock guards it.
type index struct {
	userPaths pathIndex
	rolePaths pathIndex
	userKeys  map[string]map[string]*accessKey // by user name key, then key ID
	uses      map[string]*policyUses           // by policy ARN
}

// policyUses counts the users, groups and roles that have a policy attached, and those that
// have it as their permissions boundary.
type policyUses struct{ attached, boundary int32 }

// use counts what pc attaches and its boundary, as one use each; unuse takes them back.
func (x index) use(pc *principalCommon)   { x.count(pc, 1) }
func (x index) unuse(pc *principalCommon) { x.count(pc, -1) }

func (x index) count(pc *principalCommon, n int32) {
	for _, arn := range pc.Attached {
		x.add(arn, policyUses{attached: n})
	}
	if pc.Boundary != "" {
		x.add(pc.Boundary, policyUses{boundary: n})
	}
}

// add adds d to the counts of arn; counts that come to nothing go.
func (x index) add(arn string, d policyUses) {
	u := x.uses[arn]
	if u == nil {
		u = &policyUses{}
		x.uses[arn] = u
	}
	u.attached += d.attached
	u.boundary += d.boundary
	if *u == (policyUses{}) {
		delete(x.uses, arn)
	}
}

// usage returns how many entities have arn attached, and how many as their boundary.
func (x index) usage(arn string) (attached, boundary int32) {
	if u := x.uses[arn]; u != nil {
		return u.attached, u.boundary
	}
	return 0, 0
}

// pathIndex orders the entities of one kind by path, then by name key.
type pathIndex struct{ t *btree.BTreeG[pathKey] }

// pathKey places an entity in path order, then in the order of its name key.
type pathKey struct{ path, name string }

func pathLess(a, b pathKey) bool {
	return a.path < b.path || a.path == b.path && a.name < b.name
}

func newPathIndex() pathIndex { return pathIndex{btree.NewG(32, pathLess)} }

func (p pathIndex) add(path, name string)    { p.t.ReplaceOrInsert(pathKey{path, key(name)}) }
func (p pathIndex) remove(path, name string) { p.t.Delete(pathKey{path, key(name)}) }

// under returns the name keys of the entities whose path begins with prefix, in name order.
func (p pathIndex) under(prefix string) []string {
	var out []string
	p.t.AscendGreaterOrEqual(pathKey{path: prefix}, func(k pathKey) bool {
		if !strings.HasPrefix(k.path, prefix) {
			return false
		}
		out = append(out, k.name)
		return true
	})
	slices.Sort(out)
	return out
}

func newIndex(st *state) index {
	x := index{userPaths: newPathIndex(), rolePaths: newPathIndex(), userKeys: map[string]map[string]*accessKey{}, uses: map[string]*policyUses{}}
	for _, u := range st.Users {
		x.userPaths.add(u.Path, u.Name)
		x.use(&u.principalCommon)
	}
	for _, g := range st.Groups {
		x.use(&g.principalCommon)
	}
	for _, r := range st.Roles {
		x.rolePaths.add(r.Path, r.Name)
		x.use(&r.principalCommon)
	}
	for _, k := range st.Keys {
		x.addKey(k)
	}
	return x
}

func (x index) addUser(u *user)    { x.userPaths.add(u.Path, u.Name) }
func (x index) removeUser(u *user) { x.userPaths.remove(u.Path, u.Name) }

// moveUser re-files u after a change of name or path: before is where it was filed.
func (x index) moveUser(before pathKey, u *user) {
	x.userPaths.t.Delete(before)
	x.addUser(u)
	if k := key(u.Name); k != before.name {
		if keys := x.userKeys[before.name]; keys != nil {
			delete(x.userKeys, before.name)
			x.userKeys[k] = keys
		}
	}
}

func (x index) addKey(k *accessKey) {
	m := x.userKeys[key(k.User)]
	if m == nil {
		m = map[string]*accessKey{}
		x.userKeys[key(k.User)] = m
	}
	m[k.ID] = k
}

func (x index) removeKey(k *accessKey) {
	m := x.userKeys[key(k.User)]
	delete(m, k.ID)
	if len(m) == 0 {
		delete(x.userKeys, key(k.User))
	}
}

// keysOf returns the access keys of the user called name, by key ID.
func (x index) keysOf(name string) map[string]*accessKey { return x.userKeys[key(name)] }
