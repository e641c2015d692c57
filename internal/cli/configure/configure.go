// Package configure is `awsx configure`: the AWS CLI's configure command and its set, get
// and list subcommands, over the same files the AWS CLI and the SDKs read, ~/.aws/config and
// ~/.aws/credentials.
//
// It reads and writes them as the AWS CLI v2 does: the same prompts, the same sections
// ([profile name] in the config file, [name] in the credentials file), access keys and
// session tokens in the credentials file and everything else in the config file, the same
// output of get and list. AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE (and
// AWS_DEFAULT_PROFILE), AWS_REGION (and AWS_DEFAULT_REGION), AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY are honoured as it honours them.
//
// Files are parsed and written with gopkg.in/ini.v1, keeping other profiles, comments and the
// order of keys; they are written with mode 0600 through a temporary file and a rename, so a
// reader never sees half a file.
//
// # Scope and limitations
//
// Blank lines are not kept: sections are written one after the other, as the AWS CLI writes
// the sections it adds. Comments are kept, in the form "# text". Concurrent writers are not
// serialized (the AWS CLI does not serialize them either); the last one wins. configure list
// shows credentials from the environment and from the two files; credentials that come from
// elsewhere (roles, SSO, a credential process, instance metadata) show as not set. The
// subcommands sso, import, list-profiles, export-credentials and add-model are not provided.
//
// This package sets gopkg.in/ini.v1's package-level formatting variables (PrettyFormat,
// PrettyEqual, PrettySection) when it is initialized.
package configure

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// ProfileNotFoundError is returned when a named profile is in neither file. The AWS CLI
// prints its message and exits with status 255.
type ProfileNotFoundError struct {
	Profile string
}

func (e *ProfileNotFoundError) Error() string {
	return fmt.Sprintf("The config profile (%s) could not be found", e.Profile)
}

// ExitError ends a command with an exit status other than 0 after the command has written
// what it had to say, or nothing: `configure get` of a setting that is not set exits with 1
// and prints nothing.
type ExitError struct {
	Code int
}

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode returns the exit status.
func (e *ExitError) ExitCode() int { return e.Code }

// options are what every configure command reads.
type options struct {
	in          io.Reader
	out, errOut io.Writer
	getenv      func(string) string
	// footer, when set, writes what follows list's table: the awsx command's backend and
	// caller for the profile.
	footer func(ctx context.Context, w io.Writer, profile string)
	// profile is the --profile flag; profileSet reports whether it was given.
	profile    string
	profileSet bool
}

// NewCmdConfigure returns `configure` with its subcommands set, get and list. The commands
// read in for prompts, write results to out and messages to errOut, and read the
// environment (HOME, AWS_PROFILE, AWS_CONFIG_FILE, …) through getenv. They take --profile;
// when a parent command defines a persistent --profile (the global option), that one is
// honoured too. footer, unless nil, writes what `configure list` prints after the AWS CLI's
// table (the profile is "" for none).
func NewCmdConfigure(in io.Reader, out, errOut io.Writer, getenv func(string) string, footer func(ctx context.Context, w io.Writer, profile string)) *cobra.Command {
	return newCmdConfigure(&options{in: in, out: out, errOut: errOut, getenv: getenv, footer: footer})
}

func newCmdConfigure(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "configure",
		Short: "Configure credentials, the region and other settings",
		Long: `Configure AWS credentials and settings. With no subcommand, prompt for the
access key ID, the secret access key, the default region and the default output
format; press Enter to keep a value. The keys go to ~/.aws/credentials, the
rest to ~/.aws/config (or the files AWS_SHARED_CREDENTIALS_FILE and
AWS_CONFIG_FILE name).`,
		Example: `  $ awsx configure
  AWS Access Key ID [None]: AKIAIOSFODNN7EXAMPLE
  AWS Secret Access Key [None]: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  Default region name [None]: us-east-1
  Default output format [None]: json`,
		Args: cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			o.resolveProfileFlag(cmd)
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return interactiveRun(o)
		},
	}
	cmd.PersistentFlags().StringVar(&o.profile, "profile", "", "the profile to configure")
	cmd.AddCommand(newCmdSet(o), newCmdGet(o), newCmdList(o))
	return cmd
}

// resolveProfileFlag records whether --profile was given, on this command or, when a parent
// defines its own persistent --profile, on that one.
func (o *options) resolveProfileFlag(cmd *cobra.Command) {
	if f := cmd.Flags().Lookup("profile"); f != nil && f.Changed {
		o.profile, o.profileSet = f.Value.String(), true
		return
	}
	for p := cmd.Parent(); p != nil; p = p.Parent() {
		if f := p.PersistentFlags().Lookup("profile"); f != nil && f.Changed {
			o.profile, o.profileSet = f.Value.String(), true
			return
		}
	}
}

// sessionProfile is the profile the AWS CLI's session uses: --profile, else AWS_PROFILE, else
// AWS_DEFAULT_PROFILE, else none ("").
func (o *options) sessionProfile() string {
	if o.profileSet {
		return o.profile
	}
	if p := o.getenv("AWS_PROFILE"); p != "" {
		return p
	}
	return o.getenv("AWS_DEFAULT_PROFILE")
}

func (o *options) home() string { return o.getenv("HOME") }

// configFileSetting is the config file as the AWS CLI names it in `configure list`.
func (o *options) configFileSetting() string {
	if p := o.getenv("AWS_CONFIG_FILE"); p != "" {
		return p
	}
	return "~/.aws/config"
}

func (o *options) credentialsFileSetting() string {
	if p := o.getenv("AWS_SHARED_CREDENTIALS_FILE"); p != "" {
		return p
	}
	return "~/.aws/credentials"
}

// expand replaces a leading ~ with the home directory.
func (o *options) expand(p string) string {
	if p == "~" {
		return o.home()
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(o.home(), p[2:])
	}
	return p
}

// load reads both files.
func (o *options) load() (cfg, creds *iniFile, err error) {
	if cfg, err = loadINI(o.expand(o.configFileSetting())); err != nil {
		return nil, nil, err
	}
	if creds, err = loadINI(o.expand(o.credentialsFileSetting())); err != nil {
		return nil, nil, err
	}
	return cfg, creds, nil
}

// Kept in the credentials file; everything else goes to the config file.
func isCredential(name string) bool {
	switch name {
	case "aws_access_key_id", "aws_secret_access_key", "aws_session_token":
		return true
	}
	return false
}

// mask hides all but the last four characters of a key, as the AWS CLI shows them.
func mask(v string, set bool) string {
	if !set {
		return "None"
	}
	if len(v) > 4 {
		v = v[len(v)-4:]
	}
	return strings.Repeat("*", 16) + v
}

var prompts = []struct{ name, text string }{
	{"aws_access_key_id", "AWS Access Key ID"},
	{"aws_secret_access_key", "AWS Secret Access Key"},
	{"region", "Default region name"},
	{"output", "Default output format"},
}

// errEOF is what the AWS CLI (Python's input()) says when the input ends at a prompt.
var errEOF = errors.New("EOF when reading a line")

func interactiveRun(o *options) error {
	cfg, creds, err := o.load()
	if err != nil {
		return err
	}
	profile := o.sessionProfile()
	current, err := newConfig(cfg, creds).scoped(profile)
	if err != nil {
		var nf *ProfileNotFoundError
		if !errors.As(err, &nf) {
			return err
		}
		current = nil // a new profile
	}
	in := bufio.NewReader(o.in)
	changed := map[string]string{}
	for _, p := range prompts {
		cur, set := current[p.name]
		shown := cur.s
		if p.name == "aws_access_key_id" || p.name == "aws_secret_access_key" {
			shown = mask(cur.s, set)
		} else if !set {
			shown = "None"
		}
		fmt.Fprintf(o.out, "%s [%s]: ", p.text, shown)
		line, err := in.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			if err == io.EOF {
				return errEOF
			}
			return err
		}
		line = strings.TrimSpace(line)
		if line != "" && (!set || line != cur.s) {
			changed[p.name] = line
		}
	}
	if len(changed) == 0 {
		return nil
	}
	section := "default"
	if profile != "" {
		section = profile
	}
	if err := writeSection(creds, section, changed, true); err != nil {
		return err
	}
	if profile != "" {
		section = sectionName(profile)
	}
	return writeSection(cfg, section, changed, false)
}

// writeSection sets, in prompt order, the changed values that belong in the file (the
// credentials file when credentials is true), and saves the file if there were any.
func writeSection(f *iniFile, section string, changed map[string]string, credentials bool) error {
	n := 0
	for _, p := range prompts {
		v, ok := changed[p.name]
		if !ok || isCredential(p.name) != credentials {
			continue
		}
		if err := f.set(section, p.name, "", v); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return nil
	}
	return f.save()
}
