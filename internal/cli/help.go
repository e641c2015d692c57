package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/output"
)

// Help pages follow the AWS CLI's layout (NAME, DESCRIPTION, SYNOPSIS, OPTIONS), as plain
// text: the operation's and each parameter's first sentence of documentation come from the
// AWS CLI v2's models, in the models' parameter order.

// helpGlobals are the global options a synopsis lists after the operation's own.
var helpGlobals = []string{
	"[--debug]", "[--endpoint-url <value>]", "[--no-paginate]", "[--output <value>]",
	"[--query <value>]", "[--profile <value>]", "[--region <value>]", "[--no-sign-request]",
}

// The options every operation has besides its parameters, and those of paginated ones.
var (
	cliInputOption = params.ParamDoc{Flag: "cli-input-json | --cli-input-yaml", Type: "string",
		Doc: "Reads arguments from the JSON or YAML string provided, in the format --generate-cli-skeleton prints."}
	skeletonOption = params.ParamDoc{Flag: "generate-cli-skeleton", Type: "string",
		Doc: "Prints a sample input (input, yaml-input) or output (output) of the operation, without calling it."}
	// outfileOption is the positional argument of an operation whose output streams.
	outfileOption = params.ParamDoc{Flag: "outfile", Type: "string", Required: true, Doc: "Filename where the content will be saved"}
	pagingOptions = []params.ParamDoc{
		{Flag: "starting-token", Type: "string", Doc: "A token to specify where to start paginating."},
		{Flag: "page-size", Type: "integer", Doc: "The size of each page to get in the AWS service call."},
		{Flag: "max-items", Type: "integer", Doc: "The total number of items to return in the command's output."},
	}
)

func serviceHelp(streams *IO, svc *awsService) {
	fmt.Fprintf(streams.Out, "%s\n\nAVAILABLE COMMANDS\n", svc.cliName())
	for _, op := range svc.operations() {
		fmt.Fprintf(streams.Out, "       o %s\n\n", op.command)
	}
}

func operationHelp(streams *IO, svc *awsService, op *operation) {
	doc, opts := helpOptions(svc, op)
	w := streams.Out
	fmt.Fprintf(w, "NAME\n       %s -\n\n", op.command)
	if doc != "" {
		fmt.Fprintf(w, "DESCRIPTION\n%s\n", wrap(doc, 7))
	}
	fmt.Fprintf(w, "SYNOPSIS\n            %s\n", op.command)
	for _, p := range opts {
		if p == outfileOption {
			fmt.Fprintf(w, "          <outfile>\n")
			continue
		}
		fmt.Fprintf(w, "          %s\n", synopsisOf(p))
	}
	for _, g := range helpGlobals {
		fmt.Fprintf(w, "          %s\n", g)
	}
	fmt.Fprintf(w, "\nOPTIONS\n")
	for _, p := range opts {
		writeOption(w, p)
	}
}

// helpOptions returns the operation's documentation and its options in the AWS CLI's order:
// the model's parameters, less a paginated operation's position and page-size parameters
// (a paging option of the same name takes its place), then --cli-input-json, the other
// paging options and --generate-cli-skeleton. Without the AWS CLI's model of the operation,
// the parameters are the SDK input's.
func helpOptions(svc *awsService, op *operation) (string, []params.ParamDoc) {
	d, ok := params.Describe(svc.name, op.name)
	if !ok {
		for _, p := range params.Params(op.in) {
			d.Params = append(d.Params, params.ParamDoc{Name: p.Field, Flag: p.Flag, Type: strings.ToLower(p.Kind.String()), Required: p.Required})
		}
	}
	d.Params = customized(svc, op, d.Params, customizations[svc.cliName()+" "+op.command])
	streams := map[string]bool{}
	for _, p := range params.Params(op.in) {
		streams[p.Field] = p.Kind == params.Stream
	}
	for i, p := range d.Params {
		if streams[p.Name] {
			d.Params[i].Type = "streaming blob"
		}
	}
	if outfileOf(op) {
		// The AWS CLI takes no --cli-input-json of an operation whose output streams.
		return d.Doc, append(d.Params, outfileOption)
	}
	if _, ok := customizations[svc.cliName()+" "+op.command].extra("outfile"); ok {
		// Nor of a command with an --outfile of its own (iam create-virtual-mfa-device).
		// (awscli/customizations/cliinputjson.py, generatecliskeleton.py)
		return d.Doc, d.Params
	}
	pg, paged := output.PaginatorOf(svc.name, op.name)
	if !paged {
		return d.Doc, append(append(d.Params, cliInputOption), skeletonOption)
	}
	hidden := map[string]bool{pg.LimitKey: true}
	for _, t := range pg.InputTokens {
		hidden[t] = true
	}
	paging := map[string]params.ParamDoc{}
	for _, p := range pagingOptions {
		if p.Flag != "page-size" || pg.LimitKey != "" {
			paging[p.Flag] = p
		}
	}
	var out []params.ParamDoc
	for _, p := range d.Params {
		if po, ok := paging[p.Flag]; ok {
			out = append(out, po) // in the place of the parameter it shadows
			delete(paging, p.Flag)
		} else if !hidden[p.Name] {
			out = append(out, p)
		}
	}
	out = append(out, cliInputOption)
	for _, p := range pagingOptions {
		if po, ok := paging[p.Flag]; ok {
			out = append(out, po)
		}
	}
	return d.Doc, append(out, skeletonOption)
}

// customized applies the AWS CLI's changes to a command's parameters: the members it hides
// go; a boolean's negative flag is renamed (argrename.py), a top-level boolean structure is a
// switch pair (ec2's toplevelbool.py); its own arguments follow the others, a switch and its
// --no- form as one.
func customized(svc *awsService, op *operation, ps []params.ParamDoc, c *customization) []params.ParamDoc {
	flags := operationFlags(svc.name, op, c)
	var out []params.ParamDoc
	for _, p := range ps {
		if c.removes(p.Flag) || c.hides(p.Flag) {
			continue
		}
		if f, ok := flags[p.Flag]; ok && f.topBool {
			p.Type = "boolean" // its --no- comes after the renames: not renamed
		} else if neg := renamed(svc.name, op.command, "no-"+p.Flag); p.Type == "boolean" && neg != "no-"+p.Flag {
			p.Flag += " | --" + neg
		}
		out = append(out, p)
	}
	if c == nil {
		return out
	}
	for _, x := range c.extras {
		if _, ok := c.extra("no-" + x.flag); ok && x.nargs == noWord {
			out = append(out, params.ParamDoc{Flag: x.flag, Type: "boolean", Doc: x.help})
			continue
		}
		if on, ok := strings.CutPrefix(x.flag, "no-"); ok {
			if _, pair := c.extra(on); pair && x.nargs == noWord {
				continue
			}
		}
		out = append(out, params.ParamDoc{Flag: x.flag, Type: "string", Doc: x.help, Required: x.required})
	}
	return out
}

func synopsisOf(p params.ParamDoc) string {
	s := "--" + p.Flag + " <value>"
	switch {
	case p == cliInputOption || strings.Contains(p.Flag, " | --"):
		s = "--" + p.Flag
	case p.Type == "boolean":
		s = "--" + p.Flag + " | --no-" + p.Flag
	}
	if !p.Required {
		s = "[" + s + "]"
	}
	return s
}

func writeOption(w io.Writer, p params.ParamDoc) {
	name := "--" + p.Flag
	if p == outfileOption {
		name = p.Flag
	}
	if p.Type == "boolean" && !strings.Contains(p.Flag, " | --") {
		name += " | --no-" + p.Flag
	}
	fmt.Fprintf(w, "       %s (%s)\n", name, p.Type)
	if p.Doc != "" {
		fmt.Fprint(w, wrap(p.Doc, 10))
	}
	fmt.Fprintln(w)
}

// wrap breaks text into lines of at most 80 columns indented by indent spaces.
func wrap(text string, indent int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", indent)
	line := pad
	for _, word := range strings.Fields(text) {
		if len(line) > indent && len(line)+1+len(word) > 80 {
			b.WriteString(line + "\n")
			line = pad
		}
		if len(line) > indent {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}
