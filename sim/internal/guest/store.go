package guest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the operating systems of one account's instances. It is safe for concurrent use:
// one lock guards every machine's files, packages and services, taken for each step of a
// command, never while a script runs, so scripts on one instance interleave as processes do.
type Store struct {
	mu       sync.RWMutex
	gen      core.Generation
	clock    *core.Clock
	env      Env
	machines map[string]*machine
	shared   map[string]files    // EFS file systems' content by file system ID, paths from its root
	booting  atomic.Int32        // boots in progress: user data that launches instances nests them
	images   map[string]*machine // the disks of the account's images, by imageKey: diskimage.go
}

// Env is what the operating systems need of the rest of the cloud.
type Env struct {
	// Metadata is the instance metadata service the instance reaches at 169.254.169.254.
	Metadata func(instance string) http.Handler
	// AWS runs the AWS CLI on the instance; nil when there is none (`aws` is then not found).
	AWS func(ctx context.Context, call AWSCall) int
	// Mount asks EFS whether the instance can mount target (a file system ID, its DNS name
	// or a mount target's address; tls for amazon-efs-utils' -o tls): fsID is the file system
	// mounted, and reason, on a refusal, what stops it. nil when the cloud has no EFS.
	Mount func(ctx context.Context, instance, region, target string, tls bool) (fsID, reason string, ok bool)
	// Fetch sends a request to AWS's endpoints (*.amazonaws.com: S3's website endpoints,
	// presigned URLs); nil when the instance reaches none.
	Fetch func(*http.Request) (*http.Response, error)
}

// An AWSCall is one run of the AWS CLI on an instance: its arguments and streams, and what
// the instance's own ~/.aws says (the keys of the profile in use, its region and output),
// empty when it says nothing, and the CLI takes the instance role's credentials.
type AWSCall struct {
	Instance                                   string
	Args                                       []string
	Stdin                                      io.Reader
	Stdout, Stderr                             io.Writer
	AccessKeyID, SecretAccessKey, SessionToken string
	Region, Output                             string
}

// NewStore returns the operating systems of an account: none until an instance boots.
func NewStore(clock *core.Clock, env Env) *Store {
	return &Store{clock: clock, env: env, machines: map[string]*machine{}, shared: map[string]files{}, images: map[string]*machine{}}
}

// SetAWS sets how the AWS CLI runs on instances.
func (s *Store) SetAWS(f func(ctx context.Context, call AWSCall) int) {
	s.mu.Lock()
	s.env.AWS = f
	s.mu.Unlock()
}

// An Instance is what EC2 says of an instance that its operating system needs.
type Instance struct {
	ID, Region, ImageName, PrivateIP string
	ImageID                          string // the image's ID: an image of the account's has disks of its own (Imaged)
}

// machine is one instance's operating system.
type machine struct {
	ID        string
	Region    string
	Image     string // the image's name
	Hostname  string
	Files     files
	Packages  map[string]string // installed packages: name → version
	Units     map[string]*unit  // by unit name (httpd, not httpd.service)
	Listeners map[int]*listener // programs started by hand that listen, by port
	Mounts    []*mountEntry     `json:",omitempty"` // network file systems mounted, in order
	Running   bool
	Booted    bool // cloud-init ran its first boot
	BootedAt  time.Time
}

// unit is a systemd service.
type unit struct {
	Package string
	Enabled bool
	Active  bool
	Since   time.Time
}

// listener is a program listening on a port, started by hand: python3 -m http.server.
type listener struct {
	Port int
	Dir  string // what it serves
	User string
}

func (m *machine) family() family { return familyOf(m.Image) }

func (m *machine) clone() *machine {
	c := *m
	c.Files = make(files, len(m.Files))
	for p, n := range m.Files {
		c.Files[p] = n.clone()
	}
	c.Packages = maps.Clone(m.Packages)
	c.Units = map[string]*unit{}
	for k, u := range m.Units {
		v := *u
		c.Units[k] = &v
	}
	c.Listeners = map[int]*listener{}
	for k, l := range m.Listeners {
		v := *l
		c.Listeners[k] = &v
	}
	c.Mounts = nil
	for _, e := range m.Mounts {
		v := *e
		v.Hidden = make(files, len(e.Hidden))
		for p, n := range e.Hidden {
			v.Hidden[p] = n.clone()
		}
		c.Mounts = append(c.Mounts, &v)
	}
	return &c
}

// hostname is the instance's host name, as EC2's DHCP gives it: ip-10-0-1-5.ec2.internal.
func hostname(region, ip string) string {
	if ip == "" {
		return "localhost"
	}
	h := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return h + ".ec2.internal"
	}
	return h + "." + region + ".compute.internal"
}

// newMachine makes the operating system of a new instance from its image.
func newMachine(in Instance, now time.Time) *machine {
	m := &machine{ID: in.ID, Region: in.Region, Image: in.ImageName, Hostname: hostname(in.Region, in.PrivateIP),
		Files: files{}, Packages: map[string]string{}, Units: map[string]*unit{}, Listeners: map[int]*listener{}}
	f := m.family()
	fs := m.Files
	fs["/"] = &node{Dir: true, Mode: 0o755, Owner: "root", Mod: now}
	for _, d := range []string{"/bin", "/boot", "/dev", "/etc", "/home", "/mnt", "/opt", "/proc", "/run", "/srv", "/sys",
		"/usr", "/usr/bin", "/usr/lib", "/usr/share", "/usr/local", "/usr/local/bin", "/var", "/var/lib", "/var/log", "/var/tmp"} {
		fs.dirs(d, "root", now)
	}
	fs["/tmp"] = &node{Dir: true, Mode: 0o1777, Owner: "root", Mod: now}
	fs["/root"] = &node{Dir: true, Mode: 0o550, Owner: "root", Mod: now}
	home := "/home/" + f.User
	fs[home] = &node{Dir: true, Mode: 0o700, Owner: f.User, Mod: now}
	fs.put(home+"/.bashrc", f.User, 0o644, "# .bashrc\n", now)
	fs.put("/etc/os-release", "root", 0o644, f.OSRelease, now)
	fs.put("/etc/hostname", "root", 0o644, m.Hostname+"\n", now)
	fs.put("/etc/hosts", "root", 0o644, "127.0.0.1   localhost localhost.localdomain\n::1         localhost6 localhost6.localdomain6\n", now)
	fs.put("/etc/passwd", "root", 0o644, "root:x:0:0:root:/root:/bin/bash\n"+f.User+":x:1000:1000::"+home+":/bin/bash\n", now)
	fs.put("/var/log/cloud-init.log", "root", 0o644, "", now)
	fs.put("/var/log/cloud-init-output.log", "root", 0o644, "", now)
	for _, p := range catalogOf(f) {
		if p.Preset {
			m.install(f, p, now)
		}
	}
	return m
}

// install puts the package p on the machine: its files, its service (enabled and started
// when the family's policy says so). s.mu is held.
func (m *machine) install(f family, p *pkg, now time.Time) {
	m.Packages[p.Name] = p.Version + release(f)
	for path, data := range p.Files {
		if data == "" && !strings.Contains(path[strings.LastIndex(path, "/"):], ".") {
			m.Files.dirs(path, "root", now)
			continue
		}
		m.Files.put(path, "root", 0o644, data, now)
	}
	if root, ok := f.Docroot[p.Name]; ok && p.Web {
		m.Files.dirs(root, "root", now)
	}
	if p.Unit != "" {
		u := &unit{Package: p.Name}
		if p.Starts || p.Preset {
			u.Enabled, u.Active, u.Since = true, m.Running || p.Preset, now
		}
		m.Units[p.Unit] = u
	}
}

// MarshalJSON returns the machines, for the cloud's saved state.
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(struct {
		Machines map[string]*machine
		Shared   map[string]files    `json:",omitempty"`
		Images   map[string]*machine `json:",omitempty"`
	}{s.machines, s.shared, s.images})
}

// UnmarshalJSON replaces the machines with saved ones.
func (s *Store) UnmarshalJSON(b []byte) error {
	var v struct {
		Machines map[string]*machine
		Shared   map[string]files
		Images   map[string]*machine
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("guest: %w", err)
	}
	for id, m := range v.Machines {
		if m == nil || m.Files == nil || m.Files["/"] == nil || !m.Files["/"].Dir {
			return fmt.Errorf("guest: the machine of %s has no filesystem", id)
		}
		for p, n := range m.Files {
			if n == nil || !strings.HasPrefix(p, "/") || path.Clean(p) != p {
				return fmt.Errorf("guest: the machine of %s has a bad file %q", id, p)
			}
			if d := m.Files[path.Dir(p)]; p != "/" && (d == nil || !d.Dir) {
				return fmt.Errorf("guest: the machine of %s has %q outside a directory", id, p)
			}
		}
		m.ID = id
		if m.Packages == nil {
			m.Packages = map[string]string{}
		}
		if m.Units == nil {
			m.Units = map[string]*unit{}
		}
		if m.Listeners == nil {
			m.Listeners = map[int]*listener{}
		}
		for k, u := range m.Units {
			if u == nil {
				delete(m.Units, k)
			}
		}
		for k, l := range m.Listeners {
			if l == nil {
				delete(m.Listeners, k)
			}
		}
		m.Mounts = slices.DeleteFunc(m.Mounts, func(e *mountEntry) bool {
			return e == nil || e.FS == "" || !strings.HasPrefix(e.Point, "/") || path.Clean(e.Point) != e.Point || e.Point == "/"
		})
		for _, e := range m.Mounts {
			for p, n := range e.Hidden {
				if n == nil || !under(p, e.Point) && p != e.Point {
					delete(e.Hidden, p)
				}
			}
		}
	}
	for id, sh := range v.Shared {
		for p, n := range sh {
			if n == nil || !strings.HasPrefix(p, "/") || path.Clean(p) != p {
				delete(sh, p)
			}
		}
		if r := sh["/"]; r == nil || !r.Dir {
			delete(v.Shared, id)
		}
	}
	if v.Shared == nil {
		v.Shared = map[string]files{}
	}
	v.Images = validImages(v.Images)
	if v.Machines == nil {
		v.Machines = map[string]*machine{}
	}
	s.mu.Lock()
	s.gen.Bump()
	s.machines = v.Machines
	s.shared = v.Shared
	s.images = v.Images
	s.mu.Unlock()
	return nil
}

// Generation changes with every change to the store.
func (s *Store) Generation() uint64 { return s.gen.Load() }

// update runs fn with the machine of id under the write lock; ok is false when there is none.
func (s *Store) update(id string, fn func(m *machine)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[id]
	if ok {
		s.gen.Bump()
		s.pull(m)
		fn(m)
		s.push(m)
	}
	return ok
}

// view runs fn with the machine of id under the read lock.
func (s *Store) view(id string, fn func(m *machine)) bool {
	s.mu.RLock()
	m, ok := s.machines[id]
	if ok && len(m.Mounts) > 0 {
		// The mounts' content is copied in first, which needs the write lock.
		s.mu.RUnlock()
		s.mu.Lock()
		defer s.mu.Unlock()
		if m, ok = s.machines[id]; ok {
			s.pull(m)
			fn(m)
		}
		return ok
	}
	defer s.mu.RUnlock()
	if ok {
		fn(m)
	}
	return ok
}

// ensure makes the machine of an instance that has none (one launched before the
// simulator modelled operating systems, or loaded from such a state): booted, running,
// without running its user data.
func (s *Store) ensure(in Instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.machines[in.ID]; ok {
		return
	}
	s.gen.Bump()
	m := newMachine(in, s.clock.Now())
	m.Running, m.Booted = true, true
	s.machines[in.ID] = m
}

// Machines returns the IDs of the instances that have an operating system, sorted.
func (s *Store) Machines() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Sorted(maps.Keys(s.machines))
}
