package guest

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// awsCmd is the AWS CLI on the instance. `aws configure` reads and writes the instance's own
// ~/.aws (never the learner's); every other command runs through the cloud's CLI (Env.AWS)
// with the keys, region and output that ~/.aws and the environment give, else the instance
// role's credentials from its metadata service, as the AWS CLI's chain has it.
func awsCmd(c *cmd) int {
	args := slices.Clone(c.args[1:])
	profile := c.env.Get("AWS_PROFILE").String()
	for i := 0; i < len(args); i++ {
		if args[i] == "--profile" && i+1 < len(args) {
			profile = args[i+1]
			args = slices.Delete(args, i, i+2)
			i--
		} else if v, ok := strings.CutPrefix(args[i], "--profile="); ok {
			profile = v
			args = slices.Delete(args, i, i+1)
			i--
		}
	}
	if profile == "" {
		profile = "default"
	}
	if len(args) > 0 && args[0] == "configure" {
		return c.configure(profile, args[1:])
	}
	if len(args) > 0 && (args[0] == "--version" || args[0] == "version") {
		v := catalogOf(c.sh.fam)["awscli-2"]
		if v == nil || c.installed()["awscli-2"] == "" {
			v = catalogOf(c.sh.fam)["awscli"]
		}
		fmt.Fprintf(c.stdout, "aws-cli/%s Python/3.9.20 Linux/%s exe/%s\n", v.Version, c.sh.fam.Kernel, c.arch())
		return 0
	}
	run := c.sh.s.env.AWS
	if run == nil {
		fmt.Fprintln(c.stderr, "awsx sim: this simulator runs no AWS CLI on its instances; run the command through `awsx sim on INSTANCE aws …`")
		return 255
	}
	args, bad := c.inline(args)
	if bad != "" {
		fmt.Fprint(c.stderr, bad)
		return 255
	}
	copyOp, refuse := c.localFiles(args)
	if refuse != "" {
		fmt.Fprint(c.stderr, refuse)
		return 252
	}
	call := AWSCall{Instance: c.sh.id, Args: args, Stdin: c.stdin, Stdout: c.stdout, Stderr: c.stderr}
	creds, conf := c.awsFiles()
	section := creds[profile]
	call.AccessKeyID, call.SecretAccessKey, call.SessionToken = section["aws_access_key_id"], section["aws_secret_access_key"], section["aws_session_token"]
	cfgName := "profile " + profile
	if profile == "default" {
		cfgName = "default"
	}
	call.Region, call.Output = conf[cfgName]["region"], conf[cfgName]["output"]
	if k := c.env.Get("AWS_ACCESS_KEY_ID").String(); k != "" {
		call.AccessKeyID, call.SecretAccessKey, call.SessionToken = k, c.env.Get("AWS_SECRET_ACCESS_KEY").String(), c.env.Get("AWS_SESSION_TOKEN").String()
	}
	if v := c.env.Get("AWS_DEFAULT_OUTPUT").String(); v != "" {
		call.Output = v
	}
	for _, name := range []string{"AWS_DEFAULT_REGION", "AWS_REGION"} {
		if v := c.env.Get(name).String(); v != "" {
			call.Region = v
		}
	}
	if profile != "default" && section == nil && conf[cfgName] == nil {
		fmt.Fprintf(c.stderr, "\nThe config profile (%s) could not be found\n", profile)
		return 255
	}
	if copyOp != nil {
		return c.copyS3(call, copyOp)
	}
	return run(c.ctx, call)
}

// ini is an INI file: sections of keys.
type ini map[string]map[string]string

func parseINI(data string) ini {
	out := ini{}
	var cur map[string]string
	for _, l := range strings.Split(data, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			name := strings.TrimSpace(l[1 : len(l)-1])
			if out[name] == nil {
				out[name] = map[string]string{}
			}
			cur = out[name]
		case cur != nil:
			if k, v, ok := strings.Cut(l, "="); ok {
				cur[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	return out
}

func (f ini) String() string {
	var b strings.Builder
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { // default first, as the CLI writes it
		if a == "default" {
			return -1
		}
		if b == "default" {
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		fmt.Fprintf(&b, "[%s]\n", n)
		keys := make([]string, 0, len(f[n]))
		for k := range f[n] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %s\n", k, f[n][k])
		}
	}
	return b.String()
}

// awsDir is the user's ~/.aws.
func (c *cmd) awsDir() string {
	home := c.env.Get("HOME").String()
	if home == "" {
		home = homeOf(c.user)
	}
	return path.Join(home, ".aws")
}

// awsFiles reads the user's ~/.aws/credentials and ~/.aws/config.
func (c *cmd) awsFiles() (creds, conf ini) {
	dir := c.awsDir()
	a, _ := c.sh.readFile(c.user, path.Join(dir, "credentials"))
	b, _ := c.sh.readFile(c.user, path.Join(dir, "config"))
	return parseINI(string(a)), parseINI(string(b))
}

// configure is aws configure [set KEY VALUE | get KEY | list] on the instance's ~/.aws.
func (c *cmd) configure(profile string, args []string) int {
	creds, conf := c.awsFiles()
	cfgName := "profile " + profile
	if profile == "default" {
		cfgName = "default"
	}
	credKeys := map[string]bool{"aws_access_key_id": true, "aws_secret_access_key": true, "aws_session_token": true}
	get := func(key string) string {
		if credKeys[key] {
			return creds[profile][key]
		}
		return conf[cfgName][key]
	}
	set := func(key, value string) {
		f, sec := conf, cfgName
		if credKeys[key] {
			f, sec = creds, profile
		}
		if f[sec] == nil {
			f[sec] = map[string]string{}
		}
		f[sec][key] = value
	}
	switch {
	case len(args) == 0:
		for _, q := range []struct{ prompt, key string }{{"AWS Access Key ID", "aws_access_key_id"}, {"AWS Secret Access Key", "aws_secret_access_key"},
			{"Default region name", "region"}, {"Default output format", "output"}} {
			cur := get(q.key)
			shown := "None"
			switch {
			case cur != "" && credKeys[q.key]:
				shown = strings.Repeat("*", 16) + cur[max(len(cur)-4, 0):]
			case cur != "":
				shown = cur
			}
			fmt.Fprintf(c.stdout, "%s [%s]: ", q.prompt, shown)
			answer, ok := c.readLine()
			if answer = strings.TrimSpace(answer); answer != "" {
				set(q.key, answer)
			}
			if !ok {
				fmt.Fprintln(c.stdout)
				break
			}
		}
	case args[0] == "set" && len(args) == 3:
		key := strings.TrimPrefix(args[1], "default.")
		set(key, args[2])
	case args[0] == "get" && len(args) == 2:
		v := get(strings.TrimPrefix(args[1], "default."))
		if v == "" {
			return 1
		}
		fmt.Fprintln(c.stdout, v)
		return 0
	case args[0] == "list":
		mask := func(v string) string {
			if v == "" {
				return "<not set>"
			}
			return strings.Repeat("*", 16) + v[max(len(v)-4, 0):]
		}
		fmt.Fprintf(c.stdout, "%10s %24s %16s    %s\n%10s %24s %16s    %s\n", "Name", "Value", "Type", "Location", "----", "-----", "----", "--------")
		p := "<not set>"
		if profile != "default" {
			p = profile
		}
		fmt.Fprintf(c.stdout, "%10s %24s %16s    %s\n", "profile", p, "None", "None")
		key, typ := get("aws_access_key_id"), "shared-credentials-file"
		if key == "" {
			typ = "iam-role"
		}
		fmt.Fprintf(c.stdout, "%10s %24s %16s    \n%10s %24s %16s    \n", "access_key", mask(key), typ, "secret_key", mask(get("aws_secret_access_key")), typ)
		region := get("region")
		if region == "" {
			region = "<not set>"
		}
		fmt.Fprintf(c.stdout, "%10s %24s %16s    %s\n", "region", region, "config-file", "~/.aws/config")
		return 0
	default:
		fmt.Fprintln(c.stderr, "usage: aws configure [set KEY VALUE | get KEY | list] [--profile NAME]")
		return 252
	}
	dir := c.awsDir()
	var err error
	c.sh.s.update(c.sh.id, func(m *machine) {
		now := c.sh.s.clock.Now()
		if err = m.Files.mkdir(c.user, dir, true, now); err != nil {
			return
		}
		if len(creds) > 0 {
			if err = m.Files.write(c.user, path.Join(dir, "credentials"), []byte(creds.String()), false, 0o600, now); err != nil {
				return
			}
		}
		if len(conf) > 0 {
			err = m.Files.write(c.user, path.Join(dir, "config"), []byte(conf.String()), false, 0o600, now)
		}
	})
	if err != nil {
		fmt.Fprintf(c.stderr, "\n[Errno 13] %s: '%s'\n", err, dir)
		return 255
	}
	return 0
}
