package cli

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/internal/cli/s3cmd"
)

// cliGlobals are the AWS CLI's own global options, which its main parser takes out of any
// command line before the command sees it; true for those that take a value.
var cliGlobals = map[string]bool{
	"output": true, "query": true, "region": true, "profile": true, "endpoint-url": true, "color": true,
	"ca-bundle": true, "cli-read-timeout": true, "cli-connect-timeout": true, "cli-binary-format": true,
	"debug": false, "no-paginate": false, "no-sign-request": false, "no-verify-ssl": false, "no-cli-pager": false,
	"cli-auto-prompt": false, "no-cli-auto-prompt": false,
}

// NewCmdS3 returns `awsx s3`, the AWS CLI's hand-made s3 commands (package s3cmd).
func NewCmdS3(f *Factory, g *globals) *cobra.Command {
	return &cobra.Command{
		Use:                "s3 <command> [arguments]",
		Short:              "The AWS CLI's s3 commands: ls, mb, rb, cp, mv, rm, sync, website, presign",
		DisableFlagParsing: true,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return completeS3(args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if code := runS3(cmd.Context(), f, *g, args); code != exitOK {
				return &exitCode{code}
			}
			return nil
		},
	}
}

func runS3(ctx context.Context, f *Factory, g globals, args []string) int {
	streams := f.IO
	words, globalWords, err := splitGlobals(args)
	if err != nil {
		return fail(streams, err)
	}
	g, _, _, err = parseArgs(g, globalWords)
	if err != nil {
		return fail(streams, err)
	}
	if len(words) > 0 && (words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
		s3Help(streams)
		return exitOK
	}
	if len(words) > 1 && (words[1] == "help" || words[1] == "--help") {
		if page, ok := s3cmd.Help(words[0]); ok {
			streams.Out.Write([]byte(page))
			return exitOK
		}
	}
	cmd, err := s3cmd.Parse(words)
	if err != nil {
		return fail(streams, s3UsageError(err))
	}
	env := &s3cmd.Env{In: streams.In, Out: streams.Out, Err: streams.Err, Dir: f.Dir(), Terminal: isTerminal(streams.Out),
		Run: func(ctx context.Context, fn func(*s3.Client) error) error {
			return withBackend(ctx, f, g, func(cfg aws.Config, backend string) error {
				return fn(newS3Client(cfg, backend).(*s3.Client))
			})
		}}
	code := cmd.Run(ctx, env)
	return code
}

// splitGlobals takes the AWS CLI's global options (and their values) out of an s3 command
// line, as its main parser does before the command parses the rest.
func splitGlobals(args []string) (words, globalWords []string, err error) {
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w == "--" {
			words = append(words, args[i:]...)
			break
		}
		name, _, inline := strings.Cut(strings.TrimPrefix(w, "--"), "=")
		takes, ok := cliGlobals[name]
		if !strings.HasPrefix(w, "--") || !ok {
			words = append(words, w)
			continue
		}
		globalWords = append(globalWords, w)
		if takes && !inline {
			if i+1 >= len(args) || strings.HasPrefix(args[i+1], "--") {
				return nil, nil, usageErr("argument --%s: expected one argument", name)
			}
			i++
			globalWords = append(globalWords, args[i])
		}
	}
	return words, globalWords, nil
}

// s3UsageError words an s3 argument error as the AWS CLI prints it.
func s3UsageError(err error) error {
	var ue *s3cmd.UsageError
	var ce *s3cmd.ChoiceError
	var ae *s3cmd.ArgError
	switch {
	case errors.Is(err, s3cmd.ErrTooFew):
		return &exitError{exitUsage, "\nusage: aws [options] s3 <subcommand> [parameters]\naws: error: too few arguments\n"}
	case errors.As(err, &ue):
		return usageErr("%s", ue.Message)
	case errors.As(err, &ce):
		return invalidChoice(ce.Option, ce.Value, ce.Choices)
	case errors.As(err, &ae):
		return &exitError{exitUsage, "\n" + ae.Message + "\n"}
	}
	return err
}

func s3Help(streams *IO) {
	w := streams.Out
	w.Write([]byte("s3\n\nAVAILABLE COMMANDS\n"))
	for _, c := range s3cmd.Commands() {
		w.Write([]byte("       o " + c + "\n\n"))
	}
}

// completeS3 completes the s3 commands and their options.
func completeS3(args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return withPrefix(s3cmd.Commands(), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
	if strings.HasPrefix(toComplete, "-") {
		return withPrefix(s3cmd.Options(args[0]), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveDefault
}
