package waiter

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/awsxlab/awsx/internal/output"
)

// instances is the output data of a DescribeInstances answer with instances in states.
func instances(states ...string) any {
	var list []any
	for _, s := range states {
		st := &output.Map{}
		st.Set("Name", s)
		inst := &output.Map{}
		inst.Set("State", st)
		list = append(list, inst)
	}
	r := &output.Map{}
	r.Set("Instances", list)
	out := &output.Map{}
	out.Set("Reservations", []any{r})
	return out
}

// play runs w against the responses in turn, counting the sleeps.
func play(t *testing.T, w *Waiter, responses ...Response) (error, int) {
	t.Helper()
	n, slept := 0, 0
	err := w.Wait(context.Background(), func(context.Context) (Response, error) {
		if n >= len(responses) {
			t.Fatalf("attempt %d: the waiter should have stopped", n+1)
		}
		n++
		return responses[n-1], nil
	}, func(_ context.Context, d time.Duration) error {
		if d != time.Duration(w.Delay)*time.Second {
			t.Errorf("slept %v, want the delay %ds", d, w.Delay)
		}
		slept++
		return nil
	})
	return err, slept
}

// TestInstanceRunning plays EC2's own waiter, from botocore's definition, through its states:
// retried while pending or not found, success once every instance runs, failure when one
// terminates, and the budget of attempts.
func TestInstanceRunning(t *testing.T) {
	w, ok := Find("ec2", "instance-running")
	if !ok {
		t.Fatal("ec2 has no waiter instance-running")
	}
	if w.Name != "InstanceRunning" || w.Operation != "DescribeInstances" || w.Delay != 15 || w.MaxAttempts != 40 {
		t.Fatalf("InstanceRunning = %+v", w)
	}
	notFound := Response{Err: true, ErrorCode: "InvalidInstanceID.NotFound", Message: "gone", Status: 400}
	err, slept := play(t, w, notFound, Response{Output: instances("pending", "running")}, Response{Output: instances("running", "running")})
	if err != nil || slept != 2 {
		t.Errorf("pending then running: %v after %d sleeps", err, slept)
	}
	err, _ = play(t, w, Response{Output: instances("running", "terminated")})
	want := `Waiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression "Reservations[].Instances[].State.Name" we matched expected path: "terminated" at least once`
	if err == nil || err.Error() != want {
		t.Errorf("terminated: %v\nwant %s", err, want)
	}
	err, _ = play(t, w, Response{Err: true, ErrorCode: "UnauthorizedOperation", Message: "You are not authorized", Status: 403})
	if err == nil || err.Error() != "Waiter InstanceRunning failed: An error occurred (UnauthorizedOperation): You are not authorized" {
		t.Errorf("unexpected error: %v", err)
	}
	// No instances at all: pathAll over an empty list matches nothing; every attempt retries.
	var empty []Response
	for range w.MaxAttempts {
		empty = append(empty, Response{Output: instances()})
	}
	err, slept = play(t, w, empty...)
	if err == nil || err.Error() != "Waiter InstanceRunning failed: Max attempts exceeded" || slept != w.MaxAttempts-1 {
		t.Errorf("never running: %v after %d sleeps", err, slept)
	}
	// A retry acceptor that matched earlier is named, as botocore names it: the acceptor its
	// loop ended on in the last attempt.
	retries := []Response{notFound}
	for range w.MaxAttempts - 1 {
		retries = append(retries, Response{Output: instances("pending")})
	}
	err, _ = play(t, w, retries...)
	want = `Waiter InstanceRunning failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: InvalidInstanceID.NotFound`
	if err == nil || err.Error() != want {
		t.Errorf("not found, then pending: %v\nwant %s", err, want)
	}
}

// TestMatchers covers the matchers botocore has: status, error true/false, path with a
// boolean, and Python's printing of values in explanations.
func TestMatchers(t *testing.T) {
	w := &Waiter{Name: "Test", Delay: 1, MaxAttempts: 3, Acceptors: []Acceptor{
		{State: "success", Matcher: "status", Expected: 200.0},
		{State: "retry", Matcher: "status", Expected: 404.0},
	}}
	if err, slept := play(t, w, Response{Err: true, ErrorCode: "NotFound", Status: 404}, Response{Status: 200}); err != nil || slept != 1 {
		t.Errorf("status: %v after %d sleeps", err, slept)
	}
	w = &Waiter{Name: "Test", Delay: 1, MaxAttempts: 2, Acceptors: []Acceptor{{State: "failure", Matcher: "error", Expected: true}, {State: "success", Matcher: "error", Expected: false}}}
	if err, _ := play(t, w, Response{Status: 200}); err != nil {
		t.Errorf("error false: %v", err)
	}
	if err, _ := play(t, w, Response{Err: true, ErrorCode: "X", Status: 500}); err == nil || err.Error() != "Waiter Test failed: Waiter encountered a terminal failure state: Matched expected service error code: True" {
		t.Errorf("error true: %v", err)
	}
	flag := &output.Map{}
	flag.Set("Done", true)
	w = &Waiter{Name: "Test", Delay: 1, MaxAttempts: 2, Acceptors: []Acceptor{{State: "failure", Matcher: "path", Argument: "Done", Expected: true}}}
	if err, _ := play(t, w, Response{Output: flag}); err == nil || err.Error() != `Waiter Test failed: Waiter encountered a terminal failure state: For expression "Done" we matched expected path: "True"` {
		t.Errorf("path true: %v", err)
	}
	count := &output.Map{}
	count.Set("N", int64(3))
	w = &Waiter{Name: "Test", Delay: 1, MaxAttempts: 1, Acceptors: []Acceptor{{State: "success", Matcher: "path", Argument: "N", Expected: 3.0}}}
	if err, _ := play(t, w, Response{Output: count}); err != nil {
		t.Errorf("path of a number: %v", err)
	}
	stop := errors.New("interrupted")
	w = &Waiter{Name: "Test", Delay: 1, MaxAttempts: 5, Acceptors: []Acceptor{{State: "retry", Matcher: "status", Expected: 200.0}}}
	err := w.Wait(context.Background(), func(context.Context) (Response, error) { return Response{Status: 200}, nil },
		func(context.Context, time.Duration) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("an interrupted sleep ends the wait with its error, got %v", err)
	}
}

// TestCommands: the command line's names are the AWS CLI's.
func TestCommands(t *testing.T) {
	for service, names := range map[string][]string{
		"ec2": {"instance-running", "instance-stopped", "instance-terminated", "instance-status-ok", "vpc-available"},
		"s3":  {"bucket-exists", "object-not-exists"},
		"iam": {"user-exists", "role-exists"},
	} {
		for _, n := range names {
			if _, ok := Find(service, n); !ok {
				t.Errorf("%s has no waiter %s", service, n)
			}
		}
	}
	if ws, err := Of("sts"); err != nil || len(ws) != 0 {
		t.Errorf("sts has waiters %v, %v", ws, err)
	}
}
