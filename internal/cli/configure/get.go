package configure

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newCmdGet(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "get <varname>",
		Short: "Print a configuration value",
		Long: `Print a value from the config and credentials files, as set by configure set;
exit with status 1 if it is not set. Environment variables are not consulted.`,
		Example: `  $ awsx configure get region
  $ awsx configure get profile.dev.region
  $ awsx configure get default.s3.max_concurrent_requests`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return getRun(o, args[0])
		},
	}
}

func getRun(o *options, varname string) error {
	cfg, creds, err := o.load()
	if err != nil {
		return err
	}
	c := newConfig(cfg, creds)
	var v value
	var ok bool
	if !strings.Contains(varname, ".") {
		s, err := c.scoped(o.sessionProfile())
		if err != nil {
			return err
		}
		v, ok = s[varname]
	} else if v, ok, err = c.dotted(varname, o.sessionProfile()); err != nil {
		return err
	}
	if !ok {
		return &ExitError{Code: 1}
	}
	if v.nested != nil {
		fmt.Fprintf(o.errOut, "varname (%s) must reference a value, not a section or sub-section.", varname)
		return &ExitError{Code: 1}
	}
	fmt.Fprintln(o.out, v.s)
	return nil
}

// dotted looks up a dotted varname as the AWS CLI's configure get does: plugins.name,
// profile.NAME.key[.sub], default.key[.sub] or PROFILE.key[.sub] for an existing profile,
// else key.sub in the current profile.
func (c *config) dotted(varname, sessionProfile string) (value, bool, error) {
	parts := strings.Split(varname, ".")
	if len(parts) == 2 && parts[0] == "plugins" {
		if v, ok := c.sections["plugins"][parts[1]]; ok {
			return v, true, nil
		}
		v, ok := c.profiles["plugins"][parts[1]]
		return v, ok, nil
	}
	var profile, name string
	var remaining []string
	switch _, known := c.profiles[parts[0]]; {
	case parts[0] == "profile":
		if len(parts) < 3 {
			return value{}, false, fmt.Errorf("varname (%s) must name a setting, as in profile.NAME.region", varname)
		}
		profile, name, remaining = parts[1], parts[2], parts[3:]
	case parts[0] == "default" || known:
		profile, name, remaining = parts[0], parts[1], parts[2:]
	default:
		profile = sessionProfile
		if profile == "" {
			profile = "default"
		}
		name, remaining = parts[0], parts[1:]
	}
	v, ok := c.profiles[profile][name]
	if len(remaining) == 1 {
		if !ok || v.nested == nil {
			return value{}, false, nil
		}
		s, ok := v.nested[remaining[0]]
		return value{s: s}, ok, nil
	}
	return v, ok, nil
}
