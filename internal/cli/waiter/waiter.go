// Package waiter is `aws <service> wait`: botocore's waiters, each an operation polled every
// Delay seconds, at most MaxAttempts times, until one of its acceptors reaches a success or a
// failure state.
//
// The definitions are botocore's own (waiters-2.json of the AWS CLI v2, copied into data/ by
// `go generate` for the services of internal/awsmodel's list). They are evaluated by
// botocore's rules (botocore/waiter.py): the acceptors are tried in order after each attempt
// and the first that matches decides; a path matcher looks at a successful response only,
// through a JMESPath expression ("path" the value, "pathAll" every element of a non-empty
// list, "pathAny" one); "status" the HTTP status; "error" the error code (or, with true or
// false, whether there was an error). An error that no acceptor expects ends the wait. The
// messages are botocore's, which the AWS CLI prints: "Waiter InstanceRunning failed: …".
//
// The package does not sleep: [Waiter.Wait] takes the function that waits between attempts,
// so that the awsx command waits on the embedded simulator's clock (no time passes) and on
// the wall clock elsewhere.
package waiter

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/output"
)

//go:generate go run ./internal/gen -out data

//go:embed data/*.json
var files embed.FS

// Waiter is one of a service's waiters.
type Waiter struct {
	Name        string     `json:"-"` // InstanceRunning
	Delay       int        `json:"delay"`
	Operation   string     `json:"operation"` // DescribeInstances
	MaxAttempts int        `json:"maxAttempts"`
	Acceptors   []Acceptor `json:"acceptors"`
	Description string     `json:"description"`
}

// Acceptor is one rule of a waiter.
type Acceptor struct {
	State    string `json:"state"`   // success, failure or retry
	Matcher  string `json:"matcher"` // path, pathAll, pathAny, status or error
	Argument string `json:"argument"`
	Expected any    `json:"expected"`
}

// Command is the waiter's name on the command line: InstanceRunning is instance-running.
func (w *Waiter) Command() string { return params.XformName(w.Name) }

var (
	mu     sync.Mutex
	loaded = map[string][]*Waiter{}
)

// Of returns the waiters of a service (by its SDK name, "ec2"), sorted by command; none for a
// service without waiters.
func Of(service string) ([]*Waiter, error) {
	mu.Lock()
	defer mu.Unlock()
	if ws, ok := loaded[service]; ok {
		return ws, nil
	}
	b, err := files.ReadFile("data/" + service + ".json")
	if err != nil {
		loaded[service] = nil
		return nil, nil
	}
	var doc struct {
		Waiters map[string]*Waiter `json:"waiters"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("waiter: %s's waiters: %w", service, err)
	}
	ws := make([]*Waiter, 0, len(doc.Waiters))
	for name, w := range doc.Waiters {
		w.Name = name
		ws = append(ws, w)
	}
	slices.SortFunc(ws, func(a, b *Waiter) int { return strings.Compare(a.Command(), b.Command()) })
	loaded[service] = ws
	return ws, nil
}

// Find returns the service's waiter called command on the command line ("instance-running").
func Find(service, command string) (*Waiter, bool) {
	ws, _ := Of(service)
	for _, w := range ws {
		if w.Command() == command {
			return w, true
		}
	}
	return nil, false
}

// Response is what one attempt got: the operation's output (data of output.Value), or an
// error with its code and message; and the HTTP status, when a response came.
type Response struct {
	Output    any
	Err       bool
	ErrorCode string
	Message   string
	Status    int
}

// Error is a wait that ended without success, in botocore's words.
type Error struct {
	Waiter string
	Reason string
}

func (e *Error) Error() string { return "Waiter " + e.Waiter + " failed: " + e.Reason }

// Wait polls: attempt makes one call, sleep waits the delay between attempts. It returns nil
// once an acceptor reaches success, an *Error on a failure state, an unexpected error or after
// the last attempt, and sleep's or attempt's own error otherwise.
func (w *Waiter) Wait(ctx context.Context, attempt func(context.Context) (Response, error), sleep func(context.Context, time.Duration) error) error {
	var lastMatched *Acceptor
	for n := 1; ; n++ {
		resp, err := attempt(ctx)
		if err != nil {
			return err
		}
		// Python's for-else: acceptor is the matched one, or the last one tried.
		var acceptor *Acceptor
		state := ""
		for i := range w.Acceptors {
			acceptor = &w.Acceptors[i]
			ok, err := acceptor.matches(resp)
			if err != nil {
				return err
			}
			if ok {
				lastMatched, state = acceptor, acceptor.State
				break
			}
		}
		if state == "" && resp.Err {
			return &Error{w.Name, fmt.Sprintf("An error occurred (%s): %s", orUnknown(resp.ErrorCode), orUnknown(resp.Message))}
		}
		switch state {
		case "success":
			return nil
		case "failure":
			return &Error{w.Name, "Waiter encountered a terminal failure state: " + acceptor.explanation()}
		}
		if n >= w.MaxAttempts {
			if lastMatched == nil {
				return &Error{w.Name, "Max attempts exceeded"}
			}
			return &Error{w.Name, "Max attempts exceeded. Previously accepted state: " + acceptor.explanation()}
		}
		if err := sleep(ctx, time.Duration(w.Delay)*time.Second); err != nil {
			return err
		}
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "Unknown"
	}
	return s
}

// matches reports whether the acceptor matches one response.
func (a *Acceptor) matches(r Response) (bool, error) {
	switch a.Matcher {
	case "status":
		return r.Status != 0 && equal(float64(r.Status), a.Expected), nil
	case "error":
		if b, ok := a.Expected.(bool); ok {
			return r.Err == b, nil
		}
		return r.Err && r.ErrorCode == a.Expected, nil
	}
	if r.Err {
		return false, nil
	}
	got, err := output.Query(r.Output, a.Argument)
	if err != nil {
		return false, fmt.Errorf("waiter: the acceptor's expression %q: %w", a.Argument, err)
	}
	switch a.Matcher {
	case "path":
		return equal(got, a.Expected), nil
	case "pathAll", "pathAny":
		list, ok := got.([]any)
		if !ok || len(list) == 0 {
			return false, nil
		}
		for _, v := range list {
			if equal(v, a.Expected) == (a.Matcher == "pathAny") {
				return a.Matcher == "pathAny", nil
			}
		}
		return a.Matcher == "pathAll", nil
	}
	return false, fmt.Errorf("waiter: unknown matcher %q", a.Matcher)
}

// explanation is botocore's account of an acceptor, in its failure messages. Values print as
// Python's str() prints them (True, not true).
func (a *Acceptor) explanation() string {
	e := pyStr(a.Expected)
	switch a.Matcher {
	case "path":
		return `For expression "` + a.Argument + `" we matched expected path: "` + e + `"`
	case "pathAll":
		return `For expression "` + a.Argument + `" all members matched expected path: "` + e + `"`
	case "pathAny":
		return `For expression "` + a.Argument + `" we matched expected path: "` + e + `" at least once`
	case "status":
		return "Matched expected HTTP status code: " + e
	case "error":
		return "Matched expected service error code: " + e
	}
	return "No explanation for unknown waiter type: \"" + a.Matcher + "\""
}

func pyStr(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "True"
		}
		return "False"
	case float64:
		if v == float64(int64(v)) {
			return fmt.Sprint(int64(v))
		}
	case nil:
		return "None"
	}
	return fmt.Sprint(v)
}

// equal is Python's ==, for the values a query returns and those a waiter expects: numbers
// by value, whatever their Go type.
func equal(got, want any) bool {
	if g, ok := number(got); ok {
		w, ok := number(want)
		return ok && g == w
	}
	switch got.(type) {
	case string, bool, nil:
		return got == want
	}
	return false
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case int:
		return float64(v), true
	case int32:
		return float64(v), true
	}
	return 0, false
}
