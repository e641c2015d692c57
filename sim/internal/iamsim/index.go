package iamsim

import (
	"slices"
	"strings"

	"github.com/google/btree"
)

// index looks users up by path and access keys up by user, beside the state's maps by name
// and by key ID, so that what a call costs does not grow with the users it does not touch:
// ListUsers with a PathPrefix reads only the users under it, and DeleteUser and
// CreateAccessKey count one user's keys without a scan. It is derived from the state and not
// saved: newIndex builds it for a new or loaded state, and every change goes through
// addUser, moveUser, removeUser, addKey and removeKey. The store's lock guards it.
type index struct {
	userPaths *btree.BTreeG[pathKey]
	userKeys  map[string]map[string]*accessKey // by user name key, then key ID
}

// pathKey places an entity in path order, then in the order of its name key.
type pathKey struct{ path, name string }

func pathLess(a, b pathKey) bool {
	return a.path < b.path || a.path == b.path && a.name < b.name
}

func newIndex(st *state) index {
	x := index{userPaths: btree.NewG(32, pathLess), userKeys: map[string]map[string]*accessKey{}}
	for k, u := range st.Users {
		x.userPaths.ReplaceOrInsert(pathKey{u.Path, k})
	}
	for _, k := range st.Keys {
		x.addKey(k)
	}
	return x
}

func (x index) addUser(u *user)    { x.userPaths.ReplaceOrInsert(pathKey{u.Path, key(u.Name)}) }
func (x index) removeUser(u *user) { x.userPaths.Delete(pathKey{u.Path, key(u.Name)}) }

// moveUser re-files u after a change of name or path: before is where it was filed.
func (x index) moveUser(before pathKey, u *user) {
	x.userPaths.Delete(before)
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

// usersUnder returns the name keys of the users whose path begins with prefix, in name order.
func (x index) usersUnder(prefix string) []string {
	var out []string
	x.userPaths.AscendGreaterOrEqual(pathKey{path: prefix}, func(p pathKey) bool {
		if !strings.HasPrefix(p.path, prefix) {
			return false
		}
		out = append(out, p.name)
		return true
	})
	slices.Sort(out)
	return out
}
