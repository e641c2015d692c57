package guest

import (
	"maps"
	"path"
	"strings"
	"time"
)

// imageKey names an image's disks: images are per region.
func imageKey(region, id string) string { return region + "/" + id }

// fromImage is the machine of an instance launched from an image whose disks are m (a copy
// of the imaged instance's): its files, packages and enabled services, with the new
// instance's identity. Its services start on the boot; cloud-init runs the new instance's
// user data, as on AWS, where cloud-init runs once per instance.
func (m *machine) fromImage(in Instance, now time.Time) *machine {
	c := m.clone()
	c.ID, c.Region, c.Hostname = in.ID, in.Region, hostname(in.Region, in.PrivateIP)
	c.Running, c.Booted, c.Mounts = false, false, nil
	clear(c.Listeners)
	c.Files.put("/etc/hostname", "root", 0o644, c.Hostname+"\n", now)
	for _, u := range c.Units {
		u.Active = u.Enabled
		if u.Active {
			u.Since = now
		}
	}
	return c
}

// validImages keeps the saved image disks whose files hang together, as UnmarshalJSON
// checks machines.
func validImages(in map[string]*machine) map[string]*machine {
	out := map[string]*machine{}
	for k, m := range in {
		if m == nil || m.Files == nil || m.Files["/"] == nil || !m.Files["/"].Dir || !strings.Contains(k, "/") {
			continue
		}
		ok := true
		for p, n := range m.Files {
			if n == nil || !strings.HasPrefix(p, "/") || path.Clean(p) != p {
				ok = false
				break
			}
			if d := m.Files[path.Dir(p)]; p != "/" && (d == nil || !d.Dir) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		m.Packages = maps.Clone(m.Packages)
		if m.Packages == nil {
			m.Packages = map[string]string{}
		}
		if m.Units == nil {
			m.Units = map[string]*unit{}
		}
		maps.DeleteFunc(m.Units, func(_ string, u *unit) bool { return u == nil })
		m.Listeners, m.Mounts = map[int]*listener{}, nil
		out[k] = m
	}
	return out
}
