package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimSCP returns `awsx sim scp`: OpenSSH's scp between this machine's files and a
// simulated instance's.
func NewCmdSimSCP(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "scp [-i KEY.pem] [-r] [-P PORT] [-o OPTION=VALUE] SOURCE… TARGET",
		Short: "Copy files to or from a simulated instance as OpenSSH's scp does",
		Long: `Copy files between this machine (relative to the current directory) and an instance of
the embedded simulator (or, with --endpoint-url URL before the other options, of awsx sim
serve's, where a file is at most 3 MiB), with the checks and messages of awsx sim ssh (the key file, the
network path to port 22, the key pair, the image's user). One side is USER@HOST:PATH, where
a relative PATH is in the user's home directory and an empty one is the home directory.

  awsx sim scp -i key.pem index.html ec2-user@3.80.12.7:
  awsx sim scp -i key.pem -r site ec2-user@3.80.12.7:/tmp/site
  awsx sim scp -i key.pem ec2-user@3.80.12.7:/var/log/cloud-init-output.log .

Options: -i KEY, -r (directories), -P PORT, -o OPTION=VALUE as for ssh; -p, -q, -C, -v, -3,
-O and -s are accepted and without effect.`,
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOpenSSH(cmd, f, args, runSCP)
		},
	}
}

const scpUsage = `usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]
           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]
           [-P port] [-S program] [-X sftp_option] source ... target
`

// scpEnd is one side of a copy: a local path, or a remote USER@HOST:PATH.
type scpEnd struct {
	remote     bool
	user, host string
	path       string
}

// parseSCPEnd reads a file operand as scp does: HOST:PATH or USER@HOST:PATH is remote
// (a colon before any slash), anything else local.
func parseSCPEnd(s string) scpEnd {
	i := strings.IndexByte(s, ':')
	if i <= 0 || strings.Contains(s[:i], "/") {
		return scpEnd{path: s}
	}
	e := scpEnd{remote: true, host: s[:i], path: s[i+1:]}
	if u, h, ok := strings.Cut(e.host, "@"); ok {
		e.user, e.host = u, h
	}
	return e
}

// runSCP is `awsx sim scp ARGS`, and returns its exit status: against the embedded
// simulator, or through admin, when not nil, a served one.
func runSCP(ctx context.Context, f *Factory, admin *adminClient, args []string) int {
	w := f.IO.Err
	o := sshOptions{prog: "ssh", port: 22}
	recursive := false
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			files = append(files, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'r':
				recursive = true
			case 'p', 'q', 'C', 'v', '3', '4', 'O', 's', 'T', 'A', 'B':
			case 'i', 'P', 'o', 'F', 'l':
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						fmt.Fprintf(w, "scp: option requires an argument -- %c\n%s", c, scpUsage)
						return 1
					}
					i++
					v = args[i]
				}
				switch c {
				case 'i':
					o.key = v
				case 'P':
					n, err := strconv.Atoi(v)
					if err != nil || n <= 0 || n > 65535 {
						fmt.Fprintf(w, "scp: invalid port: %s\n", v)
						return 1
					}
					o.port = n
				case 'o':
					if err := o.option(v); err != nil {
						fmt.Fprintf(w, "command-line line 0: %v\n", err)
						return 255
					}
				}
				j = len(a)
			default:
				fmt.Fprintf(w, "scp: unknown option -- %c\n%s", c, scpUsage)
				return 1
			}
		}
	}
	if len(files) < 2 {
		fmt.Fprint(w, scpUsage)
		return 1
	}
	dst := parseSCPEnd(files[len(files)-1])
	var srcs []scpEnd
	var remote *scpEnd
	if dst.remote {
		remote = &dst
	}
	for _, s := range files[:len(files)-1] {
		e := parseSCPEnd(s)
		srcs = append(srcs, e)
		if e.remote {
			if remote != nil {
				fmt.Fprintln(w, "awsx: sim scp copies between this machine and one instance: one side is USER@HOST:PATH, the other a local path")
				return 1
			}
			remote = &srcs[len(srcs)-1]
		}
	}
	if remote == nil {
		fmt.Fprintln(w, "awsx: sim scp copies to or from an instance: name one side USER@HOST:PATH (scp -i key.pem file ec2-user@3.80.12.7:)")
		return 1
	}
	o.host, o.user = remote.host, remote.user
	if o.user == "" {
		o.user = localUser(f)
	}
	code := 0
	copyOn := func(hosts sshNetwork, files instanceFiles) {
		h, ok := sshConnect(f, hosts, &o)
		if !ok {
			fmt.Fprintln(w, "scp: Connection closed")
			code = 255
			return
		}
		x := &scpCopy{f: f, c: files, id: h.Instance, recursive: recursive}
		for _, s := range srcs {
			if dst.remote {
				x.upload(s.path, dst.path, len(srcs) > 1)
			} else {
				x.download(s.path, dst.path, len(srcs) > 1)
			}
		}
		if x.failed {
			code = 1
		}
	}
	var err error
	if admin != nil {
		var hosts sshNetwork
		if hosts, err = admin.sshNetwork(ctx, o.host, o.port); err == nil {
			copyOn(hosts, servedFiles{ctx, admin})
		}
	} else {
		err = onEmbedded(ctx, f, "sim scp", func(c *sim.Cloud) error {
			copyOn(c, c)
			return nil
		})
	}
	if err != nil {
		fmt.Fprintln(w, "awsx: "+strings.TrimPrefix(err.Error(), "sim scp: "))
		return 255
	}
	return code
}

// instanceFiles are the files of a simulator's instances: the embedded simulator's
// *sim.Cloud, or a served one's through its admin API.
type instanceFiles interface {
	StatInstanceFile(id, user, p string) (sim.InstanceFile, error)
	ReadInstanceFile(id, user, p string) ([]byte, error)
	ReadInstanceDir(id, user, p string) ([]sim.InstanceFile, error)
	WriteInstanceFile(id, user, p string, data []byte, mode fs.FileMode) error
	MkdirInstance(id, user, p string) error
}

// scpCopy is one scp's copies on the instance id, as its default user.
type scpCopy struct {
	f         *Factory
	c         instanceFiles
	id        string
	recursive bool
	failed    bool
}

func (x *scpCopy) fail(format string, args ...any) {
	fmt.Fprintf(x.f.IO.Err, "scp: "+format+"\n", args...)
	x.failed = true
}

// pathErrText is the C library's words of err: "No such file or directory".
func pathErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	}
	return err.Error()
}

// remoteTarget returns where a file called name goes on the instance when copied to dst:
// into dst when it is a directory (or must be one), else dst itself.
func (x *scpCopy) remoteTarget(dst, name string, mustDir bool) (string, bool) {
	if dst == "" {
		dst = "."
	}
	fi, err := x.c.StatInstanceFile(x.id, "", dst)
	switch {
	case err == nil && fi.Dir:
		return path.Join(dst, name), true
	case mustDir:
		x.fail("%s: Not a directory", dst)
		return "", false
	}
	return dst, true
}

// upload copies the local file or directory src to dst on the instance.
func (x *scpCopy) upload(src, dst string, many bool) {
	local := x.f.Path(src)
	fi, err := os.Stat(local)
	if err != nil {
		x.fail("stat local \"%s\": %s", src, pathErrText(err))
		return
	}
	to, ok := x.remoteTarget(dst, filepath.Base(local), many)
	if !ok {
		return
	}
	x.put(local, src, to, fi)
}

func (x *scpCopy) put(local, shown, to string, fi fs.FileInfo) {
	if fi.IsDir() {
		if !x.recursive {
			x.fail("local \"%s\" is not a regular file", shown)
			x.fail("failed to upload directory %s to %s", shown, to)
			return
		}
		if err := x.c.MkdirInstance(x.id, "", to); err != nil {
			x.fail("%s: %s", to, pathErrText(err))
			return
		}
		entries, err := os.ReadDir(local)
		if err != nil {
			x.fail("opendir local \"%s\": %s", shown, pathErrText(err))
			return
		}
		for _, e := range entries {
			efi, err := e.Info()
			if err != nil {
				continue
			}
			x.put(filepath.Join(local, e.Name()), filepath.Join(shown, e.Name()), path.Join(to, e.Name()), efi)
		}
		return
	}
	if !fi.Mode().IsRegular() {
		x.fail("local \"%s\" is not a regular file", shown)
		return
	}
	data, err := os.ReadFile(local)
	if err != nil {
		x.fail("open local \"%s\": %s", shown, pathErrText(err))
		return
	}
	if err := x.c.WriteInstanceFile(x.id, "", to, data, fi.Mode().Perm()); err != nil {
		x.fail("dest open \"%s\": %s", to, pathErrText(err))
		x.fail("failed to upload file %s to %s", shown, to)
	}
}

// download copies src on the instance to the local dst.
func (x *scpCopy) download(src, dst string, many bool) {
	if src == "" {
		src = "."
	}
	fi, err := x.c.StatInstanceFile(x.id, "", src)
	if err != nil {
		x.fail("%s: %s", src, pathErrText(err))
		return
	}
	to := x.f.Path(dst)
	if lfi, err := os.Stat(to); err == nil && lfi.IsDir() {
		to = filepath.Join(to, path.Base(src))
	} else if many {
		x.fail("\"%s\": Not a directory", dst)
		return
	}
	x.get(src, to, fi)
}

func (x *scpCopy) get(src, to string, fi sim.InstanceFile) {
	if fi.Dir {
		if !x.recursive {
			x.fail("download %s: not a regular file", src)
			return
		}
		if err := os.Mkdir(to, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			x.fail("mkdir \"%s\": %s", to, pathErrText(err))
			return
		}
		list, err := x.c.ReadInstanceDir(x.id, "", src)
		if err != nil {
			x.fail("%s: %s", src, pathErrText(err))
			return
		}
		for _, e := range list {
			x.get(path.Join(src, e.Name), filepath.Join(to, e.Name), e)
		}
		return
	}
	data, err := x.c.ReadInstanceFile(x.id, "", src)
	if err != nil {
		x.fail("%s: %s", src, pathErrText(err))
		return
	}
	if err := os.WriteFile(to, data, fi.Mode.Perm()|0o600); err != nil {
		x.fail("open local \"%s\": %s", to, pathErrText(err))
	}
}
