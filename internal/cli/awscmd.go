package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"gopkg.in/ini.v1"

	"github.com/awsxlab/awsx/internal/cli/waiter"
)

// NewCmdService returns the command of one AWS service: `awsx ec2 <operation> [parameters]`.
// Its operations are the SDK client's methods, found by reflection when the command runs;
// their parameters follow the AWS CLI's syntax, which cobra's flags cannot hold (a list takes
// several words), so the command parses its own arguments, and completes them itself
// ([completeService]).
func NewCmdService(f *Factory, svc *awsService, g *globals) *cobra.Command {
	return &cobra.Command{
		Use:                svc.cliName() + " <operation> [parameters]",
		Short:              "Call " + svc.cliName() + " operations, as the AWS CLI does",
		DisableFlagParsing: true,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return completeService(cmd, svc, args, toComplete), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			code := runService(cmd, f, svc, *g, args)
			if code != exitOK {
				return &exitCode{code}
			}
			return nil
		},
	}
}

// exitCode ends the command with a code whose message was already printed.
type exitCode struct{ code int }

func (e *exitCode) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func runService(cmd *cobra.Command, f *Factory, svc *awsService, g globals, args []string) int {
	streams := f.IO
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		serviceHelp(streams, svc)
		if len(args) == 0 {
			return fail(streams, usageErr("the following arguments are required: operation"))
		}
		return exitOK
	}
	if svc.cliName() == "cloudformation" && args[0] == "deploy" { // the AWS CLI's hand-made command
		return runDeploy(cmd.Context(), f, g, args[1:])
	}
	if args[0] == "wait" {
		if ws, _ := waiter.Of(svc.name); len(ws) > 0 {
			return runWait(cmd, f, svc, g, args[1:])
		}
	}
	op := svc.operation(args[0])
	if op == nil {
		return fail(streams, usageErr("argument operation: Invalid choice: '%s' (run `awsx %s help` for the list)", args[0], svc.cliName()))
	}
	if len(args) > 1 && (args[1] == "help" || args[1] == "--help") {
		operationHelp(streams, svc, op)
		return exitOK
	}
	words, takesOutfile := args[1:], outfileOf(op)
	var positional, unknown []string
	if takesOutfile {
		words, positional = splitPositional(op, words)
		words, unknown = dropInputOptions(words)
	}
	g, named, order, err := parseArgs(g, words)
	if err != nil {
		return fail(streams, err)
	}
	iv := &invocation{svc: svc, op: op, g: g, args: named, seen: order, f: f, takesOutfile: takesOutfile}
	if len(positional) > 0 {
		iv.outfile, iv.extra = positional[0], positional[1:]
	}
	iv.extra = append(unknown, iv.extra...)
	return iv.run(cmd.Context())
}

// profileSetting reads a setting of the profile (AWS_PROFILE or "default" when empty) from
// the config file, as the AWS CLI does for settings the SDK does not load (output).
func profileSetting(f *Factory, profile, key string) string {
	if profile == "" {
		profile = f.Getenv("AWS_PROFILE")
	}
	section := "default"
	if profile != "" && profile != "default" {
		section = "profile " + profile
	}
	file := f.Getenv("AWS_CONFIG_FILE")
	if file == "" {
		file = filepath.Join(f.Getenv("HOME"), ".aws", "config")
	}
	cfg, err := ini.Load(file)
	if err != nil {
		return ""
	}
	return cfg.Section(section).Key(key).String()
}
