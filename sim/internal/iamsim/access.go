package iamsim

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// What IAM's access advisor reports: which services an entity's policies allow, and when the
// entity last called each (a request it signed, allowed or not).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html

type serviceAccess struct {
	Time   time.Time
	Region string
}

type accessJob struct {
	ID, ARN, Granularity string
	Created              time.Time
	Services             []jobService
}

// jobService is one service of a report, as it was when the report was made.
type jobService struct {
	Namespace string
	Entities  []jobEntity // the entities the report covers that its policies let call it
}

type jobEntity struct {
	ARN, ID, Name, Path, Type string
	Last                      time.Time
	Region                    string
}

// serviceNames are the names AWS gives the services the simulator has, for the reports.
var serviceNames = map[string]string{
	"autoscaling": "Amazon EC2 Auto Scaling", "cloudformation": "AWS CloudFormation", "cloudwatch": "Amazon CloudWatch",
	"ec2": "Amazon EC2", "elasticfilesystem": "Amazon Elastic File System", "elasticloadbalancing": "Elastic Load Balancing",
	"iam": "AWS Identity and Access Management", "rds": "Amazon RDS", "s3": "Amazon S3", "sns": "Amazon SNS",
	"ssm": "AWS Systems Manager", "sts": "AWS Security Token Service", "lambda": "AWS Lambda", "logs": "Amazon CloudWatch Logs",
}

// recordAccess notes that the entity of an access key called service at now. s.mu is held.
func (s *Store) recordAccess(keyID, service, region string, now time.Time) {
	var id string
	if k, ok := s.st.Keys[keyID]; ok {
		if u, ok := s.st.Users[key(k.User)]; ok {
			id = u.ID
		}
	} else if ses, ok := s.st.Sessions[keyID]; ok {
		switch {
		case ses.Role != "":
			id = ses.RoleID
		case ses.User != "":
			if u, ok := s.st.Users[key(ses.User)]; ok {
				id = u.ID
			}
		}
	}
	if id == "" {
		return
	}
	m := s.st.Account.Access[id]
	if m == nil {
		m = map[string]*serviceAccess{}
		s.st.Account.Access[id] = m
	}
	m[service] = &serviceAccess{Time: now, Region: region}
}

// allowedNamespaces returns the service namespaces whose actions an Allow statement of p
// names: "*" names every service the simulator has.
func allowedNamespaces(p *policy.Policy) []string {
	var out []string
	add := func(ns string) {
		ns = strings.ToLower(ns)
		if !slices.Contains(out, ns) {
			out = append(out, ns)
		}
	}
	for _, st := range p.Statements {
		if st.Effect != "Allow" {
			continue
		}
		for _, a := range st.Action {
			ns, _, ok := strings.Cut(a, ":")
			if a == "*" || !ok {
				for _, n := range sortedKeys(serviceNames) {
					add(n)
				}
				continue
			}
			if !strings.ContainsAny(ns, "*?") {
				add(ns)
			}
		}
		if len(st.NotAction) > 0 {
			for _, n := range sortedKeys(serviceNames) {
				if !slices.ContainsFunc(st.NotAction, func(a string) bool { return a == "*" || strings.EqualFold(a, n+":*") }) {
					add(n)
				}
			}
		}
	}
	return out
}

// grant is a policy that grants an entity access, as ListPoliciesGrantingServiceAccess
// names it.
type grant struct {
	name, arn, entityType, entity string
	namespaces                    []string
}

// grants returns the identity policies of pc, of kind "user", "group" or "role". s.mu is held.
func (s *Store) grants(pc *principalCommon, kind string) []grant {
	var out []grant
	for _, n := range sortedKeys(pc.Inline) {
		out = append(out, grant{name: n, entityType: strings.ToUpper(kind), entity: pc.Name, namespaces: allowedNamespaces(pc.Inline[n].parsed)})
	}
	for _, a := range pc.Attached {
		if p := s.managed(a); p != nil {
			out = append(out, grant{name: a[strings.LastIndexByte(a, '/')+1:], arn: a, namespaces: allowedNamespaces(p)})
		}
	}
	return out
}

// entityOf resolves the user, group or role an ARN names, with the grants of its policies (a
// user's groups' too). s.mu is held.
func (s *Store) entityOf(arn string) (pc *principalCommon, kind string, grants []grant, err error) {
	rest, _ := strings.CutPrefix(arn, "arn:aws:iam::"+s.account+":")
	kind, pathName, _ := strings.Cut(rest, "/")
	name := pathName[strings.LastIndexByte(pathName, '/')+1:]
	switch kind {
	case "user":
		if u, ok := s.st.Users[key(name)]; ok {
			grants = s.grants(&u.principalCommon, kind)
			for _, g := range s.groupsOf(u.Name) {
				grants = append(grants, s.grants(&g.principalCommon, "group")...)
			}
			return &u.principalCommon, kind, grants, nil
		}
	case "group":
		if g, ok := s.st.Groups[key(name)]; ok {
			return &g.principalCommon, kind, s.grants(&g.principalCommon, kind), nil
		}
	case "role":
		if r, ok := s.st.Roles[key(name)]; ok {
			return &r.principalCommon, kind, s.grants(&r.principalCommon, kind), nil
		}
	}
	return nil, "", nil, core.Errorf(NoSuchEntity, "The entity %s cannot be found.", arn)
}

func (h *IAM) ListPoliciesGrantingServiceAccess(ctx context.Context, in *iam.ListPoliciesGrantingServiceAccessInput) (*iam.ListPoliciesGrantingServiceAccessOutput, error) {
	if n := len(in.ServiceNamespaces); n < 1 || n > 200 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'serviceNamespaces' failed to satisfy constraint: Member must have length between 1 and 200")
	}
	s := h.s
	s.mu.RLock()
	_, _, grants, err := s.entityOf(aws.ToString(in.Arn))
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var all []types.ListPoliciesGrantingServiceAccessEntry
	for _, ns := range in.ServiceNamespaces {
		e := types.ListPoliciesGrantingServiceAccessEntry{ServiceNamespace: aws.String(ns), Policies: []types.PolicyGrantingServiceAccess{}}
		for _, g := range grants {
			if !slices.Contains(g.namespaces, strings.ToLower(ns)) {
				continue
			}
			p := types.PolicyGrantingServiceAccess{PolicyName: aws.String(g.name), PolicyType: types.PolicyTypeManaged, PolicyArn: optional(g.arn)}
			if g.arn == "" {
				p.PolicyType, p.EntityType, p.EntityName = types.PolicyTypeInline, types.PolicyOwnerEntityType(g.entityType), aws.String(g.entity)
			}
			e.Policies = append(e.Policies, p)
		}
		all = append(all, e)
	}
	items, marker, truncated, err := page(all, in.Marker, nil)
	if err != nil {
		return nil, err
	}
	return &iam.ListPoliciesGrantingServiceAccessOutput{PoliciesGrantingServiceAccess: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

// GenerateServiceLastAccessedDetails makes the report at once, for a user, group, role or
// managed policy; GetServiceLastAccessedDetails finds it COMPLETED.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html
func (h *IAM) GenerateServiceLastAccessedDetails(ctx context.Context, in *iam.GenerateServiceLastAccessedDetailsInput) (*iam.GenerateServiceLastAccessedDetailsOutput, error) {
	gran := in.Granularity
	switch gran {
	case "":
		gran = types.AccessAdvisorUsageGranularityTypeServiceLevel
	case types.AccessAdvisorUsageGranularityTypeServiceLevel, types.AccessAdvisorUsageGranularityTypeActionLevel:
	default:
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]", gran)
	}
	arn := aws.ToString(in.Arn)
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	// The entities the report covers, each with the services its policies allow.
	type covered struct {
		pc         *principalCommon
		kind       string
		namespaces []string
	}
	var ents []covered
	union := func(gs []grant) []string {
		var out []string
		for _, g := range gs {
			for _, n := range g.namespaces {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		return out
	}
	if strings.Contains(arn, ":policy/") {
		p := s.managed(arn)
		if p == nil {
			return nil, core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
		}
		ns := allowedNamespaces(p)
		for _, u := range sortedValues(s.st.Users) {
			if slices.Contains(u.Attached, arn) {
				ents = append(ents, covered{&u.principalCommon, "user", ns})
			}
		}
		for _, r := range sortedValues(s.st.Roles) {
			if slices.Contains(r.Attached, arn) {
				ents = append(ents, covered{&r.principalCommon, "role", ns})
			}
		}
	} else {
		pc, kind, gs, err := s.entityOf(arn)
		if err != nil {
			return nil, err
		}
		if kind == "group" {
			g := s.st.Groups[key(pc.Name)]
			for _, m := range g.Members {
				if u, ok := s.st.Users[key(m)]; ok {
					ents = append(ents, covered{&u.principalCommon, "user", union(gs)})
				}
			}
		} else {
			ents = append(ents, covered{pc, kind, union(gs)})
		}
	}
	job := &accessJob{ID: uuid(s.ids.Hex("", 32)), ARN: arn, Granularity: string(gran), Created: s.now()}
	byNS := map[string]*jobService{}
	for _, e := range ents {
		for _, ns := range e.namespaces {
			js := byNS[ns]
			if js == nil {
				js = &jobService{Namespace: ns}
				byNS[ns] = js
			}
			je := jobEntity{ARN: s.arn(e.kind, e.pc.Path, e.pc.Name), ID: e.pc.ID, Name: e.pc.Name, Path: e.pc.Path, Type: strings.ToUpper(e.kind)}
			if a, ok := s.st.Account.Access[e.pc.ID][ns]; ok {
				je.Last, je.Region = a.Time, a.Region
			}
			js.Entities = append(js.Entities, je)
		}
	}
	for _, ns := range sortedKeys(byNS) {
		job.Services = append(job.Services, *byNS[ns])
	}
	s.st.Account.AccessJobs[job.ID] = job
	return &iam.GenerateServiceLastAccessedDetailsOutput{JobId: aws.String(job.ID)}, nil
}

func (s *Store) accessJob(id string) (*accessJob, error) {
	j, ok := s.st.Account.AccessJobs[id]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "Job %s cannot be found.", id)
	}
	return j, nil
}

func serviceName(ns string) *string {
	if n, ok := serviceNames[ns]; ok {
		return aws.String(n)
	}
	return aws.String(ns)
}

func (h *IAM) GetServiceLastAccessedDetails(ctx context.Context, in *iam.GetServiceLastAccessedDetailsInput) (*iam.GetServiceLastAccessedDetailsOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	j, err := s.accessJob(aws.ToString(in.JobId))
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var all []types.ServiceLastAccessed
	for _, js := range j.Services {
		out := types.ServiceLastAccessed{ServiceNamespace: aws.String(js.Namespace), ServiceName: serviceName(js.Namespace), TotalAuthenticatedEntities: aws.Int32(0)}
		n := int32(0)
		for _, e := range js.Entities {
			if e.Last.IsZero() {
				continue
			}
			n++
			if out.LastAuthenticated == nil || e.Last.After(*out.LastAuthenticated) {
				out.LastAuthenticated, out.LastAuthenticatedEntity, out.LastAuthenticatedRegion = aws.Time(e.Last), aws.String(e.ARN), aws.String(e.Region)
			}
		}
		out.TotalAuthenticatedEntities = aws.Int32(n)
		all = append(all, out)
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.GetServiceLastAccessedDetailsOutput{
		JobStatus: types.JobStatusTypeCompleted, JobType: types.AccessAdvisorUsageGranularityType(j.Granularity),
		JobCreationDate: aws.Time(j.Created), JobCompletionDate: aws.Time(j.Created),
		ServicesLastAccessed: nonNil(items), Marker: marker, IsTruncated: truncated,
	}, nil
}

func (h *IAM) GetServiceLastAccessedDetailsWithEntities(ctx context.Context, in *iam.GetServiceLastAccessedDetailsWithEntitiesInput) (*iam.GetServiceLastAccessedDetailsWithEntitiesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	j, err := s.accessJob(aws.ToString(in.JobId))
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var all []types.EntityDetails
	for _, js := range j.Services {
		if !strings.EqualFold(js.Namespace, aws.ToString(in.ServiceNamespace)) {
			continue
		}
		for _, e := range js.Entities {
			d := types.EntityDetails{EntityInfo: &types.EntityInfo{
				Arn: aws.String(e.ARN), Id: aws.String(e.ID), Name: aws.String(e.Name), Path: aws.String(e.Path), Type: types.PolicyOwnerEntityType(e.Type),
			}}
			if !e.Last.IsZero() {
				d.LastAuthenticated = aws.Time(e.Last)
			}
			all = append(all, d)
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.GetServiceLastAccessedDetailsWithEntitiesOutput{
		JobStatus: types.JobStatusTypeCompleted, JobCreationDate: aws.Time(j.Created), JobCompletionDate: aws.Time(j.Created),
		EntityDetailsList: nonNil(items), Marker: marker, IsTruncated: truncated,
	}, nil
}
