package configure

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newCmdList(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the profile, credentials and region in use and where each comes from",
		Example: `  $ awsx configure list
        Name                    Value             Type    Location
        ----                    -----             ----    --------
     profile                <not set>             None    None
  access_key     ****************MPLE shared-credentials-file
  secret_key     ****************EKEY shared-credentials-file
      region                us-east-1      config-file    ~/.aws/config`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listRun(cmd.Context(), o)
		},
	}
}

const notSet = "<not set>"

// source is one row of the table: a value, where it came from (Type) and which variable or
// file holds it (Location).
type source struct{ value, kind, location string }

var unset = source{notSet, "None", "None"}

func (o *options) row(name string, s source) {
	fmt.Fprintf(o.out, "%10s %24s %16s    %s\n", name, s.value, s.kind, s.location)
}

// Where the AWS CLI v2 looks for these, as it prints it.
const (
	profileEnvs = "['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']"
	regionEnvs  = "['AWS_REGION', 'AWS_DEFAULT_REGION']"
)

// PartialCredentialsError is returned when an access key is found without its secret.
type PartialCredentialsError struct {
	Provider, Missing string
}

func (e *PartialCredentialsError) Error() string {
	return fmt.Sprintf("Partial credentials found in %s, missing: %s", e.Provider, e.Missing)
}

func listRun(ctx context.Context, o *options) error {
	o.row("Name", source{"Value", "Type", "Location"})
	o.row("----", source{"-----", "----", "--------"})
	profile := o.sessionProfile()
	switch {
	case o.profileSet:
		o.row("profile", source{profile, "manual", "--profile"})
	case profile != "":
		o.row("profile", source{profile, "env", profileEnvs})
	default:
		o.row("profile", unset)
	}
	cfg, creds, err := o.load()
	if err != nil {
		return err
	}
	c := newConfig(cfg, creds)
	scoped, err := c.scoped(profile)
	if err != nil {
		return err
	}
	key, secret, err := o.credentials(c, profile)
	if err != nil {
		return err
	}
	o.row("access_key", key)
	o.row("secret_key", secret)

	region := unset
	if v := o.getenv("AWS_REGION"); v != "" {
		region = source{v, "env", regionEnvs}
	} else if v := o.getenv("AWS_DEFAULT_REGION"); v != "" {
		region = source{v, "env", regionEnvs}
	} else if v, ok := scoped["region"]; ok && v.nested == nil {
		region = source{v.s, "config-file", o.configFileSetting()}
	}
	o.row("region", region)
	if o.footer != nil {
		o.footer(ctx, o.out, profile)
	}
	return nil
}

// credentials finds the access key pair as the AWS CLI's credential chain does, for the
// sources it knows: the environment (unless --profile was given), the credentials file, the
// config file.
func (o *options) credentials(c *config, profile string) (key, secret source, err error) {
	found := func(k, s, kind string) (source, source, error) {
		return source{mask(k, true), kind, ""}, source{mask(s, true), kind, ""}, nil
	}
	if !o.profileSet {
		if k := o.getenv("AWS_ACCESS_KEY_ID"); k != "" {
			s := o.getenv("AWS_SECRET_ACCESS_KEY")
			if s == "" {
				return unset, unset, &PartialCredentialsError{"env", "AWS_SECRET_ACCESS_KEY"}
			}
			return found(k, s, "env")
		}
	}
	if profile == "" {
		profile = "default"
	}
	for _, f := range []struct {
		settings settings
		kind     string
	}{
		{c.credentials[profile], "shared-credentials-file"},
		{c.configProfiles[profile], "config-file"},
	} {
		k, ok := f.settings["aws_access_key_id"]
		if !ok {
			continue
		}
		s, ok := f.settings["aws_secret_access_key"]
		if !ok {
			return unset, unset, &PartialCredentialsError{f.kind, "aws_secret_access_key"}
		}
		return found(k.s, s.s, f.kind)
	}
	return unset, unset, nil
}
