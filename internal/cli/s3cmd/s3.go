package s3cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Env is what a command runs with. It is used by one command at a time.
type Env struct {
	In       io.Reader // read by cp - s3://…
	Out, Err io.Writer
	// Dir is the working directory, that relative local paths start from.
	Dir string
	// Terminal says standard output is a terminal: transfers then show their progress.
	Terminal bool
	// Run calls fn with the S3 client of the command's backend (and, for the embedded
	// simulator, inside its state's transaction); it returns fn's error.
	Run func(ctx context.Context, fn func(client *s3.Client) error) error
}

// A Command is one of the s3 commands with its arguments read.
type Command struct {
	name string
	args *args
}

// command is an entry of the s3 command table.
type command struct {
	name, usage, description string
	pos                      positional
	specs                    []argSpec
	run                      func(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error)
}

var (
	copyExtras = []argSpec{argMetadata, argCopyProps, argDirective}
	commands   []*command
)

func init() {
	transfer := func(name, usage, desc string, count int, extra ...argSpec) *command {
		specs := append(append(append([]argSpec{}, transferArgs...), copyExtras...), extra...)
		return &command{name: name, usage: usage, description: desc,
			pos: positional{dest: "paths", synopsis: usage, count: count}, specs: specs,
			run: func(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
				return runTransfer(ctx, c, env, name, usage, a)
			}}
	}
	twoPaths := "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>"
	commands = []*command{
		{name: "ls", usage: "<S3Uri> or NONE", description: "List S3 objects and common prefixes under a prefix or all S3 buckets.",
			pos:   positional{dest: "paths", count: 0, def: "s3://"},
			specs: []argSpec{argRecursive, argPageSize, argHumanReadable, argSummarize, argPayer}, run: runLs},
		{name: "website", usage: "<S3Uri>", description: "Set the website configuration for a bucket.",
			pos: positional{dest: "paths", count: 1}, specs: []argSpec{argIndex, argErrorDoc}, run: runWebsite},
		transfer("cp", twoPaths, "Copies a local file or S3 object to another location locally or in S3.", 2, argExpectedSize, argRecursive),
		transfer("mv", twoPaths, "Moves a local file or S3 object to another location locally or in S3.", 2, argRecursive),
		{name: "rm", usage: "<S3Uri>", description: "Deletes an S3 object.", pos: positional{dest: "paths", count: 1},
			specs: []argSpec{argDryrun, argQuiet, argRecursive, argPayer, argInclude, argExclude, argOnlyErrors, argPageSize},
			run: func(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
				return runTransfer(ctx, c, env, "rm", "<S3Uri>", a)
			}},
		transfer("sync", "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
			"Syncs directories and S3 prefixes. Recursively copies new and updated files from the source directory to the destination.",
			2, argSizeOnly, argExact, argDelete),
		{name: "mb", usage: "<S3Uri>", description: "Creates an S3 bucket.", pos: positional{dest: "path", count: 1}, run: runMb},
		{name: "rb", usage: "<S3Uri>", description: "Deletes an empty S3 bucket.", pos: positional{dest: "path", count: 1},
			specs: []argSpec{argForce}, run: runRb},
		{name: "presign", usage: "<S3Uri>", description: "Generate a pre-signed URL for an Amazon S3 object.",
			pos: positional{dest: "path", count: 1}, specs: []argSpec{argExpiresIn}, run: runPresign},
	}
}

// Commands are the s3 commands' names, in the AWS CLI's order.
func Commands() []string {
	var out []string
	for _, c := range commands {
		out = append(out, c.name)
	}
	return out
}

// Options returns the options of the command name ("--recursive", …), sorted.
func Options(name string) []string {
	var out []string
	for _, c := range commands {
		if c.name == name {
			for _, s := range c.specs {
				out = append(out, "--"+s.name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Help returns the command's help page, in the AWS CLI's layout.
func Help(name string) (string, bool) {
	for _, c := range commands {
		if c.name != name {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "NAME\n       %s -\n\nDESCRIPTION\n%s\nSYNOPSIS\n            %s\n", c.name, wrap(c.description, 7), c.name)
		fmt.Fprintf(&b, "          %s\n", c.usage)
		for _, s := range c.specs {
			fmt.Fprintf(&b, "          [--%s%s]\n", s.name, valueHint(s))
		}
		b.WriteString("\nOPTIONS\n")
		fmt.Fprintf(&b, "       %s (string)\n\n", c.pos.dest)
		for _, s := range c.specs {
			fmt.Fprintf(&b, "       --%s%s\n%s\n", s.name, typeHint(s), wrap(s.help, 10))
		}
		return b.String(), true
	}
	return "", false
}

func valueHint(s argSpec) string {
	if s.nargs == nargsFlag {
		return ""
	}
	return " <value>"
}

func typeHint(s argSpec) string {
	if s.nargs == nargsFlag {
		return " (boolean)"
	}
	return " (string)"
}

func wrap(text string, indent int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", indent)
	line := pad
	for _, w := range strings.Fields(text) {
		if len(line) > indent && len(line)+1+len(w) > 80 {
			b.WriteString(line + "\n")
			line = pad
		}
		if len(line) > indent {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}

// Parse reads an s3 command line (the words after "s3": the command and its arguments).
// Its errors are *UsageError or *ChoiceError, or *ArgError, which the AWS CLI prints without
// its usage lines.
func Parse(words []string) (*Command, error) {
	if len(words) == 0 {
		return nil, ErrTooFew
	}
	for _, c := range commands {
		if c.name != words[0] {
			continue
		}
		specs := c.specs
		words, err := expandAbbrev(specs, words[1:])
		if err != nil {
			return nil, err
		}
		a, err := parseArgs(specs, c.pos, words)
		if err != nil {
			return nil, err
		}
		if len(a.unknown) > 0 {
			return nil, &ArgError{"Unknown options: " + strings.Join(a.unknown, ", ")}
		}
		return &Command{name: c.name, args: a}, nil
	}
	return nil, &ChoiceError{Option: "subcommand", Value: words[0], Choices: Commands()}
}

// ErrTooFew is `aws s3` without a command.
var ErrTooFew = errors.New("too few arguments")

// An ArgError is an argument error the AWS CLI prints on its own, exit 252.
type ArgError struct{ Message string }

func (e *ArgError) Error() string { return e.Message }

// expandAbbrev replaces an option given by a unique prefix with its name, as argparse
// allows (--recur is --recursive).
func expandAbbrev(specs []argSpec, words []string) ([]string, error) {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		if w == "--" {
			copy(out[i:], words[i:])
			break
		}
		if !strings.HasPrefix(w, "--") || len(w) == 2 {
			continue
		}
		name, value, inline := strings.Cut(w[2:], "=")
		var found []string
		exact := false
		for _, s := range specs {
			if s.name == name {
				exact = true
			}
			if strings.HasPrefix(s.name, name) {
				found = append(found, "--"+s.name)
			}
		}
		switch {
		case exact:
		case len(found) == 1:
			out[i] = found[0]
			if inline {
				out[i] += "=" + value
			}
		case len(found) > 1:
			return nil, &UsageError{fmt.Sprintf("ambiguous option: --%s could match %s", name, strings.Join(found, ", "))}
		}
	}
	return out, nil
}

// Run runs the command and returns its exit code, having printed its output and errors as
// the AWS CLI v2 does.
func (cmd *Command) Run(ctx context.Context, env *Env) int {
	var c *command
	for _, x := range commands {
		if x.name == cmd.name {
			c = x
		}
	}
	code := 0
	err := env.Run(ctx, func(client *s3.Client) error {
		var err error
		code, err = c.run(ctx, client, env, cmd.args)
		return err
	})
	if err != nil {
		return printError(env.Err, err)
	}
	return code
}

// printError prints an error that ended a command as the AWS CLI's driver does, and returns
// the exit code.
func printError(w io.Writer, err error) int {
	var pe *paramError
	var re *runtimeError
	var ae *ArgError
	switch {
	case errors.As(err, &pe):
		fmt.Fprintf(w, "\n%s\n", pe.msg)
		return 252
	case errors.As(err, &ae):
		fmt.Fprintf(w, "\n%s\n", ae.Message)
		return 252
	case errors.As(err, &re):
		fmt.Fprintf(w, "\n%s\n", re.msg)
		return 255
	}
	if text, ok := clientErrorText(err); ok {
		fmt.Fprintf(w, "\n%s\n", text)
		return 254
	}
	fmt.Fprintf(w, "\n%s\n", errorText(err))
	return 255
}
