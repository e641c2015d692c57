package guest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"mvdan.cc/sh/v3/expand"
)

// cmd is one run of a command on the machine.
type cmd struct {
	sh     *shell
	ctx    context.Context
	args   []string
	dir    string
	env    expand.Environ
	user   string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// A command is a program of the simulated machine. needs, when set, says whether the
// machine has it (a package's program, a family's package manager).
type command struct {
	run   func(c *cmd) int
	needs func(f family, installed map[string]string) bool
}

var commands map[string]command

func init() {
	amazon := func(f family, _ map[string]string) bool { return f.amazon() }
	deb := func(f family, _ map[string]string) bool { return !f.amazon() }
	dnf := func(f family, _ map[string]string) bool { return f.ID == "al2023" }
	al2 := func(f family, _ map[string]string) bool { return f.ID == "al2" }
	has := func(bin string) func(family, map[string]string) bool {
		return func(f family, installed map[string]string) bool {
			for name := range installed {
				if p := catalogOf(f)[name]; p != nil && slices.Contains(p.Bins, bin) {
					return true
				}
			}
			return false
		}
	}
	commands = map[string]command{
		"whoami": {run: whoami}, "id": {run: id}, "hostname": {run: hostnameCmd}, "uname": {run: uname},
		"cat": {run: cat}, "ls": {run: ls}, "mkdir": {run: mkdir}, "touch": {run: touch}, "cp": {run: cp},
		"mv": {run: mv}, "rm": {run: rm}, "rmdir": {run: rmdir}, "chmod": {run: chmod}, "chown": {run: chown},
		"grep": {run: grep}, "head": {run: head}, "tail": {run: tail}, "wc": {run: wc}, "tee": {run: tee},
		"sort": {run: sortCmd}, "date": {run: date}, "sleep": {run: sleep}, "env": {run: envCmd},
		"printenv": {run: envCmd}, "which": {run: which}, "basename": {run: basename}, "dirname": {run: dirname},
		"clear": {run: func(*cmd) int { return 0 }}, "sudo": {run: sudo}, "nohup": {run: nohup},
		"bash": {run: bashCmd}, "sh": {run: bashCmd}, "cloud-init": {run: cloudInitCmd},
		"yum": {run: yum, needs: amazon}, "dnf": {run: yum, needs: dnf}, "amazon-linux-extras": {run: extras, needs: al2},
		"apt-get": {run: apt, needs: deb}, "apt": {run: apt, needs: deb},
		"systemctl": {run: systemctl}, "service": {run: service},
		"curl": {run: curl, needs: has("curl")}, "aws": {run: awsCmd, needs: has("aws")}, "awsx": {run: awsCmd},
		"sed": {run: sed}, "find": {run: findCmd}, "ec2-metadata": {run: ec2Metadata, needs: amazon},
		"python3": {run: python, needs: has("python3")},
		"mount":   {run: mountCmd}, "umount": {run: umountCmd}, "df": {run: df},
		"\x00type": {run: typeCmd},
	}
}

// available reports whether the machine has the command called name.
func (c *cmd) available(name string) (command, bool) {
	k, ok := commands[name]
	if !ok || strings.HasPrefix(name, "\x00") && c.args[0] != name {
		return k, false
	}
	if k.needs == nil {
		return k, true
	}
	var installed map[string]string
	c.sh.s.view(c.sh.id, func(m *machine) { installed = maps.Clone(m.Packages) })
	return k, k.needs(c.sh.fam, installed)
}

// installedBin returns the installed package that provides the program name, nil for none.
func (c *cmd) installedBin(name string) *pkg {
	var out *pkg
	cat := catalogOf(c.sh.fam)
	c.sh.s.view(c.sh.id, func(m *machine) {
		for p := range m.Packages {
			if k := cat[p]; k != nil && slices.Contains(k.Bins, name) {
				out = k
			}
		}
	})
	return out
}

// systemDirs are where the machine's programs are, for commands called by path.
var systemDirs = []string{"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin"}

func (c *cmd) dispatch() int {
	name := c.args[0]
	if strings.Contains(name, "/") {
		if d, base := path.Split(name); slices.Contains(systemDirs, path.Clean(d)) {
			if _, ok := c.available(base); ok || c.installedBin(base) != nil {
				name = base
			}
		}
		if strings.Contains(name, "/") {
			return c.script(name)
		}
	}
	if k, ok := c.available(name); ok {
		return k.run(c)
	}
	if p := c.installedBin(name); p != nil {
		return c.program(name, p)
	}
	fmt.Fprintf(c.stderr, "bash: %s: command not found\n", name)
	fmt.Fprintf(c.stderr, "awsx sim: this simulated instance has %s\n", strings.Join(c.names(), ", "))
	return 127
}

// names lists the commands the machine has, sorted.
func (c *cmd) names() []string {
	var out []string
	for name := range commands {
		if _, ok := c.available(name); ok && !strings.HasPrefix(name, "\x00") {
			out = append(out, name)
		}
	}
	out = append(out, "cd", "echo", "export", "pwd", "read", "test", "true", "false")
	slices.Sort(out)
	return out
}

// program answers a program of an installed package that the simulator does not run.
func (c *cmd) program(name string, p *pkg) int {
	if len(c.args) > 1 && (c.args[1] == "--version" || c.args[1] == "-v" || c.args[1] == "version" || c.args[1] == "-V") {
		switch name {
		case "node":
			fmt.Fprintf(c.stdout, "v%s\n", p.Version)
		case "git":
			fmt.Fprintf(c.stdout, "git version %s\n", p.Version)
		default:
			fmt.Fprintf(c.stdout, "%s %s\n", name, p.Version)
		}
		return 0
	}
	fmt.Fprintf(c.stderr, "awsx sim: %s is installed (package %s %s) but a simulated instance does not run it\n", name, p.Name, p.Version)
	return 126
}

// script runs a file of the machine as a program: a shell script (#!/bin/bash, #!/bin/sh,
// or no #! line, which bash runs as a shell script).
func (c *cmd) script(name string) int {
	p := c.abs(name)
	var data []byte
	var err error
	var n *node
	c.sh.s.view(c.sh.id, func(m *machine) {
		if n, err = m.Files.lookup(c.user, p); err == nil {
			n = n.clone()
		}
	})
	switch {
	case err != nil:
		fmt.Fprintf(c.stderr, "bash: %s: %s\n", name, err)
		return 127
	case n.Dir:
		fmt.Fprintf(c.stderr, "bash: %s: Is a directory\n", name)
		return 126
	case n.Mode&0o111 == 0 || !canRead(c.user, n): // a script is read by its shell, so needs r too
		fmt.Fprintf(c.stderr, "bash: %s: Permission denied\n", name)
		return 126
	}
	data = n.Data
	flags, ok := shebang(string(data))
	if !ok {
		fmt.Fprintf(c.stderr, "bash: %s: cannot execute: a simulated instance runs shell scripts only\n", name)
		return 126
	}
	return c.sh.run(c.ctx, c.user, c.dir, string(data), c.args[1:], c.stdin, c.stdout, c.stderr, flags...)
}

// shebang returns the shell options of a script's #! line; ok is false for a program that
// is not a shell.
func shebang(script string) (flags []string, ok bool) {
	if !strings.HasPrefix(script, "#!") {
		return nil, true
	}
	line, _, _ := strings.Cut(script[2:], "\n")
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil, true
	}
	prog := path.Base(f[0])
	if prog == "env" && len(f) > 1 {
		prog, f = f[1], f[1:]
	}
	if prog != "bash" && prog != "sh" {
		return nil, false
	}
	for _, a := range f[1:] {
		if strings.HasPrefix(a, "-") && len(a) > 1 && !strings.HasPrefix(a, "--") {
			for _, r := range a[1:] {
				if strings.ContainsRune("euxv", r) {
					flags = append(flags, "-"+string(r))
				}
			}
		}
	}
	return flags, true
}

func (c *cmd) abs(p string) string { return clean(c.dir, p) }

func (c *cmd) name() string { return path.Base(c.args[0]) }

// fail prints "name: msg" and returns code.
func (c *cmd) fail(code int, format string, args ...any) int {
	fmt.Fprintf(c.stderr, c.name()+": "+format+"\n", args...)
	return code
}

// q quotes a name as coreutils does in a UTF-8 locale.
func q(s string) string { return "‘" + s + "’" }

// split separates options (-x, -abc, --long) from operands; "--" ends the options.
func split(args []string) (opts map[string]bool, operands []string) {
	opts = map[string]bool{}
	for i, a := range args {
		switch {
		case a == "--":
			return opts, append(operands, args[i+1:]...)
		case strings.HasPrefix(a, "--"):
			opts[a] = true
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, r := range a[1:] {
				opts["-"+string(r)] = true
			}
		default:
			operands = append(operands, a)
		}
	}
	return opts, operands
}

func whoami(c *cmd) int { fmt.Fprintln(c.stdout, c.user); return 0 }

func id(c *cmd) int {
	opts, _ := split(c.args[1:])
	uid := uidOf(c.user)
	switch {
	case opts["-u"] && opts["-n"]:
		fmt.Fprintln(c.stdout, c.user)
	case opts["-u"], opts["-g"]:
		fmt.Fprintln(c.stdout, uid)
	case c.user == "root":
		fmt.Fprintln(c.stdout, "uid=0(root) gid=0(root) groups=0(root)")
	case c.sh.fam.amazon():
		fmt.Fprintf(c.stdout, "uid=1000(%[1]s) gid=1000(%[1]s) groups=1000(%[1]s),4(adm),10(wheel),190(systemd-journal)\n", c.user)
	default:
		fmt.Fprintf(c.stdout, "uid=1000(%[1]s) gid=1000(%[1]s) groups=1000(%[1]s),4(adm),24(cdrom),27(sudo),30(dip),105(lxd)\n", c.user)
	}
	return 0
}

func hostnameCmd(c *cmd) int {
	opts, _ := split(c.args[1:])
	h := c.sh.hostname()
	if opts["-I"] || opts["-i"] {
		ip := strings.ReplaceAll(strings.TrimPrefix(strings.SplitN(h, ".", 2)[0], "ip-"), "-", ".")
		fmt.Fprintln(c.stdout, ip+" ")
		return 0
	}
	if opts["-s"] {
		h, _, _ = strings.Cut(h, ".")
	}
	fmt.Fprintln(c.stdout, h)
	return 0
}

func (c *cmd) arch() string {
	var image string
	c.sh.s.view(c.sh.id, func(m *machine) { image = m.Image })
	if strings.Contains(image, "arm64") {
		return "aarch64"
	}
	return "x86_64"
}

func uname(c *cmd) int {
	opts, _ := split(c.args[1:])
	k, a := c.sh.fam.Kernel, c.arch()
	if a == "aarch64" {
		k = strings.Replace(k, "x86_64", "aarch64", 1)
	}
	if opts["-a"] || opts["--all"] {
		fmt.Fprintf(c.stdout, "Linux %s %s #1 SMP PREEMPT_DYNAMIC Tue Jan 14 20:44:14 UTC 2025 %s %s %s GNU/Linux\n", c.sh.hostname(), k, a, a, a)
		return 0
	}
	var out []string
	if opts["-s"] || len(opts) == 0 {
		out = append(out, "Linux")
	}
	if opts["-n"] {
		out = append(out, c.sh.hostname())
	}
	if opts["-r"] {
		out = append(out, k)
	}
	if opts["-m"] || opts["-p"] || opts["-i"] {
		out = append(out, a)
	}
	if opts["-o"] {
		out = append(out, "GNU/Linux")
	}
	fmt.Fprintln(c.stdout, strings.Join(out, " "))
	return 0
}

// read returns the contents of the operand p ("-" is stdin).
func (c *cmd) read(p string) ([]byte, error) {
	if p == "-" {
		return io.ReadAll(io.LimitReader(c.stdin, maxDiskBytes))
	}
	return c.sh.readFile(c.user, c.abs(p))
}

// inputs returns the contents of each operand, or of stdin when there is none, reporting
// the operands it cannot read; bad is set when one failed.
func (c *cmd) inputs(operands []string, each func(name string, data []byte)) (bad bool) {
	if len(operands) == 0 {
		operands = []string{"-"}
	}
	for _, p := range operands {
		data, err := c.read(p)
		if err != nil {
			fmt.Fprintf(c.stderr, "%s: %s: %s\n", c.name(), p, err)
			bad = true
			continue
		}
		each(p, data)
	}
	return bad
}

func exit(bad bool) int {
	if bad {
		return 1
	}
	return 0
}

func cat(c *cmd) int {
	opts, operands := split(c.args[1:])
	line := 0
	return exit(c.inputs(operands, func(_ string, data []byte) {
		if !opts["-n"] {
			c.stdout.Write(data)
			return
		}
		for _, l := range lines(data) {
			line++
			fmt.Fprintf(c.stdout, "%6d\t%s\n", line, l)
		}
	}))
}

// lines splits data into lines without their newlines.
func lines(data []byte) []string {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" && len(data) == 0 {
		return nil
	}
	return strings.Split(s, "\n")
}

// entry is a file as ls lists it.
type entry struct {
	name string
	n    *node
}

func ls(c *cmd) int {
	opts, operands := split(c.args[1:])
	long, all, almost := opts["-l"], opts["-a"], opts["-A"]
	if len(operands) == 0 {
		operands = []string{"."}
	}
	bad := false
	var filesOut []entry
	type dirOut struct {
		name    string
		entries []entry
	}
	var dirs []dirOut
	for _, op := range operands {
		p := c.abs(op)
		var n *node
		var err error
		var kids []entry
		c.sh.s.view(c.sh.id, func(m *machine) {
			if n, err = m.Files.lookup(c.user, p); err != nil {
				return
			}
			n = n.clone()
			if !n.Dir || opts["-d"] {
				return
			}
			if !canRead(c.user, n) {
				err = errAccess
				return
			}
			if all {
				kids = append(kids, entry{".", n}, entry{"..", m.Files[path.Dir(p)].clone()})
			}
			for _, k := range m.Files.children(p) {
				if strings.HasPrefix(k, ".") && !all && !almost {
					continue
				}
				kids = append(kids, entry{k, m.Files[path.Join(p, k)].clone()})
			}
		})
		switch {
		case err == errAccess:
			fmt.Fprintf(c.stderr, "ls: cannot open directory '%s': Permission denied\n", op)
			bad = true
		case err != nil:
			fmt.Fprintf(c.stderr, "ls: cannot access '%s': %s\n", op, err)
			bad = true
		case !n.Dir || opts["-d"]:
			filesOut = append(filesOut, entry{op, n})
		default:
			dirs = append(dirs, dirOut{op, kids})
		}
	}
	print := func(es []entry) {
		if !long {
			for _, e := range es {
				fmt.Fprintln(c.stdout, e.name)
			}
			return
		}
		dot := ""
		if c.sh.fam.amazon() {
			dot = "." // SELinux's mark on Amazon Linux
		}
		for _, e := range es {
			links := 1
			if e.n.Dir {
				links = 2
			}
			size := strconv.Itoa(len(e.n.Data))
			if e.n.Dir {
				size = "4096"
			}
			if opts["-h"] {
				size = human(len(e.n.Data), e.n.Dir)
			}
			fmt.Fprintf(c.stdout, "%s%s %d %s %s %s %s %s\n", modeString(e.n), dot, links, e.n.Owner, e.n.Owner, size,
				e.n.Mod.UTC().Format("Jan _2 15:04"), e.name)
		}
	}
	print(filesOut)
	for i, d := range dirs {
		if len(operands) > 1 {
			if i > 0 || len(filesOut) > 0 {
				fmt.Fprintln(c.stdout)
			}
			fmt.Fprintf(c.stdout, "%s:\n", d.name)
		}
		if long {
			blocks := 0
			for _, e := range d.entries {
				blocks += 4 * ((len(e.n.Data) + 4095) / 4096)
				if e.n.Dir {
					blocks += 4
				}
			}
			fmt.Fprintf(c.stdout, "total %d\n", blocks)
		}
		print(d.entries)
	}
	return exit(bad)
}

func human(n int, dir bool) string {
	if dir {
		return "4.0K"
	}
	switch {
	case n < 1024:
		return strconv.Itoa(n)
	case n < 1<<20:
		return fmt.Sprintf("%.1fK", float64(n)/1024)
	}
	return fmt.Sprintf("%.1fM", float64(n)/(1<<20))
}

func mkdir(c *cmd) int {
	opts, operands := split(c.args[1:])
	if len(operands) == 0 {
		return c.fail(1, "missing operand")
	}
	bad := false
	for _, op := range operands {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			err = m.Files.mkdir(c.user, c.abs(op), opts["-p"] || opts["--parents"], c.sh.s.clock.Now())
		})
		if err != nil {
			fmt.Fprintf(c.stderr, "mkdir: cannot create directory %s: %s\n", q(op), err)
			bad = true
		}
	}
	return exit(bad)
}

func touch(c *cmd) int {
	_, operands := split(c.args[1:])
	if len(operands) == 0 {
		return c.fail(1, "missing file operand")
	}
	bad := false
	for _, op := range operands {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			p := c.abs(op)
			now := c.sh.s.clock.Now()
			n, lerr := m.Files.lookup(c.user, p)
			switch {
			case lerr == errNoEnt:
				err = m.Files.write(c.user, p, nil, false, 0o644, now)
			case lerr != nil:
				err = lerr
			case !canWrite(c.user, n) && n.Owner != c.user:
				err = errAccess
			default:
				n.Mod = now
			}
		})
		if err != nil {
			fmt.Fprintf(c.stderr, "touch: cannot touch %s: %s\n", q(op), err)
			bad = true
		}
	}
	return exit(bad)
}

func cp(c *cmd) int {
	opts, operands := split(c.args[1:])
	recursive := opts["-r"] || opts["-R"] || opts["-a"] || opts["--recursive"]
	return c.copyOrMove(operands, recursive, false)
}

func mv(c *cmd) int {
	_, operands := split(c.args[1:])
	return c.copyOrMove(operands, true, true)
}

// copyOrMove is cp and mv: SRC DST, or SRC… DIR.
func (c *cmd) copyOrMove(operands []string, recursive, move bool) int {
	if len(operands) < 2 {
		if len(operands) == 0 {
			return c.fail(1, "missing file operand")
		}
		return c.fail(1, "missing destination file operand after %s", q(operands[0]))
	}
	srcs, dst := operands[:len(operands)-1], c.abs(operands[len(operands)-1])
	bad := false
	c.sh.s.update(c.sh.id, func(m *machine) {
		now := c.sh.s.clock.Now()
		d, derr := m.Files.lookup(c.user, dst)
		intoDir := derr == nil && d.Dir
		if len(srcs) > 1 && !intoDir {
			fmt.Fprintf(c.stderr, "%s: target %s is not a directory\n", c.name(), q(operands[len(operands)-1]))
			bad = true
			return
		}
		for _, op := range srcs {
			src := c.abs(op)
			n, err := m.Files.lookup(c.user, src)
			if err != nil {
				verb := "cannot stat"
				if move {
					verb = "cannot move"
				}
				fmt.Fprintf(c.stderr, "%s: %s %s: %s\n", c.name(), verb, q(op), err)
				bad = true
				continue
			}
			to := dst
			if intoDir {
				to = path.Join(dst, path.Base(src))
			}
			if n.Dir && !recursive {
				fmt.Fprintf(c.stderr, "cp: -r not specified; omitting directory %s\n", q(op))
				bad = true
				continue
			}
			if to == src || strings.HasPrefix(to, src+"/") {
				fmt.Fprintf(c.stderr, "%s: cannot copy a directory, %s, into itself, %s\n", c.name(), q(op), q(to))
				bad = true
				continue
			}
			if err := c.copyNode(m, src, to, now, move); err != nil {
				fmt.Fprintf(c.stderr, "%s: cannot create regular file %s: %s\n", c.name(), q(to), err)
				bad = true
			}
		}
	})
	return exit(bad)
}

// copyNode copies (or moves) src to dst, a tree for a directory. s.mu is held.
func (c *cmd) copyNode(m *machine, src, dst string, now interface{}, move bool) error {
	n := m.Files[src]
	t := c.sh.s.clock.Now()
	if !canRead(c.user, n) {
		return errAccess
	}
	if move {
		if _, err := m.Files.parentFor(c.user, src); err != nil {
			return err
		}
	}
	if n.Dir {
		if d, ok := m.Files[dst]; ok && !d.Dir {
			return errNotDir
		}
		if _, ok := m.Files[dst]; !ok {
			if err := m.Files.mkdir(c.user, dst, false, t); err != nil {
				return err
			}
		}
		for _, k := range m.Files.children(src) {
			if err := c.copyNode(m, path.Join(src, k), path.Join(dst, k), now, move); err != nil {
				return err
			}
		}
		if move {
			delete(m.Files, src)
		}
		return nil
	}
	if d, ok := m.Files[dst]; ok && d.Dir {
		return errIsDir
	}
	mode := n.Mode
	if move {
		if _, err := m.Files.parentFor(c.user, dst); err != nil {
			return err
		}
		moved := n.clone()
		m.Files[dst] = moved
		delete(m.Files, src)
		return nil
	}
	if err := m.Files.write(c.user, dst, n.Data, false, mode, t); err != nil {
		return err
	}
	return nil
}

func rm(c *cmd) int {
	opts, operands := split(c.args[1:])
	recursive, force := opts["-r"] || opts["-R"] || opts["--recursive"], opts["-f"] || opts["--force"]
	if len(operands) == 0 && !force {
		return c.fail(1, "missing operand")
	}
	bad := false
	for _, op := range operands {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			p := c.abs(op)
			n, lerr := m.Files.lookup(c.user, p)
			switch {
			case lerr != nil:
				err = lerr
			case n.Dir && !recursive:
				err = errIsDir
			default:
				err = m.Files.remove(c.user, p, recursive)
			}
		})
		if err == errNoEnt && force {
			continue
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "rm: cannot remove %s: %s\n", q(op), err)
			bad = true
		}
	}
	return exit(bad)
}

func rmdir(c *cmd) int {
	_, operands := split(c.args[1:])
	bad := false
	for _, op := range operands {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			p := c.abs(op)
			n, lerr := m.Files.lookup(c.user, p)
			switch {
			case lerr != nil:
				err = lerr
			case !n.Dir:
				err = errNotDir
			default:
				err = m.Files.remove(c.user, p, false)
			}
		})
		if err != nil {
			fmt.Fprintf(c.stderr, "rmdir: failed to remove %s: %s\n", q(op), err)
			bad = true
		}
	}
	return exit(bad)
}

// parseMode applies a chmod mode (755, u+x, go-w, a=r) to old.
func parseMode(mode string, old uint32) (uint32, bool) {
	if v, err := strconv.ParseUint(mode, 8, 32); err == nil {
		return uint32(v) & 0o7777, len(mode) <= 4
	}
	cur := old
	for _, clause := range strings.Split(mode, ",") {
		i := 0
		var who uint32
		for i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0 {
			who |= map[byte]uint32{'u': 0o700, 'g': 0o070, 'o': 0o007, 'a': 0o777}[clause[i]]
			i++
		}
		if who == 0 {
			who = 0o777 &^ 0o022 // the umask's
		}
		if i == len(clause) || strings.IndexByte("+-=", clause[i]) < 0 {
			return 0, false
		}
		op := clause[i]
		i++
		var bits uint32
		for ; i < len(clause); i++ {
			switch clause[i] {
			case 'r':
				bits |= 0o444
			case 'w':
				bits |= 0o222
			case 'x', 'X':
				bits |= 0o111
			case 't':
				bits |= 0o1000
			case 's':
			default:
				return 0, false
			}
		}
		mask := bits & (who | 0o1000)
		switch op {
		case '+':
			cur |= mask
		case '-':
			cur &^= mask
		case '=':
			cur = cur&^who | mask
		}
	}
	return cur, true
}

func chmod(c *cmd) int {
	opts, operands := split(c.args[1:])
	if len(operands) < 2 {
		// "chmod -x file" parses as an option; put it back as the mode
		for o := range opts {
			if len(o) == 2 && strings.ContainsAny(o[1:], "rwxXst") && len(operands) == 1 {
				operands = append([]string{o}, operands...)
			}
		}
	}
	if len(operands) < 2 {
		return c.fail(1, "missing operand")
	}
	mode, targets := operands[0], operands[1:]
	bad := false
	for _, op := range targets {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			p := c.abs(op)
			n, lerr := m.Files.lookup(c.user, p)
			if lerr != nil {
				err = lerr
				return
			}
			if c.user != "root" && n.Owner != c.user {
				err = errno("Operation not permitted")
				return
			}
			v, ok := parseMode(mode, uint32(n.Mode)&0o7777)
			if !ok {
				err = errno("invalid mode")
				return
			}
			n.Mode = fs.FileMode(v)
		})
		switch {
		case err == errno("invalid mode"):
			return c.fail(1, "invalid mode: %s", q(mode))
		case err == errno("Operation not permitted"):
			fmt.Fprintf(c.stderr, "chmod: changing permissions of %s: Operation not permitted\n", q(op))
			bad = true
		case err != nil:
			fmt.Fprintf(c.stderr, "chmod: cannot access %s: %s\n", q(op), err)
			bad = true
		}
	}
	return exit(bad)
}

func chown(c *cmd) int {
	opts, operands := split(c.args[1:])
	if len(operands) < 2 {
		return c.fail(1, "missing operand")
	}
	owner, _, _ := strings.Cut(operands[0], ":")
	owner, _, _ = strings.Cut(owner, ".")
	bad := false
	for _, op := range operands[1:] {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			p := c.abs(op)
			if _, lerr := m.Files.lookup(c.user, p); lerr != nil {
				err = lerr
				return
			}
			if c.user != "root" {
				err = errno("Operation not permitted")
				return
			}
			for q, n := range m.Files {
				if q == p || opts["-R"] && strings.HasPrefix(q, p+"/") {
					if owner != "" {
						n.Owner = owner
					}
				}
			}
		})
		if err != nil {
			if err == errNoEnt {
				fmt.Fprintf(c.stderr, "chown: cannot access %s: %s\n", q(op), err)
			} else {
				fmt.Fprintf(c.stderr, "chown: changing ownership of %s: %s\n", q(op), err)
			}
			bad = true
		}
	}
	return exit(bad)
}

// bre turns a POSIX basic regular expression into Go's syntax: \( \) \{ \} \| \+ \? are
// the operators, and ( ) { } | + ? themselves.
func bre(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		if ch == '\\' && i+1 < len(p) {
			next := p[i+1]
			if strings.IndexByte("(){}|+?", next) >= 0 {
				b.WriteByte(next)
			} else {
				b.WriteByte('\\')
				b.WriteByte(next)
			}
			i++
			continue
		}
		if strings.IndexByte("(){}|+?", ch) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(ch)
	}
	return b.String()
}

func grep(c *cmd) int {
	var pattern string
	var operands []string
	opts := map[string]bool{}
	havePattern := false
	args := c.args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-e" && i+1 < len(args):
			pattern, havePattern = args[i+1], true
			i++
		case a == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			opts[a] = true
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, r := range a[1:] {
				opts["-"+string(r)] = true
			}
		default:
			operands = append(operands, a)
		}
	}
	if !havePattern {
		if len(operands) == 0 {
			fmt.Fprintln(c.stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.")
			return 2
		}
		pattern, operands = operands[0], operands[1:]
	}
	expr := pattern
	switch {
	case opts["-F"]:
		expr = regexp.QuoteMeta(pattern)
	case !opts["-E"]:
		expr = bre(pattern)
	}
	if opts["-w"] {
		expr = `\b(?:` + expr + `)\b`
	}
	if opts["-i"] {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		fmt.Fprintf(c.stderr, "grep: Invalid regular expression\n")
		return 2
	}
	if opts["-r"] || opts["-R"] {
		if len(operands) == 0 {
			operands = []string{"."}
		}
		operands = c.walkFiles(operands)
	}
	many := len(operands) > 1 || opts["-r"] || opts["-R"]
	found := false
	bad := c.inputs(operands, func(name string, data []byte) {
		if name == "-" {
			name = "(standard input)"
		}
		count := 0
		for i, l := range lines(data) {
			if re.MatchString(l) == opts["-v"] {
				continue
			}
			count++
			found = true
			if opts["-q"] || opts["-c"] || opts["-l"] {
				continue
			}
			prefix := ""
			if many {
				prefix = name + ":"
			}
			if opts["-n"] {
				prefix += strconv.Itoa(i+1) + ":"
			}
			if opts["-o"] && !opts["-v"] {
				for _, m := range re.FindAllString(l, -1) {
					fmt.Fprintln(c.stdout, prefix+m)
				}
				continue
			}
			fmt.Fprintln(c.stdout, prefix+l)
		}
		switch {
		case opts["-q"]:
		case opts["-l"] && count > 0:
			fmt.Fprintln(c.stdout, name)
		case opts["-c"] && many:
			fmt.Fprintf(c.stdout, "%s:%d\n", name, count)
		case opts["-c"]:
			fmt.Fprintln(c.stdout, count)
		}
	})
	switch {
	case bad && !(opts["-q"] && found):
		return 2
	case found:
		return 0
	}
	return 1
}

// walkFiles expands directories among the operands into the files below them.
func (c *cmd) walkFiles(operands []string) []string {
	var out []string
	c.sh.s.view(c.sh.id, func(m *machine) {
		for _, op := range operands {
			p := c.abs(op)
			n, err := m.Files.lookup(c.user, p)
			if err != nil || !n.Dir {
				out = append(out, op)
				continue
			}
			var below []string
			for q, k := range m.Files {
				if !k.Dir && strings.HasPrefix(q, p+"/") {
					below = append(below, path.Join(op, strings.TrimPrefix(q, p+"/")))
				}
			}
			slices.Sort(below)
			out = append(out, below...)
		}
	})
	return out
}

// count reads head's and tail's -n N, -N and -n +N.
func count(args []string) (n int, fromStart bool, operands []string, ok bool) {
	n = 10
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-n" || a == "-c") && i+1 < len(args):
			v := args[i+1]
			fromStart = strings.HasPrefix(v, "+")
			x, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
			if err != nil {
				return 0, false, nil, false
			}
			n = x
			i++
		case strings.HasPrefix(a, "-n") && len(a) > 2:
			x, err := strconv.Atoi(strings.TrimPrefix(a[2:], "+"))
			if err != nil {
				return 0, false, nil, false
			}
			n, fromStart = x, strings.HasPrefix(a[2:], "+")
		case a == "-f" || a == "-F" || a == "--follow" || a == "-q":
		case strings.HasPrefix(a, "-") && len(a) > 1:
			x, err := strconv.Atoi(a[1:])
			if err != nil {
				return 0, false, nil, false
			}
			n = x
		default:
			operands = append(operands, a)
		}
	}
	return n, fromStart, operands, true
}

func head(c *cmd) int {
	n, _, operands, ok := count(c.args[1:])
	if !ok {
		return c.fail(1, "invalid number of lines")
	}
	return exit(c.inputs(operands, func(name string, data []byte) {
		if len(operands) > 1 {
			fmt.Fprintf(c.stdout, "==> %s <==\n", name)
		}
		ls := lines(data)
		for _, l := range ls[:min(n, len(ls))] {
			fmt.Fprintln(c.stdout, l)
		}
	}))
}

func tail(c *cmd) int {
	n, fromStart, operands, ok := count(c.args[1:])
	if !ok {
		return c.fail(1, "invalid number of lines")
	}
	return exit(c.inputs(operands, func(name string, data []byte) {
		if len(operands) > 1 {
			fmt.Fprintf(c.stdout, "==> %s <==\n", name)
		}
		ls := lines(data)
		start := max(len(ls)-n, 0)
		if fromStart {
			start = min(max(n-1, 0), len(ls))
		}
		for _, l := range ls[start:] {
			fmt.Fprintln(c.stdout, l)
		}
	}))
}

func wc(c *cmd) int {
	opts, operands := split(c.args[1:])
	if len(opts) == 0 {
		opts = map[string]bool{"-l": true, "-w": true, "-c": true}
	}
	return exit(c.inputs(operands, func(name string, data []byte) {
		var out []string
		if opts["-l"] {
			out = append(out, strconv.Itoa(bytes.Count(data, []byte("\n"))))
		}
		if opts["-w"] {
			out = append(out, strconv.Itoa(len(strings.Fields(string(data)))))
		}
		if opts["-c"] || opts["-m"] {
			out = append(out, strconv.Itoa(len(data)))
		}
		if name != "-" {
			out = append(out, name)
		}
		fmt.Fprintln(c.stdout, strings.Join(out, " "))
	}))
}

func tee(c *cmd) int {
	opts, operands := split(c.args[1:])
	data, _ := io.ReadAll(io.LimitReader(c.stdin, maxDiskBytes))
	c.stdout.Write(data)
	bad := false
	for _, op := range operands {
		var err error
		c.sh.s.update(c.sh.id, func(m *machine) {
			err = m.Files.write(c.user, c.abs(op), data, opts["-a"] || opts["--append"], 0o644, c.sh.s.clock.Now())
		})
		if err != nil {
			fmt.Fprintf(c.stderr, "tee: %s: %s\n", op, err)
			bad = true
		}
	}
	return exit(bad)
}

func sortCmd(c *cmd) int {
	opts, operands := split(c.args[1:])
	var all []string
	bad := c.inputs(operands, func(_ string, data []byte) { all = append(all, lines(data)...) })
	if opts["-n"] {
		sort.SliceStable(all, func(i, j int) bool {
			a, _ := strconv.ParseFloat(strings.Fields(all[i] + " 0")[0], 64)
			b, _ := strconv.ParseFloat(strings.Fields(all[j] + " 0")[0], 64)
			return a < b
		})
	} else {
		slices.Sort(all)
	}
	if opts["-r"] {
		slices.Reverse(all)
	}
	if opts["-u"] {
		all = slices.Compact(all)
	}
	for _, l := range all {
		fmt.Fprintln(c.stdout, l)
	}
	return exit(bad)
}

// strftime formats t as date +FORMAT does, for the common conversions.
func strftime(f string, t interface {
	Format(string) string
	Unix() int64
}) string {
	conv := map[byte]string{'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05", 'F': "2006-01-02",
		'T': "15:04:05", 'Z': "MST", 'a': "Mon", 'A': "Monday", 'b': "Jan", 'B': "January", 'e': "_2", 'y': "06",
		'z': "-0700", 'D': "01/02/06", 'R': "15:04", 'p': "PM", 'I': "03"}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case '%':
			b.WriteByte('%')
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'n':
			b.WriteByte('\n')
		default:
			if layout, ok := conv[f[i]]; ok {
				b.WriteString(t.Format(layout))
			} else {
				b.WriteByte('%')
				b.WriteByte(f[i])
			}
		}
	}
	return b.String()
}

func date(c *cmd) int {
	now := c.sh.s.clock.Now().UTC()
	for _, a := range c.args[1:] {
		switch {
		case strings.HasPrefix(a, "+"):
			fmt.Fprintln(c.stdout, strftime(a[1:], now))
			return 0
		case a == "-u" || a == "--utc":
		case a == "-I" || a == "--iso-8601":
			fmt.Fprintln(c.stdout, now.Format("2006-01-02"))
			return 0
		default:
			return c.fail(1, "invalid date %s", q(a))
		}
	}
	fmt.Fprintln(c.stdout, now.Format("Mon Jan _2 15:04:05 MST 2006"))
	return 0
}

// sleep returns at once: the simulator's clock moves only when it is told to.
// sleep waits on the simulator's clock, as GNU sleep takes its operands: numbers of seconds,
// fractions too, with s, m, h or d, summed. The wait takes no wall time: the clock moves on
// ([RunOptions.Sleep]), so that what falls due meanwhile (a Spot notice, an alarm, a NAT
// gateway that becomes available) has happened when the command after it runs.
func sleep(c *cmd) int {
	if len(c.args) < 2 {
		return c.fail(1, "missing operand\nTry 'sleep --help' for more information.")
	}
	var total time.Duration
	for _, a := range c.args[1:] {
		d, ok := sleepOperand(a)
		if !ok {
			return c.fail(1, "invalid time interval %s\nTry 'sleep --help' for more information.", q(a))
		}
		total += d
		if total > maxSleep {
			total = maxSleep
		}
	}
	if c.sh.sleep != nil && total > 0 {
		c.sh.sleep(total)
	}
	return 0
}

// maxSleep is the longest a sleep moves the clock: a day more than any lab waits, and a
// bound on what the clock plays out in one command.
const maxSleep = 7 * 24 * time.Hour

// sleepOperand reads one of sleep's operands: 5, 0.5, 2m, 1.5h, 1d.
func sleepOperand(a string) (time.Duration, bool) {
	unit := time.Second
	if n := len(a); n > 1 {
		switch a[n-1] {
		case 's':
			a = a[:n-1]
		case 'm':
			unit, a = time.Minute, a[:n-1]
		case 'h':
			unit, a = time.Hour, a[:n-1]
		case 'd':
			unit, a = 24*time.Hour, a[:n-1]
		}
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(a, "xXpP_") {
		return 0, false
	}
	if f*float64(unit) > float64(maxSleep) {
		return maxSleep, true
	}
	return time.Duration(f * float64(unit)), true
}

func envCmd(c *cmd) int {
	if len(c.args) > 1 && c.name() == "printenv" {
		v := c.env.Get(c.args[1])
		if !v.IsSet() {
			return 1
		}
		fmt.Fprintln(c.stdout, v.String())
		return 0
	}
	if len(c.args) > 1 && c.name() == "env" {
		// env NAME=value… COMMAND: the command with the assignments (not passed on here)
		i := 1
		for i < len(c.args) && strings.Contains(c.args[i], "=") {
			i++
		}
		if i < len(c.args) {
			sub := *c
			sub.args = c.args[i:]
			return sub.dispatch()
		}
	}
	var out []string
	c.env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.IsSet() {
			out = append(out, name+"="+vr.String())
		}
		return true
	})
	slices.Sort(out)
	for _, l := range out {
		fmt.Fprintln(c.stdout, l)
	}
	return 0
}

// where returns the path of the program name on the machine, "" for none.
func (c *cmd) where(name string) string {
	if _, ok := c.available(name); ok && !strings.HasPrefix(name, "\x00") {
		return "/usr/bin/" + name
	}
	if c.installedBin(name) != nil {
		return "/usr/bin/" + name
	}
	return ""
}

func which(c *cmd) int {
	bad := false
	for _, a := range c.args[1:] {
		if p := c.where(a); p != "" {
			fmt.Fprintln(c.stdout, p)
			continue
		}
		bad = true
		if c.sh.fam.amazon() {
			fmt.Fprintf(c.stderr, "/usr/bin/which: no %s in (/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin)\n", a)
		}
	}
	return exit(bad)
}

// builtins are the interpreter's own commands, for type and command -v.
var builtins = []string{"cd", "echo", "export", "pwd", "read", "test", "true", "false", "exit", "set", "unset",
	"source", ".", "[", "printf", "shift", "local", "return", "eval", "exec", "alias", "wait", "trap", ":"}

func typeCmd(c *cmd) int {
	bad := false
	verbose := true
	for _, a := range c.args[1:] {
		if a == "-v" || strings.HasPrefix(a, "-") && strings.Contains(a, "v") && !strings.Contains(a, "V") {
			verbose = false
			continue
		}
		if strings.HasPrefix(a, "-") && a != "-v" {
			continue
		}
		switch p := c.where(a); {
		case slices.Contains(builtins, a) && verbose:
			fmt.Fprintf(c.stdout, "%s is a shell builtin\n", a)
		case slices.Contains(builtins, a):
			fmt.Fprintln(c.stdout, a)
		case p != "" && verbose:
			fmt.Fprintf(c.stdout, "%s is %s\n", a, p)
		case p != "":
			fmt.Fprintln(c.stdout, p)
		default:
			if verbose {
				fmt.Fprintf(c.stderr, "bash: type: %s: not found\n", a)
			}
			bad = true
		}
	}
	return exit(bad)
}

func basename(c *cmd) int {
	if len(c.args) < 2 {
		return c.fail(1, "missing operand")
	}
	b := path.Base(c.args[1])
	if len(c.args) > 2 {
		b = strings.TrimSuffix(b, c.args[2])
	}
	fmt.Fprintln(c.stdout, b)
	return 0
}

func dirname(c *cmd) int {
	if len(c.args) < 2 {
		return c.fail(1, "missing operand")
	}
	fmt.Fprintln(c.stdout, path.Dir(c.args[1]))
	return 0
}

// sudo runs a command as root (or -u USER): the default users of EC2's images may sudo
// without a password.
func sudo(c *cmd) int {
	args := c.args[1:]
	user, login, shellMode := "root", false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch a := args[0]; a {
		case "-u":
			if len(args) < 2 {
				return c.fail(1, "option requires an argument -- 'u'")
			}
			user, args = args[1], args[1:]
		case "-i":
			login = true
		case "-s":
			shellMode = true
		case "--":
			args = args[1:]
			goto run
		case "-E", "-H", "-n", "-S", "-k":
		default:
			return c.fail(1, "invalid option %s", a)
		}
		args = args[1:]
	}
run:
	if user != "root" && user != c.sh.fam.User {
		return c.fail(1, "unknown user %s", user)
	}
	sub := *c
	sub.user = user
	sub.ctx = context.WithValue(c.ctx, userKey{}, user)
	if login {
		sub.dir = homeOf(user)
	}
	if len(args) > 0 && (args[0] == "su" || args[0] == "-su") {
		rest := args[1:]
		for len(rest) > 0 && (rest[0] == "-" || rest[0] == "-l" || rest[0] == "root") {
			rest = rest[1:]
		}
		if len(rest) >= 2 && rest[0] == "-c" {
			return c.sh.run(sub.ctx, user, sub.dir, rest[1], nil, c.stdin, c.stdout, c.stderr)
		}
		args = nil
	}
	if len(args) == 0 {
		if !login && !shellMode {
			fmt.Fprintln(c.stderr, "usage: sudo -h | -K | -k | -V\nusage: sudo [-u user] [-i | -s] [command [arg ...]]")
			return 1
		}
		script, _ := io.ReadAll(io.LimitReader(c.stdin, maxDiskBytes)) // a shell reading its stdin
		return c.sh.run(sub.ctx, user, sub.dir, string(script), nil, strings.NewReader(""), c.stdout, c.stderr)
	}
	sub.args = args
	return sub.dispatch()
}

// nohup runs a command immune to hangups; its output is not a terminal here, so stays where
// it goes.
func nohup(c *cmd) int {
	if len(c.args) < 2 {
		return c.fail(125, "missing operand")
	}
	sub := *c
	sub.args = c.args[1:]
	return sub.dispatch()
}

// bashCmd runs a nested shell: bash -c SCRIPT [NAME ARGS…], bash FILE ARGS…, or the script
// on stdin (curl … | sudo bash -).
func bashCmd(c *cmd) int {
	args := c.args[1:]
	var flags []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-c" {
		if args[0] == "-" || args[0] == "--" {
			args = args[1:]
			break
		}
		for _, r := range args[0][1:] {
			if strings.ContainsRune("euxv", r) {
				flags = append(flags, "-"+string(r))
			}
		}
		args = args[1:]
	}
	switch {
	case len(args) > 0 && args[0] == "-c":
		if len(args) < 2 {
			return c.fail(2, "-c: option requires an argument")
		}
		var params []string
		if len(args) > 3 {
			params = args[3:]
		}
		return c.sh.run(c.ctx, c.user, c.dir, args[1], params, c.stdin, c.stdout, c.stderr, flags...)
	case len(args) > 0:
		data, err := c.read(args[0])
		if err != nil {
			fmt.Fprintf(c.stderr, "%s: %s: %s\n", c.name(), args[0], err)
			return 127
		}
		more, _ := shebang(string(data))
		return c.sh.run(c.ctx, c.user, c.dir, string(data), args[1:], c.stdin, c.stdout, c.stderr, append(flags, more...)...)
	}
	script, _ := io.ReadAll(io.LimitReader(c.stdin, maxDiskBytes))
	return c.sh.run(c.ctx, c.user, c.dir, string(script), nil, strings.NewReader(""), c.stdout, c.stderr, flags...)
}

// readLine reads one line of stdin, for a prompt's answer.
func (c *cmd) readLine() (string, bool) {
	var b []byte
	one := make([]byte, 1)
	for len(b) < 4096 {
		n, err := c.stdin.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				return strings.TrimRight(string(b), "\r"), true
			}
			b = append(b, one[0])
		}
		if err != nil {
			return string(b), len(b) > 0
		}
	}
	return string(b), true
}
