package configure

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newCmdSet(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "set <varname> <value>",
		Short: "Set a configuration value",
		Long: `Set a value in the config file, or in the credentials file for
aws_access_key_id, aws_secret_access_key and aws_session_token. The varname
is a setting of the current profile (region), of a named profile
(profile.dev.region, default.region) or a nested setting
(default.s3.max_concurrent_requests).`,
		Example: `  $ awsx configure set region us-west-2 --profile dev
  $ awsx configure set profile.dev.output text
  $ awsx configure set default.s3.max_concurrent_requests 20`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return setRun(o, args[0], args[1])
		},
	}
}

// target is where `configure set` writes a setting.
type target struct {
	profile string // "default", a profile's name, or the predefined section "plugins"
	name    string
	sub     string // the nested key, or ""
}

// parseSetName resolves a varname as the AWS CLI's configure set does.
func parseSetName(varname, sessionProfile string) (target, error) {
	t := target{profile: "default", name: varname}
	if !strings.Contains(varname, ".") {
		if sessionProfile != "" {
			t.profile = sessionProfile
		}
		return t, nil
	}
	parts := strings.Split(varname, ".")
	switch {
	case parts[0] == "default" || parts[0] == "profile":
		remaining := parts[1:]
		if parts[0] == "profile" {
			if len(parts) < 3 {
				return t, fmt.Errorf("varname (%s) must name a setting, as in profile.NAME.region", varname)
			}
			t.profile, remaining = parts[1], parts[2:]
		}
		if len(remaining) == 0 {
			return t, fmt.Errorf("varname (%s) must name a setting, as in default.region", varname)
		}
		t.name = remaining[0]
		if len(remaining) == 2 {
			t.sub = remaining[1]
		}
	case parts[0] != "plugins":
		if sessionProfile != "" {
			t.profile = sessionProfile
		}
		t.name = parts[0]
		if len(parts) == 2 {
			t.sub = parts[1]
		}
	case len(parts) == 2:
		t.profile, t.name = parts[0], parts[1]
	}
	return t, nil
}

func setRun(o *options, varname, val string) error {
	t, err := parseSetName(varname, o.sessionProfile())
	if err != nil {
		return err
	}
	cfg, creds, err := o.load()
	if err != nil {
		return err
	}
	f, section := cfg, t.profile
	switch {
	case isCredential(t.name):
		f = creds // its sections are the bare profile names
	case t.profile == "default" || t.profile == "plugins":
	default:
		section = sectionName(t.profile)
	}
	if err := f.set(section, t.name, t.sub, val); err != nil {
		return err
	}
	return f.save()
}
