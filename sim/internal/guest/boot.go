package guest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// EventKind is what happened to an instance: launched (its first boot), started (a boot),
// stopped, terminated.
type EventKind string

// The kinds of [Event].
const (
	Launched   EventKind = "launched"
	Started    EventKind = "started"
	Stopped    EventKind = "stopped"
	Terminated EventKind = "terminated"
	// Imaged: the instance's disks were imaged (CreateImage) as Event.Image, or the image
	// Event.SourceImage was copied as it (CopyImage, no instance). Instances launched from
	// the image start from those disks: what was installed, enabled and written is there.
	Imaged EventKind = "imaged"
	// Deregistered: the image Event.Image is deregistered, its disks gone.
	Deregistered EventKind = "deregistered"
)

// An Event is a change of an instance's state that its operating system sees.
type Event struct {
	Kind     EventKind
	Instance Instance
	UserData []byte
	Time     time.Time
	// Image, SourceImage and SourceRegion are an Imaged event's: the new image's ID (in
	// Instance.Region), and the image it is a copy of.
	Image, SourceImage, SourceRegion string
}

// Handle brings the instance's operating system along with an event: a launch makes it
// from its image and boots it, running its user data as cloud-init does on the first boot;
// a start boots it (its enabled services start); a stop or a termination shuts it down (its
// services and programs stop; a terminated instance's disks are gone with it).
func (s *Store) Handle(ctx context.Context, e Event) {
	switch e.Kind {
	case Launched:
		s.mu.Lock()
		m := newMachine(e.Instance, e.Time)
		if disk := s.images[imageKey(e.Instance.Region, e.Instance.ImageID)]; disk != nil {
			m = disk.fromImage(e.Instance, e.Time)
		}
		m.Running, m.BootedAt = true, e.Time
		s.gen.Bump()
		s.machines[m.ID] = m
		s.mu.Unlock()
		s.cloudInit(ctx, e)
	case Deregistered:
		s.mu.Lock()
		s.gen.Bump()
		delete(s.images, imageKey(e.Instance.Region, e.Image))
		s.mu.Unlock()
	case Imaged:
		s.mu.Lock()
		var disk *machine
		if m := s.machines[e.Instance.ID]; m != nil && e.Instance.ID != "" {
			disk = m.clone()
		} else if src := s.images[imageKey(e.SourceRegion, e.SourceImage)]; src != nil {
			disk = src.clone()
		}
		if disk != nil {
			s.gen.Bump()
			disk.Running, disk.Mounts = false, nil
			clear(disk.Listeners)
			s.images[imageKey(e.Instance.Region, e.Image)] = disk
		}
		s.mu.Unlock()
	case Started:
		s.ensure(e.Instance)
		s.update(e.Instance.ID, func(m *machine) {
			m.Running, m.BootedAt = true, e.Time
			for _, u := range m.Units {
				if u.Enabled {
					u.Active, u.Since = true, e.Time
				}
			}
		})
	case Stopped:
		s.update(e.Instance.ID, func(m *machine) {
			m.Running = false
			for _, u := range m.Units {
				u.Active = false
			}
			clear(m.Listeners)
			m.unmountAll()
		})
	case Terminated:
		s.mu.Lock()
		s.gen.Bump()
		delete(s.machines, e.Instance.ID)
		s.mu.Unlock()
	}
}

// maxNestedBoots is how deep user data that launches instances whose user data launches
// instances may go: each boot runs inside the RunInstances that caused it.
const maxNestedBoots = 4

// cloudInitVersion is the version cloud-init's log lines name, per family.
func cloudInitVersion(f family) string {
	if p := catalogOf(f)["cloud-init"]; p != nil {
		return p.Version
	}
	return "22.2.2"
}

// cloudInit runs the instance's user data as cloud-init does on the first boot, as root,
// with its output in /var/log/cloud-init-output.log: a script (#!), or a #cloud-config
// document (write_files, package_update, package_upgrade, packages, runcmd). The log's
// times are the boot's, on the simulator's clock.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
func (s *Store) cloudInit(ctx context.Context, e Event) {
	id := e.Instance.ID
	var f family
	s.view(id, func(m *machine) { f = m.family() })
	v := cloudInitVersion(f)
	stamp := e.Time.UTC().Format("Mon, 02 Jan 2006 15:04:05 +0000")
	var log bytes.Buffer
	fmt.Fprintf(&log, "Cloud-init v. %s running 'init-local' at %s. Up 5.12 seconds.\n", v, stamp)
	fmt.Fprintf(&log, "Cloud-init v. %s running 'init' at %s. Up 6.04 seconds.\n", v, stamp)
	fmt.Fprintf(&log, "Cloud-init v. %s running 'modules:config' at %s. Up 8.31 seconds.\n", v, stamp)
	fmt.Fprintf(&log, "Cloud-init v. %s running 'modules:final' at %s. Up 9.02 seconds.\n", v, stamp)
	s.appendLog(id, log.Bytes())
	data := e.UserData
	if s.booting.Add(1) > maxNestedBoots {
		s.appendLog(id, []byte(warn(e.Time, "awsx", "user data not run: instances launched by user data nest too deep (the simulator runs boots in the launching request)")))
		data = nil
	}
	defer s.booting.Add(-1)
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		s.appendLog(id, []byte(warn(e.Time, "util.py", "gzip-compressed user data is not decompressed by the simulator")))
		data = nil
	}
	sh := &shell{s: s, id: id, fam: f}
	// The boot's own bounds: a user data script that never ends does not stop the boot.
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	sh.bounds = &bounds{cancel: cancel}
	out := sh.bounds.writer(logWriter{s, id})
	failed := false
	text := string(data)
	switch {
	case len(data) == 0:
	case strings.HasPrefix(text, "#!"):
		s.update(id, func(m *machine) {
			m.Files.put("/var/lib/cloud/instance/user-data.txt", "root", 0o600, text, e.Time)
			m.Files.put("/var/lib/cloud/instance/scripts/part-001", "root", 0o700, text, e.Time)
		})
		flags, ok := shebang(text)
		if !ok {
			fmt.Fprintf(out, "%s", warn(e.Time, "subp.py", "Failed running /var/lib/cloud/instance/scripts/part-001 [Exec format error: the simulator runs shell scripts only]"))
			failed = true
			break
		}
		if code := sh.run(ctx, "root", "/", text, nil, nil, out, out, flags...); code != 0 {
			fmt.Fprint(out, warn(e.Time, "subp.py", "Failed running /var/lib/cloud/instance/scripts/part-001 ["+strconv.Itoa(code)+"]"))
			failed = true
		}
	case strings.HasPrefix(text, "#cloud-config"):
		s.update(id, func(m *machine) { m.Files.put("/var/lib/cloud/instance/user-data.txt", "root", 0o600, text, e.Time) })
		failed = s.cloudConfig(ctx, sh, text, out, e.Time)
	default:
		first, _, _ := strings.Cut(text, "\n")
		fmt.Fprint(out, warn(e.Time, "__init__.py", fmt.Sprintf("Unhandled non-multipart (text/x-not-multipart) userdata: 'b'%.40s'...'", first)))
	}
	if failed {
		fmt.Fprint(out, warn(e.Time, "cc_scripts_user.py", "Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)"))
		fmt.Fprint(out, warn(e.Time, "util.py", "Running module scripts-user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3.9/site-packages/cloudinit/config/cc_scripts_user.py'>) failed"))
	}
	fmt.Fprintf(logWriter{s, id}, "Cloud-init v. %s finished at %s. Datasource DataSourceEc2.  Up 12.47 seconds\n", v, stamp)
	s.update(id, func(m *machine) {
		m.Booted = true
		m.Files.put("/var/lib/cloud/instance/boot-finished", "root", 0o644, "12.47 - "+stamp+" - v. "+v+"\n", e.Time)
	})
}

func warn(t time.Time, module, msg string) string {
	return t.UTC().Format("2006-01-02 15:04:05,000") + " - " + module + "[WARNING]: " + msg + "\n"
}

// logWriter appends to the instance's /var/log/cloud-init-output.log.
type logWriter struct {
	s  *Store
	id string
}

func (w logWriter) Write(p []byte) (int, error) {
	w.s.appendLog(w.id, p)
	return len(p), nil
}

func (s *Store) appendLog(id string, p []byte) {
	s.update(id, func(m *machine) {
		if n := m.Files["/var/log/cloud-init-output.log"]; n != nil && len(n.Data)+len(p) <= maxDiskBytes/4 {
			n.Data = append(n.Data, p...)
		}
	})
}

// cloudConfig is the part of the #cloud-config format the simulator runs, in cloud-init's
// order: write_files, package_update/package_upgrade, packages, runcmd. It reports whether
// a part failed.
// https://cloudinit.readthedocs.io/en/latest/reference/modules.html
func (s *Store) cloudConfig(ctx context.Context, sh *shell, text string, out interface{ Write([]byte) (int, error) }, t time.Time) (failed bool) {
	var doc struct {
		WriteFiles []struct {
			Path, Content, Owner, Permissions, Encoding string
			Append, Defer                               bool
		} `yaml:"write_files"`
		PackageUpdate  bool  `yaml:"package_update"`
		PackageUpgrade bool  `yaml:"package_upgrade"`
		Packages       []any `yaml:"packages"`
		Runcmd         []any `yaml:"runcmd"`
		Bootcmd        []any `yaml:"bootcmd"`
	}
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		fmt.Fprint(out, warn(t, "util.py", "Failed loading yaml blob. "+strings.ReplaceAll(err.Error(), "\n", " ")))
		return true
	}
	run := func(script string) int {
		return sh.run(ctx, "root", "/", script, nil, nil, out, out)
	}
	for _, c := range doc.Bootcmd {
		run(shellLine(c))
	}
	writeFiles := func(deferred bool) {
		for _, wf := range doc.WriteFiles {
			if wf.Path == "" || wf.Defer != deferred {
				continue
			}
			content := []byte(wf.Content)
			if wf.Encoding == "b64" || wf.Encoding == "base64" {
				if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(wf.Content)); err == nil {
					content = b
				}
			}
			mode := fs.FileMode(0o644)
			if v, err := strconv.ParseUint(strings.TrimPrefix(wf.Permissions, "0o"), 8, 32); err == nil && wf.Permissions != "" {
				mode = fs.FileMode(v)
			}
			owner, _, _ := strings.Cut(wf.Owner, ":")
			if owner == "" {
				owner = "root"
			}
			p := path.Clean("/" + wf.Path)
			s.update(sh.id, func(m *machine) {
				if n := m.Files[p]; wf.Append && n != nil && !n.Dir {
					n.Data = append(n.Data, content...)
					return
				}
				if n := m.Files[p]; n != nil && n.Dir {
					return
				}
				m.Files.put(p, owner, mode, string(content), t)
			})
		}
	}
	writeFiles(false)
	manager := map[string]string{"dnf": "dnf -y", "yum": "yum -y", "apt": "apt-get -y"}[sh.fam.Manager]
	if doc.PackageUpdate || doc.PackageUpgrade {
		verb := "makecache"
		if sh.fam.Manager == "apt" {
			verb = "update"
		}
		if run(manager+" "+verb) != 0 {
			failed = true
		}
		if doc.PackageUpgrade && run(manager+" upgrade") != 0 {
			failed = true
		}
	}
	if len(doc.Packages) > 0 {
		var names []string
		for _, p := range doc.Packages {
			switch v := p.(type) {
			case string:
				names = append(names, v)
			case []any:
				if len(v) > 0 {
					names = append(names, fmt.Sprint(v[0]))
				}
			}
		}
		if run(manager+" install "+strings.Join(quoteAll(names), " ")) != 0 {
			fmt.Fprint(out, warn(t, "cc_package_update_upgrade_install.py", "Failed to install packages: "+strings.Join(names, ", ")))
			failed = true
		}
	}
	writeFiles(true) // defer: after the packages, which would write over them
	if len(doc.Runcmd) > 0 {
		var script strings.Builder
		for _, c := range doc.Runcmd {
			script.WriteString(shellLine(c) + "\n")
		}
		s.update(sh.id, func(m *machine) {
			m.Files.put("/var/lib/cloud/instance/scripts/runcmd", "root", 0o700, "#!/bin/sh\n"+script.String(), t)
		})
		if code := run(script.String()); code != 0 {
			fmt.Fprint(out, warn(t, "subp.py", "Failed running /var/lib/cloud/instance/scripts/runcmd ["+strconv.Itoa(code)+"]"))
			failed = true
		}
	}
	return failed
}

// shellLine is one runcmd entry as sh runs it: a string as it is, a list as a quoted command.
func shellLine(c any) string {
	switch v := c.(type) {
	case string:
		return v
	case []any:
		var words []string
		for _, w := range v {
			words = append(words, fmt.Sprint(w))
		}
		return strings.Join(quoteAll(words), " ")
	}
	return ""
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return out
}

// cloudInitCmd is `cloud-init status [--wait] [--long]`.
func cloudInitCmd(c *cmd) int {
	if len(c.args) < 2 || c.args[1] != "status" {
		fmt.Fprintln(c.stderr, "usage: cloud-init status [--wait] [--long]")
		return 2
	}
	booted := false
	c.sh.s.view(c.sh.id, func(m *machine) { booted = m.Booted })
	if !booted {
		fmt.Fprintln(c.stdout, "status: running")
		return 0
	}
	fmt.Fprintln(c.stdout, "status: done")
	return 0
}
