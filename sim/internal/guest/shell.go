package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// The bounds of one run (a command line, a boot's user data): a script that loops or writes
// without end stops at the first it passes, with exit status 124 (timeout's).
const (
	defaultTimeout = 10 * time.Second // wall time, for loops of builtins
	maxSteps       = 100000           // commands run, builtins included
	maxOutput      = 4 << 20          // bytes written to the run's stdout and stderr together
)

// RunOptions are a run's streams and user.
type RunOptions struct {
	Stdin          io.Reader // nil for none
	Stdout, Stderr io.Writer
	User           string        // "" for the image's default user (ec2-user, ubuntu, admin)
	Timeout        time.Duration // 0 for the default, 10s
	// Sleep is what sleep does with its time: move the simulator's clock. nil returns at
	// once (user data at boot, where the clock is the launch's).
	Sleep func(time.Duration)
}

// errNotRunning is the error of a run on a machine that is not running.
var errNotRunning = errors.New("guest: the instance is not running")

// Run runs script in a shell on the instance in, as the user (the image's default user
// unless opts says), in the user's home directory, and returns its exit status. The
// instance gets an operating system from its image if it has none yet. err is for what is
// not the script's doing (the instance not running).
func (s *Store) Run(ctx context.Context, in Instance, script string, opts RunOptions) (int, error) {
	s.ensure(in)
	var f family
	running := false
	s.view(in.ID, func(m *machine) { f, running = m.family(), m.Running })
	if !running {
		return 0, errNotRunning
	}
	user := opts.User
	if user == "" {
		user = f.User
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b := &bounds{cancel: cancel}
	stdout, stderr := b.writer(opts.Stdout), b.writer(opts.Stderr)
	sh := &shell{s: s, id: in.ID, fam: f, bounds: b, sleep: opts.Sleep}
	code := sh.run(ctx, user, homeOf(user), script, nil, opts.Stdin, stdout, stderr)
	return code, nil
}

// homeOf is the user's home directory.
func homeOf(user string) string {
	if user == "root" {
		return "/root"
	}
	return "/home/" + user
}

// bounds counts what a run has done, across its nested shells and pipelines.
type bounds struct {
	steps   atomic.Int64
	written atomic.Int64
	cancel  context.CancelFunc
	mu      sync.Mutex
	why     string // the bound passed first
}

func (b *bounds) stop(why string) {
	b.mu.Lock()
	if b.why == "" {
		b.why = why
	}
	b.mu.Unlock()
	b.cancel()
}

func (b *bounds) reason() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.why
}

// writer caps w at the run's output bound.
func (b *bounds) writer(w io.Writer) io.Writer {
	if w == nil {
		w = io.Discard
	}
	return &cappedWriter{w: w, b: b}
}

type cappedWriter struct {
	mu sync.Mutex
	w  io.Writer
	b  *bounds
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	if n := c.b.written.Add(int64(len(p))); n > maxOutput {
		c.b.stop(fmt.Sprintf("wrote more than %d MiB", maxOutput>>20))
		return 0, errno("output limit reached")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.w.Write(p)
}

// shell runs scripts on one machine.
type shell struct {
	s      *Store
	id     string
	fam    family
	bounds *bounds
	sleep  func(time.Duration) // nil: sleep returns at once
}

type userKey struct{}

// userOf returns the user a command runs as.
func userOf(ctx context.Context) string {
	u, _ := ctx.Value(userKey{}).(string)
	return u
}

// run interprets script as user in dir with the positional parameters params, and returns
// its exit status. flags are bash's (-e, -x) from a script's #! line.
func (sh *shell) run(ctx context.Context, user, dir, script string, params []string, stdin io.Reader, stdout, stderr io.Writer, flags ...string) (code int) {
	defer func() {
		if r := recover(); r != nil { // the interpreter's, never ours: say so, and go on
			fmt.Fprintf(stderr, "bash: internal error: %v\n", r)
			code = 2
		}
	}()
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		fmt.Fprintf(stderr, "bash: %v\n", err)
		return 2
	}
	if err := tame(file); err != nil {
		fmt.Fprintf(stderr, "bash: %v\n", err)
		return 2
	}
	ctx = context.WithValue(ctx, userKey{}, user)
	env := []string{
		"HOME=" + homeOf(user), "USER=" + user, "LOGNAME=" + user, "SHELL=/bin/bash", "TERM=xterm-256color",
		"PATH=/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin", "LANG=C.UTF-8", "HOSTNAME=" + sh.hostname(),
		"UID=" + uidOf(user), "EUID=" + uidOf(user), "GID=" + uidOf(user), "TMPDIR=/tmp",
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	args := append(append([]string{}, flags...), "--")
	r, err := interp.New(
		// The interpreter opens the paths of its temporary directory (TMPDIR's, when the
		// first Reset runs) that look like its FIFOs on the host, past the open handler. It
		// gets a directory no path can name (a NUL byte: the shell's strings have none, and
		// the host refuses such a path), then the machine's environment for its variables.
		interp.Env(expand.ListEnviron("TMPDIR="+noTempDir)),
		func(r *interp.Runner) error { r.Dir = dir; return nil }, // interp.Dir would stat the host's path
		interp.Params(append(args, params...)...),
		interp.StdIO(stdin, stdout, stderr),
		interp.CallHandler(sh.call),
		interp.ExecHandler(sh.exec),
		interp.OpenHandler(sh.open),
		interp.ReadDirHandler2(sh.readDir),
		interp.StatHandler(sh.stat),
		interp.AccessHandler(sh.access),
	)
	if err != nil {
		fmt.Fprintf(stderr, "bash: %v\n", err)
		return 2
	}
	r.Reset()
	r.Env = expand.ListEnviron(env...)
	r.Reset()
	err = r.Run(ctx, file)
	if why := sh.bounds.reason(); why != "" {
		fmt.Fprintf(stderr, "awsx sim: the command was stopped: it %s (a simulated instance's bound)\n", why)
		return 124
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "awsx sim: the command was stopped: it ran longer than its time\n")
		return 124
	}
	if status, ok := interp.IsExitStatus(err); ok {
		return int(status)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bash: %v\n", err)
		return 1
	}
	return 0
}

func uidOf(user string) string {
	if user == "root" {
		return "0"
	}
	return "1000"
}

// noTempDir is the interpreter's temporary directory: a path that no script can name.
const noTempDir = "/\x00awsx-sim-no-host-files"

// tame readies a parsed script for the simulated machine: background jobs run in the
// foreground (the programs that stay, such as a web server, are services here, so nothing
// is left running when the script ends), and what would touch the host's filesystem (a
// process substitution makes FIFOs there) is refused.
func tame(file *syntax.File) error {
	var err error
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			n.Background, n.Disown = false, false
			if n.Coprocess {
				err = errors.New("coproc: not supported on a simulated instance")
			}
		case *syntax.ProcSubst:
			err = errors.New("process substitution <(…) is not supported on a simulated instance")
		case *syntax.CoprocClause:
			err = errors.New("coproc: not supported on a simulated instance")
		}
		return err == nil
	})
	return err
}

// call counts each command against the run's bounds, and turns the builtins that would look
// at the host (command -v, type, hash, pwd -P) into the machine's own.
func (sh *shell) call(ctx context.Context, args []string) ([]string, error) {
	if sh.bounds.steps.Add(1) > maxSteps {
		sh.bounds.stop(fmt.Sprintf("ran more than %d commands", maxSteps))
		return nil, errors.New("step limit reached")
	}
	switch args[0] {
	case "type", "hash":
		return append([]string{"\x00type"}, args[1:]...), nil
	case "command":
		for _, a := range args[1:] { // command [-p] -v NAME looks NAME up in PATH: the machine's
			if !strings.HasPrefix(a, "-") {
				break
			}
			if strings.ContainsAny(a, "vV") {
				return append([]string{"\x00type"}, args[1:]...), nil
			}
		}
	case "pwd":
		return args[:1], nil
	}
	return args, nil
}

// exec runs a command that is neither a builtin nor a function.
func (sh *shell) exec(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	c := &cmd{sh: sh, ctx: ctx, args: args, dir: hc.Dir, env: hc.Env, user: userOf(ctx),
		stdin: hc.Stdin, stdout: hc.Stdout, stderr: hc.Stderr}
	if c.stdin == nil {
		c.stdin = strings.NewReader("")
	}
	code := c.dispatch()
	if code == 0 {
		return nil
	}
	return interp.NewExitStatus(uint8(code))
}

func (sh *shell) hostname() string {
	h := ""
	sh.s.view(sh.id, func(m *machine) { h = m.Hostname })
	return h
}

// open is the interpreter's redirections and `source` on the machine's files.
func (sh *shell) open(ctx context.Context, p string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
	hc := interp.HandlerCtx(ctx)
	p = clean(hc.Dir, p)
	user := userOf(ctx)
	switch p {
	case "/dev/null":
		return nopFile{Reader: strings.NewReader(""), Writer: io.Discard}, nil
	case "/dev/stdout":
		return nopFile{Reader: strings.NewReader(""), Writer: hc.Stdout}, nil
	case "/dev/stderr":
		return nopFile{Reader: strings.NewReader(""), Writer: hc.Stderr}, nil
	case "/dev/stdin":
		return nopFile{Reader: hc.Stdin, Writer: io.Discard}, nil
	}
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		data, err := sh.readFile(user, p)
		if err != nil {
			return nil, pathErr(p, err)
		}
		return nopFile{Reader: bytes.NewReader(data), Writer: io.Discard}, nil
	}
	var err error
	sh.s.update(sh.id, func(m *machine) {
		n, lerr := m.Files.lookup(user, p)
		switch {
		case lerr == nil && n.Dir:
			err = errIsDir
		case lerr == nil && flag&os.O_TRUNC != 0:
			err = m.Files.write(user, p, nil, false, 0, sh.s.clock.Now())
		case lerr == nil && !canWrite(user, n):
			err = errAccess
		case lerr == errNoEnt && flag&os.O_CREATE != 0:
			err = m.Files.write(user, p, nil, false, 0o664&^0o002, sh.s.clock.Now())
		default:
			err = lerr
		}
	})
	if err != nil {
		return nil, pathErr(p, err)
	}
	return &fileWriter{sh: sh, user: user, path: p}, nil
}

// readFile returns the contents of the file p as user may read them.
func (sh *shell) readFile(user, p string) (data []byte, err error) {
	sh.s.view(sh.id, func(m *machine) {
		var n *node
		n, err = m.Files.lookup(user, p)
		switch {
		case err != nil:
		case n.Dir:
			err = errIsDir
		case !canRead(user, n):
			err = errAccess
		default:
			data = bytes.Clone(n.Data)
		}
	})
	return data, err
}

type nopFile struct {
	io.Reader
	io.Writer
}

func (nopFile) Close() error { return nil }

// fileWriter appends what is written to a file of the machine, as it is written.
type fileWriter struct {
	sh   *shell
	user string
	path string
}

func (w *fileWriter) Read([]byte) (int, error) { return 0, io.EOF }
func (w *fileWriter) Close() error             { return nil }
func (w *fileWriter) Write(p []byte) (int, error) {
	var err error
	ok := w.sh.s.update(w.sh.id, func(m *machine) {
		err = m.Files.write(w.user, w.path, p, true, 0o644, w.sh.s.clock.Now())
	})
	if !ok {
		return 0, errNoEnt
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// readDir lists a directory for globs.
func (sh *shell) readDir(ctx context.Context, p string) ([]fs.DirEntry, error) {
	user := userOf(ctx)
	p = clean(interp.HandlerCtx(ctx).Dir, p)
	var out []fs.DirEntry
	var err error
	sh.s.view(sh.id, func(m *machine) {
		var n *node
		if n, err = m.Files.lookup(user, p); err != nil {
			return
		}
		if !n.Dir {
			err = errNotDir
			return
		}
		if !canRead(user, n) {
			err = errAccess
			return
		}
		for _, name := range m.Files.children(p) {
			out = append(out, fs.FileInfoToDirEntry(info(name, m.Files[path.Join(p, name)])))
		}
	})
	if err != nil {
		return nil, pathErr(p, err)
	}
	return out, nil
}

func (sh *shell) stat(ctx context.Context, p string, _ bool) (fs.FileInfo, error) {
	user := userOf(ctx)
	p = clean(interp.HandlerCtx(ctx).Dir, p)
	var fi fs.FileInfo
	var err error
	sh.s.view(sh.id, func(m *machine) {
		var n *node
		if n, err = m.Files.lookup(user, p); err == nil {
			fi = info(path.Base(p), n)
		}
	})
	if err != nil {
		return nil, pathErr(p, err)
	}
	return fi, nil
}

func (sh *shell) access(ctx context.Context, p string, mode interp.AccessMode) error {
	user := userOf(ctx)
	p = clean(interp.HandlerCtx(ctx).Dir, p)
	var err error
	sh.s.view(sh.id, func(m *machine) {
		var n *node
		if n, err = m.Files.lookup(user, p); err != nil {
			return
		}
		switch {
		case mode&interp.AccessRead != 0 && !canRead(user, n),
			mode&interp.AccessWrite != 0 && !canWrite(user, n),
			mode&interp.AccessExec != 0 && !(canEnter(user, n) && (n.Dir || n.Mode&0o111 != 0)):
			err = errAccess
		}
	})
	if err != nil {
		return pathErr(p, err)
	}
	return nil
}

// fileInfo is a node as fs.FileInfo.
type fileInfo struct {
	name string
	n    *node
}

func info(name string, n *node) fileInfo { return fileInfo{name, n.clone()} }

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return int64(len(i.n.Data)) }
func (i fileInfo) Mode() fs.FileMode {
	m := i.n.Mode & 0o777
	if i.n.Mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	if i.n.Dir {
		m |= fs.ModeDir
	}
	return m
}
func (i fileInfo) ModTime() time.Time { return i.n.Mod }
func (i fileInfo) IsDir() bool        { return i.n.Dir }
func (i fileInfo) Sys() any           { return sysOf(i.n) }
