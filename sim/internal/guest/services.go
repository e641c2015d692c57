package guest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// systemctl manages the machine's systemd services: start, stop, restart, reload, enable,
// disable (--now), status, is-active, is-enabled, list-units.
func systemctl(c *cmd) int {
	opts, operands := split(c.args[1:])
	if len(operands) == 0 {
		operands = []string{"list-units"}
	}
	verb, names := operands[0], operands[1:]
	now := opts["--now"]
	switch verb {
	case "daemon-reload":
		return c.needRoot("reload daemon")
	case "list-units", "list-unit-files":
		var units []string
		var all map[string]*unit
		c.sh.s.view(c.sh.id, func(m *machine) { all = m.cloneUnits() })
		for name := range all {
			units = append(units, name)
		}
		slices.Sort(units)
		fmt.Fprintf(c.stdout, "  %-24s %-7s %-7s %-8s %s\n", "UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION")
		for _, name := range units {
			u := all[name]
			active, sub := "inactive", "dead"
			if u.Active {
				active, sub = "active", "running"
			}
			fmt.Fprintf(c.stdout, "  %-24s %-7s %-7s %-8s %s\n", name+".service", "loaded", active, sub, c.unitDesc(name))
		}
		return 0
	}
	if len(names) == 0 {
		fmt.Fprintf(c.stderr, "Too few arguments.\n")
		return 1
	}
	code := 0
	for _, raw := range names {
		name := strings.TrimSuffix(raw, ".service")
		if name == "sshd" && !c.sh.fam.amazon() {
			name = "ssh" // Debian's unit, with sshd as its alias
		}
		var u *unit
		c.sh.s.view(c.sh.id, func(m *machine) {
			if v, ok := m.Units[name]; ok {
				cp := *v
				u = &cp
			}
		})
		switch verb {
		case "status":
			if u == nil {
				fmt.Fprintf(c.stderr, "Unit %s.service could not be found.\n", name)
				code = 4
				continue
			}
			code = max(code, c.status(name, u))
			continue
		case "is-active":
			if u != nil && u.Active {
				fmt.Fprintln(c.stdout, "active")
				continue
			}
			fmt.Fprintln(c.stdout, "inactive")
			code = 3
			continue
		case "is-enabled":
			if u == nil {
				fmt.Fprintf(c.stderr, "Failed to get unit file state for %s.service: No such file or directory\n", name)
				code = 1
				continue
			}
			if u.Enabled {
				fmt.Fprintln(c.stdout, "enabled")
				continue
			}
			fmt.Fprintln(c.stdout, "disabled")
			code = 1
			continue
		case "start", "stop", "restart", "reload", "enable", "disable", "try-restart", "reload-or-restart":
		default:
			fmt.Fprintf(c.stderr, "Unknown command verb %s.\n", verb)
			return 1
		}
		if c.user != "root" {
			what := map[string]string{"enable": "Failed to enable unit", "disable": "Failed to disable unit"}[verb]
			if what == "" {
				fmt.Fprintf(c.stderr, "Failed to %s %s.service: Interactive authentication required.\nSee system logs and 'systemctl status %s.service' for details.\n", verb, name, name)
			} else {
				fmt.Fprintf(c.stderr, "%s: Access denied\n", what)
			}
			code = 1
			continue
		}
		if u == nil {
			switch verb {
			case "enable", "disable":
				fmt.Fprintf(c.stderr, "Failed to %s unit: Unit file %s.service does not exist.\n", verb, name)
			default:
				fmt.Fprintf(c.stderr, "Failed to %s %s.service: Unit %s.service not found.\n", verb, name, name)
			}
			code = max(code, 5)
			if verb == "enable" || verb == "disable" {
				code = 1
			}
			continue
		}
		switch verb {
		case "enable":
			if !u.Enabled {
				fmt.Fprintf(c.stderr, "Created symlink /etc/systemd/system/multi-user.target.wants/%[1]s.service → /usr/lib/systemd/system/%[1]s.service.\n", name)
			}
			c.setUnit(name, true, now, false)
		case "disable":
			if u.Enabled {
				fmt.Fprintf(c.stderr, "Removed \"/etc/systemd/system/multi-user.target.wants/%s.service\".\n", name)
			}
			c.setUnit(name, false, false, now)
		case "start", "restart", "reload", "try-restart", "reload-or-restart":
			if verb == "try-restart" && !u.Active {
				continue
			}
			if err := c.startUnit(name); err != "" {
				fmt.Fprintf(c.stderr, "Job for %[1]s.service failed because the control process exited with error code.\nSee \"systemctl status %[1]s.service\" and \"journalctl -xeu %[1]s.service\" for details.\n", name)
				code = 1
			}
		case "stop":
			c.setUnit(name, u.Enabled, false, true)
		}
	}
	return code
}

func (m *machine) cloneUnits() map[string]*unit {
	out := map[string]*unit{}
	for k, u := range m.Units {
		v := *u
		out[k] = &v
	}
	return out
}

// needRoot refuses a user who is not root.
func (c *cmd) needRoot(what string) int {
	if c.user != "root" {
		fmt.Fprintf(c.stderr, "Failed to %s: Interactive authentication required.\n", what)
		return 1
	}
	return 0
}

func (c *cmd) unitDesc(name string) string {
	for _, p := range catalogOf(c.sh.fam) {
		if p.Unit == name {
			return p.Desc
		}
	}
	return name
}

// setUnit sets a unit's enabled state, and starts or stops it.
func (c *cmd) setUnit(name string, enabled, start, stop bool) {
	if start {
		c.startUnit(name)
	}
	c.sh.s.update(c.sh.id, func(m *machine) {
		u := m.Units[name]
		if u == nil {
			return
		}
		u.Enabled = enabled
		if stop {
			u.Active = false
		}
	})
}

// startUnit starts a unit; it fails (returning why) when its port is taken by a program
// started by hand.
func (c *cmd) startUnit(name string) string {
	port := 0
	for _, p := range catalogOf(c.sh.fam) {
		if p.Unit == name {
			port = p.Port
		}
	}
	why := ""
	c.sh.s.update(c.sh.id, func(m *machine) {
		u := m.Units[name]
		if u == nil {
			why = "not found"
			return
		}
		if l, ok := m.Listeners[port]; ok && port != 0 && l != nil {
			why = "port taken"
			return
		}
		for other, v := range m.Units {
			if other != name && v.Active && port != 0 && unitPort(c.sh.fam, other) == port {
				why = "port taken"
				return
			}
		}
		if !u.Active {
			u.Active, u.Since = true, c.sh.s.clock.Now()
		}
	})
	return why
}

// unitPort is the port the unit's service listens on.
func unitPort(f family, name string) int {
	for _, p := range catalogOf(f) {
		if p.Unit == name {
			return p.Port
		}
	}
	return 0
}

// status prints systemctl status of a unit, and returns its exit status (3: not running).
func (c *cmd) status(name string, u *unit) int {
	enabled := "disabled"
	if u.Enabled {
		enabled = "enabled"
	}
	dot, active := "○", "inactive (dead)"
	if u.Active {
		ago := c.sh.s.clock.Now().Sub(u.Since).Truncate(time.Second)
		dot, active = "●", fmt.Sprintf("active (running) since %s; %s ago", u.Since.UTC().Format("Mon 2006-01-02 15:04:05 MST"), ago)
	}
	preset := "disabled" // Fedora's presets, which Amazon Linux keeps; Debian enables what it installs
	if !c.sh.fam.amazon() {
		preset = "enabled"
	}
	fmt.Fprintf(c.stdout, "%s %s.service - %s\n     Loaded: loaded (/usr/lib/systemd/system/%s.service; %s; preset: %s)\n     Active: %s\n",
		dot, name, c.unitDesc(name), name, enabled, preset, active)
	if !u.Active {
		return 3
	}
	return 0
}

// service is SysV's service NAME start|stop|restart|status, which systemd answers.
func service(c *cmd) int {
	if len(c.args) < 3 {
		fmt.Fprintln(c.stderr, "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]")
		return 1
	}
	if c.sh.fam.amazon() {
		fmt.Fprintf(c.stderr, "Redirecting to /bin/systemctl %s %s.service\n", c.args[2], c.args[1])
	}
	sub := *c
	sub.args = []string{"systemctl", c.args[2], c.args[1]}
	return systemctl(&sub)
}
