package cli

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/cli/waiter"
	"github.com/awsxlab/awsx/sim"
)

// runWait is `awsx <service> wait <waiter> [parameters]`, the AWS CLI's waiters: the waiter's
// operation is called with the parameters until botocore's acceptors say success (exit 0,
// nothing printed) or failure (the reason, exit 255), at most MaxAttempts times, Delay
// seconds apart. On the embedded simulator the delay passes on its clock, at once (what
// waits on time happens as the clock moves); on any other backend it passes on the wall
// clock, as with the AWS CLI.
func runWait(cmd *cobra.Command, f *Factory, svc *awsService, g globals, args []string) int {
	streams := f.IO
	ws, err := waiter.Of(svc.name)
	if err != nil {
		return fail(streams, err)
	}
	var names []string
	for _, w := range ws {
		names = append(names, w.Command())
	}
	if len(args) == 0 {
		// The AWS CLI v2's words (v1 asks for "subcommand" by name).
		return fail(streams, &exitError{exitUsage, "\nusage: aws [options] " + svc.cliName() + " wait <subcommand> [parameters]\naws: error: too few arguments\n"})
	}
	if args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		waitHelp(streams, svc, ws)
		return exitOK
	}
	w, ok := waiter.Find(svc.name, args[0])
	if !ok {
		return fail(streams, invalidChoice("subcommand", args[0], names))
	}
	op := svc.operation(params.XformName(w.Operation))
	if op == nil {
		return fail(streams, &exitError{exitOther, fmt.Sprintf("\nawsx: the waiter %s calls %s, which awsx cannot call\n", w.Command(), w.Operation)})
	}
	if len(args) > 1 && (args[1] == "help" || args[1] == "--help") {
		if w.Description != "" {
			fmt.Fprintf(streams.Out, "%s\n\n", w.Description)
		}
		fmt.Fprintf(streams.Out, "  awsx %s wait %s [parameters of %s]\n\nIt calls %s every %d seconds until it succeeds, at most %d times (on the embedded simulator the seconds pass on its clock).\n",
			svc.cliName(), w.Command(), op.command, op.command, w.Delay, w.MaxAttempts)
		return exitOK
	}
	g, named, order, err := parseArgs(g, args[1:])
	if err != nil {
		return fail(streams, err)
	}
	g.noPaginate = true // botocore's waiters call the operation once per attempt
	iv := &invocation{svc: svc, op: op, g: g, args: named, seen: order, f: f}
	in := reflect.New(op.in.Elem())
	if err := iv.bind(in.Interface()); err != nil {
		return fail(streams, err)
	}
	ctx := cmd.Context()
	err = withCloud(ctx, f, g, func(cfg aws.Config, backend string, cloud *sim.Cloud) error {
		attempt := func(ctx context.Context) (waiter.Response, error) {
			out, err := iv.callAll(ctx, cfg, backend, in, "json")
			if err == nil {
				return waiter.Response{Output: out, Status: 200}, nil
			}
			return iv.waiterResponse(err)
		}
		return w.Wait(ctx, attempt, waitOn(cloud))
	})
	var we *waiter.Error
	if errors.As(err, &we) {
		return fail(streams, &exitError{exitOther, "\n" + we.Error() + "\n"})
	}
	if err != nil {
		return fail(streams, iv.callError(err))
	}
	return exitOK
}

// waiterResponse is a failed attempt as a waiter sees it: the service's error code (botocore's
// for a HEAD request, its status) and status. An error without a response (the request could
// not be sent or signed) ends the wait.
func (iv *invocation) waiterResponse(err error) (waiter.Response, error) {
	resp := waiter.Response{Err: true}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		resp.Status = re.HTTPStatusCode()
	}
	if code, msg, ok := headError(iv.op.name, err); ok {
		resp.ErrorCode, resp.Message = code, msg
		return resp, nil
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && resp.Status != 0 {
		resp.ErrorCode, resp.Message = ae.ErrorCode(), iv.wire.message(ae)
		return resp, nil
	}
	return waiter.Response{}, err
}

// waitOn returns how a waiter waits its delay: on the embedded simulator's clock, which
// moves at once, or on the wall clock.
func waitOn(cloud *sim.Cloud) func(context.Context, time.Duration) error {
	if cloud != nil {
		return func(_ context.Context, d time.Duration) error {
			cloud.Advance(d)
			return nil
		}
	}
	return func(ctx context.Context, d time.Duration) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// waitHelp lists a service's waiters.
func waitHelp(streams *IO, svc *awsService, ws []*waiter.Waiter) {
	var b strings.Builder
	fmt.Fprintf(&b, "awsx %s wait <waiter> [parameters]\n\nWait until a condition holds, polling as the AWS CLI does. Waiters:\n\n", svc.cliName())
	for _, w := range ws {
		fmt.Fprintf(&b, "  %-40s %s every %ds, at most %d times\n", w.Command(), params.XformName(w.Operation), w.Delay, w.MaxAttempts)
	}
	if len(ws) == 0 {
		b.WriteString("  (none: the AWS CLI has no waiters for " + svc.cliName() + ")\n")
	}
	fmt.Fprint(streams.Out, b.String())
}
