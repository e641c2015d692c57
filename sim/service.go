package sim

import (
	"context"
	"reflect"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/query"
)

// service is one simulated service as the front door sees it: its codec, its typed
// operations, and how to name the resource of a request.
type service struct {
	name   string // signing name and IAM action prefix: "iam", "sts", "ec2"
	codec  *query.Service
	ops    map[string]operation
	deny   string // the code of an authorization failure
	target func(*request) target
}

// operation is one method with the SDK's signature: (ctx, *XInput) (*XOutput, error).
type operation struct {
	fn reflect.Value
	in reflect.Type // *XInput
}

// target is what a request acts on: the resource ARN ("*" for none) and any others, the
// resource-based policies that apply to it, and whether one of those must itself allow the
// request (a role's trust policy for sts:AssumeRole).
type target struct {
	arn      string
	also     []string // further resources the request acts on, each authorized as arn is
	policies []policy.Attached
	trust    bool
	err      error // the resource cannot be named (a malformed ARN): answer this
}

var (
	ctxType   = reflect.TypeFor[context.Context]()
	errorType = reflect.TypeFor[error]()
)

// newService collects the operations of impl: its exported methods of the SDK's shape.
func newService(name string, codec *query.Service, impl any, deny string, t func(*request) target) *service {
	s := &service{name: name, codec: codec, ops: map[string]operation{}, deny: deny, target: t}
	v := reflect.ValueOf(impl)
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		ft := m.Type
		if ft.NumIn() != 3 || ft.NumOut() != 2 || ft.In(1) != ctxType || ft.Out(1) != errorType ||
			ft.In(2).Kind() != reflect.Pointer || ft.In(2).Elem().Kind() != reflect.Struct {
			continue
		}
		s.ops[m.Name] = operation{fn: v.Method(i), in: ft.In(2)}
	}
	return s
}
