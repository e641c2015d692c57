package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gopkg.in/ini.v1"

	"github.com/awsxlab/awsx/internal/cli/params"
)

// NewCmdService returns the command of one AWS service: `awsx ec2 <operation> [parameters]`.
// Its operations are the SDK client's methods, found by reflection when the command runs;
// their parameters follow the AWS CLI's syntax, which cobra's flags cannot hold (a list takes
// several words), so the command parses its own arguments, and completes them itself
// ([completeService]).
func NewCmdService(streams *IO, svc *awsService, g *globals) *cobra.Command {
	return &cobra.Command{
		Use:                svc.name + " <operation> [parameters]",
		Short:              "Call " + svc.name + " operations, as the AWS CLI does",
		DisableFlagParsing: true,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return completeService(cmd, svc, args, toComplete), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			code := runService(cmd, streams, svc, *g, args)
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

func runService(cmd *cobra.Command, streams *IO, svc *awsService, g globals, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		serviceHelp(streams, svc)
		if len(args) == 0 {
			return fail(streams, usageErr("the following arguments are required: operation"))
		}
		return exitOK
	}
	op := svc.operation(args[0])
	if op == nil {
		return fail(streams, usageErr("argument operation: Invalid choice: '%s' (run `awsx %s help` for the list)", args[0], svc.name))
	}
	if len(args) > 1 && (args[1] == "help" || args[1] == "--help") {
		operationHelp(streams, svc, op)
		return exitOK
	}
	g, named, order, err := parseArgs(g, args[1:])
	if err != nil {
		return fail(streams, err)
	}
	dir, _ := os.Getwd()
	iv := &invocation{svc: svc, op: op, g: g, args: named, seen: order}
	return iv.run(cmd.Context(), streams, dir)
}

func serviceHelp(streams *IO, svc *awsService) {
	fmt.Fprintf(streams.Out, "%s\n\nAVAILABLE OPERATIONS\n", svc.name)
	for _, op := range svc.operations() {
		fmt.Fprintf(streams.Out, "  o %s\n", op.command)
	}
}

func operationHelp(streams *IO, svc *awsService, op *operation) {
	fmt.Fprintf(streams.Out, "NAME\n  %s\n\nSYNOPSIS\n  %s\n", op.command, op.command)
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	custom := customizations[svc.name+" "+op.command]
	for _, p := range params.Params(op.in) {
		if custom.removes(p.Flag) {
			continue
		}
		arg := "<value>"
		switch {
		case p.Kind == params.Bool:
			arg = "| --no-" + p.Flag
		case p.Kind == params.List || p.Kind == params.ListOfStructures:
			arg = "<value> [<value>...]"
		}
		line := "--" + p.Flag + " " + arg
		if !p.Required {
			line = "[" + line + "]"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", line, p.Kind)
	}
	if custom != nil {
		for _, x := range custom.extras {
			fmt.Fprintf(tw, "  [--%s <value>]\t%s\n", x.flag, x.help)
		}
	}
	tw.Flush()
	fmt.Fprintln(streams.Out, "\nGLOBAL OPTIONS\n  [--output json|text|table] [--query <JMESPath>] [--region <r>] [--profile <p>]\n  [--endpoint-url <url>] [--no-paginate] [--max-items <n>] [--starting-token <t>] [--page-size <n>]\n  [--cli-input-json <json>] [--generate-cli-skeleton] [--debug] [--no-sign-request]")
}

// profileSetting reads a setting of the profile (AWS_PROFILE or "default" when empty) from
// the config file, as the AWS CLI does for settings the SDK does not load (output).
func profileSetting(profile, key string) string {
	if profile == "" {
		profile = os.Getenv("AWS_PROFILE")
	}
	section := "default"
	if profile != "" && profile != "default" {
		section = "profile " + profile
	}
	file := os.Getenv("AWS_CONFIG_FILE")
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		file = filepath.Join(home, ".aws", "config")
	}
	f, err := ini.Load(file)
	if err != nil {
		return ""
	}
	return f.Section(section).Key(key).String()
}
