package cfnsim

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// nameProps are the properties that name a resource: one whose replacement keeps its name
// cannot be replaced, as two would have it.
var nameProps = []string{"BucketName", "RoleName", "InstanceProfileName", "ManagedPolicyName", "GroupName", "TopicName", "Name", "DBSubnetGroupName"}

// UpdateStack changes a stack to a new template or new parameters. Resources added are made,
// resources removed are deleted, and resources whose evaluated properties changed are
// replaced: a new one made, then the old one deleted in the cleanup — the simulator updates
// nothing in place. A failure rolls the update back: what it made is deleted, and the stack
// is UPDATE_ROLLBACK_COMPLETE with its resources as they were.
func (h *CloudFormation) UpdateStack(ctx context.Context, in *cloudformation.UpdateStackInput) (*cloudformation.UpdateStackOutput, error) {
	p, err := h.planUpdate(ctx, in)
	if err != nil {
		return nil, err
	}
	if p.refused != nil {
		return nil, p.refused
	}
	if p.empty {
		return nil, invalid("No updates are to be performed.")
	}
	if err := h.runUpdate(ctx, p); err != nil {
		return nil, err
	}
	return &cloudformation.UpdateStackOutput{StackId: aws.String(p.k.ID)}, nil
}

// updatePlan is what an update changes, found before anything is made: the resources
// added or replaced (steps, in order) and removed. An UPDATE change set shows it.
type updatePlan struct {
	old, k  *stack
	now     time.Time
	body    string
	t       *Template
	order   []string
	deps    map[string][]string
	e       *env
	params  []param
	steps   []updateStep
	removed []*resource
	keep    map[string]bool
	// empty is true when nothing would change; refused is AWS's refusal of a change the
	// simulator cannot make (a named resource replaced).
	empty   bool
	refused error
	// policy is a new stack policy ("" keeps the stack's); during overrides the stack's
	// policy for this update only.
	policy, during string
}

// updateStep is a resource to make: new, or the replacement of one.
type updateStep struct {
	logical string
	r       map[string]any
	replace *resource      // the resource replaced; nil for a new one
	props   map[string]any // its evaluated properties, for a replacement
}

// planUpdate checks an UpdateStack request (or an UPDATE change set's) and finds what it
// changes, making nothing.
func (h *CloudFormation) planUpdate(ctx context.Context, in *cloudformation.UpdateStackInput) (*updatePlan, error) {
	s, region := h.s, core.RegionFrom(ctx)
	old, now, err := s.stackOf(region, aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	if status, _ := old.status(now); old.Busy.After(now) || !slices.Contains([]string{"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"}, status) {
		return nil, invalid("Stack:%s is in %s state and can not be updated.", old.ID, status)
	}
	body := old.Body
	if !aws.ToBool(in.UsePreviousTemplate) {
		if body, err = h.template(ctx, in.TemplateBody, in.TemplateURL); err != nil {
			return nil, err
		}
	} else if in.TemplateBody != nil || in.TemplateURL != nil {
		return nil, invalid("You cannot specify both usePreviousTemplate and Template Body/Template URL.")
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
	during, err := policyBody(in.StackPolicyDuringUpdateBody, in.StackPolicyDuringUpdateURL)
	if err != nil {
		return nil, err
	}
	given := map[string]string{}
	for _, p := range in.Parameters {
		key := aws.ToString(p.ParameterKey)
		if aws.ToBool(p.UsePreviousValue) {
			for _, op := range old.Params {
				if op.Key == key {
					given[key] = op.Value
				}
			}
			continue
		}
		given[key] = aws.ToString(p.ParameterValue)
	}
	values, params, err := s.resolveParams(ctx, t, given, nil)
	if err != nil {
		return nil, err
	}
	k := old.clone()
	current := map[string]*resource{}
	for _, r := range k.Resources {
		if st := k.lastStatus(r); r.Physical != "" && !strings.HasPrefix(st, "DELETE_") {
			current[r.Logical] = r
		}
	}
	e := &env{t: t, region: region, account: s.account, stackName: k.Name, stackID: k.ID, params: values, res: map[string]*resource{},
		azs:     func(r string) ([]string, error) { return s.availabilityZones(ctx, r) },
		imports: func(n string) (string, error) { return s.importValue(region, n) }}
	if err := e.conditions(); err != nil {
		return nil, err
	}
	p := &updatePlan{old: old, k: k, now: now, body: body, t: t, order: order, deps: deps, e: e, params: params, keep: map[string]bool{},
		policy: policy, during: during}
	// Whether anything changes is known only as the resources are evaluated in order: a
	// replaced resource changes the Ref of those that name it.
	for _, logical := range order {
		r := t.Resources[logical]
		if c, ok := r["Condition"].(string); ok && !e.conds[c] {
			continue
		}
		typ := r["Type"].(string)
		cur := current[logical]
		if cur != nil && cur.Type == typ {
			pm, text, err := evalProps(e, r)
			if err == nil && text == cur.Props && sameDeps(cur.Deps, deps[logical]) {
				p.keep[logical] = true
				e.res[logical] = cur
				continue
			}
			if err == nil && p.refused == nil {
				for _, n := range nameProps {
					if _, named := pm[n]; named {
						p.refused = invalid("CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename %s and update the stack again.", logical)
					}
				}
			}
			p.steps = append(p.steps, updateStep{logical, r, cur, pm})
			e.res[logical] = &resource{Logical: logical, Type: typ, Physical: "pending", Ref: "pending", Attrs: cur.Attrs}
			continue
		}
		p.steps = append(p.steps, updateStep{logical, r, cur, nil})
		e.res[logical] = &resource{Logical: logical, Type: typ, Physical: "pending", Ref: "pending"}
	}
	for _, r := range k.Resources {
		if current[r.Logical] == r && !p.keep[r.Logical] && !slices.ContainsFunc(p.steps, func(st updateStep) bool { return st.replace == r }) {
			p.removed = append(p.removed, r)
		}
	}
	if len(p.steps) == 0 && len(p.removed) == 0 {
		if outs, err := h.outputs(e, t, region, k); err == nil && slices.Equal(outs, k.Outputs) && body == k.Body && slices.Equal(params, k.Params) {
			p.empty = true
		}
	}
	return p, nil
}

// runUpdate registers the update of p and makes it.
func (h *CloudFormation) runUpdate(ctx context.Context, p *updatePlan) error {
	s, region, k, e, t, now := h.s, core.RegionFrom(ctx), p.k, p.e, p.t, p.now
	steps, order, deps, body, params, keep := p.steps, p.order, p.deps, p.body, p.params, p.keep
	// Register the update, then make it outside the lock.
	s.mu.Lock()
	live := s.find(region, k.ID, s.clock.Now())
	if live == nil || live.Busy.After(now) || live.Final != p.old.Final || len(live.Events) != len(p.old.Events) {
		s.mu.Unlock()
		status := "DELETE_COMPLETE"
		if live != nil {
			status = live.Final
		}
		return invalid("Stack:%s is in %s state and can not be updated.", k.ID, status)
	}
	k.addEvent(s, now, k.Name, k.ID, stackType, "UPDATE_IN_PROGRESS", "User Initiated", "")
	k.Busy = now.Add(time.Hour)
	live.Events, live.Final, live.Busy = k.Events, k.Final, k.Busy
	policy := live.Policy
	if p.during != "" {
		policy = p.during
	}
	if p.policy != "" {
		live.Policy = p.policy
	}
	s.gen++
	s.mu.Unlock()
	// The stack policy is checked before anything is made: a replacement or a removal it does
	// not allow fails the update at that resource.
	denied, deniedWhy := p.deniedBy(policy)

	m := &maker{s: s, ctx: ctx, stack: k}
	at := now
	// e.res holds the kept resources; the made ones join it as they are made.
	for l := range e.res {
		if !keep[l] {
			delete(e.res, l)
		}
	}
	e.imported = nil
	var made []*resource
	var failed string
	var failure string
	var err error
	if denied != nil {
		failed, failure = denied.Logical, deniedWhy
		k.addEvent(s, at, denied.Logical, denied.Physical, denied.Type, "UPDATE_FAILED", deniedWhy, "")
		steps = nil
	}
	for _, st := range steps {
		typ := st.r["Type"].(string)
		res := &resource{Logical: st.logical, Type: typ, Deps: deps[st.logical]}
		if dp, ok := st.r["DeletionPolicy"].(string); ok {
			res.DeletionPolicy = dp
		}
		progress, done, failStatus := "CREATE_IN_PROGRESS", "CREATE_COMPLETE", "CREATE_FAILED"
		if st.replace != nil {
			progress, done, failStatus = "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_FAILED"
			k.addEvent(s, at, st.logical, st.replace.Physical, typ, progress, "Requested update requires the creation of a new physical resource; hence creating one.", "")
		} else {
			k.addEvent(s, at, st.logical, "", typ, progress, "", "")
		}
		md, props, err := h.createOne(m, e, st.logical, typ, st.r)
		res.Props = props
		if md != nil && md.physical != "" {
			res.Physical, res.Ref, res.Attrs, res.Extra = md.physical, md.ref, md.attrs, md.extra
			if res.Ref == "" {
				res.Ref = md.physical
			}
			k.addEvent(s, at, st.logical, res.Physical, typ, progress, "Resource creation Initiated", "")
			made = append(made, res)
		}
		at = at.Add(time.Second)
		if err != nil {
			failed, failure = st.logical, reason(err)
			k.addEvent(s, at, st.logical, res.Physical, typ, failStatus, failure, "")
			break
		}
		e.res[st.logical] = res
		k.addEvent(s, at, st.logical, res.Physical, typ, done, "", "")
	}
	var outs []output
	if failed == "" {
		if outs, err = h.outputs(e, t, region, k); err != nil {
			failed, failure = k.Name, reason(err)
		}
	}
	if failed != "" {
		why := "The following resource(s) failed to update: [" + failed + "]. "
		if failed == k.Name {
			why = failure
		}
		k.addEvent(s, at, k.Name, k.ID, stackType, "UPDATE_ROLLBACK_IN_PROGRESS", why, "")
		k.addEvent(s, at, k.Name, k.ID, stackType, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "", "")
		at = h.deleteList(m, k, made, at, false)
		k.addEvent(s, at, k.Name, k.ID, stackType, "UPDATE_ROLLBACK_COMPLETE", "", "")
	} else {
		k.addEvent(s, at, k.Name, k.ID, stackType, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "", "")
		var gone []*resource
		for _, st := range steps {
			if st.replace != nil {
				gone = append(gone, st.replace)
			}
		}
		gone = append(gone, p.removed...)
		at = h.deleteList(m, k, gone, at, true)
		k.addEvent(s, at, k.Name, k.ID, stackType, "UPDATE_COMPLETE", "", "")
		var next []*resource
		for _, l := range order {
			if r, ok := e.res[l]; ok {
				next = append(next, r)
			}
		}
		k.Resources, k.Outputs, k.Imports, k.Body, k.Params, k.Description = next, outs, e.imported, body, params, t.Description
		k.LastUpdated = now
	}
	k.Busy = at
	s.mu.Lock()
	s.replace(k)
	s.gen++
	s.mu.Unlock()
	return nil
}

// deleteList deletes resources in the reverse of their order, from at; retain keeps those
// whose DeletionPolicy is Retain.
func (h *CloudFormation) deleteList(m *maker, k *stack, rs []*resource, at time.Time, retain bool) time.Time {
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if retain && r.DeletionPolicy == "Retain" {
			k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_SKIPPED", "", "")
			continue
		}
		k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_IN_PROGRESS", "", "")
		at = at.Add(time.Second)
		if err := types[r.Type].delete(m, r); err != nil && !notFound(err) {
			k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_FAILED", reason(err), "")
			continue
		}
		k.addEvent(h.s, at, r.Logical, r.Physical, r.Type, "DELETE_COMPLETE", "", "")
	}
	return at
}

func sameDeps(a, b []string) bool { return slices.Equal(a, b) }

// deniedBy is the first resource whose replacement or removal the stack policy does not
// allow, and the reason; nil when the policy allows them all (or there is none).
func (p *updatePlan) deniedBy(policy string) (*resource, string) {
	if policy == "" {
		return nil, ""
	}
	sp, err := parseStackPolicy(policy)
	if err != nil {
		return nil, ""
	}
	for _, st := range p.steps {
		if st.replace == nil {
			continue
		}
		if ok, why := sp.allows("Update:Replace", st.logical, st.replace.Type); !ok {
			return st.replace, why
		}
	}
	for _, r := range p.removed {
		if ok, why := sp.allows("Update:Delete", r.Logical, r.Type); !ok {
			return r, why
		}
	}
	return nil, ""
}
