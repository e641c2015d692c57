package iamsim

import (
	"slices"
	"strings"

	"github.com/google/btree"
)

// index looks users and roles up by path and access keys up by user, beside the state's maps
// by name and by key ID, so that what a call costs does not grow with the entities it does
// not touch: ListUsers and ListRoles with a PathPrefix read only the entities under it, and
// DeleteUser and CreateAccessKey count one user's keys without a scan. It is derived from the
// state and not saved: newIndex builds it for a new or loaded state, and every change goes
// through addUser, moveUser, removeUser, rolePaths.add, rolePaths.remove, addKey and
// removeKey. The store's lock guards it.
type index struct {
	userPaths pathIndex
	rolePaths pathIndex
	userKeys  map[string]map[string]*accessKey // by user name key, then key ID
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
	x := index{userPaths: newPathIndex(), rolePaths: newPathIndex(), userKeys: map[string]map[string]*accessKey{}}
	for _, u := range st.Users {
		x.userPaths.add(u.Path, u.Name)
	}
	for _, r := range st.Roles {
		x.rolePaths.add(r.Path, r.Name)
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
