package cfnsim

import (
	"context"
	"encoding/json"
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

// changeSet is a change set: a stack's update (or creation) computed and kept for review,
// made by ExecuteChangeSet. It is CREATE_PENDING in its first second on the clock, then
// CREATE_COMPLETE (or FAILED, with its reason); its execution status follows the stack.
type changeSet struct {
	ID, Name, StackID, StackName, Region string
	Type                                 string // CREATE or UPDATE
	Description                          string `json:",omitempty"`
	Body                                 string
	Given                                []givenParam `json:",omitempty"`
	Params                               []param      `json:",omitempty"`
	Capabilities                         []string     `json:",omitempty"`
	Tags                                 []tag        `json:",omitempty"`
	RoleARN                              string       `json:",omitempty"`
	NotificationARNs                     []string     `json:",omitempty"`
	Changes                              []change     `json:",omitempty"`
	Created                              time.Time
	Status                               string // its status once created: CREATE_COMPLETE or FAILED
	Reason                               string `json:",omitempty"`
	// Base is how many events the stack had: a stack changed since makes it OBSOLETE.
	Base     int
	Executed time.Time `json:",omitzero"`  // when ExecuteChangeSet was called
	Done     time.Time `json:",omitzero"`  // when the execution's last event is due
	Result   string    `json:",omitempty"` // EXECUTE_COMPLETE or EXECUTE_FAILED, from Done
}

type givenParam struct {
	Key, Value  string
	UsePrevious bool `json:",omitempty"`
}

// change is one resource's change, as DescribeChangeSet shows it.
type change struct {
	Action, Logical, Physical, Type string
	Replacement                     string   `json:",omitempty"`
	Scope                           []string `json:",omitempty"`
	Details                         []detail `json:",omitempty"`
}

// detail is one property's change and what caused it.
type detail struct {
	Attribute, Name, Recreation, Evaluation, Source, Causing string
}

var changeSetName = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)

// noChanges is the reason of a change set that changes nothing, word for word AWS's (the
// AWS CLI's deploy looks for it).
const noChanges = "The submitted information didn't contain changes. Submit different information to create a change set."

// status is the change set's status and execution status at now.
func (c *changeSet) status(k *stack, now time.Time) (string, string) {
	if now.Before(c.Created.Add(time.Second)) {
		return "CREATE_PENDING", "UNAVAILABLE"
	}
	switch {
	case c.Status != "CREATE_COMPLETE":
		return c.Status, "UNAVAILABLE"
	case !c.Executed.IsZero() && (c.Done.IsZero() || now.Before(c.Done)):
		return c.Status, "EXECUTE_IN_PROGRESS"
	case !c.Executed.IsZero():
		return c.Status, c.Result
	case k == nil || len(k.Events) != c.Base:
		return c.Status, "OBSOLETE"
	}
	return c.Status, "AVAILABLE"
}

// CreateChangeSet computes what a stack's update (ChangeSetType UPDATE, the default) or
// creation (CREATE: the stack is made in REVIEW_IN_PROGRESS, with no resources) would change,
// making nothing. The request is checked at the call, as CreateStack and UpdateStack check
// theirs; a change set that changes nothing is FAILED with AWS's reason.
func (h *CloudFormation) CreateChangeSet(ctx context.Context, in *cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := aws.ToString(in.ChangeSetName)
	if len(name) > 128 || !changeSetName.MatchString(name) {
		return nil, invalid("1 validation error detected: Value '%s' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", name)
	}
	stackName := aws.ToString(in.StackName)
	if err := checkName(stackName); err != nil {
		return nil, err
	}
	cs := &changeSet{Name: name, Region: region, Type: string(in.ChangeSetType), Description: aws.ToString(in.Description),
		RoleARN: aws.ToString(in.RoleARN), NotificationARNs: in.NotificationARNs}
	for _, c := range in.Capabilities {
		cs.Capabilities = append(cs.Capabilities, string(c))
	}
	for _, tg := range in.Tags {
		cs.Tags = append(cs.Tags, tag{aws.ToString(tg.Key), aws.ToString(tg.Value)})
	}
	for _, p := range in.Parameters {
		cs.Given = append(cs.Given, givenParam{aws.ToString(p.ParameterKey), aws.ToString(p.ParameterValue), aws.ToBool(p.UsePreviousValue)})
	}
	var review *stack // the stack a CREATE change set makes in REVIEW_IN_PROGRESS
	switch in.ChangeSetType {
	case cfntypes.ChangeSetTypeCreate:
		if aws.ToBool(in.UsePreviousTemplate) {
			return nil, invalid("UsePreviousTemplate is not supported for ChangeSetType CREATE")
		}
		ci := cs.createInput(stackName)
		ci.TemplateBody, ci.TemplateURL = in.TemplateBody, in.TemplateURL
		p, err := h.prepareCreate(ctx, ci, func(k *stack) error {
			if k.Final == "REVIEW_IN_PROGRESS" {
				return nil
			}
			return invalid("Stack [%s] already exists and cannot be created again with the changeSet [%s].", stackName, name)
		})
		if err != nil {
			return nil, err
		}
		cs.Body, cs.Params, cs.Status = p.k.Body, p.k.Params, "CREATE_COMPLETE"
		for _, logical := range p.order {
			r := p.t.Resources[logical]
			if c, ok := r["Condition"].(string); ok && !p.e.conds[c] {
				continue
			}
			cs.Changes = append(cs.Changes, change{Action: "Add", Logical: logical, Type: r["Type"].(string)})
		}
		review = p.k
	case cfntypes.ChangeSetTypeUpdate, "":
		cs.Type = "UPDATE"
		s.mu.RLock()
		exists := s.find(region, stackName, s.clock.Now()) != nil
		s.mu.RUnlock()
		if !exists {
			return nil, invalid("Stack [%s] does not exist", stackName)
		}
		up := &cloudformation.UpdateStackInput{StackName: in.StackName, TemplateBody: in.TemplateBody, TemplateURL: in.TemplateURL,
			UsePreviousTemplate: in.UsePreviousTemplate, Parameters: in.Parameters, Capabilities: in.Capabilities}
		p, err := h.planUpdate(ctx, up)
		if err != nil {
			return nil, err
		}
		cs.Body, cs.Params, cs.Status, cs.StackID = p.body, p.params, "CREATE_COMPLETE", p.k.ID
		switch {
		case p.empty:
			cs.Status, cs.Reason = "FAILED", noChanges
		case p.refused != nil:
			cs.Status, cs.Reason = "FAILED", reason(p.refused)
		default:
			cs.Changes = p.changes()
		}
	default:
		// Resource import: no resource type of the simulator can adopt a resource yet.
		return nil, invalid("ChangeSetType %s is not supported by the simulator: only CREATE and UPDATE", in.ChangeSetType)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	k := s.find(region, stackName, now)
	switch {
	case review != nil && k == nil:
		k = review
		k.Created = now
		k.addEvent(s, now, k.Name, k.ID, stackType, "REVIEW_IN_PROGRESS", "User Initiated", "")
		k.Busy = now
		s.st.Stacks = append(s.st.Stacks, k)
	case review != nil && k.Final != "REVIEW_IN_PROGRESS":
		return nil, invalid("Stack [%s] already exists and cannot be created again with the changeSet [%s].", stackName, name)
	case k == nil || (review == nil && k.ID != cs.StackID):
		return nil, invalid("Stack [%s] does not exist", stackName)
	}
	for _, c := range s.st.ChangeSets {
		if c.StackID == k.ID && c.Name == name {
			return nil, errorf(AlreadyExists, "ChangeSet [%s] already exists", name)
		}
	}
	cs.StackID, cs.StackName, cs.Created, cs.Base = k.ID, k.Name, now, len(k.Events)
	cs.ID = fmt.Sprintf("arn:aws:cloudformation:%s:%s:changeSet/%s/%s", region, s.account, name, uuid(s.ids))
	s.st.ChangeSets = append(s.st.ChangeSets, cs)
	s.gen++
	return &cloudformation.CreateChangeSetOutput{Id: aws.String(cs.ID), StackId: aws.String(k.ID)}, nil
}

// createInput is the CreateStack request a CREATE change set makes.
func (c *changeSet) createInput(stackName string) *cloudformation.CreateStackInput {
	in := &cloudformation.CreateStackInput{StackName: aws.String(stackName), TemplateBody: aws.String(c.Body), NotificationARNs: c.NotificationARNs}
	if c.Body == "" {
		in.TemplateBody = nil
	}
	if c.RoleARN != "" {
		in.RoleARN = aws.String(c.RoleARN)
	}
	for _, p := range c.Given {
		in.Parameters = append(in.Parameters, cfntypes.Parameter{ParameterKey: aws.String(p.Key), ParameterValue: aws.String(p.Value)})
	}
	in.Capabilities, in.Tags = capabilitiesOut(c.Capabilities), tagsOut(c.Tags)
	return in
}

// changes are the plan's changes, as DescribeChangeSet shows them. The simulator replaces
// every resource it modifies (see [CloudFormation.UpdateStack]), so a Modify is Replacement
// True and each property's RequiresRecreation Always.
func (p *updatePlan) changes() []change {
	stepped := map[string]bool{}
	for _, st := range p.steps {
		stepped[st.logical] = true
	}
	oldParams := map[string]string{}
	for _, x := range p.old.Params {
		oldParams[x.Key] = x.Value
	}
	newParams := map[string]string{}
	for _, x := range p.params {
		newParams[x.Key] = x.Value
	}
	var out []change
	for _, st := range p.steps {
		typ := st.r["Type"].(string)
		if st.replace == nil {
			out = append(out, change{Action: "Add", Logical: st.logical, Type: typ})
			continue
		}
		c := change{Action: "Modify", Logical: st.logical, Physical: st.replace.Physical, Type: typ, Replacement: "True"}
		var before map[string]any
		_ = json.Unmarshal([]byte(st.replace.Props), &before)
		raw, _ := st.r["Properties"].(map[string]any)
		var names []string
		for n := range before {
			names = append(names, n)
		}
		for n := range st.props {
			if _, ok := before[n]; !ok {
				names = append(names, n)
			}
		}
		sortStrings(names)
		for _, n := range names {
			if describe(before[n]) == describe(st.props[n]) {
				continue
			}
			d := detail{Attribute: "Properties", Name: n, Recreation: "Always", Evaluation: "Static", Source: "DirectModification"}
			if n == "Tags" {
				d.Attribute, d.Name = "Tags", ""
			}
			refd := map[string]bool{}
			refs(raw[n], 0, refd)
			var causes []string
			for x := range refd {
				causes = append(causes, x)
			}
			sortStrings(causes)
			for _, x := range causes {
				logical, _, _ := strings.Cut(x, ".")
				if stepped[logical] {
					d.Evaluation, d.Source, d.Causing = "Dynamic", "ResourceReference", x
					break
				}
				if _, isParam := newParams[x]; isParam && newParams[x] != oldParams[x] {
					d.Source, d.Causing = "ParameterReference", x
				}
			}
			if !slices.Contains(c.Scope, d.Attribute) {
				c.Scope = append(c.Scope, d.Attribute)
			}
			c.Details = append(c.Details, d)
		}
		out = append(out, c)
	}
	for _, r := range p.removed {
		out = append(out, change{Action: "Remove", Logical: r.Logical, Physical: r.Physical, Type: r.Type})
	}
	return out
}

// changeSetOf finds a change set by its ARN, or by its name and its stack's name or ID; it
// returns copies of it and of its stack (nil when the stack is gone).
func (s *Store) changeSetOf(region, nameOrID, stackName string) (*changeSet, *stack, time.Time, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	c, k, err := s.lookupChangeSet(region, nameOrID, stackName, now)
	if err != nil {
		return nil, nil, now, err
	}
	cc := *c
	if k != nil {
		k = k.clone()
	}
	return &cc, k, now, nil
}

// lookupChangeSet is changeSetOf under s.mu, without copies.
func (s *Store) lookupChangeSet(region, nameOrID, stackName string, now time.Time) (*changeSet, *stack, error) {
	if nameOrID == "" {
		return nil, nil, invalid("1 validation error detected: Value null at 'changeSetName' failed to satisfy constraint: Member must not be null")
	}
	if strings.HasPrefix(nameOrID, "arn:") {
		for _, c := range s.st.ChangeSets {
			if c.ID == nameOrID && c.Region == region {
				return c, s.find(region, c.StackID, now), nil
			}
		}
		return nil, nil, changeSetNotFound(nameOrID)
	}
	if stackName == "" {
		return nil, nil, invalid("StackName must be specified if ChangeSetName is not specified as an ARN.")
	}
	k := s.find(region, stackName, now)
	if k == nil {
		return nil, nil, invalid("Stack [%s] does not exist", stackName)
	}
	for _, c := range s.st.ChangeSets {
		if c.StackID == k.ID && c.Name == nameOrID {
			return c, k, nil
		}
	}
	return nil, nil, changeSetNotFound(nameOrID)
}

func changeSetNotFound(name string) error {
	e := errorf(ChangeSetNotFound, "ChangeSet [%s] does not exist", name)
	e.Status = 404
	return e
}

// DescribeChangeSet describes a change set: its changes once it is created.
func (h *CloudFormation) DescribeChangeSet(ctx context.Context, in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
	c, k, now, err := h.s.changeSetOf(core.RegionFrom(ctx), aws.ToString(in.ChangeSetName), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	status, exec := c.status(k, now)
	out := &cloudformation.DescribeChangeSetOutput{ChangeSetId: aws.String(c.ID), ChangeSetName: aws.String(c.Name),
		StackId: aws.String(c.StackID), StackName: aws.String(c.StackName), CreationTime: aws.Time(c.Created),
		Status: cfntypes.ChangeSetStatus(status), ExecutionStatus: cfntypes.ExecutionStatus(exec), NotificationARNs: c.NotificationARNs,
		IncludeNestedStacks: aws.Bool(false), Changes: []cfntypes.Change{}, RollbackConfiguration: &cfntypes.RollbackConfiguration{}}
	if c.Description != "" {
		out.Description = aws.String(c.Description)
	}
	if status == "FAILED" {
		out.StatusReason = aws.String(c.Reason)
	}
	out.Capabilities, out.Tags, out.Parameters = capabilitiesOut(c.Capabilities), tagsOut(c.Tags), paramsShown(c.Params)
	if status != "CREATE_COMPLETE" {
		return out, nil
	}
	for _, ch := range c.Changes {
		rc := &cfntypes.ResourceChange{Action: cfntypes.ChangeAction(ch.Action), LogicalResourceId: aws.String(ch.Logical),
			ResourceType: aws.String(ch.Type), Scope: []cfntypes.ResourceAttribute{}, Details: []cfntypes.ResourceChangeDetail{}}
		if ch.Physical != "" {
			rc.PhysicalResourceId = aws.String(ch.Physical)
		}
		if ch.Replacement != "" {
			rc.Replacement = cfntypes.Replacement(ch.Replacement)
		}
		for _, sc := range ch.Scope {
			rc.Scope = append(rc.Scope, cfntypes.ResourceAttribute(sc))
		}
		for _, d := range ch.Details {
			rd := cfntypes.ResourceChangeDetail{Target: &cfntypes.ResourceTargetDefinition{Attribute: cfntypes.ResourceAttribute(d.Attribute),
				RequiresRecreation: cfntypes.RequiresRecreation(d.Recreation)},
				Evaluation: cfntypes.EvaluationType(d.Evaluation), ChangeSource: cfntypes.ChangeSource(d.Source)}
			if d.Name != "" {
				rd.Target.Name = aws.String(d.Name)
			}
			if d.Causing != "" {
				rd.CausingEntity = aws.String(d.Causing)
			}
			rc.Details = append(rc.Details, rd)
		}
		out.Changes = append(out.Changes, cfntypes.Change{Type: cfntypes.ChangeTypeResource, ResourceChange: rc})
	}
	return out, nil
}

// ListChangeSets lists a stack's change sets, in the order they were made.
func (h *CloudFormation) ListChangeSets(ctx context.Context, in *cloudformation.ListChangeSetsInput) (*cloudformation.ListChangeSetsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := aws.ToString(in.StackName)
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	k := s.find(region, name, now)
	if k == nil {
		return nil, invalid("Stack [%s] does not exist", name)
	}
	out := &cloudformation.ListChangeSetsOutput{Summaries: []cfntypes.ChangeSetSummary{}}
	for _, c := range s.st.ChangeSets {
		if c.StackID != k.ID {
			continue
		}
		status, exec := c.status(k, now)
		sum := cfntypes.ChangeSetSummary{ChangeSetId: aws.String(c.ID), ChangeSetName: aws.String(c.Name), StackId: aws.String(c.StackID),
			StackName: aws.String(c.StackName), CreationTime: aws.Time(c.Created), Status: cfntypes.ChangeSetStatus(status),
			ExecutionStatus: cfntypes.ExecutionStatus(exec), IncludeNestedStacks: aws.Bool(false)}
		if c.Description != "" {
			sum.Description = aws.String(c.Description)
		}
		if status == "FAILED" {
			sum.StatusReason = aws.String(c.Reason)
		}
		out.Summaries = append(out.Summaries, sum)
	}
	return out, nil
}

// ExecuteChangeSet makes a change set's creation or update of its stack, as CreateStack and
// UpdateStack make theirs; the stack's other change sets are deleted, as AWS deletes them.
func (h *CloudFormation) ExecuteChangeSet(ctx context.Context, in *cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	// Claim the change set under the lock: two executions of one change set, one wins.
	s.mu.Lock()
	now := s.clock.Now()
	live, k, err := s.lookupChangeSet(region, aws.ToString(in.ChangeSetName), aws.ToString(in.StackName), now)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	status, exec := live.status(k, now)
	if status != "CREATE_COMPLETE" {
		s.mu.Unlock()
		return nil, errorf(InvalidChangeSetStatus, "ChangeSet [%s] cannot be executed in its current status of [%s]", live.ID, status)
	}
	if exec != "AVAILABLE" {
		s.mu.Unlock()
		return nil, errorf(InvalidChangeSetStatus, "ChangeSet [%s] cannot be executed in its current execution status of [%s]", live.ID, exec)
	}
	live.Executed = now
	c := *live
	s.gen++
	s.mu.Unlock()

	var busy time.Time
	var final string
	switch c.Type {
	case "CREATE":
		in2 := c.createInput(c.StackName)
		in2.DisableRollback = in.DisableRollback
		p, err := h.prepareCreate(ctx, in2, func(*stack) error { return nil })
		if err == nil {
			err = h.runCreate(ctx, p, c.StackID)
		}
		if err != nil {
			h.unclaim(c.ID)
			return nil, err
		}
		busy, final = p.k.Busy, p.k.Final
	default:
		up := &cloudformation.UpdateStackInput{StackName: aws.String(c.StackID), TemplateBody: aws.String(c.Body)}
		for _, x := range c.Given {
			up.Parameters = append(up.Parameters, cfntypes.Parameter{ParameterKey: aws.String(x.Key), ParameterValue: aws.String(x.Value), UsePreviousValue: aws.Bool(x.UsePrevious)})
		}
		for _, x := range c.Capabilities {
			up.Capabilities = append(up.Capabilities, cfntypes.Capability(x))
		}
		p, err := h.planUpdate(ctx, up)
		if err == nil && p.refused != nil {
			err = p.refused
		}
		if err == nil {
			err = h.runUpdate(ctx, p)
		}
		if err != nil {
			h.unclaim(c.ID)
			return nil, err
		}
		busy, final = p.k.Busy, p.k.Final
	}
	s.mu.Lock()
	kept := s.st.ChangeSets[:0]
	for _, x := range s.st.ChangeSets {
		if x.ID == c.ID {
			x.Done, x.Result = busy, "EXECUTE_COMPLETE"
			if final != "CREATE_COMPLETE" && final != "UPDATE_COMPLETE" {
				x.Result = "EXECUTE_FAILED"
			}
		}
		if x.StackID != c.StackID || x.ID == c.ID {
			kept = append(kept, x)
		}
	}
	s.st.ChangeSets = kept
	s.gen++
	s.mu.Unlock()
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

// unclaim makes a change set whose execution was refused available again.
func (h *CloudFormation) unclaim(id string) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	for _, x := range h.s.st.ChangeSets {
		if x.ID == id {
			x.Executed = time.Time{}
		}
	}
	h.s.gen++
}

// DeleteChangeSet deletes a change set; not while it executes.
func (h *CloudFormation) DeleteChangeSet(ctx context.Context, in *cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	c, k, err := s.lookupChangeSet(region, aws.ToString(in.ChangeSetName), aws.ToString(in.StackName), now)
	if err != nil {
		return nil, err
	}
	if _, exec := c.status(k, now); exec == "EXECUTE_IN_PROGRESS" {
		return nil, errorf(InvalidChangeSetStatus, "An operation on this ChangeSet is currently in progress.  Please attempt this operation again later.")
	}
	s.st.ChangeSets = slices.DeleteFunc(s.st.ChangeSets, func(x *changeSet) bool { return x == c })
	s.gen++
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

// dropChangeSets deletes a stack's change sets, as deleting the stack does. s.mu is held.
func (s *Store) dropChangeSets(stackID string) {
	s.st.ChangeSets = slices.DeleteFunc(s.st.ChangeSets, func(x *changeSet) bool { return x.StackID == stackID })
}

// GetTemplateSummary describes a template — given, or a stack's — without making anything:
// its parameters, resource types and the capabilities it needs.
func (h *CloudFormation) GetTemplateSummary(ctx context.Context, in *cloudformation.GetTemplateSummaryInput) (*cloudformation.GetTemplateSummaryOutput, error) {
	var body string
	if n := aws.ToString(in.StackName); n != "" {
		if in.TemplateBody != nil || in.TemplateURL != nil {
			return nil, invalid("Specify exactly one of TemplateBody, TemplateUrl or StackName.")
		}
		k, _, err := h.s.stackOf(core.RegionFrom(ctx), n)
		if err != nil {
			return nil, err
		}
		body = k.Body
	} else if in.StackSetName != nil {
		return nil, invalid("StackSets are not supported by the simulator")
	} else {
		var err error
		if body, err = h.template(ctx, in.TemplateBody, in.TemplateURL); err != nil {
			return nil, err
		}
	}
	t, err := parseTemplate(body)
	if err != nil {
		return nil, err
	}
	if _, _, err := checkTemplate(t); err != nil {
		return nil, err
	}
	out := &cloudformation.GetTemplateSummaryOutput{Version: aws.String("2010-09-09"), ResourceTypes: []string{}, Parameters: []cfntypes.ParameterDeclaration{}}
	if t.Description != "" {
		out.Description = aws.String(t.Description)
	}
	for _, l := range t.Order {
		if typ := t.Resources[l]["Type"].(string); !slices.Contains(out.ResourceTypes, typ) {
			out.ResourceTypes = append(out.ResourceTypes, typ)
		}
	}
	names := make([]string, 0, len(t.Parameters))
	for n := range t.Parameters {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		p := t.Parameters[n]
		d := cfntypes.ParameterDeclaration{ParameterKey: aws.String(n), NoEcho: aws.Bool(p["NoEcho"] == "true"),
			ParameterConstraints: &cfntypes.ParameterConstraints{}}
		if typ, ok := p["Type"].(string); ok {
			d.ParameterType = aws.String(typ)
		}
		if v, ok := p["Default"].(string); ok {
			d.DefaultValue = aws.String(v)
		}
		if v, ok := p["Description"].(string); ok {
			d.Description = aws.String(v)
		}
		if l, ok := p["AllowedValues"].([]any); ok {
			for _, x := range l {
				if xs, ok := x.(string); ok {
					d.ParameterConstraints.AllowedValues = append(d.ParameterConstraints.AllowedValues, xs)
				}
			}
		}
		out.Parameters = append(out.Parameters, d)
	}
	if c, named := capability(t); c != "" {
		out.Capabilities = []cfntypes.Capability{cfntypes.Capability(c)}
		out.CapabilitiesReason = aws.String("The following resource(s) require capabilities: [" + strings.Join(named, ", ") + "]")
	}
	return out, nil
}
