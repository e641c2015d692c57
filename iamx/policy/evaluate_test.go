package policy

import (
	"strings"
	"testing"
)

const (
	acct     = "123456789012"
	alexARN  = "arn:aws:iam::123456789012:user/alex"
	roleARN  = "arn:aws:iam::123456789012:role/WebRole"
	sessARN  = "arn:aws:sts::123456789012:assumed-role/WebRole/i-0abc"
	bobARN   = "arn:aws:iam::123456789012:user/bob"
	otherARN = "arn:aws:iam::210987654321:user/eve"
)

var (
	alex    = Principal{ARN: alexARN, Account: acct}
	session = Principal{ARN: sessARN, RoleARN: roleARN}
	anon    = Principal{Anonymous: true}
)

func att(t *testing.T, name, doc string, kind Kind) Attached {
	t.Helper()
	p, err := Parse(doc, kind)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return Attached{Name: name, Policy: p}
}

func managedAtt(t *testing.T, name string) Attached {
	t.Helper()
	m, ok := AWSManaged(name)
	if !ok {
		t.Fatalf("AWSManaged(%q): not found", name)
	}
	p, err := m.Policy()
	if err != nil {
		t.Fatalf("managed %s: %v", name, err)
	}
	return Attached{Name: m.ARN, Policy: p}
}

// The course notes: "If something is both Denied and Allowed, Deny takes precedence".
const ec2AllButTerminate = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowEC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
    {"Sid": "DenyTerminate", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}
  ]
}`

// The course notes: a public-read bucket policy.
const publicRead = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "PublicReadGetObject",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::bucket/*"
  }]
}`

// The course notes: the EC2 role's policy for one bucket.
const oneBucket = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::bucket"]},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::bucket/*"]}
  ]
}`

func TestCourseExamples(t *testing.T) {
	ec2 := []Attached{att(t, "user/alex inline EC2", ec2AllButTerminate, Identity)}
	bucketPolicy := []Attached{att(t, "bucket policy of bucket", publicRead, Resource)}
	role := []Attached{att(t, "role/WebRole inline OneBucket", oneBucket, Identity)}
	inst := "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
	tests := []struct {
		name     string
		req      Request
		pol      Policies
		want     Effect
		wantSid  string
		wantType string
	}{
		{"ec2 describe allowed", Request{Principal: alex, Action: "ec2:DescribeInstances", Resource: "*"}, Policies{Identity: ec2}, Allow, "AllowEC2", TypeIdentity},
		{"ec2 action case-insensitive", Request{Principal: alex, Action: "EC2:runinstances", Resource: inst}, Policies{Identity: ec2}, Allow, "AllowEC2", TypeIdentity},
		{"ec2 terminate denied", Request{Principal: alex, Action: "ec2:TerminateInstances", Resource: inst}, Policies{Identity: ec2}, ExplicitDeny, "DenyTerminate", TypeIdentity},
		{"s3 not allowed by ec2 policy", Request{Principal: alex, Action: "s3:ListAllMyBuckets", Resource: "*"}, Policies{Identity: ec2}, ImplicitDeny, "", ""},
		{"anonymous get object", Request{Principal: anon, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/index.html"}, Policies{Resource: bucketPolicy}, Allow, "PublicReadGetObject", TypeResource},
		{"anonymous get nested object", Request{Principal: anon, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/a/b/c.png"}, Policies{Resource: bucketPolicy}, Allow, "PublicReadGetObject", TypeResource},
		{"anonymous put object", Request{Principal: anon, Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/x"}, Policies{Resource: bucketPolicy}, ImplicitDeny, "", ""},
		{"anonymous list bucket", Request{Principal: anon, Action: "s3:ListBucket", Resource: "arn:aws:s3:::bucket"}, Policies{Resource: bucketPolicy}, ImplicitDeny, "", ""},
		{"other bucket", Request{Principal: anon, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket2/x"}, Policies{Resource: bucketPolicy}, ImplicitDeny, "", ""},
		{"user with no policy, public bucket", Request{Principal: alex, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/x"}, Policies{Identity: []Attached{}, Resource: bucketPolicy}, Allow, "PublicReadGetObject", TypeResource},
		{"role list bucket", Request{Principal: session, Action: "s3:ListBucket", Resource: "arn:aws:s3:::bucket"}, Policies{Identity: role}, Allow, "", TypeIdentity},
		{"role get object", Request{Principal: session, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/k"}, Policies{Identity: role}, Allow, "", TypeIdentity},
		{"role delete object", Request{Principal: session, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::bucket/a/k"}, Policies{Identity: role}, Allow, "", TypeIdentity},
		{"role list objects as object", Request{Principal: session, Action: "s3:ListBucket", Resource: "arn:aws:s3:::bucket/k"}, Policies{Identity: role}, ImplicitDeny, "", ""},
		{"role get object of bucket ARN", Request{Principal: session, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket"}, Policies{Identity: role}, ImplicitDeny, "", ""},
		{"role other bucket", Request{Principal: session, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-logs/k"}, Policies{Identity: role}, ImplicitDeny, "", ""},
		{"role delete bucket", Request{Principal: session, Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::bucket"}, Policies{Identity: role}, ImplicitDeny, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(&tt.req, &tt.pol)
			if d.Effect != tt.want {
				t.Fatalf("Effect = %v, want %v (%s)", d.Effect, tt.want, d)
			}
			if tt.want == ImplicitDeny {
				if d.By != nil {
					t.Errorf("By = %v, want nil", d.By)
				}
				return
			}
			if d.By == nil || d.By.Sid != tt.wantSid || d.By.PolicyType != tt.wantType {
				t.Errorf("By = %+v, want Sid %q type %q", d.By, tt.wantSid, tt.wantType)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	ec2 := []Attached{att(t, "user/alex inline EC2", ec2AllButTerminate, Identity)}
	bucket := []Attached{att(t, "bucket policy", publicRead, Resource)}
	tests := []struct {
		name string
		req  Request
		pol  Policies
		want string
	}{
		{
			"no identity policy allows",
			Request{Principal: alex, Action: "ec2:DescribeRegions", Resource: "*"},
			Policies{},
			"User: arn:aws:iam::123456789012:user/alex is not authorized to perform: ec2:DescribeRegions because no identity-based policy allows the ec2:DescribeRegions action",
		},
		{
			"explicit deny with resource",
			Request{Principal: alex, Action: "ec2:TerminateInstances", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/i-1"},
			Policies{Identity: ec2},
			"User: arn:aws:iam::123456789012:user/alex is not authorized to perform: ec2:TerminateInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/i-1 with an explicit deny in an identity-based policy",
		},
		{
			"anonymous, no resource-based policy allows",
			Request{Principal: anon, Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/k"},
			Policies{Resource: bucket},
			"User: anonymous is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::bucket/k because no resource-based policy allows the s3:PutObject action",
		},
		{
			"allowed has no message",
			Request{Principal: alex, Action: "ec2:DescribeRegions", Resource: "*"},
			Policies{Identity: ec2},
			"",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Evaluate(&tt.req, &tt.pol).Message(&tt.req); got != tt.want {
				t.Errorf("Message =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

func TestDecisionString(t *testing.T) {
	admin := managedAtt(t, "AdministratorAccess")
	req := Request{Principal: alex, Action: "iam:CreateUser", Resource: bobARN}
	d := Evaluate(&req, &Policies{Identity: []Attached{admin}})
	want := `Allow by identity-based policy "arn:aws:iam::aws:policy/AdministratorAccess", statement 0`
	if d.String() != want {
		t.Errorf("String() = %q, want %q", d.String(), want)
	}
	ec2 := att(t, "user/alex inline EC2", ec2AllButTerminate, Identity)
	req.Action = "ec2:TerminateInstances"
	d = Evaluate(&req, &Policies{Identity: []Attached{admin, ec2}})
	want = `ExplicitDeny by identity-based policy "user/alex inline EC2", statement 1 (Sid "DenyTerminate")`
	if d.String() != want {
		t.Errorf("String() = %q, want %q", d.String(), want)
	}
	d = Evaluate(&req, &Policies{})
	if want := "ImplicitDeny: no identity-based policy allows the request"; d.String() != want {
		t.Errorf("String() = %q, want %q", d.String(), want)
	}
}

func TestResourcePolicyPrincipals(t *testing.T) {
	doc := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + principal +
			`,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	}
	allowS3 := att(t, "allow s3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, Identity)
	tests := []struct {
		name      string
		principal string
		caller    Principal
		identity  []Attached
		want      Effect
	}{
		{"user ARN suffices", `{"AWS":"` + alexARN + `"}`, alex, nil, Allow},
		{"other user's ARN", `{"AWS":"` + bobARN + `"}`, alex, nil, ImplicitDeny},
		{"account ID needs identity allow", `{"AWS":"123456789012"}`, alex, nil, ImplicitDeny},
		{"account ID with identity allow", `{"AWS":"123456789012"}`, alex, []Attached{allowS3}, Allow},
		{"account root ARN needs identity allow", `{"AWS":"arn:aws:iam::123456789012:root"}`, alex, nil, ImplicitDeny},
		{"account root ARN with identity allow", `{"AWS":"arn:aws:iam::123456789012:root"}`, alex, []Attached{allowS3}, Allow},
		{"star", `"*"`, alex, nil, Allow},
		{"AWS star", `{"AWS":"*"}`, anon, nil, Allow},
		{"account does not match anonymous", `{"AWS":"123456789012"}`, anon, nil, ImplicitDeny},
		{"role ARN names the session's role", `{"AWS":"` + roleARN + `"}`, session, nil, Allow},
		{"session ARN", `{"AWS":"` + sessARN + `"}`, session, nil, Allow},
		{"service", `{"Service":"ec2.amazonaws.com"}`, Principal{Service: "ec2.amazonaws.com"}, nil, Allow},
		{"service does not match user", `{"Service":"ec2.amazonaws.com"}`, alex, nil, ImplicitDeny},
		{"list with the user", `{"AWS":["` + bobARN + `","` + alexARN + `"]}`, alex, nil, Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := Policies{Identity: tt.identity, Resource: []Attached{att(t, "bucket policy", doc(tt.principal), Resource)}}
			req := Request{Principal: tt.caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
			if d := Evaluate(&req, &pol); d.Effect != tt.want {
				t.Errorf("Effect = %v, want %v (%s)", d.Effect, tt.want, d)
			}
		})
	}
}

func TestTrustPolicy(t *testing.T) {
	trust := func(principal string) Attached {
		return att(t, "trust policy of WebRole", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":`+
			principal+`,"Action":"sts:AssumeRole"}]}`, Trust)
	}
	allowAssume := att(t, "user/alex inline Assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}]}`, Identity)
	denyAssume := att(t, "user/alex inline NoAssume", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:*","Resource":"*"}]}`, Identity)
	tests := []struct {
		name     string
		trust    Attached
		identity []Attached
		want     Effect
		// trusted: the trust policy itself allows, as sts:AssumeRole requires on top of Effect.
		trusted bool
	}{
		{"names the user", trust(`{"AWS":"` + alexARN + `"}`), nil, Allow, true},
		{"names the account, no identity allow", trust(`{"AWS":"` + acct + `"}`), nil, ImplicitDeny, true},
		{"names the account, identity allows", trust(`{"AWS":"arn:aws:iam::123456789012:root"}`), []Attached{allowAssume}, Allow, true},
		{"names another user", trust(`{"AWS":"` + bobARN + `"}`), []Attached{allowAssume}, Allow, false},
		{"names the user, identity denies", trust(`{"AWS":"` + alexARN + `"}`), []Attached{denyAssume}, ExplicitDeny, false},
		{"service only", trust(`{"Service":"ec2.amazonaws.com"}`), nil, ImplicitDeny, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Request{Principal: alex, Action: "sts:AssumeRole", Resource: roleARN}
			d := Evaluate(&req, &Policies{Identity: tt.identity, Resource: []Attached{tt.trust}})
			if d.Effect != tt.want {
				t.Errorf("Effect = %v, want %v (%s)", d.Effect, tt.want, d)
			}
			if d.ResourceAllows != tt.trusted {
				t.Errorf("ResourceAllows = %v, want %v", d.ResourceAllows, tt.trusted)
			}
		})
	}
}

func TestBoundaryAndSession(t *testing.T) {
	s3All := att(t, "s3 all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, Identity)
	ec2All := att(t, "ec2 all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`, Identity)
	byUser := att(t, "bucket policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+alexARN+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, Resource)
	byRole := att(t, "bucket policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, Resource)
	bySession := att(t, "bucket policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+sessARN+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, Resource)
	tests := []struct {
		name        string
		caller      Principal
		pol         Policies
		want        Effect
		wantMissing string
	}{
		{"identity and boundary allow", alex, Policies{Identity: []Attached{s3All}, Boundary: []Attached{s3All}}, Allow, ""},
		{"boundary does not allow", alex, Policies{Identity: []Attached{s3All}, Boundary: []Attached{ec2All}}, ImplicitDeny, TypeBoundary},
		{"empty boundary", alex, Policies{Identity: []Attached{s3All}, Boundary: []Attached{}}, ImplicitDeny, TypeBoundary},
		{"boundary alone grants nothing", alex, Policies{Boundary: []Attached{s3All}}, ImplicitDeny, TypeIdentity},
		{"session policy does not allow", session, Policies{Identity: []Attached{s3All}, Session: []Attached{ec2All}}, ImplicitDeny, TypeSession},
		{"session policy allows", session, Policies{Identity: []Attached{s3All}, Session: []Attached{s3All}}, Allow, ""},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-basics:
		// a resource policy naming the user is not limited by the boundary's implicit deny.
		{"resource policy names user, boundary silent", alex, Policies{Resource: []Attached{byUser}, Boundary: []Attached{ec2All}}, Allow, ""},
		{"resource policy names role, session policy silent", session, Policies{Resource: []Attached{byRole}, Session: []Attached{ec2All}}, ImplicitDeny, TypeSession},
		{"resource policy names session, session policy silent", session, Policies{Resource: []Attached{bySession}, Session: []Attached{ec2All}}, Allow, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Request{Principal: tt.caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
			d := Evaluate(&req, &tt.pol)
			if d.Effect != tt.want || d.Missing != tt.wantMissing {
				t.Errorf("got %v missing %q, want %v missing %q (%s)", d.Effect, d.Missing, tt.want, tt.wantMissing, d)
			}
			if tt.wantMissing != "" && !strings.Contains(d.Message(&req), "because no "+tt.wantMissing+" allows") {
				t.Errorf("Message = %q", d.Message(&req))
			}
		})
	}
}

func TestResourcePolicyDeny(t *testing.T) {
	s3All := att(t, "s3 all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, Identity)
	deny := att(t, "bucket policy", `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyDelete","Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"},
		{"Sid":"DenyAllButAlex","Effect":"Deny","NotPrincipal":{"AWS":"`+alexARN+`"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}`, Resource)
	tests := []struct {
		name   string
		caller Principal
		action string
		want   Effect
	}{
		{"account-wide deny applies to user", alex, "s3:DeleteObject", ExplicitDeny},
		{"NotPrincipal excludes alex", alex, "s3:PutObject", Allow},
		{"NotPrincipal denies bob", Principal{ARN: bobARN}, "s3:PutObject", ExplicitDeny},
		{"NotPrincipal naming a user denies a session", session, "s3:PutObject", ExplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Request{Principal: tt.caller, Action: tt.action, Resource: "arn:aws:s3:::b/k"}
			d := Evaluate(&req, &Policies{Identity: []Attached{s3All}, Resource: []Attached{deny}})
			if d.Effect != tt.want {
				t.Fatalf("Effect = %v, want %v (%s)", d.Effect, tt.want, d)
			}
			if tt.want == ExplicitDeny && !strings.HasSuffix(d.Message(&req), "with an explicit deny in a resource-based policy") {
				t.Errorf("Message = %q", d.Message(&req))
			}
		})
	}
}

func TestPrincipalKind(t *testing.T) {
	tests := []struct {
		p    Principal
		want string
	}{
		{Principal{ARN: "arn:aws:iam::123456789012:root"}, "Root"},
		{alex, "User"},
		{session, "AssumedRole"},
		{Principal{ARN: roleARN}, "Role"},
		{Principal{ARN: "arn:aws:sts::123456789012:federated-user/f"}, "FederatedUser"},
		{Principal{Service: "ec2.amazonaws.com"}, "Service"},
		{anon, "Anonymous"},
		{Principal{ARN: "nonsense"}, "Unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.p.Kind(); got != tt.want {
				t.Errorf("Kind() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadsContext(t *testing.T) {
	stmt := func(version, extra string) string {
		return `{"Version":"` + version + `","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},` +
			`{"Effect":"Allow","Action":"s3:PutObject"` + extra + `}]}`
	}
	for _, tc := range []struct {
		name string
		doc  string
		want bool
	}{
		{"no condition, no variable", stmt("2012-10-17", `,"Resource":"*"`), false},
		{"condition", stmt("2012-10-17", `,"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}`), true},
		{"variable in resource", stmt("2012-10-17", `,"Resource":"arn:aws:s3:::b/${aws:username}/*"`), true},
		{"variable in not-resource", stmt("2012-10-17", `,"NotResource":"arn:aws:s3:::b/${aws:username}"`), true},
		{"2008 version takes ${} literally", stmt("2008-10-17", `,"Resource":"arn:aws:s3:::b/${aws:username}/*"`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := MustParse(tc.doc, Identity)
			if got := p.ReadsContext(); got != tc.want {
				t.Errorf("Policy.ReadsContext() = %v, want %v", got, tc.want)
			}
			pols := Policies{Identity: []Attached{{Name: "a", Policy: MustParse(stmt("2012-10-17", `,"Resource":"*"`), Identity)}}, Session: []Attached{{Name: "s", Policy: p}}}
			if got := pols.ReadsContext(); got != tc.want {
				t.Errorf("Policies.ReadsContext() = %v, want %v", got, tc.want)
			}
		})
	}
}
