package sim

import (
	"context"
	"sync"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// # Test hooks
//
// A Cloud records every request it answers ([Cloud.Calls]) and answers some as a test says
// ([Cloud.Inject]): an error, a throttle, a latency, or an answer of the test's own — so that
// code's handling of AWS's failures can be tested without waiting for AWS to fail.

// Call is one request as the call log records it.
type Call struct {
	Time      time.Time // the simulator's clock when it was answered
	Principal string    // the caller's ARN; "anonymous"; "" when it was refused before
	Service   string    // signing name: "ec2"
	Operation string    // "RunInstances"; "" when the request named none
	Region    string
	// Decision is the authorization's outcome: "allow", "explicit deny", "implicit deny";
	// "" when none was made (a public operation, or a request refused before).
	Decision string
	// Statement names the statement that decided: its policy and Sid or index.
	Statement string
	Status    int    // the HTTP status answered
	Error     string // the error code, "" on success
	Injected  bool   // answered by a fault from Inject
}

// defaultCallLog is how many calls the log keeps unless [WithCallLog] says otherwise.
const defaultCallLog = 1000

// WithCallLog sets how many of the latest calls [Cloud.Calls] keeps (1000 by default); 0
// keeps none.
func WithCallLog(n int) Option { return func(o *options) { o.callLog = n } }

type hooks struct {
	mu     sync.Mutex
	calls  []loggedCall // a ring of the latest, next at pos
	pos    int
	full   bool
	faults []*faultEntry
}

// loggedCall is a Call as the log holds it: the deciding statement is named when the log is
// read, not on every request.
type loggedCall struct {
	Call
	by *policy.Match
}

// Calls returns the latest calls the cloud answered, oldest first.
func (c *Cloud) Calls() []Call {
	h := &c.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Call
	add := func(ls []loggedCall) {
		for _, l := range ls {
			if l.by != nil {
				l.Statement = l.by.String()
			}
			out = append(out, l.Call)
		}
	}
	if h.full {
		add(h.calls[h.pos:])
	}
	add(h.calls[:h.pos])
	return out
}

// ResetCalls empties the call log.
func (c *Cloud) ResetCalls() {
	h := &c.hooks
	h.mu.Lock()
	h.pos, h.full = 0, false
	h.mu.Unlock()
}

func (c *Cloud) record(req *service.Request, resp *service.Response) {
	n := c.opts.callLog
	if n <= 0 {
		return
	}
	call := loggedCall{Call: Call{Time: c.clock.Now(), Operation: req.Op, Region: req.Region, Status: resp.Status, Injected: req.Injected}}
	if req.Service != nil {
		call.Service = req.Service.Name
	}
	if req.Caller != nil {
		call.Principal = req.Caller.ARN
		if req.Caller.Kind == core.Anonymous {
			call.Principal = "anonymous"
		}
	}
	if req.Err != nil {
		call.Error = string(req.Err.Code)
	}
	if len(req.Decisions) > 0 {
		// The first refusal decided; else the last allow.
		d := req.Decisions[len(req.Decisions)-1]
		for _, x := range req.Decisions {
			if !x.Allowed() {
				d = x
				break
			}
		}
		call.Decision, call.by = effectName(d.Effect), d.By
	}
	h := &c.hooks
	h.mu.Lock()
	if len(h.calls) != n {
		h.calls = make([]loggedCall, n)
		h.pos, h.full = 0, false
	}
	h.calls[h.pos] = call
	h.pos++
	if h.pos == n {
		h.pos, h.full = 0, true
	}
	h.mu.Unlock()
}

func effectName(e policy.Effect) string {
	switch e {
	case policy.Allow:
		return "allow"
	case policy.ExplicitDeny:
		return "explicit deny"
	}
	return "implicit deny"
}

// Fault is how [Cloud.Inject] answers the requests it matches, instead of the service, once
// they are authenticated and authorized (so a refused request is still refused).
type Fault struct {
	// Service and Operation select requests by signing name ("ec2") and operation
	// ("RunInstances"); empty matches any.
	Service, Operation string
	// Match, when set, selects further by the decoded input (e.g. *ec2.RunInstancesInput).
	// S3's operations are not decoded into the SDK's inputs: select them by Operation.
	Match func(in any) bool
	// Times is how many requests the fault answers before it retires; 0 is every one.
	Times int

	// Latency delays the answer (on the wall clock; the request's context can cancel it).
	Latency time.Duration
	// Throttle answers the service's throttling error (RequestLimitExceeded for EC2,
	// Throttling for IAM and STS, SlowDown for S3, ThrottlingException for JSON services).
	Throttle bool
	// Code, Message and Status answer an error of AWS's shape; Status is 400 when 0.
	Code, Message string
	Status        int
	// Answer, when set, answers the request: its output (of the operation's SDK output type)
	// or its error. S3's operations take errors only: an output is answered InternalFailure.
	Answer func(ctx context.Context, in any) (out any, err error)
	// With only Latency set, the service answers after the delay.
}

type faultEntry struct {
	Fault
	left int // answers left when Times > 0
}

// Inject makes the cloud answer requests that match f as f says, until remove is called (or
// f.Times requests were answered). Faults are tried in the order they were injected.
func (c *Cloud) Inject(f Fault) (remove func()) {
	e := &faultEntry{Fault: f, left: f.Times}
	h := &c.hooks
	h.mu.Lock()
	h.faults = append(h.faults, e)
	h.mu.Unlock()
	return func() { c.retire(e) }
}

func (c *Cloud) retire(e *faultEntry) {
	h := &c.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, x := range h.faults {
		if x == e {
			h.faults = append(h.faults[:i:i], h.faults[i+1:]...)
			return
		}
	}
}

// inject answers req with a matching fault, if there is one.
func (c *Cloud) inject(ctx context.Context, req *service.Request) (*service.Response, bool) {
	h := &c.hooks
	h.mu.Lock()
	var f *faultEntry
	for _, e := range h.faults {
		if (e.Service == "" || e.Service == req.Service.Name) && (e.Operation == "" || e.Operation == req.Op) &&
			(e.Match == nil || e.Match(req.In)) {
			f = e
			break
		}
	}
	if f == nil {
		h.mu.Unlock()
		return nil, false
	}
	if f.Times > 0 {
		if f.left--; f.left == 0 {
			h.faults = removeFault(h.faults, f)
		}
	}
	h.mu.Unlock()

	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	switch {
	case f.Throttle:
		req.Injected = true
		return c.fail(req, req.Service.Dialect.Throttled()), true
	case f.Code != "":
		status := f.Status
		if status == 0 {
			status = 400
		}
		req.Injected = true
		return c.fail(req, &core.Error{Code: core.Code(f.Code), Message: f.Message, Status: status}), true
	case f.Answer != nil:
		out, err := f.Answer(ctx, req.In)
		req.Injected = true
		if err != nil {
			return c.fail(req, err), true
		}
		resp, err := req.Service.Protocol.Encode(c.withID(req), out)
		if err != nil {
			return c.fail(req, core.Errorf(core.InternalFailure, "encoding the injected answer: %v", err)), true
		}
		return resp, true
	}
	return nil, false // a latency only
}

func removeFault(fs []*faultEntry, f *faultEntry) []*faultEntry {
	for i, x := range fs {
		if x == f {
			return append(fs[:i:i], fs[i+1:]...)
		}
	}
	return fs
}
