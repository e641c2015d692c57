package cfnsim

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// CloudFormation is the handler: its methods are the operations simulated.
type CloudFormation struct{ s *Store }

// NewCloudFormation returns the handler of s.
func NewCloudFormation(s *Store) *CloudFormation { return &CloudFormation{s} }

var stackName = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)

func checkName(name string) error {
	if len(name) > 128 || !stackName.MatchString(name) {
		return invalid("1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*", name)
	}
	return nil
}

// template reads the body of a request's template: given, or read from the simulator's S3
// at its TemplateURL, as the caller.
func (h *CloudFormation) template(ctx context.Context, body, url *string) (string, error) {
	switch {
	case body != nil && url != nil:
		return "", invalid("Specify exactly one of TemplateBody or TemplateUrl.")
	case body != nil:
		return *body, nil
	case url != nil:
		return h.s.readTemplateURL(ctx, *url)
	}
	return "", invalid("Either Template URL or Template Body must be specified.")
}

// ValidateTemplate checks a template and describes its parameters.
func (h *CloudFormation) ValidateTemplate(ctx context.Context, in *cloudformation.ValidateTemplateInput) (*cloudformation.ValidateTemplateOutput, error) {
	body, err := h.template(ctx, in.TemplateBody, in.TemplateURL)
	if err != nil {
		return nil, err
	}
	t, err := parseTemplate(body)
	if err != nil {
		return nil, err
	}
	if _, _, err := checkTemplate(t); err != nil {
		return nil, err
	}
	out := &cloudformation.ValidateTemplateOutput{}
	if t.Description != "" {
		out.Description = aws.String(t.Description)
	}
	names := make([]string, 0, len(t.Parameters))
	for k := range t.Parameters {
		names = append(names, k)
	}
	sortStrings(names)
	for _, n := range names {
		p := t.Parameters[n]
		tp := cfntypes.TemplateParameter{ParameterKey: aws.String(n), NoEcho: aws.Bool(p["NoEcho"] == "true")}
		if d, ok := p["Default"].(string); ok {
			tp.DefaultValue = aws.String(d)
		}
		if d, ok := p["Description"].(string); ok {
			tp.Description = aws.String(d)
		}
		out.Parameters = append(out.Parameters, tp)
	}
	if c, named := capability(t); c != "" {
		out.Capabilities = []cfntypes.Capability{cfntypes.Capability(c)}
		out.CapabilitiesReason = aws.String("The following resource(s) require capabilities: [" + strings.Join(named, ", ") + "]")
	}
	return out, nil
}

// capability is the capability a template needs, if any, and the types that need it.
func capability(t *Template) (string, []string) {
	need := ""
	var which []string
	for _, k := range t.Order {
		typ := t.Resources[k]["Type"].(string)
		rt := types[typ]
		if !rt.iam {
			continue
		}
		if !slices.Contains(which, typ) {
			which = append(which, typ)
		}
		if need == "" {
			need = "CAPABILITY_IAM"
		}
		if props, ok := t.Resources[k]["Properties"].(map[string]any); ok && rt.nameProp != "" {
			if _, named := props[rt.nameProp]; named {
				need = "CAPABILITY_NAMED_IAM"
			}
		}
	}
	return need, which
}

// CreateStack makes a stack: its resources in dependency order through the services'
// operations as the caller, rolled back when one fails. See [stack] for how the events are
// timed.
func (h *CloudFormation) CreateStack(ctx context.Context, in *cloudformation.CreateStackInput) (*cloudformation.CreateStackOutput, error) {
	p, err := h.prepareCreate(ctx, in, func(k *stack) error { return errorf(AlreadyExists, "Stack [%s] already exists", k.Name) })
	if err != nil {
		return nil, err
	}
	if err := h.runCreate(ctx, p, ""); err != nil {
		return nil, err
	}
	return &cloudformation.CreateStackOutput{StackId: aws.String(p.k.ID)}, nil
}

// createPlan is a stack to make, checked: its template, its order and its evaluation's
// environment.
type createPlan struct {
	k     *stack
	t     *Template
	order []string
	deps  map[string][]string
	e     *env
}

// prepareCreate checks a CreateStack request (and a CREATE change set's) and readies the
// stack, making nothing. exists judges a stack of the name that exists already: its error
// refuses the request.
func (h *CloudFormation) prepareCreate(ctx context.Context, in *cloudformation.CreateStackInput, exists func(*stack) error) (*createPlan, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := aws.ToString(in.StackName)
	if err := checkName(name); err != nil {
		return nil, err
	}
	body, err := h.template(ctx, in.TemplateBody, in.TemplateURL)
	if err != nil {
		return nil, err
	}
	t, err := parseTemplate(body)
	if err != nil {
		return nil, err
	}
	order, deps, err := checkTemplate(t)
	if err != nil {
		return nil, err
	}
	if err := checkCapabilities(t, in.Capabilities); err != nil {
		return nil, err
	}
	policy, err := policyBody(in.StackPolicyBody, in.StackPolicyURL)
	if err != nil {
		return nil, err
	}
	given := map[string]string{}
	for _, p := range in.Parameters {
		given[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	s.mu.RLock()
	var refused error
	if old := s.find(region, name, s.clock.Now()); old != nil {
		refused = exists(old.clone())
	}
	s.mu.RUnlock()
	if refused != nil {
		return nil, refused
	}
	values, params, err := s.resolveParams(ctx, t, given, nil)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	k := &stack{Name: name, Region: region, Body: body, Description: t.Description, Params: params, Created: now,
		ID:              fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", region, s.account, name, uuid(s.ids)),
		DisableRollback: aws.ToBool(in.DisableRollback) || in.OnFailure == cfntypes.OnFailureDoNothing,
		Protection:      aws.ToBool(in.EnableTerminationProtection), RoleARN: aws.ToString(in.RoleARN), NotificationARNs: in.NotificationARNs,
		TimeoutInMinutes: aws.ToInt32(in.TimeoutInMinutes), Policy: policy}
	for _, c := range in.Capabilities {
		k.Capabilities = append(k.Capabilities, string(c))
	}
	for _, tg := range in.Tags {
		k.Tags = append(k.Tags, tag{aws.ToString(tg.Key), aws.ToString(tg.Value)})
	}
	e := &env{t: t, region: region, account: s.account, stackName: name, stackID: k.ID, params: values, res: map[string]*resource{},
		azs:     func(r string) ([]string, error) { return s.availabilityZones(ctx, r) },
		imports: func(n string) (string, error) { return s.importValue(region, n) }}
	if err := e.conditions(); err != nil {
		return nil, err
	}
	return &createPlan{k: k, t: t, order: order, deps: deps, e: e}, nil
}

// checkCapabilities refuses a template whose IAM resources need a capability not given.
func checkCapabilities(t *Template, have []cfntypes.Capability) error {
	c, _ := capability(t)
	if c == "" || slices.Contains(have, cfntypes.CapabilityCapabilityNamedIam) || (c == "CAPABILITY_IAM" && slices.Contains(have, cfntypes.CapabilityCapabilityIam)) {
		return nil
	}
	return errorf(InsufficientCapabilit, "Requires capabilities : [%s]", c)
}

// runCreate registers the stack of p and makes it. review is the ID of the stack a CREATE
// change set left in REVIEW_IN_PROGRESS, which the stack takes over; "" for a new stack.
func (h *CloudFormation) runCreate(ctx context.Context, p *createPlan, review string) error {
	s, k, t, e := h.s, p.k, p.t, p.e
	name, region := k.Name, k.Region
	now := s.clock.Now()
	// The stack is registered, then made outside the lock: its resources are other
	// services' calls.
	s.mu.Lock()
	if review != "" {
		old := s.find(region, review, now)
		if old == nil || old.Final != "REVIEW_IN_PROGRESS" {
			s.mu.Unlock()
			return invalid("Stack [%s] is not in REVIEW_IN_PROGRESS state", name)
		}
		k.ID, k.Events, k.Created = old.ID, slices.Clone(old.Events), old.Created
		e.stackID = k.ID
	} else if s.find(region, name, now) != nil {
		s.mu.Unlock()
		return errorf(AlreadyExists, "Stack [%s] already exists", name)
	}
	k.addEvent(s, now, name, k.ID, stackType, "CREATE_IN_PROGRESS", "User Initiated", "")
	k.Busy = now
	if review != "" {
		s.replace(k.clone())
	} else {
		s.st.Stacks = append(s.st.Stacks, k.clone())
	}
	s.gen++
	s.mu.Unlock()

	m := &maker{s: s, ctx: ctx, stack: k}
	at := now
	var failed []string
	var failure string
	for _, logical := range p.order {
		r := t.Resources[logical]
		if c, ok := r["Condition"].(string); ok && !e.conds[c] {
			continue
		}
		typ := r["Type"].(string)
		res := &resource{Logical: logical, Type: typ, Deps: p.deps[logical]}
		if dp, ok := r["DeletionPolicy"].(string); ok {
			res.DeletionPolicy = dp
		}
		k.addEvent(s, at, logical, "", typ, "CREATE_IN_PROGRESS", "", "")
		md, props, err := h.createOne(m, e, logical, typ, r)
		res.Props = props
		if md != nil && md.physical != "" {
			res.Physical, res.Ref, res.Attrs, res.Extra = md.physical, md.ref, md.attrs, md.extra
			if res.Ref == "" {
				res.Ref = md.physical
			}
			k.addEvent(s, at, logical, res.Physical, typ, "CREATE_IN_PROGRESS", "Resource creation Initiated", "")
		}
		at = at.Add(time.Second)
		k.Resources = append(k.Resources, res)
		if err != nil {
			failed, failure = []string{logical}, reason(err)
			k.addEvent(s, at, logical, res.Physical, typ, "CREATE_FAILED", failure, "")
			break
		}
		e.res[logical] = res
		k.addEvent(s, at, logical, res.Physical, typ, "CREATE_COMPLETE", "", "")
	}
	if failed == nil {
		outs, err := h.outputs(e, t, region, k)
		if err != nil {
			failure = reason(err)
			failed = []string{}
		} else {
			k.Outputs = outs
			k.Imports = e.imported
		}
	}
	switch {
	case failed == nil:
		k.addEvent(s, at, name, k.ID, stackType, "CREATE_COMPLETE", "", "")
	case k.DisableRollback:
		k.addEvent(s, at, name, k.ID, stackType, "CREATE_FAILED", stackFailure(failed, failure), "")
	default:
		k.addEvent(s, at, name, k.ID, stackType, "ROLLBACK_IN_PROGRESS", stackFailure(failed, failure), "")
		var bad []string
		at, bad = h.deleteAll(m, k, at)
		if len(bad) > 0 {
			k.addEvent(s, at, name, k.ID, stackType, "ROLLBACK_FAILED", "The following resource(s) failed to delete: ["+strings.Join(bad, ", ")+"]. ", "")
		} else {
			k.addEvent(s, at, name, k.ID, stackType, "ROLLBACK_COMPLETE", "", "")
		}
	}
	k.Busy = at
	s.mu.Lock()
	s.replace(k)
	s.gen++
	s.mu.Unlock()
	return nil
}

// replace puts k in the place of the stack of its ID, keeping the stored one's termination
// protection and policy, which change under the lock while an operation runs. s.mu is held.
func (s *Store) replace(k *stack) {
	for i, x := range s.st.Stacks {
		if x.ID == k.ID {
			k.Protection, k.Policy = x.Protection, x.Policy
			s.st.Stacks[i] = k
		}
	}
}

func stackFailure(failed []string, failure string) string {
	if len(failed) == 0 {
		return failure
	}
	return "The following resource(s) failed to create: [" + strings.Join(failed, ", ") + "]. Rollback requested by user."
}

// reason is a failed resource's status reason: the service's message, as CloudFormation
// reports a handler's failure.
func reason(err error) string {
	var e *core.Error
	if errors.As(err, &e) && e.Code != ValidationError {
		return fmt.Sprintf("Resource handler returned message: %q (Status Code: %d, Error Code: %s)", e.Message, e.Status, e.Code)
	}
	if e != nil {
		return e.Message
	}
	type coded interface{ ErrorCode() string }
	var c coded
	if errors.As(err, &c) {
		return fmt.Sprintf("Resource handler returned message: %q (Error Code: %s)", err.Error(), c.ErrorCode())
	}
	return err.Error()
}

// createOne evaluates a resource's properties and makes it.
func (h *CloudFormation) createOne(m *maker, e *env, logical, typ string, r map[string]any) (*made, string, error) {
	pm, text, err := evalProps(e, r)
	if err != nil {
		return nil, "", err
	}
	rt, ok := types[typ]
	if !ok {
		return nil, text, fmt.Errorf("Resource type %s is not supported by the simulator", typ)
	}
	p := &props{m: pm}
	p.only(rt.props)
	if p.err != nil {
		return nil, text, p.err
	}
	md, err := rt.create(m, logical, p)
	return md, text, err
}

// evalProps evaluates a resource's properties, and gives them as JSON too.
func evalProps(e *env, r map[string]any) (map[string]any, string, error) {
	v, err := e.eval(r["Properties"])
	if err != nil {
		return nil, "", err
	}
	pm, _ := v.(map[string]any)
	if pm == nil {
		pm = map[string]any{}
	}
	return pm, describe(pm), nil
}

// outputs evaluates the template's outputs and checks its exports.
func (h *CloudFormation) outputs(e *env, t *Template, region string, k *stack) ([]output, error) {
	keys := make([]string, 0, len(t.Outputs))
	for n := range t.Outputs {
		keys = append(keys, n)
	}
	sortStrings(keys)
	var out []output
	for _, n := range keys {
		o := t.Outputs[n]
		if c, ok := o["Condition"].(string); ok && !e.conds[c] {
			continue
		}
		v, err := e.eval(o["Value"])
		if err != nil {
			return nil, err
		}
		val, ok := v.(string)
		if !ok {
			if l, isList := v.([]any); isList {
				parts := make([]string, 0, len(l))
				for _, x := range l {
					xs, _ := x.(string)
					parts = append(parts, xs)
				}
				val = strings.Join(parts, ",")
			} else {
				return nil, templateError("Output %s must be a string", n)
			}
		}
		op := output{Key: n, Value: val}
		op.Description, _ = o["Description"].(string)
		if x, ok := o["Export"].(map[string]any); ok {
			ev, err := e.eval(x["Name"])
			if err != nil {
				return nil, err
			}
			en, ok := ev.(string)
			if !ok || en == "" {
				return nil, templateError("Output %s's Export must have a Name", n)
			}
			h.s.mu.RLock()
			owner := h.s.exporter(region, en, h.s.clock.Now())
			h.s.mu.RUnlock()
			if owner != nil && owner.ID != k.ID {
				return nil, invalid("Export with name %s is already exported by stack %s", en, owner.Name)
			}
			op.Export = en
		}
		out = append(out, op)
	}
	return out, nil
}

// deleteAll deletes a stack's resources in the reverse of their dependencies, from at; it
// returns when it ends and the resources that failed to delete.
func (h *CloudFormation) deleteAll(m *maker, k *stack, at time.Time) (time.Time, []string) {
	deleted := map[string]bool{}
	var bad []string
	// Reverse creation order: each resource is made after its dependencies.
	for i := len(k.Resources) - 1; i >= 0; i-- {
		r := k.Resources[i]
		st := k.lastStatus(r)
		if st == "DELETE_COMPLETE" || st == "DELETE_SKIPPED" || deleted[r.Logical] {
			continue
		}
		deleted[r.Logical] = true
		if r.DeletionPolicy == "Retain" || r.DeletionPolicy == "RetainExceptOnCreate" && !strings.HasPrefix(k.Final, "ROLLBACK") && k.Final != "" {
			k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_SKIPPED", "", "")
			r.Retained = true
			continue
		}
		if r.Physical == "" { // it failed before it existed: nothing to delete
			k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_COMPLETE", "", "")
			continue
		}
		k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_IN_PROGRESS", "", "")
		at = at.Add(time.Second)
		rt := types[r.Type]
		if err := rt.delete(m, r); err != nil && !notFound(err) {
			k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_FAILED", reason(err), "")
			bad = append(bad, r.Logical)
			continue
		}
		k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_COMPLETE", "", "")
	}
	return at, bad
}

// DeleteStack deletes a stack's resources, but those whose DeletionPolicy is Retain.
func (h *CloudFormation) DeleteStack(ctx context.Context, in *cloudformation.DeleteStackInput) (*cloudformation.DeleteStackOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := aws.ToString(in.StackName)
	if name == "" {
		return nil, invalid("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
	}
	s.mu.Lock()
	now := s.clock.Now()
	found := s.find(region, name, now)
	if found == nil || found.Final == "DELETE_COMPLETE" || found.Final == "DELETE_IN_PROGRESS" {
		s.mu.Unlock()
		return &cloudformation.DeleteStackOutput{}, nil // AWS answers success
	}
	if found.Protection {
		s.mu.Unlock()
		return nil, invalid("Stack [%s] cannot be deleted while TerminationProtection is enabled", found.Name)
	}
	for _, o := range found.Outputs {
		if o.Export == "" {
			continue
		}
		for _, x := range s.st.Stacks {
			if x.Region == region && x.ID != found.ID && x.Final != "DELETE_COMPLETE" && slices.Contains(x.Imports, o.Export) {
				s.mu.Unlock()
				return nil, invalid("Export %s cannot be deleted as it is in use by %s", o.Export, x.Name)
			}
		}
	}
	k := found.clone()
	at := now
	if k.Busy.After(at) {
		at = k.Busy
	}
	k.addEvent(s, at, k.Name, k.ID, stackType, "DELETE_IN_PROGRESS", "User Initiated", "")
	k.Busy = at.Add(time.Hour) // until the deletion below ends
	found.Events, found.Final, found.Busy = k.Events, k.Final, k.Busy
	s.dropChangeSets(found.ID)
	s.gen++
	s.mu.Unlock()

	m := &maker{s: s, ctx: ctx, stack: k}
	at, bad := h.deleteAll(m, k, at)
	if len(bad) > 0 {
		k.addEvent(s, at, k.Name, k.ID, stackType, "DELETE_FAILED", "The following resource(s) failed to delete: ["+strings.Join(bad, ", ")+"]. ", "")
	} else {
		k.addEvent(s, at, k.Name, k.ID, stackType, "DELETE_COMPLETE", "", "")
		k.Deleted = at
	}
	k.Busy = at
	s.mu.Lock()
	for i, x := range s.st.Stacks {
		if x.ID == k.ID {
			s.st.Stacks[i] = k
		}
	}
	s.gen++
	s.mu.Unlock()
	return &cloudformation.DeleteStackOutput{}, nil
}

// addEvent records an event at at.
func (k *stack) addEvent(s *Store, at time.Time, logical, physical, typ, status, reason, props string) {
	seq := len(k.Events) + 1
	k.Events = append(k.Events, event{ID: logical + "-" + status + "-" + uuid(s.ids), Logical: logical, Physical: physical, Type: typ,
		Status: status, Reason: reason, At: at, Props: props, Seq: seq})
	if typ == stackType && logical == k.Name {
		k.Final = status
		k.Reason = reason
	}
	if typ == stackType && logical == k.Name && strings.HasPrefix(k.ID, "arn:") && physical != "" {
		k.Events[len(k.Events)-1].ID = uuid(s.ids)
	}
}

// lastStatus is a resource's last status, whatever the clock.
func (k *stack) lastStatus(r *resource) string {
	for i := len(k.Events) - 1; i >= 0; i-- {
		if e := k.Events[i]; e.Logical == r.Logical && e.Type != stackType && (e.Physical == r.Physical || e.Physical == "") {
			return e.Status
		}
	}
	return ""
}

// find is the stack of a name or ID: by name, the one not deleted at now; by ID, any.
// s.mu is held.
func (s *Store) find(region, nameOrID string, now time.Time) *stack {
	for i := len(s.st.Stacks) - 1; i >= 0; i-- {
		k := s.st.Stacks[i]
		if k.Region != region {
			continue
		}
		if k.ID == nameOrID {
			return k
		}
		if k.Name == nameOrID && (k.Deleted.IsZero() || k.Deleted.After(now)) {
			return k
		}
	}
	return nil
}

// exporter is the stack that exports name, if any. s.mu is held.
func (s *Store) exporter(region, name string, now time.Time) *stack {
	for _, k := range s.st.Stacks {
		if k.Region != region || (!k.Deleted.IsZero() && !k.Deleted.After(now)) {
			continue
		}
		for _, o := range k.Outputs {
			if o.Export == name {
				return k
			}
		}
	}
	return nil
}

func (s *Store) importValue(region, name string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k := s.exporter(region, name, s.clock.Now())
	if k == nil {
		return "", invalid("No export named %s found. Rollback requested by user.", name)
	}
	for _, o := range k.Outputs {
		if o.Export == name {
			return o.Value, nil
		}
	}
	return "", invalid("No export named %s found. Rollback requested by user.", name)
}

func uuid(ids *core.IDs) string {
	h := ids.Hex("", 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// stackOf returns a copy of the stack named, or CloudFormation's error.
func (s *Store) stackOf(region, nameOrID string) (*stack, time.Time, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	k := s.find(region, nameOrID, now)
	if k == nil || (k.Name == nameOrID && !k.visibleAt(now)) {
		return nil, now, invalid("Stack with id %s does not exist", nameOrID)
	}
	return k.clone(), now, nil
}

// visibleAt reports whether the stack has begun at now.
func (k *stack) visibleAt(now time.Time) bool { return !k.Created.After(now) }

// DescribeStacks describes one stack, or every stack of the region not deleted. The views
// are made under the read lock, from the stored stacks themselves: a stack is never changed
// in place but under the write lock, so no copy is needed (a copy through JSON was most of
// the call's cost).
func (h *CloudFormation) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	var ks []*stack
	if n := aws.ToString(in.StackName); n != "" {
		k := s.find(region, n, now)
		if k == nil || (k.Name == n && !k.visibleAt(now)) {
			return nil, invalid("Stack with id %s does not exist", n)
		}
		ks = []*stack{k}
	} else {
		for i := len(s.st.Stacks) - 1; i >= 0; i-- {
			k := s.st.Stacks[i]
			if k.Region == region && (k.Deleted.IsZero() || k.Deleted.After(now)) {
				ks = append(ks, k)
			}
		}
	}
	out := &cloudformation.DescribeStacksOutput{}
	for _, k := range ks {
		status, why := k.status(now)
		st := cfntypes.Stack{StackId: aws.String(k.ID), StackName: aws.String(k.Name), CreationTime: aws.Time(k.Created),
			StackStatus: cfntypes.StackStatus(status), DisableRollback: aws.Bool(k.DisableRollback),
			EnableTerminationProtection: aws.Bool(k.Protection), NotificationARNs: slices.Clone(k.NotificationARNs),
			DriftInformation: &cfntypes.StackDriftInformation{StackDriftStatus: cfntypes.StackDriftStatusNotChecked}}
		if k.Drift != nil {
			st.DriftInformation.StackDriftStatus, _ = k.Drift.stackDrift()
			st.DriftInformation.LastCheckTimestamp = aws.Time(k.Drift.At)
		}
		if why != "" {
			st.StackStatusReason = aws.String(why)
		}
		if k.Description != "" {
			st.Description = aws.String(k.Description)
		}
		if k.RoleARN != "" {
			st.RoleARN = aws.String(k.RoleARN)
		}
		if k.TimeoutInMinutes > 0 {
			st.TimeoutInMinutes = aws.Int32(k.TimeoutInMinutes)
		}
		if status == "DELETE_COMPLETE" {
			st.DeletionTime = aws.Time(k.Deleted)
		}
		if !k.LastUpdated.IsZero() {
			st.LastUpdatedTime = aws.Time(k.LastUpdated)
		}
		st.Capabilities, st.Tags, st.Parameters = capabilitiesOut(k.Capabilities), tagsOut(k.Tags), paramsShown(k.Params)
		if strings.HasSuffix(status, "_COMPLETE") && !strings.HasPrefix(status, "ROLLBACK") || strings.HasPrefix(status, "DELETE_") {
			for _, o := range k.Outputs {
				op := cfntypes.Output{OutputKey: aws.String(o.Key), OutputValue: aws.String(o.Value)}
				if o.Description != "" {
					op.Description = aws.String(o.Description)
				}
				if o.Export != "" {
					op.ExportName = aws.String(o.Export)
				}
				st.Outputs = append(st.Outputs, op)
			}
		}
		out.Stacks = append(out.Stacks, st)
	}
	return out, nil
}

// DescribeStackEvents lists a stack's events, newest first.
func (h *CloudFormation) DescribeStackEvents(ctx context.Context, in *cloudformation.DescribeStackEventsInput) (*cloudformation.DescribeStackEventsOutput, error) {
	k, now, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	out := &cloudformation.DescribeStackEventsOutput{}
	for _, e := range k.visible(now) {
		se := cfntypes.StackEvent{EventId: aws.String(e.ID), StackId: aws.String(k.ID), StackName: aws.String(k.Name),
			LogicalResourceId: aws.String(e.Logical), PhysicalResourceId: aws.String(e.Physical), ResourceType: aws.String(e.Type),
			Timestamp: aws.Time(e.At), ResourceStatus: cfntypes.ResourceStatus(e.Status)}
		if e.Reason != "" {
			se.ResourceStatusReason = aws.String(e.Reason)
		}
		out.StackEvents = append(out.StackEvents, se)
	}
	return out, nil
}

// resourcesAt are a stack's resources that have begun at now, with their status.
func (k *stack) resourcesAt(now time.Time) []resourceView {
	var out []resourceView
	for _, r := range k.Resources {
		st, why, at, ok := k.resourceStatus(r, now)
		if !ok {
			continue
		}
		phys := r.Physical
		if !k.physicalAt(r, now) {
			phys = ""
		}
		out = append(out, resourceView{r: r, status: st, reason: why, at: at, physical: phys})
	}
	return out
}

// physicalAt reports whether a resource's physical ID was shown by now.
func (k *stack) physicalAt(r *resource, now time.Time) bool {
	for _, e := range k.visible(now) {
		if e.Logical == r.Logical && e.Physical == r.Physical && e.Physical != "" && e.Type != stackType {
			return true
		}
	}
	return false
}

type resourceView struct {
	r              *resource
	status, reason string
	at             time.Time
	physical       string
}

// DescribeStackResources describes a stack's resources, or one of them.
func (h *CloudFormation) DescribeStackResources(ctx context.Context, in *cloudformation.DescribeStackResourcesInput) (*cloudformation.DescribeStackResourcesOutput, error) {
	region := core.RegionFrom(ctx)
	name := aws.ToString(in.StackName)
	if name == "" && in.PhysicalResourceId != nil {
		h.s.mu.RLock()
		for _, k := range h.s.st.Stacks {
			for _, r := range k.Resources {
				if k.Region == region && r.Physical == *in.PhysicalResourceId {
					name = k.ID
				}
			}
		}
		h.s.mu.RUnlock()
		if name == "" {
			return nil, invalid("Stack for %s does not exist", *in.PhysicalResourceId)
		}
	}
	if name == "" {
		return nil, invalid("Either StackName or PhysicalResourceId must be specified.")
	}
	k, now, err := h.s.stackOf(region, name)
	if err != nil {
		return nil, err
	}
	out := &cloudformation.DescribeStackResourcesOutput{}
	for _, v := range k.resourcesAt(now) {
		if in.LogicalResourceId != nil && *in.LogicalResourceId != v.r.Logical {
			continue
		}
		if in.PhysicalResourceId != nil && *in.PhysicalResourceId != v.r.Physical {
			continue
		}
		sr := cfntypes.StackResource{StackId: aws.String(k.ID), StackName: aws.String(k.Name), LogicalResourceId: aws.String(v.r.Logical),
			ResourceType: aws.String(v.r.Type), Timestamp: aws.Time(v.at), ResourceStatus: cfntypes.ResourceStatus(v.status),
			DriftInformation: &cfntypes.StackResourceDriftInformation{StackResourceDriftStatus: cfntypes.StackResourceDriftStatusNotChecked}}
		if v.physical != "" {
			sr.PhysicalResourceId = aws.String(v.physical)
		}
		if v.reason != "" {
			sr.ResourceStatusReason = aws.String(v.reason)
		}
		out.StackResources = append(out.StackResources, sr)
	}
	return out, nil
}

// DescribeStackResource describes one resource of a stack.
func (h *CloudFormation) DescribeStackResource(ctx context.Context, in *cloudformation.DescribeStackResourceInput) (*cloudformation.DescribeStackResourceOutput, error) {
	k, now, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	for _, v := range k.resourcesAt(now) {
		if v.r.Logical != aws.ToString(in.LogicalResourceId) {
			continue
		}
		d := &cfntypes.StackResourceDetail{StackId: aws.String(k.ID), StackName: aws.String(k.Name), LogicalResourceId: aws.String(v.r.Logical),
			ResourceType: aws.String(v.r.Type), LastUpdatedTimestamp: aws.Time(v.at), ResourceStatus: cfntypes.ResourceStatus(v.status),
			DriftInformation: &cfntypes.StackResourceDriftInformation{StackResourceDriftStatus: cfntypes.StackResourceDriftStatusNotChecked}}
		if v.physical != "" {
			d.PhysicalResourceId = aws.String(v.physical)
		}
		if v.reason != "" {
			d.ResourceStatusReason = aws.String(v.reason)
		}
		return &cloudformation.DescribeStackResourceOutput{StackResourceDetail: d}, nil
	}
	return nil, invalid("Resource %s does not exist for stack %s", aws.ToString(in.LogicalResourceId), aws.ToString(in.StackName))
}

// ListStackResources lists a stack's resources.
func (h *CloudFormation) ListStackResources(ctx context.Context, in *cloudformation.ListStackResourcesInput) (*cloudformation.ListStackResourcesOutput, error) {
	k, now, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	out := &cloudformation.ListStackResourcesOutput{}
	for _, v := range k.resourcesAt(now) {
		sr := cfntypes.StackResourceSummary{LogicalResourceId: aws.String(v.r.Logical), ResourceType: aws.String(v.r.Type),
			LastUpdatedTimestamp: aws.Time(v.at), ResourceStatus: cfntypes.ResourceStatus(v.status),
			DriftInformation: &cfntypes.StackResourceDriftInformationSummary{StackResourceDriftStatus: cfntypes.StackResourceDriftStatusNotChecked}}
		if v.physical != "" {
			sr.PhysicalResourceId = aws.String(v.physical)
		}
		if v.reason != "" {
			sr.ResourceStatusReason = aws.String(v.reason)
		}
		out.StackResourceSummaries = append(out.StackResourceSummaries, sr)
	}
	return out, nil
}

// GetTemplate returns a stack's template as it was given.
func (h *CloudFormation) GetTemplate(ctx context.Context, in *cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error) {
	if in.ChangeSetName != nil {
		c, _, _, err := h.s.changeSetOf(core.RegionFrom(ctx), *in.ChangeSetName, aws.ToString(in.StackName))
		if err != nil {
			return nil, err
		}
		return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(c.Body), StagesAvailable: []cfntypes.TemplateStage{cfntypes.TemplateStageOriginal, cfntypes.TemplateStageProcessed}}, nil
	}
	k, _, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(k.Body), StagesAvailable: []cfntypes.TemplateStage{cfntypes.TemplateStageOriginal, cfntypes.TemplateStageProcessed}}, nil
}

// ListStacks lists the region's stacks, deleted ones too, newest first.
func (h *CloudFormation) ListStacks(ctx context.Context, in *cloudformation.ListStacksInput) (*cloudformation.ListStacksOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	out := &cloudformation.ListStacksOutput{}
	for i := len(s.st.Stacks) - 1; i >= 0; i-- {
		k := s.st.Stacks[i]
		if k.Region != region || !k.visibleAt(now) {
			continue
		}
		status, why := k.status(now)
		if len(in.StackStatusFilter) > 0 && !slices.Contains(in.StackStatusFilter, cfntypes.StackStatus(status)) {
			continue
		}
		sum := cfntypes.StackSummary{StackId: aws.String(k.ID), StackName: aws.String(k.Name), CreationTime: aws.Time(k.Created),
			StackStatus: cfntypes.StackStatus(status), DriftInformation: &cfntypes.StackDriftInformationSummary{StackDriftStatus: cfntypes.StackDriftStatusNotChecked}}
		if k.Description != "" {
			sum.TemplateDescription = aws.String(k.Description)
		}
		if why != "" {
			sum.StackStatusReason = aws.String(why)
		}
		if status == "DELETE_COMPLETE" {
			sum.DeletionTime = aws.Time(k.Deleted)
		}
		out.StackSummaries = append(out.StackSummaries, sum)
	}
	return out, nil
}

// ListExports lists the region's exports.
func (h *CloudFormation) ListExports(ctx context.Context, in *cloudformation.ListExportsInput) (*cloudformation.ListExportsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	out := &cloudformation.ListExportsOutput{Exports: []cfntypes.Export{}} // AWS answers <Exports/>
	for _, k := range s.st.Stacks {
		if k.Region != region || (!k.Deleted.IsZero() && !k.Deleted.After(now)) {
			continue
		}
		if st, _ := k.status(now); st != "CREATE_COMPLETE" && st != "UPDATE_COMPLETE" && st != "DELETE_IN_PROGRESS" {
			continue
		}
		for _, o := range k.Outputs {
			if o.Export != "" {
				out.Exports = append(out.Exports, cfntypes.Export{ExportingStackId: aws.String(k.ID), Name: aws.String(o.Export), Value: aws.String(o.Value)})
			}
		}
	}
	return out, nil
}

// capabilitiesOut is a stack's or change set's capabilities as the API returns them (nil for none).
func capabilitiesOut(cs []string) []cfntypes.Capability {
	var out []cfntypes.Capability
	for _, c := range cs {
		out = append(out, cfntypes.Capability(c))
	}
	return out
}

// tagsOut is a stack's or change set's tags as the API returns them (nil for none).
func tagsOut(ts []tag) []cfntypes.Tag {
	var out []cfntypes.Tag
	for _, t := range ts {
		out = append(out, cfntypes.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	return out
}

// paramsShown is a stack's or change set's parameters as Describe shows them: a NoEcho
// parameter's value masked, a resolved SSM parameter's value beside its name.
func paramsShown(ps []param) []cfntypes.Parameter {
	var out []cfntypes.Parameter
	for _, p := range ps {
		v := p.Value
		if p.NoEcho {
			v = "****"
		}
		sp := cfntypes.Parameter{ParameterKey: aws.String(p.Key), ParameterValue: aws.String(v)}
		if p.Resolved != "" {
			sp.ResolvedValue = aws.String(p.Resolved)
		}
		out = append(out, sp)
	}
	return out
}
