package guest

import (
	"io/fs"
	"path"
	"slices"
)

// DefaultUser is the user that EC2 gives the key pair on an instance of the image named
// name: ec2-user on Amazon Linux, ubuntu on Ubuntu, admin on Debian.
func DefaultUser(image string) string { return familyOf(image).User }

// AmazonLinux reports whether the image named name runs Amazon Linux, whose sshd offers
// GSSAPI besides public keys.
func AmazonLinux(image string) bool { return familyOf(image).amazon() }

// A FileInfo is what a client copying files (scp) sees of one of an instance's files.
type FileInfo struct {
	Name string
	Dir  bool
	Mode fs.FileMode
}

// abs makes p absolute against user's home directory.
func abs(user, p string) string {
	if p == "" {
		p = "."
	}
	return clean(homeOf(user), p)
}

// userOf is the user that a file call runs as: the image's default user unless root.
func (s *Store) userOf(id, user string) string {
	if user == "root" {
		return user
	}
	u := ""
	s.view(id, func(m *machine) { u = m.family().User })
	return u
}

// Stat returns what user sees of the file p (relative to the user's home) on the instance
// in; the instance gets an operating system from its image if it has none yet. user is ""
// for the image's default user, or root. The errors are fs.PathErrors with the C library's
// words.
func (s *Store) Stat(in Instance, user, p string) (FileInfo, error) {
	s.ensure(in)
	user = s.userOf(in.ID, user)
	p = abs(user, p)
	var fi FileInfo
	var err error
	s.view(in.ID, func(m *machine) {
		var n *node
		if n, err = m.Files.lookup(user, p); err == nil {
			fi = FileInfo{Name: path.Base(p), Dir: n.Dir, Mode: n.Mode}
		}
	})
	if err != nil {
		return fi, &fs.PathError{Op: "stat", Path: p, Err: err}
	}
	return fi, nil
}

// ReadFile returns the contents of the file p as user may read it.
func (s *Store) ReadFile(in Instance, user, p string) ([]byte, error) {
	s.ensure(in)
	user = s.userOf(in.ID, user)
	p = abs(user, p)
	var data []byte
	var err error
	s.view(in.ID, func(m *machine) {
		var n *node
		switch n, err = m.Files.lookup(user, p); {
		case err != nil:
		case n.Dir:
			err = errIsDir
		case !canRead(user, n):
			err = errAccess
		default:
			data = slices.Clone(n.Data)
		}
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: p, Err: err}
	}
	return data, nil
}

// ReadDir returns the entries of the directory p as user may list them, sorted by name.
func (s *Store) ReadDir(in Instance, user, p string) ([]FileInfo, error) {
	s.ensure(in)
	user = s.userOf(in.ID, user)
	p = abs(user, p)
	var out []FileInfo
	var err error
	s.view(in.ID, func(m *machine) {
		var n *node
		switch n, err = m.Files.lookup(user, p); {
		case err != nil:
		case !n.Dir:
			err = errNotDir
		case !canRead(user, n) || !canEnter(user, n):
			err = errAccess
		default:
			for _, name := range m.Files.children(p) {
				k := m.Files[path.Join(p, name)]
				out = append(out, FileInfo{Name: name, Dir: k.Dir, Mode: k.Mode})
			}
		}
	})
	if err != nil {
		return nil, &fs.PathError{Op: "opendir", Path: p, Err: err}
	}
	return out, nil
}

// WriteFile writes data to the file p as user, creating it with mode (masked by the usual
// umask 022) when it does not exist.
func (s *Store) WriteFile(in Instance, user, p string, data []byte, mode fs.FileMode) error {
	s.ensure(in)
	user = s.userOf(in.ID, user)
	p = abs(user, p)
	var err error
	now := s.clock.Now()
	s.update(in.ID, func(m *machine) { err = m.Files.write(user, p, data, false, mode&0o755, now) })
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	return nil
}

// Mkdir makes the directory p as user; an existing directory is no error.
func (s *Store) Mkdir(in Instance, user, p string) error {
	s.ensure(in)
	user = s.userOf(in.ID, user)
	p = abs(user, p)
	var err error
	now := s.clock.Now()
	s.update(in.ID, func(m *machine) {
		if n, ok := m.Files[p]; ok && n.Dir {
			return
		}
		err = m.Files.mkdir(user, p, false, now)
	})
	if err != nil {
		return &fs.PathError{Op: "mkdir", Path: p, Err: err}
	}
	return nil
}
