package cli

import (
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/output"
)

// Shell completion is cobra's: `awsx completion bash|zsh|fish|powershell` prints a script
// that asks the hidden `awsx __complete <words>` for candidates. The service commands parse
// their own arguments, so cobra hands their words to completeService.

// globalChoices are the values of the global options that take one of a few.
var globalChoices = map[string][]string{
	"output":                output.Formats,
	"generate-cli-skeleton": skeletonChoices,
}

// completeService completes a service command's words: the operation, then the operation's
// parameters not given yet and the global options cobra does not know, then the values of
// enum parameters and of options with choices. Cobra itself offers the root's flags, which
// cmd inherits.
func completeService(cmd *cobra.Command, svc *awsService, args []string, toComplete string) []string {
	if len(args) == 0 {
		var out []string
		for _, op := range svc.operations() {
			out = append(out, op.command)
		}
		return withPrefix(out, toComplete)
	}
	op := svc.operation(args[0])
	if op == nil {
		return nil
	}
	if strings.HasPrefix(toComplete, "-") {
		var out []string
		for _, name := range withPrefix(optionNames(svc, op, args[1:]), toComplete) {
			if cmd.InheritedFlags().Lookup(name[2:]) == nil {
				out = append(out, name)
			}
		}
		return out
	}
	if last := args[len(args)-1]; strings.HasPrefix(last, "--") {
		return withPrefix(optionValues(op, last[2:]), toComplete)
	}
	return nil
}

// optionNames are the operation's parameters (--no-x too for booleans, the AWS CLI's own
// arguments for the command) and the global options, less the parameters already given.
func optionNames(svc *awsService, op *operation, given []string) []string {
	var out []string
	custom := customizations[svc.cliName()+" "+op.command]
	if custom != nil {
		for _, x := range custom.extras {
			out = append(out, "--"+x.flag)
		}
	}
	for name, f := range operationFlags(svc.name, op, custom) {
		if !slices.Contains(given, "--"+f.p.Flag) {
			out = append(out, "--"+name)
		}
	}
	for name := range valueOptions {
		out = append(out, "--"+name)
	}
	for name := range flagOptions {
		out = append(out, "--"+name)
	}
	out = append(out, "--generate-cli-skeleton", "--cli-input-yaml")
	sort.Strings(out)
	return slices.Compact(out)
}

// optionValues are the values the option takes, when they are a few: a global option's
// choices, an enum parameter's values.
func optionValues(op *operation, option string) []string {
	if c, ok := globalChoices[option]; ok {
		return c
	}
	for _, p := range params.Params(op.in) {
		if p.Flag == option {
			return params.EnumValues(p.Type)
		}
	}
	return nil
}

func withPrefix(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}

// completeOutput completes the root's --output flag.
func completeOutput(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return withPrefix(output.Formats, toComplete), cobra.ShellCompDirectiveNoFileComp
}
