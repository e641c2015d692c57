package guest

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// node is one file or directory of an instance's filesystem.
type node struct {
	Dir   bool        `json:",omitempty"`
	Mode  fs.FileMode // the permission bits (and sticky)
	Owner string
	Data  []byte `json:",omitempty"`
	Mod   time.Time
}

func (n *node) clone() *node {
	c := *n
	c.Data = slices.Clone(n.Data)
	return &c
}

// maxDiskBytes is how much file data one instance holds: its root volume is not simulated
// byte for byte, and a script that writes without end must stop.
const maxDiskBytes = 32 << 20

// An errno is an error as the C library words it, which the shell and the commands print.
type errno string

func (e errno) Error() string { return string(e) }

// Is lets the interpreter's checks (fs.ErrNotExist …) recognise the errors.
func (e errno) Is(target error) bool {
	switch e {
	case errNoEnt:
		return target == fs.ErrNotExist
	case errAccess:
		return target == fs.ErrPermission
	case errExist:
		return target == fs.ErrExist
	}
	return false
}

const (
	errNoEnt    errno = "No such file or directory"
	errAccess   errno = "Permission denied"
	errExist    errno = "File exists"
	errIsDir    errno = "Is a directory"
	errNotDir   errno = "Not a directory"
	errNoSpace  errno = "No space left on device"
	errNotEmpty errno = "Directory not empty"
)

// pathErr is the error of op on p. Its Op "bash:" makes the interpreter print a failed
// redirection as bash does ("bash: /var/www/html/index.html: Permission denied").
func pathErr(p string, err error) error { return &fs.PathError{Op: "bash:", Path: p, Err: err} }

// clean makes p absolute against dir and cleans it.
func clean(dir, p string) string {
	if p == "" {
		return "" // names nothing: every lookup of it fails
	}
	if !strings.HasPrefix(p, "/") {
		p = dir + "/" + p
	}
	return path.Clean(p)
}

// files is an instance's filesystem: cleaned absolute paths to nodes. The parent of every
// node is a directory node ("/" is always there).
type files map[string]*node

func (f files) used() int {
	n := 0
	for _, v := range f {
		n += len(v.Data)
	}
	return n
}

// children returns the names in the directory dir, sorted.
func (f files) children(dir string) []string {
	prefix := dir + "/"
	if dir == "/" {
		prefix = "/"
	}
	var out []string
	for p := range f {
		if p != "/" && strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], "/") {
			out = append(out, p[len(prefix):])
		}
	}
	slices.Sort(out)
	return out
}

// canRead reports whether user may read the node (list it, for a directory).
func canRead(user string, n *node) bool {
	return user == "root" || n.Mode&0o004 != 0 || n.Owner == user && n.Mode&0o400 != 0
}

// canWrite reports whether user may change the node (create and remove in it, for a directory).
func canWrite(user string, n *node) bool {
	return user == "root" || n.Mode&0o002 != 0 || n.Owner == user && n.Mode&0o200 != 0
}

// canEnter reports whether user may go through the directory n.
func canEnter(user string, n *node) bool {
	return user == "root" || n.Mode&0o001 != 0 || n.Owner == user && n.Mode&0o100 != 0
}

// lookup returns the node at p, checking that user may go through every directory on the way.
func (f files) lookup(user, p string) (*node, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, errNoEnt
	}
	p = path.Clean(p)
	if err := f.walk(user, path.Dir(p)); err != nil {
		return nil, err
	}
	n, ok := f[p]
	if !ok {
		return nil, errNoEnt
	}
	return n, nil
}

// walk checks that the directory dir exists and that user may go through it and its parents.
func (f files) walk(user, dir string) error {
	if !strings.HasPrefix(dir, "/") || path.Clean(dir) != dir {
		return errNoEnt // the shell's handlers make every path absolute and clean
	}
	d := "/"
	parts := strings.Split(strings.TrimPrefix(dir, "/"), "/")
	for i := 0; ; i++ {
		n, ok := f[d]
		switch {
		case !ok:
			return errNoEnt
		case !n.Dir:
			return errNotDir
		case !canEnter(user, n):
			return errAccess
		}
		if d == dir || i == len(parts) {
			return nil
		}
		d = path.Join(d, parts[i])
	}
}

// parentFor returns the directory that would hold p, checking that user may create in it.
func (f files) parentFor(user, p string) (*node, error) {
	dir := path.Dir(p)
	if err := f.walk(user, dir); err != nil {
		return nil, err
	}
	d := f[dir]
	if !canWrite(user, d) {
		return nil, errAccess
	}
	return d, nil
}

// write puts data in the file p as user (creating it with mode, owned by user), appending
// when add is set.
func (f files) write(user, p string, data []byte, add bool, mode fs.FileMode, now time.Time) error {
	n, err := f.lookup(user, p)
	switch {
	case err == errNoEnt:
		if _, err := f.parentFor(user, p); err != nil {
			return err
		}
		if f.used()+len(data) > maxDiskBytes {
			return errNoSpace
		}
		f[p] = &node{Mode: mode, Owner: user, Data: slices.Clone(data), Mod: now}
		return nil
	case err != nil:
		return err
	case n.Dir:
		return errIsDir
	case !canWrite(user, n):
		return errAccess
	}
	size := len(data)
	if !add {
		size -= len(n.Data)
	}
	if f.used()+size > maxDiskBytes {
		return errNoSpace
	}
	if add {
		n.Data = append(n.Data, data...)
	} else {
		n.Data = slices.Clone(data)
	}
	n.Mod = now
	return nil
}

// mkdir makes the directory p as user; with parents, its missing parents too, and an
// existing directory is no error.
func (f files) mkdir(user, p string, parents bool, now time.Time) error {
	if n, ok := f[p]; ok {
		if parents && n.Dir {
			return nil
		}
		return errExist
	}
	if parents && p != "/" {
		if err := f.mkdir(user, path.Dir(p), true, now); err != nil {
			return err
		}
	}
	if _, err := f.parentFor(user, p); err != nil {
		return err
	}
	f[p] = &node{Dir: true, Mode: 0o755, Owner: user, Mod: now}
	return nil
}

// remove removes p as user; a directory only with recursive.
func (f files) remove(user, p string, recursive bool) error {
	n, err := f.lookup(user, p)
	if err != nil {
		return err
	}
	if p == "/" {
		return errAccess
	}
	if _, err := f.parentFor(user, p); err != nil {
		return err
	}
	if n.Dir {
		kids := f.children(p)
		if len(kids) > 0 && !recursive {
			return errNotEmpty
		}
		for _, k := range kids {
			if err := f.remove(user, path.Join(p, k), true); err != nil {
				return err
			}
		}
	}
	delete(f, p)
	return nil
}

// put writes a file as the system does (a package, cloud-init): no permission checks, the
// parents made as root.
func (f files) put(p, owner string, mode fs.FileMode, data string, now time.Time) {
	f.dirs(path.Dir(p), "root", now)
	f[p] = &node{Mode: mode, Owner: owner, Data: []byte(data), Mod: now}
}

// dirs makes the directory p and its parents as the system does.
func (f files) dirs(p, owner string, now time.Time) {
	if _, ok := f[p]; ok {
		return
	}
	if p != "/" {
		f.dirs(path.Dir(p), "root", now)
	}
	f[p] = &node{Dir: true, Mode: 0o755, Owner: owner, Mod: now}
}

// modeString is the mode as ls -l shows it: drwxr-xr-x.
func modeString(n *node) string {
	b := []byte("----------")
	if n.Dir {
		b[0] = 'd'
	}
	const rwx = "rwxrwxrwx"
	for i := range 9 {
		if n.Mode&(1<<(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	if n.Mode&fs.ModeSticky != 0 || n.Mode&0o1000 != 0 {
		if b[9] == 'x' {
			b[9] = 't'
		} else {
			b[9] = 'T'
		}
	}
	return string(b)
}
