package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/cli/state"
	"github.com/awsxlab/awsx/internal/output"
	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/simbackend"
)

// The AWS CLI v2's exit codes.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-chap-retcodes.html
const (
	exitOK      = 0
	exitUsage   = 252 // the command line could not be parsed
	exitConfig  = 253 // the environment or configuration is invalid
	exitService = 254 // the service answered with an error
	exitOther   = 255 // anything else
)

// exitError carries an exit code and the text to print on stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, args ...any) *exitError {
	return &exitError{exitUsage, usageLines + "aws: error: " + fmt.Sprintf(format, args...) + "\n"}
}

// unknownOptions is the AWS CLI's error for the words no argument takes: its usage lines and
// the words, without argparse's "aws: error:" (clidriver's UnknownArgumentError).
func unknownOptions(words []string) *exitError {
	return &exitError{exitUsage, usageLines + "Unknown options: " + strings.Join(words, ", ") + "\n"}
}

// usageLines are what the AWS CLI prints before an argument error.
const usageLines = `
usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help

`

// globals are the AWS CLI's options that every operation takes.
type globals struct {
	output, query, region, profile, endpoint string
	noPaginate, debug, noSignRequest         bool
	maxItems, pageSize                       int
	startingToken                            string
	cliInputJSON, cliInputYAML               string
	skeleton                                 string // "", "input" or "output"
	skeletonSet                              bool
}

// valueOptions are the global options that take a value.
var valueOptions = map[string]bool{
	"output": true, "query": true, "region": true, "profile": true, "endpoint-url": true,
	"max-items": true, "page-size": true, "starting-token": true, "cli-input-json": true, "cli-input-yaml": true,
	"color": true, "ca-bundle": true, "cli-read-timeout": true, "cli-connect-timeout": true, "cli-binary-format": true,
}

// flagOptions are the global options that take none.
var flagOptions = map[string]bool{
	"no-paginate": true, "debug": true, "no-sign-request": true, "no-verify-ssl": true, "no-cli-pager": true,
	"cli-auto-prompt": true, "no-cli-auto-prompt": true,
}

// invocation is one operation call being assembled from the command line.
type invocation struct {
	svc  *awsService
	op   *operation
	g    globals
	args map[string][]string // operation parameters by flag, in the order given
	seen []string
	f    *Factory // the environment and the working directory, that relative paths start from

	// outfile is the positional argument of an operation whose output streams (s3api
	// get-object); takesOutfile says the operation has one, extra are positional words
	// beyond it.
	takesOutfile   bool
	outfile        string
	extra          []string
	autoEncodedURL bool // s3: encoding-type=url was asked for on the caller's behalf
	wire           wireMessage
}

// parseArgs splits the words after the operation name into global options and operation
// parameters. A parameter takes every word up to the next --option, as the AWS CLI's lists do.
func parseArgs(g globals, words []string) (globals, map[string][]string, []string, error) {
	args := map[string][]string{}
	var order []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "--") || w == "--" {
			return g, nil, nil, unknownOptions(words[i:])
		}
		name, value, hasValue := strings.Cut(w[2:], "=")
		if flagOptions[name] {
			switch name {
			case "no-paginate":
				g.noPaginate = true
			case "debug":
				g.debug = true
			case "no-sign-request":
				g.noSignRequest = true
			}
			continue
		}
		var vals []string
		if hasValue {
			vals = []string{value}
		}
		for !hasValue && i+1 < len(words) && !isOption(words[i+1]) {
			i++
			vals = append(vals, words[i])
		}
		if name == "generate-cli-skeleton" {
			g.skeletonSet = true
			if len(vals) > 0 {
				g.skeleton = vals[0]
			}
			continue
		}
		if valueOptions[name] {
			if len(vals) != 1 {
				return g, nil, nil, usageErr("argument --%s: expected one argument", name)
			}
			v := vals[0]
			var err error
			switch name {
			case "output":
				g.output = v
			case "query":
				g.query = v
			case "region":
				g.region = v
			case "profile":
				g.profile = v
			case "endpoint-url":
				g.endpoint = v
			case "starting-token":
				g.startingToken = v
			case "cli-input-json":
				g.cliInputJSON = v
			case "cli-input-yaml":
				g.cliInputYAML = v
			case "max-items":
				g.maxItems, err = strconv.Atoi(v)
			case "page-size":
				g.pageSize, err = strconv.Atoi(v)
			}
			if err != nil {
				return g, nil, nil, usageErr("argument --%s: invalid int value: '%s'", name, v)
			}
			continue
		}
		if _, dup := args[name]; !dup {
			order = append(order, name)
		}
		args[name] = vals
	}
	return g, args, order, nil
}

// isOption reports whether w starts another option rather than being a value: "--x" is an
// option, "-1" (a negative number) and "-" are values.
func isOption(w string) bool { return strings.HasPrefix(w, "--") && len(w) > 2 }

// skeletonChoices are the values --generate-cli-skeleton takes.
var skeletonChoices = []string{"input", "output", "yaml-input"}

// run calls the operation and prints its result; it returns the exit code.
func (iv *invocation) run(ctx context.Context) int {
	streams := iv.f.IO
	format := iv.outputFormat()
	if !slices.Contains(output.Formats, format) {
		return fail(streams, invalidChoice("--output", format, output.Formats))
	}
	if iv.g.skeletonSet {
		switch iv.g.skeleton {
		case "", "input":
			streams.Out.Write(params.Skeleton(iv.op.in))
			return exitOK
		case "yaml-input":
			sk, err := params.YAMLSkeleton(iv.svc.name, iv.op.name)
			if err != nil {
				return fail(streams, &exitError{exitOther, err.Error() + "\n"})
			}
			streams.Out.Write(sk)
			return exitOK
		case "output":
		default:
			return fail(streams, invalidChoice("--generate-cli-skeleton", iv.g.skeleton, skeletonChoices))
		}
	}
	in := reflect.New(iv.op.in.Elem())
	if err := iv.bind(in.Interface()); err != nil {
		return fail(streams, err)
	}
	result, err := iv.result(ctx, in, format)
	if err != nil {
		return fail(streams, err)
	}
	if iv.g.query != "" {
		if result, err = queryResult(result, iv.g.query); err != nil {
			return fail(streams, &exitError{exitUsage, "\nBad value for --query " + iv.g.query + ": " + err.Error() + "\n"})
		}
	}
	if err := output.Write(streams.Out, format, result, iv.op.name); err != nil {
		return fail(streams, &exitError{exitOther, err.Error() + "\n"})
	}
	return exitOK
}

// queryResult applies --query to the result, to each page of a stream.
func queryResult(result any, query string) (any, error) {
	pages, ok := result.(output.Stream)
	if !ok {
		return output.Query(result, query)
	}
	out := make(output.Stream, len(pages))
	for i, p := range pages {
		var err error
		if out[i], err = output.Query(p, query); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// result calls the operation on the backend, or makes the sample output
// --generate-cli-skeleton output asks for.
func (iv *invocation) result(ctx context.Context, in reflect.Value, format string) (any, error) {
	if iv.g.skeleton == "output" {
		sample, err := output.Sample(iv.svc.name, iv.op.name)
		if err != nil {
			return nil, &exitError{exitUsage, "\n" + err.Error() + "\n"}
		}
		return sample, nil
	}
	var result any
	err := withBackend(ctx, iv.f, iv.g, func(cfg aws.Config, backend string) (err error) {
		result, err = iv.callAll(ctx, cfg, backend, in, format)
		return err
	})
	if err != nil {
		return nil, iv.callError(err)
	}
	return result, nil
}

// withBackend calls fn with the config of the backend the options and settings choose:
// for the embedded simulator inside a transaction on its state directory.
func withBackend(ctx context.Context, f *Factory, g globals, fn func(cfg aws.Config, backend string) error) error {
	return withCloud(ctx, f, g, func(cfg aws.Config, backend string, _ *sim.Cloud) error { return fn(cfg, backend) })
}

// withCloud is [withBackend], also handing fn the embedded simulator (nil for another backend).
func withCloud(ctx context.Context, f *Factory, g globals, fn func(cfg aws.Config, backend string, cloud *sim.Cloud) error) error {
	streams := f.IO
	backend, simOpts, err := backendOf(f, g)
	if openCloudFrom(ctx) != nil {
		// The AWS CLI of an instance: its cloud is the one open, whatever this machine's
		// settings (an endpoint URL of the learner's) say.
		backend, simOpts, err = awsx.BackendSim, nil, nil
	}
	if err != nil {
		return &exitError{exitConfig, err.Error() + "\n"}
	}
	instance := instanceFrom(ctx)
	if instance != "" && backend != awsx.BackendSim {
		return &exitError{exitConfig, "awsx sim on: runs on the embedded simulator's instances; the backend is " + backend + "\n"}
	}
	call := func(cloud *sim.Cloud) error {
		var cfg aws.Config
		var err error
		if instance != "" {
			// On an instance: no profile, no keys; the region and the role's credentials come
			// from the instance's metadata service.
			if cfg, err = cloud.InstanceConfig(instance); err != nil {
				return &exitError{exitConfig, "awsx sim on: the simulator has no instance " + instance + "\n"}
			}
			if on := openCloudFrom(ctx); on != nil && on.key != "" {
				// The instance's own ~/.aws has keys: they come first in the CLI's chain.
				cfg = cloud.Config(sim.WithCredentials(on.key, on.secret, on.token), sim.WithRegion(cfg.Region))
			}
			if g.region != "" {
				cfg.Region = g.region
			}
			if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
				// The AWS CLI's words when no credential source answers, here an instance without
				// a role, or with one EC2 may not assume.
				return &exitError{exitConfig, "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n"}
			}
		} else if cfg, err = awsx.Load(ctx, func(o *awsx.Options) {
			o.Profile, o.Region, o.Backend, o.Getenv = g.profile, g.region, backend, f.Getenv
			if cloud != nil {
				o.Simulator = cloud
			}
		}); err != nil {
			return &exitError{exitConfig, err.Error() + "\n"}
		}
		if g.noSignRequest {
			cfg.Credentials = aws.AnonymousCredentials{}
		}
		if g.debug {
			cfg.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody | aws.LogRetries
			cfg.Logger = logging.NewStandardLogger(streams.Err)
		}
		return fn(cfg, backend, cloud)
	}
	if backend != awsx.BackendSim {
		return call(nil)
	}
	if on := openCloudFrom(ctx); on != nil {
		return call(on.cloud) // the AWS CLI of an instance, in the cloud open already
	}
	path, err := f.StateDir()
	if err != nil {
		return &exitError{exitConfig, err.Error() + "\n"}
	}
	d, created, err := state.Open(path)
	if err != nil {
		return &exitError{exitConfig, err.Error() + "\n"}
	}
	if created {
		fmt.Fprintf(streams.Err, "awsx: using the embedded simulator, with its state in %s (no AWS account is used).\n"+
			"awsx: for real AWS set AWSX_BACKEND=aws; for a simulator server, --endpoint-url http://127.0.0.1:4566.\n", d.Path)
	}
	return d.Update(ctx, simOpts, func(c *sim.Cloud) error {
		c.SetInstanceCLI(instanceCLI(c)) // for user data that runs aws at boot
		return call(c)
	})
}

// bind fills in from --cli-input-json or --cli-input-yaml and the parameters, and checks the
// required ones.
func (iv *invocation) bind(in any) error {
	opts := params.Options{Dir: iv.f.Dir(), Getenv: iv.f.Getenv}
	if err := iv.bindInput(in); err != nil {
		return err
	}
	custom := customizations[iv.svc.cliName()+" "+iv.op.command]
	flags := operationFlags(iv.svc.name, iv.op, custom)
	// As argparse reads the command line: a missing word at once, then the words nothing
	// takes.
	var unknown []string
	for _, name := range iv.seen {
		words := iv.args[name]
		if x, ok := custom.extra(name); ok {
			switch {
			case x.nargs == noWord:
				unknown = append(unknown, words...)
			case x.nargs == oneWord && len(words) == 0:
				return usageErr("argument --%s: expected one argument", name)
			case x.nargs == oneWord:
				unknown = append(unknown, words[1:]...)
			}
			continue
		}
		f, ok := flags[name]
		switch {
		case !ok:
			unknown = append(append(unknown, "--"+name), words...)
		case f.value != nil && !f.topBool && len(words) > 0:
			unknown = append(unknown, words...)
		case f.topBool && len(words) > 1:
			unknown = append(unknown, words[1:]...)
		}
	}
	if len(unknown) > 0 {
		return unknownOptions(unknown)
	}
	// Then the AWS CLI's checks of the arguments given, before it reads any value.
	if custom != nil && custom.check != nil {
		if err := custom.check(iv.args); err != nil {
			return err
		}
	}
	for _, name := range iv.seen {
		if f, ok := flags[name]; ok && f.topBool {
			if _, both := iv.args[f.pair]; both {
				return &exitError{exitUsage, fmt.Sprintf("\nCannot specify both the \"--%s\" option and the \"--%s\" option.\n", name, f.pair)}
			}
		}
	}
	for _, name := range iv.seen {
		f, ok := flags[name]
		if !ok {
			continue // an extra
		}
		words := iv.args[name]
		switch {
		case f.topBool && len(words) == 1:
		case f.p.Kind == params.Structure && f.value != nil:
			words = []string{fmt.Sprintf(`{"Value": %t}`, *f.value)}
		case f.value != nil:
			words = []string{strconv.FormatBool(*f.value)}
		}
		if err := params.Set(in, f.p, words, opts); err != nil {
			return err
		}
	}
	if err := custom.apply(in, iv.args); err != nil {
		return err
	}
	var missing []string
	if iv.g.cliInputJSON == "" && iv.g.cliInputYAML == "" {
		for _, p := range params.Params(iv.op.in) {
			if p.Kind == params.Bool {
				// The AWS CLI's parser requires no --flag/--no-flag pair (awscli/arguments.py,
				// BooleanArgument); botocore's validation then names the member, as Validate does.
				continue
			}
			if _, ok := iv.args[p.Flag]; p.Required && !ok && !custom.removes(p.Flag) {
				missing = append(missing, "--"+p.Flag)
			}
		}
	}
	if custom != nil {
		for _, x := range custom.extras {
			if _, ok := iv.args[x.flag]; x.required && !ok {
				missing = append(missing, "--"+x.flag)
			}
		}
	}
	// The AWS CLI v2 names them in its model's order of members (argparse's), not the SDK's.
	if d, ok := params.Describe(iv.svc.name, iv.op.name); ok {
		pos := map[string]int{}
		for i, p := range d.Params {
			pos["--"+p.Flag] = i + 1
		}
		slices.SortStableFunc(missing, func(a, b string) int {
			pa, pb := pos[a], pos[b]
			if pa == 0 || pb == 0 {
				return 0 // a customization's own options keep their place
			}
			return pa - pb
		})
	}
	if iv.takesOutfile && iv.outfile == "" {
		missing = append(missing, "outfile")
	}
	if len(missing) > 0 {
		return usageErr("the following arguments are required: %s", strings.Join(missing, ", "))
	}
	if len(iv.extra) > 0 {
		return unknownOptions(iv.extra)
	}
	return params.Validate(in)
}

// bindInput fills in from --cli-input-json or --cli-input-yaml (text, or file://path).
func (iv *invocation) bindInput(in any) error {
	name, text, from := "cli-input-json", iv.g.cliInputJSON, params.FromJSON
	switch {
	case iv.g.cliInputJSON != "" && iv.g.cliInputYAML != "":
		return &params.UsageError{Message: "Only one --cli-input- parameter may be specified."}
	case iv.g.cliInputYAML != "":
		name, text, from = "cli-input-yaml", iv.g.cliInputYAML, params.FromYAML
	case text == "":
		return nil
	}
	if path, ok := strings.CutPrefix(text, "file://"); ok {
		b, err := os.ReadFile(iv.f.Path(path))
		if err != nil {
			return &exitError{exitOther, "\nError parsing parameter '" + name + "': Unable to load paramfile " + text + ": " + err.Error() + "\n"}
		}
		text = string(b)
	}
	return from(in, []byte(text))
}

// outputFormat is --output, else AWS_DEFAULT_OUTPUT, else the profile's output, else json.
func (iv *invocation) outputFormat() string {
	if iv.g.output != "" {
		return iv.g.output
	}
	if v := iv.f.Getenv("AWS_DEFAULT_OUTPUT"); v != "" {
		return v
	}
	if v := profileSetting(iv.f, iv.g.profile, "output"); v != "" {
		return v
	}
	return "json"
}

// backendOf is --endpoint-url or AWS_ENDPOINT_URL (any endpoint), else the awsx setting, with
// the settings' options for the embedded simulator. The command's default backend is its
// embedded simulator (the library's is AWS).
func backendOf(f *Factory, g globals) (string, []sim.Option, error) {
	if g.endpoint != "" {
		return g.endpoint, nil, nil
	}
	if v := f.Getenv("AWS_ENDPOINT_URL"); v != "" {
		return v, nil, nil
	}
	s, err := f.Settings()
	if err != nil {
		return "", nil, err
	}
	s.SetDefault("backend", awsx.BackendSim)
	opts, err := simbackend.Options(s)
	return s.GetString("backend"), opts, err
}

// callError turns a failed call into the AWS CLI's message and exit code.
func (iv *invocation) callError(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	var ue *params.UsageError
	if errors.As(err, &ue) {
		return err
	}
	if code, msg, ok := headError(iv.op.name, err); ok {
		return &exitError{exitService, fmt.Sprintf("\nAn error occurred (%s) when calling the %s operation: %s\n", code, iv.op.name, msg)}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return &exitError{exitService, fmt.Sprintf("\nAn error occurred (%s) when calling the %s operation: %s\n", ae.ErrorCode(), iv.op.name, iv.wire.message(ae))}
	}
	return &exitError{exitOther, "\n" + err.Error() + "\n"}
}

// fail prints err as the AWS CLI would and returns its exit code.
func fail(streams *IO, err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		io.WriteString(streams.Err, ee.msg)
		return ee.code
	}
	var ue *params.UsageError
	if errors.As(err, &ue) {
		if ue.Form == params.ArgumentError && strings.HasPrefix(ue.Message, "Unknown options: ") {
			io.WriteString(streams.Err, usageLines+ue.Error()+"\n")
		} else if ue.Form == params.ArgumentError {
			io.WriteString(streams.Err, usageLines+"aws: error: "+ue.Error()+"\n")
		} else {
			io.WriteString(streams.Err, "\n"+ue.Error()+"\n")
		}
		return ue.ExitCode()
	}
	fmt.Fprintf(streams.Err, "\n%v\n", err)
	return exitOther
}

// callAll calls the operation, following its pages as the AWS CLI does unless told not to.
// The pages are merged into one result for the output format, or kept apart as an
// [output.Stream] for the formats the AWS CLI prints page by page: yaml-stream prints them as
// they came, text prints each page's result keys (see textPages).
func (iv *invocation) callAll(ctx context.Context, cfg aws.Config, backend string, in reflect.Value, format string) (any, error) {
	client := reflect.ValueOf(iv.svc.newClient(iv.wire.addTo(cfg), backend))
	method := client.MethodByName(iv.op.name)
	isS3 := iv.svc.name == "s3"
	if isS3 {
		iv.autoEncodedURL = s3Before(in.Interface())
	}
	call := func() (any, error) {
		out := method.Call([]reflect.Value{reflect.ValueOf(ctx), in})
		if err, _ := out[1].Interface().(error); err != nil {
			return nil, err
		}
		if isS3 {
			if err := s3After(out[0].Interface(), iv.autoEncodedURL, iv.outfile, iv.f.Path); err != nil {
				return nil, err
			}
		}
		if c := customizations[iv.svc.cliName()+" "+iv.op.command]; c != nil && c.after != nil {
			if err := c.after(out[0].Interface(), iv.args, iv.f.Path); err != nil {
				return nil, err
			}
		}
		return out[0].Interface(), nil
	}
	pg, paged := output.PaginatorOf(iv.svc.name, iv.op.name)
	if !paged || iv.g.noPaginate || pagesByHand(in, pg) {
		out, err := call()
		if err != nil {
			return nil, err
		}
		v := output.Value(out)
		if _, ok := out.(*s3.GetBucketLocationOutput); ok {
			if m, ok := v.(*output.Map); ok && m.Len() == 0 {
				m.Set("LocationConstraint", nil) // botocore: the root element's text, None in us-east-1
			}
		}
		return v, nil
	}
	skip := 0
	if iv.g.startingToken != "" {
		tokens, n, err := decodeToken(iv.g.startingToken, pg.InputTokens)
		if err != nil {
			return nil, &exitError{exitOther, "\n" + err.Error() + "\n"}
		}
		for k, v := range tokens {
			setString(in, k, v)
		}
		skip = n
	}
	if iv.g.pageSize > 0 && pg.LimitKey != "" {
		setInt(in, pg.LimitKey, iv.g.pageSize)
	}
	var pages []any
	items := 0
	for {
		out, err := call()
		if err != nil {
			return nil, err
		}
		page := output.Value(out)
		pages = append(pages, page)
		next := map[string]string{}
		for i, ot := range pg.OutputTokens {
			if v := outputToken(out, page, ot); v != "" && i < len(pg.InputTokens) {
				next[pg.InputTokens[i]] = v
			}
		}
		if pg.MoreResults != "" && !truthy(pathOf(page, pg.MoreResults)) {
			next = map[string]string{} // botocore stops when more_results is false
		}
		n := countItems(page, pg.ResultKeys)
		items += n
		if len(next) == 0 || (iv.g.maxItems > 0 && items-skip >= iv.g.maxItems) {
			if format == "yaml-stream" {
				return streamOf(pages, pg, skip, iv.g.maxItems), nil
			}
			cut := cutPoint{skip: skip, maxItems: iv.g.maxItems, before: items - n, next: next, at: map[string]string{}}
			for _, it := range pg.InputTokens {
				if v := stringField(in, it); v != "" {
					cut.at[it] = v
				}
			}
			merged := truncate(output.MergePages(pages, pg, ""), pg, cut)
			if format == "text" {
				return textPages(streamOf(pages, pg, skip, iv.g.maxItems), pg, merged), nil
			}
			return merged, nil
		}
		for k, v := range next {
			setString(in, k, v)
		}
	}
}

// pagesByHand reports whether the input already sets a pagination parameter (a position or
// the page size, from --marker or --cli-input-json): the AWS CLI then makes the one call
// (awscli/customizations/paginate.py; TestParityWithAWSCLI's --marker and MaxItems cases).
func pagesByHand(in reflect.Value, pg output.Paginator) bool {
	for _, name := range append([]string{pg.LimitKey}, pg.InputTokens...) {
		if f := in.Elem().FieldByName(name); name != "" && f.IsValid() && !f.IsZero() {
			return true
		}
	}
	return false
}

// streamOf is the pages as yaml-stream prints them: as the service sent them, less the items
// --starting-token skips on the first and those past --max-items on the last, as botocore's
// PageIterator yields them.
func streamOf(pages []any, pg output.Paginator, skip, maxItems int) output.Stream {
	if len(pg.ResultKeys) == 0 {
		return output.Stream(pages)
	}
	key := pg.ResultKeys[0]
	shown := 0
	for i, p := range pages {
		m, ok := p.(*output.Map)
		v, has := m.Get(key)
		items, isList := v.([]any)
		if !ok || !has || !isList {
			continue
		}
		if i == 0 {
			items = items[min(skip, len(items)):]
		}
		if maxItems > 0 && shown+len(items) > maxItems {
			items = items[:maxItems-shown]
		}
		shown += len(items)
		m.Set(key, items)
	}
	return output.Stream(pages)
}

// textPages are the pieces the AWS CLI's text format prints for a paginated call, each with
// --query applied on its own: each page's result keys, the first page's with the
// non-aggregate keys first, then the token to resume with, if any, as
// {"NextToken": {"NextToken": token}} (awscli/formatter.py, TextFormatter).
func textPages(pages output.Stream, pg output.Paginator, merged any) output.Stream {
	var out output.Stream
	for i, p := range pages {
		current := &output.Map{}
		if i == 0 {
			for _, k := range pg.NonAggregateKeys {
				current.Set(k, pathOf(p, k))
			}
		}
		for _, k := range pg.ResultKeys {
			current.Set(k, pathOf(p, k))
		}
		out = append(out, current)
	}
	if m, ok := merged.(*output.Map); ok {
		if tok, ok := m.Get("NextToken"); ok {
			out = append(out, output.NewMap("NextToken", output.NewMap("NextToken", tok)))
		}
	}
	return out
}

// pathOf follows a result key's dotted path of member names; nil where it ends.
func pathOf(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(*output.Map)
		if !ok {
			return nil
		}
		v, _ = m.Get(part)
	}
	return v
}

// cutPoint is where a paginated call stopped, for --starting-token and --max-items.
type cutPoint struct {
	skip, maxItems int               // items of the first page already shown; items to show
	before         int               // items the pages before the last one returned
	at, next       map[string]string // the last page's position, and the one after it
}

// truncate applies --starting-token's skip and --max-items' limit to the merged result, and
// sets the NextToken the AWS CLI prints to resume, as botocore's PageIterator does: at a page
// boundary the next page's position; inside a page that page's position and how many of its
// items were shown (boto_truncate_amount).
func truncate(merged any, pg output.Paginator, cut cutPoint) any {
	m, ok := merged.(*output.Map)
	if !ok || len(pg.ResultKeys) == 0 {
		return merged
	}
	key := pg.ResultKeys[0]
	list, _ := m.Get(key)
	items, _ := list.([]any)
	items = items[min(cut.skip, len(items)):]
	switch {
	case cut.maxItems <= 0 || len(items) < cut.maxItems || (len(items) == cut.maxItems && len(cut.next) == 0):
		m.Set(key, items)
	case len(items) == cut.maxItems:
		m.Set(key, items)
		m.Set("NextToken", resumeToken(pg, cut.next, -1))
	default:
		m.Set(key, items[:cut.maxItems])
		m.Set("NextToken", resumeToken(pg, cut.at, cut.maxItems+cut.skip-cut.before))
	}
	return m
}

// resumeToken is botocore's resume token: base64 of Python's json.dumps of the input tokens
// (null when absent), then boto_truncate_amount unless it is negative (botocore/paginate.py;
// the session's list-users --max-items 1 step pins it).
func resumeToken(pg output.Paginator, at map[string]string, truncated int) string {
	var parts []string
	for _, it := range pg.InputTokens {
		v := "null"
		if s, ok := at[it]; ok {
			b, _ := json.Marshal(s)
			v = string(b)
		}
		parts = append(parts, strconv.Quote(it)+": "+v)
	}
	if truncated >= 0 {
		parts = append(parts, `"boto_truncate_amount": `+strconv.Itoa(truncated))
	}
	return base64.StdEncoding.EncodeToString([]byte("{" + strings.Join(parts, ", ") + "}"))
}

// decodeToken reads a --starting-token as botocore's paginator does: a resume token (base64
// of JSON, which Python decodes skipping the characters outside base64's alphabet), or else
// an old-style token, the input tokens joined by "___" with the truncation last, or one
// opaque token of the service, which the service judges.
func decodeToken(s string, inputTokens []string) (map[string]string, int, error) {
	clean := strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=') {
			return r
		}
		return -1
	}, s)
	var raw map[string]any
	if b, err := base64.StdEncoding.DecodeString(clean); err == nil && utf8.Valid(b) && json.Unmarshal(b, &raw) == nil && raw != nil {
		out := map[string]string{}
		n := 0
		for k, v := range raw {
			switch x := v.(type) {
			case string:
				out[k] = x
			case float64:
				if k == "boto_truncate_amount" {
					n = int(x)
				}
			}
		}
		return out, n, nil
	}
	parts := strings.Split(s, "___")
	n := 0
	if len(parts) == len(inputTokens)+1 {
		if i, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1])); err == nil {
			parts, n = parts[:len(parts)-1], i
		} else {
			parts = []string{s}
		}
	}
	if len(parts) > len(inputTokens) {
		return nil, 0, fmt.Errorf("Bad starting token: %s", s)
	}
	out := map[string]string{}
	for i, p := range parts {
		if p != "None" {
			out[inputTokens[i]] = p
		}
	}
	return out, n, nil
}

// outputToken is the paginator's output token of a page: a member of the SDK's output, or a
// JMESPath expression over the page ("NextMarker || Contents[-1].Key"), as botocore reads it.
func outputToken(out, page any, expr string) string {
	if isIdentifier(expr) {
		return stringField(reflect.ValueOf(out), expr)
	}
	v, err := output.Query(page, expr)
	if err != nil {
		return ""
	}
	s, _ := v.(string)
	return s
}

func isIdentifier(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// truthy is JMESPath's truth of a more_results member: false, null and empty are false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	}
	return true
}

func countItems(page any, keys []string) int {
	m, ok := page.(*output.Map)
	if !ok || len(keys) == 0 {
		return 0
	}
	v, _ := m.Get(keys[0])
	l, _ := v.([]any)
	return len(l)
}

func stringField(v reflect.Value, name string) string {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	f := v.FieldByName(name)
	if !f.IsValid() {
		return ""
	}
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return ""
		}
		f = f.Elem()
	}
	if f.Kind() != reflect.String {
		return ""
	}
	return f.String()
}

func setString(v reflect.Value, name, s string) {
	f := v.Elem().FieldByName(name)
	if f.IsValid() && f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String {
		f.Set(reflect.ValueOf(&s))
	}
}

func setInt(v reflect.Value, name string, n int) {
	f := v.Elem().FieldByName(name)
	if f.IsValid() && f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int32 {
		i := int32(n)
		f.Set(reflect.ValueOf(&i))
	}
}

// boolValue reports whether t is a structure of one boolean, Value, such as EC2's
// AttributeBooleanValue. The AWS CLI lets EC2's parameters of that shape be written as flags,
// --map-public-ip-on-launch and --no-map-public-ip-on-launch, or given a value as any
// structure (awscli/customizations/toplevelbool.py).
func boolValue(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	exported := 0
	for f := range t.Fields() {
		if f.IsExported() {
			exported++
		}
	}
	f, ok := t.FieldByName("Value")
	return ok && exported == 1 && f.Type == reflect.TypeFor[*bool]()
}
