package guest

import (
	"fmt"
	"net/netip"
	"path"
	"strings"
)

// A mountEntry is a network file system mounted on a machine: EFS over NFSv4.1. What is
// under its mount point is the file system's shared content (Store.shared), copied in before
// each step of a command and back after it, so instances that mount the same file system see
// each other's files.
type mountEntry struct {
	FS      string // the file system's ID: the key of its shared content
	Source  string // as `mount` lists it: fs-….efs.REGION.amazonaws.com:/ or IP:/
	Point   string
	Options string
	Hidden  files `json:",omitempty"` // what the mount point held before, by absolute path
}

// under reports whether p is strictly below the directory dir.
func under(p, dir string) bool { return strings.HasPrefix(p, dir+"/") }

// pull copies the shared content of the machine's mounts under their mount points. s.mu is
// held for writing.
func (s *Store) pull(m *machine) {
	for _, e := range m.Mounts {
		sh := s.sharedFS(e.FS)
		for p := range m.Files {
			if under(p, e.Point) {
				delete(m.Files, p)
			}
		}
		for rel, n := range sh {
			m.Files[path.Join(e.Point, rel)] = n.clone()
		}
	}
}

// push copies what is under the machine's mount points to the file systems' shared content.
// s.mu is held for writing.
func (s *Store) push(m *machine) {
	for _, e := range m.Mounts {
		root, ok := m.Files[e.Point]
		if !ok || !root.Dir {
			continue // the mount point cannot go while mounted; a saved state may lack it
		}
		nf := files{"/": root.clone()}
		for p, n := range m.Files {
			if under(p, e.Point) {
				nf[p[len(e.Point):]] = n.clone()
			}
		}
		s.shared[e.FS] = nf
	}
}

// sharedFS returns the shared content of the file system id, making an empty one (its root
// directory owned by root, mode 755, as EFS makes it). s.mu is held for writing.
func (s *Store) sharedFS(id string) files {
	sh := s.shared[id]
	if sh == nil || sh["/"] == nil {
		sh = files{"/": &node{Dir: true, Mode: 0o755, Owner: "root", Mod: s.clock.Now()}}
		s.shared[id] = sh
	}
	return sh
}

// unmount takes the mount e off the machine, restoring what its mount point held. s.mu is
// held for writing.
func (m *machine) unmount(e *mountEntry) {
	for p := range m.Files {
		if under(p, e.Point) {
			delete(m.Files, p)
		}
	}
	for p, n := range e.Hidden {
		m.Files[p] = n
	}
	for i, x := range m.Mounts {
		if x == e {
			m.Mounts = append(m.Mounts[:i:i], m.Mounts[i+1:]...)
			break
		}
	}
}

// unmountAll takes every mount off the machine, as a shutdown does (the simulator keeps no
// /etc/fstab). s.mu is held for writing.
func (m *machine) unmountAll() {
	for len(m.Mounts) > 0 {
		m.unmount(m.Mounts[len(m.Mounts)-1])
	}
}

const nfsOptions = "rw,relatime,vers=4.1,rsize=1048576,wsize=1048576,namlen=255,hard,noresvport,proto=tcp,timeo=600,retrans=2,sec=sys"

// mountCmd is util-linux's mount with amazon-efs-utils' mount.efs and nfs-utils' mount.nfs4
// behind it: EFS file systems by ID (-t efs), DNS name or mount target address (-t nfs4).
func mountCmd(c *cmd) int {
	var fstype, options string
	var operands []string
	args := c.args[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-t" || a == "-o":
			if i+1 == len(args) {
				fmt.Fprintf(c.stderr, "mount: option requires an argument -- '%s'\n", a[1:])
				return 1
			}
			if a == "-t" {
				fstype = args[i+1]
			} else {
				options = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "--types="):
			fstype = strings.TrimPrefix(a, "--types=")
		case strings.HasPrefix(a, "--options="):
			options = strings.TrimPrefix(a, "--options=")
		case strings.HasPrefix(a, "-") && len(a) > 1:
			// -v, -l, -a …: nothing to do
		default:
			operands = append(operands, a)
		}
	}
	var region string
	var list []mountEntry
	c.sh.s.view(c.sh.id, func(m *machine) {
		region = m.Region
		for _, e := range m.Mounts {
			list = append(list, *e)
		}
	})
	if len(operands) == 0 {
		if fstype != "" && fstype != "nfs4" {
			return 0
		}
		if fstype == "" {
			fmt.Fprintln(c.stdout, "/dev/xvda1 on / type xfs (rw,noatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,sunit=1024,swidth=1024,noquota)")
			fmt.Fprintln(c.stdout, "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)")
			fmt.Fprintln(c.stdout, "tmpfs on /run type tmpfs (rw,nosuid,nodev,seclabel,size=188036k,nr_inodes=819200,mode=755,inode64)")
		}
		for _, e := range list {
			fmt.Fprintf(c.stdout, "%s on %s type nfs4 (%s)\n", e.Source, e.Point, e.Options)
		}
		return 0
	}
	if c.user != "root" {
		fmt.Fprintln(c.stderr, "mount: only root can do that")
		return 1
	}
	if len(operands) != 2 {
		fmt.Fprintln(c.stderr, "mount: bad usage\nTry 'mount --help' for more information.")
		return 1
	}
	source, point := operands[0], c.abs(operands[1])
	host, sub, hasColon := strings.Cut(source, ":")
	if fstype == "" && hasColon {
		fstype = "nfs"
	}
	helper := ""
	switch fstype {
	case "efs":
		if c.installedBin("mount.efs") == nil {
			fmt.Fprintf(c.stderr, "mount: %s: unknown filesystem type 'efs'.\n", operands[1])
			return 32
		}
		helper = "mount.nfs4" // mount.efs runs it and prints its errors
	case "nfs", "nfs4":
		if c.installedBin("mount.nfs4") == nil && c.installedBin("mount.efs") == nil {
			fmt.Fprintf(c.stderr, "mount: %s: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n", operands[1])
			return 32
		}
		helper = "mount." + fstype
		if !hasColon {
			fmt.Fprintf(c.stderr, "%s: remote share not in 'host:dir' format\n", helper)
			return 32
		}
	case "":
		fmt.Fprintf(c.stderr, "mount: %s: can't find in /etc/fstab.\n", operands[1])
		return 1
	default:
		fmt.Fprintf(c.stderr, "mount: %s: unknown filesystem type '%s'.\n", operands[1], fstype)
		return 32
	}
	var err error
	var isDir, busy bool
	c.sh.s.view(c.sh.id, func(m *machine) {
		var n *node
		if n, err = m.Files.lookup(c.user, point); err == nil {
			isDir = n.Dir
		}
		for _, e := range m.Mounts {
			busy = busy || e.Point == point
		}
	})
	switch {
	case err != nil:
		fmt.Fprintf(c.stderr, "%s: mount point %s does not exist\n", helper, operands[1])
		return 32
	case !isDir:
		fmt.Fprintf(c.stderr, "%s: mount point %s is not a directory\n", helper, operands[1])
		return 32
	case busy:
		fmt.Fprintf(c.stderr, "%s: %s is busy or already mounted\n", helper, source)
		return 32
	}
	if sub != "" && path.Clean("/"+sub) != "/" {
		fmt.Fprintf(c.stderr, "%s: mounting %s failed, reason given by server: No such file or directory\n", helper, source)
		fmt.Fprintln(c.stderr, "awsx: the simulator mounts a file system's root (:/) only")
		return 32
	}
	target := host
	env := c.sh.s.env
	if env.Mount == nil {
		fmt.Fprintf(c.stderr, "%s: Connection timed out\nawsx: the simulator has no model of EFS for this instance\n", helper)
		return 32
	}
	tls := fstype == "efs" && strings.Contains(","+options+",", ",tls,")
	fsID, reason, ok := env.Mount(c.ctx, c.sh.id, region, target, tls)
	if !ok {
		switch {
		case strings.Contains(reason, "Failed to resolve") || strings.Contains(reason, "does not exist in"):
			name := target
			if strings.HasPrefix(name, "fs-") && !strings.Contains(name, ".") {
				name += ".efs." + region + ".amazonaws.com"
			}
			if fstype == "efs" {
				fmt.Fprintf(c.stderr, "Failed to resolve \"%s\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.\n", name)
				fmt.Fprintln(c.stderr, "See https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail.")
			} else {
				fmt.Fprintf(c.stderr, "%s: Failed to resolve server %s: Name or service not known\n", helper, name)
			}
		case strings.HasPrefix(reason, "mount.nfs4: access denied"):
			before, _, _ := strings.Cut(reason, " (")
			fmt.Fprintln(c.stderr, before)
		default:
			fmt.Fprintf(c.stderr, "%s: Connection timed out\n", helper)
		}
		fmt.Fprintf(c.stderr, "awsx: %s\n", reason)
		return 32
	}
	display := target
	if _, err := netip.ParseAddr(target); err != nil {
		display = fsID + ".efs." + region + ".amazonaws.com"
	}
	opts := nfsOptions
	if tls {
		display = "127.0.0.1" // amazon-efs-utils' stunnel
		opts += ",port=20049"
	}
	c.sh.s.update(c.sh.id, func(m *machine) {
		e := &mountEntry{FS: fsID, Source: display + ":/", Point: point, Options: opts + ",local_lock=none", Hidden: files{}}
		for p, n := range m.Files {
			if under(p, point) {
				e.Hidden[p] = n
			}
		}
		e.Hidden[point] = m.Files[point]
		m.Mounts = append(m.Mounts, e)
		c.sh.s.pull(m)
	})
	return 0
}

// umountCmd takes a mount off by its mount point or source.
func umountCmd(c *cmd) int {
	_, operands := split(c.args[1:])
	if len(operands) == 0 {
		fmt.Fprintln(c.stderr, "umount: bad usage\nTry 'umount --help' for more information.")
		return 1
	}
	bad := 0
	for _, op := range operands {
		if c.user != "root" {
			fmt.Fprintf(c.stderr, "umount: %s: must be superuser to unmount.\n", op)
			bad = 32
			continue
		}
		p := c.abs(op)
		found := false
		c.sh.s.update(c.sh.id, func(m *machine) {
			for i := len(m.Mounts) - 1; i >= 0; i-- {
				if e := m.Mounts[i]; e.Point == p || e.Source == op || e.Source == op+":/" {
					m.unmount(e)
					found = true
					return
				}
			}
		})
		if !found {
			fmt.Fprintf(c.stderr, "umount: %s: not mounted.\n", op)
			bad = 32
		}
	}
	return bad
}

// df lists the machine's file systems: its root volume and its mounts.
func df(c *cmd) int {
	opts, _ := split(c.args[1:])
	var list []mountEntry
	c.sh.s.view(c.sh.id, func(m *machine) {
		for _, e := range m.Mounts {
			list = append(list, *e)
		}
	})
	if opts["-h"] || opts["--human-readable"] {
		fmt.Fprintf(c.stdout, "%-40s %5s %5s %5s %4s %s\n", "Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on")
		fmt.Fprintf(c.stdout, "%-40s %5s %5s %5s %4s %s\n", "/dev/xvda1", "8.0G", "1.6G", "6.4G", "20%", "/")
		fmt.Fprintf(c.stdout, "%-40s %5s %5s %5s %4s %s\n", "tmpfs", "476M", "0", "476M", "0%", "/dev/shm")
		for _, e := range list {
			fmt.Fprintf(c.stdout, "%-40s %5s %5s %5s %4s %s\n", e.Source, "8.0E", "0", "8.0E", "0%", e.Point)
		}
		return 0
	}
	fmt.Fprintf(c.stdout, "%-40s %16s %10s %16s %4s %s\n", "Filesystem", "1K-blocks", "Used", "Available", "Use%", "Mounted on")
	fmt.Fprintf(c.stdout, "%-40s %16d %10d %16d %4s %s\n", "/dev/xvda1", 8376300, 1677720, 6698580, "20%", "/")
	fmt.Fprintf(c.stdout, "%-40s %16d %10d %16d %4s %s\n", "tmpfs", 487424, 0, 487424, "0%", "/dev/shm")
	for _, e := range list {
		fmt.Fprintf(c.stdout, "%-40s %16d %10d %16d %4s %s\n", e.Source, int64(9007199254739968), 0, int64(9007199254739968), "0%", e.Point)
	}
	return 0
}
