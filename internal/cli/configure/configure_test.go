package configure

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestSetWritesTheRightFileAndSection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		env               map[string]string
		args              [][]string
		config, credsFile string
	}{
		{
			name:      "default profile",
			args:      [][]string{{"set", "region", "us-east-1"}, {"set", "aws_access_key_id", "AKIA1"}, {"set", "output", "json"}},
			config:    "[default]\nregion = us-east-1\noutput = json\n",
			credsFile: "[default]\naws_access_key_id = AKIA1\n",
		},
		{
			name: "profile forms",
			args: [][]string{
				{"set", "region", "eu-west-1", "--profile", "dev"},
				{"set", "profile.dev.output", "text"},
				{"set", "profile.dev.aws_session_token", "tok"},
				{"set", "default.region", "us-east-2"},
				{"set", "profile.a.b.region", "x"}, // profile "a", key "b", nested "region"
			},
			config:    "[profile dev]\nregion = eu-west-1\noutput = text\n[default]\nregion = us-east-2\n[profile a]\nb =\n    region = x\n",
			credsFile: "[dev]\naws_session_token = tok\n",
		},
		{
			name:      "AWS_PROFILE",
			env:       map[string]string{"AWS_PROFILE": "envp"},
			args:      [][]string{{"set", "region", "r"}, {"set", "aws_secret_access_key", "s"}, {"set", "default.output", "o"}},
			config:    "[profile envp]\nregion = r\n[default]\noutput = o\n",
			credsFile: "[envp]\naws_secret_access_key = s\n",
		},
		{
			name: "nested values updated in place, added at the end",
			args: [][]string{
				{"set", "default.s3.a", "1"}, {"set", "region", "r"}, {"set", "default.s3.b", "2"}, {"set", "s3.a", "3"},
			},
			config:    "[default]\ns3 =\n    a = 3\n    b = 2\nregion = r\n",
			credsFile: "<missing>",
		},
		{
			name:      "a profile name with blanks is shell-quoted in the config file only",
			args:      [][]string{{"set", "region", "r", "--profile", "my prof"}, {"set", "aws_access_key_id", "k", "--profile", "my prof"}},
			config:    "[profile 'my prof']\nregion = r\n",
			credsFile: "[my prof]\naws_access_key_id = k\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home, env := testHome(t)
			for k, v := range tc.env {
				env[k] = v
			}
			for _, a := range tc.args {
				if r := runAwsx(t, env, "", a...); r.code != 0 {
					t.Fatalf("configure %q: %+v", a, r)
				}
			}
			if got := readFile(t, filepath.Join(home, ".aws/config")); got != tc.config {
				t.Errorf("config:\n%s\nwant:\n%s", got, tc.config)
			}
			if got := readFile(t, filepath.Join(home, ".aws/credentials")); got != tc.credsFile {
				t.Errorf("credentials:\n%s\nwant:\n%s", got, tc.credsFile)
			}
		})
	}
}

func TestSetKeepsTheRestOfTheFile(t *testing.T) {
	t.Parallel()
	home, env := testHome(t)
	const before = `# top
[default]
region = us-east-1 # not a comment to the AWS CLI
; between
key = "quoted value"
[profile a.b]
region = dotted
[services corp]
s3 =
  endpoint_url = http://localhost:4566
#no space
# the very end
`
	writeFile(t, filepath.Join(home, ".aws/config"), before)
	if r := runAwsx(t, env, "", "set", "output", "json"); r.code != 0 {
		t.Fatal(r)
	}
	if r := runAwsx(t, env, "", "set", "region", "x", "--profile", "a.b"); r.code != 0 {
		t.Fatal(r)
	}
	// As in the AWS CLI, profile.a.b.region means key b of profile a: --profile names it.
	if r := runAwsx(t, env, "", "get", "region", "--profile", "a.b"); r.stdout != "x\n" {
		t.Errorf("get region --profile a.b = %+v", r)
	}
	const want = `# top
[default]
region = us-east-1 # not a comment to the AWS CLI
; between
key = "quoted value"
output = json
[profile a.b]
region = x
[services corp]
s3 =
    endpoint_url = http://localhost:4566
# no space
# the very end
`
	if got := readFile(t, filepath.Join(home, ".aws/config")); got != want {
		t.Errorf("config:\n%s\nwant:\n%s", got, want)
	}
	for _, tc := range []struct{ key, want string }{
		{"region", "us-east-1 # not a comment to the AWS CLI\n"},
		{"key", "\"quoted value\"\n"},
	} {
		if r := runAwsx(t, env, "", "get", tc.key); r.stdout != tc.want || r.code != 0 {
			t.Errorf("get %s = %+v, want %q", tc.key, r, tc.want)
		}
	}
}

func TestFilesAreWrittenAtomicallyWithMode0600(t *testing.T) {
	t.Parallel()
	home, env := testHome(t)
	dir := filepath.Join(home, ".aws")
	writeFile(t, filepath.Join(dir, "config"), "[default]\nregion = a\n")
	os.Chmod(filepath.Join(dir, "config"), 0o644)
	// A credentials file kept elsewhere and linked, as dotfile managers do.
	target := filepath.Join(home, "dotfiles", "credentials")
	writeFile(t, target, "[default]\naws_access_key_id = OLD\n")
	os.Symlink(target, filepath.Join(dir, "credentials"))

	for _, a := range [][]string{{"set", "region", "b"}, {"set", "aws_access_key_id", "NEW"}} {
		if r := runAwsx(t, env, "", a...); r.code != 0 {
			t.Fatal(r)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "config"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config mode %v, %v; want 0600", fi.Mode(), err)
	}
	if l, err := os.Lstat(filepath.Join(dir, "credentials")); err != nil || l.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the credentials link was replaced: %v, %v", l.Mode(), err)
	}
	if got := readFile(t, target); got != "[default]\naws_access_key_id = NEW\n" {
		t.Fatalf("link target:\n%s", got)
	}
	for _, d := range []string{dir, filepath.Dir(target)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("temporary file left: %s", e.Name())
			}
		}
	}
	t.Run("new files", func(t *testing.T) {
		home, env := testHome(t)
		runAwsx(t, env, "AKIA\nsecret\nus-east-1\njson\n")
		for _, f := range []string{"config", "credentials"} {
			fi, err := os.Stat(filepath.Join(home, ".aws", f))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %v, %v; want mode 0600", f, fi, err)
			}
		}
	})
}

func TestInteractive(t *testing.T) {
	t.Parallel()
	home, env := testHome(t)
	r := runAwsx(t, env, "AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nus-east-1\n\n")
	if want := "AWS Access Key ID [None]: AWS Secret Access Key [None]: Default region name [None]: Default output format [None]: "; r.stdout != want || r.code != 0 {
		t.Fatalf("first run: %+v\nwant stdout %q", r, want)
	}
	// Empty input keeps a value; a new one replaces it; the last line may lack its newline.
	r = runAwsx(t, env, "\n\n\ntext")
	if want := "AWS Access Key ID [****************MPLE]: AWS Secret Access Key [****************EKEY]: Default region name [us-east-1]: Default output format [None]: "; r.stdout != want || r.code != 0 {
		t.Fatalf("second run: %+v\nwant stdout %q", r, want)
	}
	if got, want := readFile(t, filepath.Join(home, ".aws/config")), "[default]\nregion = us-east-1\noutput = text\n"; got != want {
		t.Errorf("config:\n%s\nwant:\n%s", got, want)
	}
	if got, want := readFile(t, filepath.Join(home, ".aws/credentials")), "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"; got != want {
		t.Errorf("credentials:\n%s\nwant:\n%s", got, want)
	}
	// The input ends before the prompts do.
	r = runAwsx(t, env, "\n", "--profile", "new")
	if r.code != 255 || r.stderr != "\nEOF when reading a line\n" || !strings.HasSuffix(r.stdout, "AWS Secret Access Key [None]: ") {
		t.Fatalf("at EOF: %+v", r)
	}
}

func TestGetExitStatus(t *testing.T) {
	t.Parallel()
	home, env := testHome(t)
	writeFile(t, filepath.Join(home, ".aws/config"), "[default]\nregion = r\nempty =\ns3 =\n    a = 1\n[profile dev]\noutput = text\n")
	tests := []struct {
		args   []string
		stdout string
		stderr string
		code   int
	}{
		{[]string{"get", "region"}, "r\n", "", 0},
		{[]string{"get", "empty"}, "\n", "", 0},
		{[]string{"get", "missing"}, "", "", 1},
		{[]string{"get", "s3.a"}, "1\n", "", 0},
		{[]string{"get", "s3.b"}, "", "", 1},
		{[]string{"get", "region.x"}, "", "", 1},
		{[]string{"get", "s3"}, "", "varname (s3) must reference a value, not a section or sub-section.", 1},
		{[]string{"get", "dev.output"}, "text\n", "", 0},
		{[]string{"get", "output", "--profile", "dev"}, "text\n", "", 0},
		{[]string{"get", "output", "--profile", "nope"}, "", "\nThe config profile (nope) could not be found\n", 255},
		{[]string{"get", "profile.nope.output"}, "", "", 1},
		{[]string{"get"}, "", "accepts 1 arg(s), received 0\n", 252},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runAwsx(t, env, "", tc.args...)
			if want := (result{tc.stdout, tc.stderr, tc.code}); r != want {
				t.Errorf("got %+v, want %+v", r, want)
			}
		})
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	home, _ := testHome(t)
	writeFile(t, filepath.Join(home, ".aws/config"), "[default]\nregion = us-east-1\n[profile cfg]\naws_access_key_id = AKIACONFIGFILE\naws_secret_access_key = cfgsecret\n")
	writeFile(t, filepath.Join(home, ".aws/credentials"), "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n[half]\naws_access_key_id = AKIAHALF\n")
	const head = "      Name                    Value             Type    Location\n      ----                    -----             ----    --------\n"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
		err  string
	}{
		{"files", nil, nil, head +
			"   profile                <not set>             None    None\n" +
			"access_key     ****************MPLE shared-credentials-file    \n" +
			"secret_key     ****************EKEY shared-credentials-file    \n" +
			"    region                us-east-1      config-file    ~/.aws/config\n", ""},
		{"keys in the config file", nil, []string{"--profile", "cfg"}, head +
			"   profile                      cfg           manual    --profile\n" +
			"access_key     ****************FILE      config-file    \n" +
			"secret_key     ****************cret      config-file    \n" +
			"    region                <not set>             None    None\n", ""},
		{"environment", map[string]string{"AWS_PROFILE": "cfg", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_DEFAULT_REGION": "eu-west-3", "AWS_CONFIG_FILE": "$HOME/.aws/config"}, nil, head +
			"   profile                      cfg              env    ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']\n" +
			"access_key     ****************AENV              env    \n" +
			"secret_key     ****************cret              env    \n" +
			"    region                eu-west-3              env    ['AWS_REGION', 'AWS_DEFAULT_REGION']\n", ""},
		{"AWS_CONFIG_FILE named as given", map[string]string{"AWS_CONFIG_FILE": "$HOME/.aws/config"}, nil, head +
			"   profile                <not set>             None    None\n" +
			"access_key     ****************MPLE shared-credentials-file    \n" +
			"secret_key     ****************EKEY shared-credentials-file    \n" +
			"    region                us-east-1      config-file    $HOME/.aws/config\n", ""},
		{"partial credentials", nil, []string{"--profile", "half"}, head +
			"   profile                     half           manual    --profile\n", "\nPartial credentials found in shared-credentials-file, missing: aws_secret_access_key\n"},
		{"missing profile", nil, []string{"--profile", "nope"}, head +
			"   profile                     nope           manual    --profile\n", "\nThe config profile (nope) could not be found\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"HOME": home}
			for k, v := range tc.env {
				env[k] = strings.ReplaceAll(v, "$HOME", home)
			}
			r := runAwsx(t, env, "", append([]string{"list"}, tc.args...)...)
			r.stdout = strings.ReplaceAll(r.stdout, home, "$HOME")
			if r.stdout != tc.want || r.stderr != tc.err {
				t.Errorf("stdout:\n%s\nwant:\n%s\nstderr %q, want %q", r.stdout, tc.want, r.stderr, tc.err)
			}
		})
	}
}

// The global --profile of a parent command, `awsx --profile dev configure list`, counts too.
func TestParentProfileFlag(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".aws/config"), "[profile dev]\nregion = eu-west-1\n")
	for _, args := range [][]string{
		{"--profile", "dev", "configure", "get", "region"},
		{"configure", "get", "region", "--profile", "dev"},
		{"configure", "--profile", "dev", "get", "region"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out bytes.Buffer
			root := &cobra.Command{Use: "awsx", SilenceErrors: true, SilenceUsage: true}
			root.PersistentFlags().String("profile", "", "global profile")
			root.AddCommand(newCmdConfigure(&options{in: strings.NewReader(""), out: &out, errOut: &out,
				getenv: func(k string) string { return map[string]string{"HOME": home}[k] }}))
			root.SetArgs(args)
			if err := root.Execute(); err != nil || out.String() != "eu-west-1\n" {
				t.Fatalf("%q: %q, %v", args, out.String(), err)
			}
		})
	}
}

func TestUnparsableFile(t *testing.T) {
	t.Parallel()
	home, env := testHome(t)
	path := filepath.Join(home, ".aws/config")
	writeFile(t, path, "[default\nregion\n")
	r := runAwsx(t, env, "", "set", "region", "x")
	if r.code != 255 || r.stderr != "\nUnable to parse config file: "+path+"\n" {
		t.Fatalf("got %+v", r)
	}
	if got := readFile(t, path); got != "[default\nregion\n" {
		t.Fatalf("the unparsable file was changed: %q", got)
	}
}

func TestShellSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"profile dev", []string{"profile", "dev"}, true},
		{"profile 'my prof'", []string{"profile", "my prof"}, true},
		{`profile "my prof"`, []string{"profile", "my prof"}, true},
		{`profile 'it'"'"'s'`, []string{"profile", "it's"}, true},
		{`profile a\ b`, []string{"profile", "a b"}, true},
		{"profile  'unclosed", nil, false},
		{"profile a b", []string{"profile", "a", "b"}, true},
	}
	for _, tc := range tests {
		got, ok := shellSplit(tc.in)
		if ok != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("shellSplit(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	// sectionName and profileOfSection are inverses.
	for _, p := range []string{"dev", "my prof", "it's mine", "default", "a.b"} {
		if got, ok := profileOfSection(sectionName(p)); !ok || got != p {
			t.Errorf("profileOfSection(sectionName(%q)) = %q, %v", p, got, ok)
		}
	}
}
