package guest

import (
	"fmt"
	"slices"
	"strings"
)

// managed is what a package manager's command asks for: its subcommand, its packages,
// and whether it is to answer yes itself.
type managed struct {
	verb  string
	names []string
	yes   bool
	quiet bool
}

func parseManaged(args []string) managed {
	var m managed
	for _, a := range args {
		switch {
		case a == "-y" || a == "--assumeyes" || a == "--yes":
			m.yes = true
		case a == "-q" || a == "-qq" || a == "--quiet":
			m.quiet = true
		case strings.HasPrefix(a, "-"):
		case m.verb == "":
			m.verb = a
		default:
			m.names = append(m.names, a)
		}
	}
	return m
}

// yum is yum on Amazon Linux 2 and dnf on Amazon Linux 2023 (whose yum is dnf).
func yum(c *cmd) int {
	m := parseManaged(c.args[1:])
	dnf := c.sh.fam.ID == "al2023"
	w := c.stdout
	if !dnf {
		fmt.Fprintln(w, "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd")
	}
	switch m.verb {
	case "install", "update", "upgrade", "remove", "erase", "reinstall", "groupinstall":
		if c.user != "root" {
			if dnf {
				fmt.Fprintln(c.stderr, "Error: This command has to be run with superuser privileges (under the root user on most systems).")
			} else {
				fmt.Fprintln(c.stderr, "You need to be root to perform this command.")
			}
			return 1
		}
	case "list", "info", "search", "clean", "makecache", "repolist", "check-update":
	case "":
		fmt.Fprintln(c.stderr, "Error: No command given. Run 'yum --help' for the commands.")
		return 1
	default:
		fmt.Fprintf(c.stderr, "No such command: %s. Please use /usr/bin/%s --help\n", m.verb, c.name())
		return 1
	}
	cat := catalogOf(c.sh.fam)
	rel := release(c.sh.fam)
	repo := "amzn2-core"
	if dnf {
		repo = "amazonlinux"
	}
	installed := c.installed()
	switch m.verb {
	case "list":
		fmt.Fprintln(w, "Installed Packages")
		for _, name := range sortedKeys(installed) {
			fmt.Fprintf(w, "%-40s %-30s @%s\n", name+"."+c.arch(), installed[name], repo)
		}
		return 0
	case "clean", "makecache", "repolist", "search", "info":
		if dnf {
			fmt.Fprintln(w, "Amazon Linux 2023 repository                     30 MB/s |  31 MB     00:01")
		}
		fmt.Fprintln(w, "Metadata cache created.")
		return 0
	case "check-update":
		return 0
	case "update", "upgrade":
		if len(m.names) == 0 {
			if dnf {
				fmt.Fprintf(w, "Last metadata expiration check: 0:00:01 ago on %s.\nDependencies resolved.\nNothing to do.\nComplete!\n", c.sh.s.clock.Now().UTC().Format("Mon Jan _2 15:04:05 2006"))
			} else {
				fmt.Fprintln(w, "No packages marked for update")
			}
			return 0
		}
		m.verb = "install"
	case "reinstall":
		m.verb = "install"
	}
	if m.verb == "remove" || m.verb == "erase" {
		var gone []*pkg
		for _, n := range m.names {
			p := find(cat, n)
			if p == nil || installed[p.Name] == "" {
				if dnf {
					fmt.Fprintf(w, "No match for argument: %s\n", n)
				} else {
					fmt.Fprintf(w, "No Match for argument: %s\n", n)
				}
				continue
			}
			gone = append(gone, p)
		}
		if len(gone) == 0 {
			fmt.Fprintln(w, "No packages marked for removal.\nDependencies resolved.\nNothing to do.\nComplete!")
			return 0
		}
		if !m.yes && !c.confirm("Is this ok [y/N]: ") {
			return 1
		}
		fmt.Fprintln(w, "Removed:")
		for _, p := range gone {
			c.uninstall(p)
			fmt.Fprintf(w, "  %s-%s%s.%s\n", p.Name, p.Version, rel, c.arch())
		}
		fmt.Fprintln(w, "\nComplete!")
		return 0
	}
	// install
	if m.verb == "groupinstall" {
		m.names = nil
	}
	var todo []*pkg
	for _, n := range m.names {
		p := find(cat, n)
		if p == nil {
			if dnf {
				fmt.Fprintf(w, "No match for argument: %s\n", n)
				fmt.Fprintf(c.stderr, "Error: Unable to find a match: %s\n", n)
			} else {
				fmt.Fprintf(w, "No package %s available.\n", n)
				fmt.Fprintln(c.stderr, "Error: Nothing to do")
			}
			return 1
		}
		if installed[p.Name] != "" {
			if dnf {
				fmt.Fprintf(w, "Package %s-%s%s.%s is already installed.\n", p.Name, p.Version, rel, c.arch())
			} else {
				fmt.Fprintf(w, "Package %s-%s%s.%s already installed and latest version\n", p.Name, p.Version, rel, c.arch())
			}
			continue
		}
		if !slices.Contains(todo, p) {
			todo = append(todo, p)
		}
	}
	if len(todo) == 0 {
		if dnf {
			fmt.Fprintln(w, "Dependencies resolved.\nNothing to do.\nComplete!")
		} else {
			fmt.Fprintln(w, "Nothing to do")
		}
		return 0
	}
	if dnf {
		fmt.Fprintf(w, "Last metadata expiration check: 0:00:01 ago on %s.\nDependencies resolved.\n", c.sh.s.clock.Now().UTC().Format("Mon Jan _2 15:04:05 2006"))
	} else {
		fmt.Fprintln(w, "Resolving Dependencies\n--> Running transaction check")
		for _, p := range todo {
			fmt.Fprintf(w, "---> Package %s.%s 0:%s%s will be installed\n", p.Name, c.arch(), p.Version, rel)
		}
		fmt.Fprint(w, "--> Finished Dependency Resolution\n\nDependencies Resolved\n\n")
	}
	rule := strings.Repeat("=", 80)
	fmt.Fprintf(w, "%s\n %-22s %-10s %-28s %-14s %s\n%s\nInstalling:\n", rule, "Package", "Arch", "Version", "Repository", "Size", rule)
	for _, p := range todo {
		fmt.Fprintf(w, " %-22s %-10s %-28s %-14s %s\n", p.Name, c.arch(), p.Version+rel, repo, p.Size)
	}
	fmt.Fprintf(w, "\nTransaction Summary\n%s\nInstall  %d Package%s\n\n", rule, len(todo), plural(len(todo)))
	if !m.yes && !c.confirm("Is this ok [y/N]: ") {
		return 1
	}
	fmt.Fprintln(w, "Running transaction")
	for i, p := range todo {
		c.installPkg(p)
		fmt.Fprintf(w, "  Installing       : %-50s %d/%d\n", p.Name+"-"+p.Version+rel+"."+c.arch(), i+1, len(todo))
	}
	fmt.Fprintln(w, "\nInstalled:")
	for _, p := range todo {
		if dnf {
			fmt.Fprintf(w, "  %s-%s%s.%s\n", p.Name, p.Version, rel, c.arch())
		} else {
			fmt.Fprintf(w, "  %s.%s 0:%s%s\n", p.Name, c.arch(), p.Version, rel)
		}
	}
	fmt.Fprintln(w, "\nComplete!")
	return 0
}

// confirm asks the package manager's question on stdin; no answer is no.
func (c *cmd) confirm(prompt string) bool {
	fmt.Fprint(c.stdout, prompt)
	answer, _ := c.readLine()
	if a := strings.ToLower(strings.TrimSpace(answer)); a == "y" || a == "yes" {
		return true
	}
	if c.sh.fam.amazon() {
		fmt.Fprintln(c.stdout, "Operation aborted.")
	} else {
		fmt.Fprintln(c.stdout, "Abort.")
	}
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// installed returns the machine's packages and their versions.
func (c *cmd) installed() map[string]string {
	out := map[string]string{}
	c.sh.s.view(c.sh.id, func(m *machine) {
		for k, v := range m.Packages {
			out[k] = v
		}
	})
	return out
}

func (c *cmd) installPkg(p *pkg) {
	c.sh.s.update(c.sh.id, func(m *machine) { m.install(c.sh.fam, p, c.sh.s.clock.Now()) })
}

func (c *cmd) uninstall(p *pkg) {
	c.sh.s.update(c.sh.id, func(m *machine) {
		delete(m.Packages, p.Name)
		if p.Unit != "" {
			delete(m.Units, p.Unit)
		}
	})
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// extras is Amazon Linux 2's amazon-linux-extras: install TOPIC installs its package
// (nginx1 is nginx).
func extras(c *cmd) int {
	m := parseManaged(c.args[1:])
	if m.verb != "install" && m.verb != "enable" {
		fmt.Fprintln(c.stdout, "  0  ansible2    available    [ =2.4.2  =2.4.6  =2.8  =stable ]\n 38  nginx1      available    [ =stable ]")
		return 0
	}
	if c.user != "root" {
		fmt.Fprintln(c.stderr, "You lack permissions to write to system configuration.  /etc/yum.repos.d/amzn2-extras.repo")
		return 1
	}
	var names []string
	for _, n := range m.names {
		n = strings.TrimRight(n, "0123456789.")
		names = append(names, n)
	}
	if m.verb == "enable" {
		return 0
	}
	sub := *c
	sub.args = append([]string{"yum", "install", "-y"}, names...)
	return yum(&sub)
}

// apt is apt-get and apt on Ubuntu and Debian.
func apt(c *cmd) int {
	m := parseManaged(c.args[1:])
	w := c.stdout
	if c.name() == "apt" {
		fmt.Fprint(c.stderr, "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n")
	}
	switch m.verb {
	case "update", "upgrade", "install", "remove", "purge", "dist-upgrade", "full-upgrade", "autoremove":
		if c.user != "root" {
			if m.verb == "update" {
				fmt.Fprintln(c.stderr, "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/")
			} else {
				fmt.Fprintln(c.stderr, "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?")
			}
			return 100
		}
	case "list":
		fmt.Fprintln(w, "Listing...")
		for name, v := range c.installed() {
			fmt.Fprintf(w, "%s/now %s amd64 [installed]\n", name, v)
		}
		return 0
	case "":
		fmt.Fprintln(c.stderr, "E: No command given. Run 'apt-get --help' for the commands.")
		return 1
	default:
		fmt.Fprintf(c.stderr, "E: Invalid operation %s\n", m.verb)
		return 100
	}
	mirror, suite := "http://us-east-1.ec2.archive.ubuntu.com/ubuntu", "noble"
	if c.sh.fam.ID == "debian" {
		mirror, suite = "http://cdn-aws.deb.debian.org/debian", "bookworm"
	} else if f := strings.Fields(c.sh.fam.OSRelease); len(f) > 0 {
		for _, l := range strings.Split(c.sh.fam.OSRelease, "\n") {
			if v, ok := strings.CutPrefix(l, "VERSION_CODENAME="); ok {
				suite = v
			}
		}
	}
	if m.verb == "update" {
		fmt.Fprintf(w, "Hit:1 %s %s InRelease\nGet:2 %s %s-updates InRelease [126 kB]\nGet:3 %s %s-security InRelease [126 kB]\nFetched 252 kB in 1s (350 kB/s)\nReading package lists...\n",
			mirror, suite, mirror, suite, mirror, suite)
		return 0
	}
	fmt.Fprintln(w, "Reading package lists...\nBuilding dependency tree...\nReading state information...")
	cat := catalogOf(c.sh.fam)
	rel := release(c.sh.fam)
	installed := c.installed()
	if m.verb != "install" && m.verb != "remove" && m.verb != "purge" {
		fmt.Fprintln(w, "Calculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
		return 0
	}
	var todo []*pkg
	for _, n := range m.names {
		p := find(cat, n)
		if p == nil {
			fmt.Fprintf(c.stderr, "E: Unable to locate package %s\n", n)
			return 100
		}
		if m.verb == "install" && installed[p.Name] != "" {
			fmt.Fprintf(w, "%s is already the newest version (%s%s).\n", p.Name, p.Version, rel)
			continue
		}
		if m.verb != "install" && installed[p.Name] == "" {
			fmt.Fprintf(w, "Package '%s' is not installed, so not removed\n", p.Name)
			continue
		}
		todo = append(todo, p)
	}
	if m.verb != "install" {
		if len(todo) > 0 {
			fmt.Fprintln(w, "The following packages will be REMOVED:")
			for _, p := range todo {
				fmt.Fprintf(w, "  %s\n", p.Name)
			}
			if !m.yes && !c.confirm("Do you want to continue? [Y/n] ") {
				return 1
			}
			for _, p := range todo {
				c.uninstall(p)
				fmt.Fprintf(w, "Removing %s (%s%s) ...\n", p.Name, p.Version, rel)
			}
		}
		fmt.Fprintf(w, "0 upgraded, 0 newly installed, %d to remove and 0 not upgraded.\n", len(todo))
		return 0
	}
	if len(todo) == 0 {
		fmt.Fprintln(w, "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
		return 0
	}
	fmt.Fprintln(w, "The following NEW packages will be installed:")
	var names []string
	for _, p := range todo {
		names = append(names, p.Name)
	}
	fmt.Fprintf(w, "  %s\n0 upgraded, %d newly installed, 0 to remove and 0 not upgraded.\n", strings.Join(names, " "), len(todo))
	if !m.yes && !c.confirm("Do you want to continue? [Y/n] ") {
		return 1
	}
	for i, p := range todo {
		fmt.Fprintf(w, "Get:%d %s %s-updates/main amd64 %s amd64 %s%s [%s]\n", i+1, mirror, suite, p.Name, p.Version, rel, p.Size)
	}
	for _, p := range todo {
		fmt.Fprintf(w, "Selecting previously unselected package %s.\nUnpacking %s (%s%s) ...\n", p.Name, p.Name, p.Version, rel)
	}
	for _, p := range todo {
		c.installPkg(p)
		fmt.Fprintf(w, "Setting up %s (%s%s) ...\n", p.Name, p.Version, rel)
		if p.Unit != "" && p.Starts {
			fmt.Fprintf(w, "Created symlink /etc/systemd/system/multi-user.target.wants/%[1]s.service → /usr/lib/systemd/system/%[1]s.service.\n", p.Unit)
		}
	}
	return 0
}
