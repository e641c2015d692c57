package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimSSH returns `awsx sim ssh`: OpenSSH's client, as a learner types it, against the
// embedded simulator's instances.
func NewCmdSimSSH(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "ssh [-i KEY.pem] [-p PORT] [-o OPTION=VALUE] USER@HOST [COMMAND…]",
		Short: "Log in to a simulated instance as OpenSSH's ssh does, with its checks and messages",
		Long: `Connect to an instance of the embedded simulator (or, with --endpoint-url URL before the
other options, of awsx sim serve's) as OpenSSH's client does, and run a
command on it, a script read from standard input, or (at a terminal) an interactive shell.

  chmod 400 key.pem
  awsx sim ssh -i key.pem ec2-user@3.80.12.7 whoami
  awsx sim ssh -i key.pem ubuntu@ec2-3-80-12-7.compute-1.amazonaws.com
  awsx sim ssh -i key.pem ec2-user@3.80.12.7 < setup.sh

HOST is an instance's public address, Elastic IP or public DNS name, or its private address
(which your machine, on the internet, does not reach). The checks are OpenSSH's, in its
order, and each refusal is OpenSSH's message with its exit status 255, then a line of
awsx's own ("awsx: …") that says why and what to fix:

  - the key file must exist and be readable by you alone (chmod 400 key.pem): OpenSSH
    ignores a key that others may read ("UNPROTECTED PRIVATE KEY FILE!");
  - the network must let tcp/22 through from you to the address (security groups, network
    ACLs, route tables, an internet gateway, a public address; see awsx sim why), the
    instance must be running and sshd listening, or the connection times out or is refused;
  - the key must be the private key of the key pair the instance was launched with, and
    the user the image's default user (ec2-user on Amazon Linux, ubuntu on Ubuntu, admin on
    Debian), or it is "Permission denied (publickey)".

Options: -i KEY, -p PORT, -l USER, -o ConnectTimeout=N (no real wait: a connection that
would time out fails at once), -o StrictHostKeyChecking=… (no known_hosts is kept: yes
refuses as OpenSSH does for a host it has no key of, no and accept-new print its
"Permanently added" warning, ask — the default — asks nothing), and -t, -T, -q, -v, -4, -A,
-C, -N, accepted and without effect. Nothing is read from or written to your ~/.ssh: no
known_hosts, no default keys (name the key with -i). The commands run in the instance's shell as
in awsx sim on; an interactive session runs each line on its own (cd does not last).`,
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOpenSSH(cmd, f, args, runSSH)
		},
	}
}

// runOpenSSH is the action of a command that reads its words as OpenSSH's client does (ssh,
// scp): --help, a leading --endpoint-url, then run against the simulator it names.
func runOpenSSH(cmd *cobra.Command, f *Factory, args []string, run func(context.Context, *Factory, *adminClient, []string) int) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return cmd.Help()
	}
	args, err := cutEndpoint(cmd, args)
	if err != nil {
		return err
	}
	admin, err := adminOf(cmd.Context(), cmd, f)
	if err != nil {
		return err
	}
	return exitFor(run(cmd.Context(), f, admin, args))
}

// exitFor turns an exit status into the command's error.
func exitFor(code int) error {
	if code != 0 {
		return &exitCode{code}
	}
	return nil
}

// sshUsage is OpenSSH's usage message (OpenSSH 9.2).
const sshUsage = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]
           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]
           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]
           [-i identity_file] [-J [user@]host[:port]] [-L address]
           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]
           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]
           [-w local_tun[:remote_tun]] [destination [command [argument ...]]]
`

// sshOptions are a connection's settings, as ssh's and scp's command lines give them.
type sshOptions struct {
	prog      string // ssh or scp: how messages start
	key       string // the identity file, as typed; "" for none
	user      string
	host      string // as typed
	port      int
	hostCheck string // StrictHostKeyChecking
}

// parseSSHOption reads one -o option: Key=Value or "Key Value".
func (o *sshOptions) option(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		k, v, _ = strings.Cut(strings.TrimSpace(s), " ")
	}
	k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
	switch k {
	case "stricthostkeychecking":
		switch strings.ToLower(v) {
		case "yes", "no", "ask", "accept-new", "off":
			o.hostCheck = strings.ToLower(v)
		default:
			return fmt.Errorf("unsupported option \"%s\".", v)
		}
	case "connecttimeout":
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return fmt.Errorf("invalid time value.")
		}
	case "port":
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 65535 {
			return fmt.Errorf("Bad port '%s'", v)
		}
		o.port = n
	case "user":
		o.user = v
	case "identityfile":
		o.key = v
	case "batchmode", "userknownhostsfile", "loglevel", "serveraliveinterval", "identitiesonly",
		"passwordauthentication", "pubkeyauthentication", "forwardagent", "requesttty", "addkeystoagent":
	default:
		return fmt.Errorf("Bad configuration option: %s", k)
	}
	return nil
}

// parseSSH reads ssh's command line: options, the destination, the command's words.
func parseSSH(args []string) (o sshOptions, command []string, err error) {
	o = sshOptions{prog: "ssh", port: 22}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			args = args[i+1:]
			goto dest
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			args = args[i:]
			goto dest
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 't', 'T', 'q', 'v', '4', 'A', 'C', 'N', 'n', 'x', 'X', 'Y', 'a', 'K', 'k', 'g', 'y':
				continue
			case 'i', 'p', 'o', 'l', 'F':
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						return o, nil, fmt.Errorf("option requires an argument -- %c\n%s", c, sshUsage)
					}
					i++
					v = args[i]
				}
				switch c {
				case 'i':
					o.key = v
				case 'l':
					o.user = v
				case 'p':
					n, err := strconv.Atoi(v)
					if err != nil || n <= 0 || n > 65535 {
						return o, nil, fmt.Errorf("Bad port '%s'", v)
					}
					o.port = n
				case 'o':
					if err := o.option(v); err != nil {
						return o, nil, fmt.Errorf("command-line line 0: %v", err)
					}
				}
				j = len(a)
			default:
				return o, nil, fmt.Errorf("unknown option -- %c\n%s", c, sshUsage)
			}
		}
	}
	args = nil
dest:
	if len(args) == 0 {
		return o, nil, errors.New(strings.TrimSuffix(sshUsage, "\n"))
	}
	dest := strings.TrimPrefix(args[0], "ssh://")
	if u, h, ok := strings.Cut(dest, "@"); ok {
		o.user, dest = u, h
	}
	o.host = dest
	return o, args[1:], nil
}

// runSSH is `awsx sim ssh ARGS`, and returns its exit status: against the embedded
// simulator, or through admin, when not nil, a served one.
func runSSH(ctx context.Context, f *Factory, admin *adminClient, args []string) int {
	streams := f.IO
	o, command, err := parseSSH(args)
	if err != nil {
		fmt.Fprintln(streams.Err, err.Error())
		return 255
	}
	if o.user == "" {
		o.user = localUser(f)
	}
	code := 255
	interactive := len(command) == 0 && streams.In != nil && isTerminal(streams.In)
	var h sim.SSHHost
	connected := false
	if admin != nil {
		var hosts sshNetwork
		if hosts, err = admin.sshNetwork(ctx, o.host, o.port); err == nil {
			h, connected = sshConnect(f, hosts, &o)
			if connected && !interactive {
				code = sshSession(ctx, f, admin.run, h, o, command)
			}
		}
	} else {
		err = onEmbedded(ctx, f, "sim ssh", func(c *sim.Cloud) error {
			h, connected = sshConnect(f, c, &o)
			if connected && !interactive {
				code = sshSession(ctx, f, c.Run, h, o, command)
			}
			return nil
		})
	}
	if err != nil {
		fmt.Fprintln(streams.Err, "awsx: "+strings.TrimPrefix(err.Error(), "sim ssh: "))
		return 255
	}
	if !connected || !interactive {
		return code
	}
	// An interactive session opens the simulator's state for each line only, so that other
	// awsx commands run meanwhile (in another terminal) and see what the lines changed.
	closed := false
	run := func(line string, in io.Reader) int {
		if closed {
			return 255
		}
		status := 255
		opts := sim.RunOptions{Stdin: in, Stdout: streams.Out, Stderr: streams.Err}
		var err error
		if admin != nil {
			status, err = admin.run(ctx, h.Instance, line, opts)
		} else {
			err = onEmbedded(ctx, f, "sim ssh", func(c *sim.Cloud) error {
				var err error
				status, err = c.Run(ctx, h.Instance, line, opts)
				return err
			})
		}
		if err != nil {
			fmt.Fprintf(streams.Err, "Connection to %s closed by remote host.\n", o.host)
			fmt.Fprintln(streams.Err, "awsx: "+strings.TrimPrefix(strings.TrimPrefix(err.Error(), "sim ssh: "), "sim: "))
			closed = true
		}
		return status
	}
	return sshInteractive(streams, streams.In, h, o, run, func() bool { return closed })
}

// localUser is the user that ssh logs in as when the command line names none: this machine's.
func localUser(f *Factory) string {
	if u := f.Getenv("USER"); u != "" {
		return u
	}
	if u := f.Getenv("LOGNAME"); u != "" {
		return u
	}
	return "root"
}

// sshNetwork is what ssh asks the simulator about the host it connects to: the embedded
// simulator's [sim.Cloud], or a served one's answers through its admin API.
type sshNetwork interface {
	SSHHost(a netip.Addr) (sim.SSHHost, bool)
	Reach(from, to sim.Endpoint, protocol string, port int) sim.Verdict
	Listening(id string, port int) bool
	InternetAddress() netip.Addr
}

// sshConnect does what OpenSSH's client does up to a logged-in session, writing its
// messages and awsx's explanation of a refusal to the error stream. ok is false for a
// refusal (exit status 255).
func sshConnect(f *Factory, c sshNetwork, o *sshOptions) (h sim.SSHHost, ok bool) {
	w := f.IO.Err
	why := func(format string, args ...any) { fmt.Fprintf(w, "awsx: "+format+"\n", args...) }

	// 1. The identity file: OpenSSH warns of a missing one before it connects.
	var keyData []byte
	var keyMode fs.FileMode
	if o.key != "" {
		fi, err := os.Stat(f.Path(o.key))
		if err == nil && !fi.Mode().IsRegular() {
			err = errors.New("not a regular file")
		}
		if err == nil {
			keyData, err = os.ReadFile(f.Path(o.key))
			keyMode = fi.Mode().Perm()
		}
		if err != nil {
			reason := "No such file or directory"
			if errors.Is(err, fs.ErrPermission) {
				reason = "Permission denied"
			}
			fmt.Fprintf(w, "Warning: Identity file %s not accessible: %s.\n", o.key, reason)
			keyData = nil
		}
	}

	// 2. The host: its name, the network to it, something listening on its port.
	addr, resolved := sim.HostAddress(o.host)
	if !resolved {
		fmt.Fprintf(w, "%s: Could not resolve hostname %s: Name or service not known\n", o.prog, o.host)
		why("%q is not an address the simulator knows: use the instance's public IP address, Elastic IP or public DNS name (aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,PublicIpAddress,PublicDnsName]')", o.host)
		return h, false
	}
	timedOut := func() {
		fmt.Fprintf(w, "%s: connect to host %s port %d: Connection timed out\n", o.prog, o.host, o.port)
	}
	h, found := c.SSHHost(addr)
	if !found {
		timedOut()
		why("no instance of the simulator has the address %s: its public address changes when it stops and starts (an Elastic IP does not); look it up with aws ec2 describe-instances", addr)
		return h, false
	}
	if h.State != "running" {
		timedOut()
		why("instance %s is %s: start it (aws ec2 start-instances --instance-ids %s) and wait until it runs (aws ec2 wait instance-running)", h.Instance, h.State, h.Instance)
		return h, false
	}
	me := sim.Endpoint{Region: h.Region, Internet: true}
	v := c.Reach(me, sim.Endpoint{Region: h.Region, Instance: h.Instance, Address: addr}, "tcp", o.port)
	if !v.OK {
		timedOut()
		switch {
		case h.Private:
			why("%s is the private address of instance %s, which your machine on the internet does not reach (%s); connect to its public address or Elastic IP", addr, h.Instance, v)
		default:
			why("tcp/%d from you (%s) to %s is %s; see awsx sim why me %s %d", o.port, c.InternetAddress(), addr, v, h.Instance, o.port)
		}
		return h, false
	}
	if !c.Listening(h.Instance, o.port) {
		fmt.Fprintf(w, "%s: connect to host %s port %d: Connection refused\n", o.prog, o.host, o.port)
		switch {
		case h.Windows:
			why("instance %s runs Windows, where no sshd listens: connect with RDP (port 3389) instead", h.Instance)
		case o.port != 22:
			why("nothing on instance %s listens on tcp/%d: sshd listens on port 22 (leave out -p)", h.Instance, o.port)
		default:
			why("sshd does not run on instance %s: start it (awsx sim on %s sudo systemctl start sshd)", h.Instance, h.Instance)
		}
		return h, false
	}
	switch o.hostCheck {
	case "yes":
		// OpenSSH's refusal when known_hosts has no key for the host: awsx keeps none.
		fmt.Fprintf(w, "No ED25519 host key is known for %s and you have requested strict checking.\nHost key verification failed.\n", o.host)
		why("awsx sim ssh keeps no known_hosts, so no host key is known: leave out StrictHostKeyChecking=yes (or use accept-new)")
		return h, false
	case "no", "off", "accept-new":
		name := addr.String()
		if o.port != 22 {
			name = "[" + name + "]:" + strconv.Itoa(o.port)
		}
		fmt.Fprintf(w, "Warning: Permanently added '%s' (ED25519) to the list of known hosts.\n", name)
	}

	// 3. Authentication: the key, then the user the key pair belongs to.
	denied := func() {
		methods := "publickey"
		if h.Amazon {
			methods = "publickey,gssapi-keyex,gssapi-with-mic"
		}
		fmt.Fprintf(w, "%s@%s: Permission denied (%s).\n", o.user, o.host, methods)
	}
	if keyData != nil && keyMode&0o077 != 0 && runtime.GOOS != "windows" {
		fmt.Fprint(w, unprotectedKey(o.key, keyMode))
		denied()
		why("OpenSSH ignores a private key that others may read: chmod 400 %s", o.key)
		return h, false
	}
	var offered ssh.PublicKey
	if keyData != nil {
		raw, err := ssh.ParseRawPrivateKey(keyData)
		var missing *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			fmt.Fprintf(w, "Load key \"%s\": incorrect passphrase supplied to decrypt private key\n", o.key)
		case err != nil:
			fmt.Fprintf(w, "Load key \"%s\": invalid format\n", o.key)
		default:
			if s, err := ssh.NewSignerFromKey(raw); err == nil {
				offered = s.PublicKey()
			}
		}
	}
	var want ssh.PublicKey
	if h.PublicKey != "" {
		want, _, _, _, _ = ssh.ParseAuthorizedKey([]byte(h.PublicKey))
	}
	keyOK := offered != nil && want != nil && bytes.Equal(offered.Marshal(), want.Marshal())
	if !keyOK || o.user != h.User {
		denied()
		switch {
		case o.key == "":
			why("no key given: name the key pair's private key file with -i (ssh -i %s.pem %s@%s)", orName(h.KeyName, "KEY"), h.User, o.host)
		case keyData == nil:
			why("%s does not exist (relative to %s): it is the file that create-key-pair's KeyMaterial was saved to", o.key, f.Dir())
		case offered == nil:
			why("%s is not a private key OpenSSH can read: save create-key-pair's KeyMaterial as it is (--query KeyMaterial --output text > %s)", o.key, o.key)
		case h.PublicKey == "" && h.KeyName == "":
			why("instance %s was launched without a key pair, so no key logs in: launch one with --key-name (or run commands with awsx sim on %s)", h.Instance, h.Instance)
		case want == nil:
			why("the key pair %s of instance %s no longer exists in the simulator, which keeps no copy of its public key", h.KeyName, h.Instance)
		case !keyOK:
			why("%s is not the private key of key pair %s, which instance %s was launched with (%s)", o.key, h.KeyName, h.Instance, ssh.FingerprintSHA256(want))
		default:
			why("the user of this image is %s, not %s: ssh -i %s %s@%s", h.User, o.user, o.key, h.User, o.host)
		}
		return h, false
	}
	return h, true
}

func orName(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// unprotectedKey is OpenSSH's refusal of a private key file that others may read
// (sshkey_perm_ok in authfile.c, then sshconnect2.c's load_identity_file).
func unprotectedKey(name string, mode fs.FileMode) string {
	return "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
		"@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n" +
		"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
		fmt.Sprintf("Permissions 0%03o for '%s' are too open.\n", uint32(mode.Perm()), name) +
		"It is required that your private key files are NOT accessible by others.\n" +
		"This private key will be ignored.\n" +
		fmt.Sprintf("Load key \"%s\": bad permissions\n", name)
}

// instanceRunner runs a script on an instance, as [sim.Cloud.Run] does.
type instanceRunner func(ctx context.Context, id, script string, opts sim.RunOptions) (int, error)

// sshSession runs the session on the instance h: a command, or the script on stdin (not a
// terminal). It returns the exit status.
func sshSession(ctx context.Context, f *Factory, runOn instanceRunner, h sim.SSHHost, o sshOptions, command []string) int {
	streams := f.IO
	run := func(script string, in io.Reader) int {
		code, err := runOn(ctx, h.Instance, script, sim.RunOptions{Stdin: in, Stdout: streams.Out, Stderr: streams.Err})
		if err != nil {
			fmt.Fprintln(streams.Err, "awsx: "+strings.TrimPrefix(err.Error(), "sim: "))
			return 255
		}
		return code
	}
	if len(command) > 0 {
		// ssh sends the words joined by spaces; the instance's shell parses them again.
		return run(strings.Join(command, " "), streams.In)
	}
	in := streams.In
	if in == nil {
		in = strings.NewReader("")
	}
	fmt.Fprintln(streams.Err, "Pseudo-terminal will not be allocated because stdin is not a terminal.")
	script, err := io.ReadAll(io.LimitReader(in, 1<<20))
	if err != nil {
		fmt.Fprintln(streams.Err, "awsx: reading the script: "+err.Error())
		return 255
	}
	return run(string(script), nil)
}

// al2023Banner is what Amazon Linux 2023 shows at login.
const al2023Banner = `   ,     #_
   ~\_  ####_        Amazon Linux 2023
  ~~  \_#####\
  ~~     \###|
  ~~       \#/ ___   https://aws.amazon.com/linux/amazon-linux-2023
   ~~       V~' '->
    ~~~         /
      ~~._.   _/
         _/ _/
       _/m/'
`

// sshInteractive is a login shell at a terminal: a prompt, each line run on the instance,
// until exit or the end of input.
func sshInteractive(streams *IO, in io.Reader, h sim.SSHHost, o sshOptions, run func(string, io.Reader) int, closed func() bool) int {
	if h.Amazon && !strings.HasPrefix(h.Image, "amzn") { // Amazon Linux 2023, or an image of one's own
		fmt.Fprint(streams.Out, al2023Banner)
	}
	prompt := fmt.Sprintf("[%s@%s ~]$ ", o.user, h.Hostname)
	if !h.Amazon {
		prompt = fmt.Sprintf("%s@%s:~$ ", o.user, h.Hostname)
	}
	sc := bufio.NewScanner(in)
	code := 0
	for {
		fmt.Fprint(streams.Out, prompt)
		if !sc.Scan() {
			fmt.Fprintln(streams.Out, "logout")
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "exit" || line == "logout" || strings.HasPrefix(line, "exit ") {
			if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "exit"))); err == nil {
				code = n & 0xff
			}
			fmt.Fprintln(streams.Out, "logout")
			break
		}
		if line == "" {
			continue
		}
		code = run(line, nil)
		if closed() {
			return 255
		}
	}
	fmt.Fprintf(streams.Err, "Connection to %s closed.\n", o.host)
	return code
}
