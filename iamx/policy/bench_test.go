package policy

import (
	"fmt"
	"strings"
	"testing"
)

// benchPolicies is AdministratorAccess plus ten customer policies of five statements each,
// with the mix of elements real policies have: wildcards, variables, conditions, denies.
func benchPolicies(b testing.TB) *Policies {
	b.Helper()
	m, _ := AWSManaged("AdministratorAccess")
	admin, err := m.Policy()
	if err != nil {
		b.Fatal(err)
	}
	ps := &Policies{Identity: []Attached{{Name: m.ARN, Policy: admin}}}
	for i := 0; i < 10; i++ {
		var st []string
		st = append(st,
			fmt.Sprintf(`{"Sid":"S3Home%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/home/${aws:username}/*"}`, i, i),
			fmt.Sprintf(`{"Sid":"List%d","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket-%d","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}}`, i, i),
			fmt.Sprintf(`{"Sid":"EC2%d","Effect":"Allow","Action":["ec2:Describe*","ec2:StartInstances","ec2:StopInstances"],"Resource":"*","Condition":{"StringEquals":{"ec2:ResourceTag/team":"team-%d"}}}`, i, i),
			fmt.Sprintf(`{"Sid":"DenyOutside%d","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},"Bool":{"aws:ViaAWSService":"false"}}}`, i),
			fmt.Sprintf(`{"Sid":"DenyTerminate%d","Effect":"Deny","Action":["ec2:TerminateInstances","ec2:DeleteVolume"],"Resource":"arn:aws:ec2:*:123456789012:instance/*"}`, i),
		)
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(st, ",") + `]}`
		p, err := Parse(doc, Identity)
		if err != nil {
			b.Fatal(err)
		}
		ps.Identity = append(ps.Identity, Attached{Name: fmt.Sprintf("arn:aws:iam::123456789012:policy/Customer%d", i), Policy: p})
	}
	return ps
}

func benchRequest() *Request {
	c := Context{}
	c.Set("aws:username", "alex")
	c.Set("aws:userid", "AIDAEXAMPLEALEX")
	c.Set("aws:SourceIp", "10.3.4.5")
	c.Set("aws:ViaAWSService", "false")
	c.Set("aws:SecureTransport", "true")
	c.Set("aws:CurrentTime", "2026-05-20T12:00:00Z")
	return &Request{Principal: alex, Action: "ec2:DescribeRegions", Resource: "*", Context: c}
}

func BenchmarkEvaluate(b *testing.B) {
	ps := benchPolicies(b)
	req := benchRequest()
	if d := Evaluate(req, ps); !d.Allowed() {
		b.Fatalf("benchmark request not allowed: %s", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, ps)
	}
}

func BenchmarkEvaluateS3Object(b *testing.B) {
	ps := benchPolicies(b)
	req := benchRequest()
	req.Action, req.Resource = "s3:GetObject", "arn:aws:s3:::bucket-7/home/alex/notes/2026/05/report.csv"
	if d := Evaluate(req, ps); !d.Allowed() {
		b.Fatalf("benchmark request not allowed: %s", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, ps)
	}
}

func BenchmarkEvaluateDenied(b *testing.B) {
	ps := benchPolicies(b)
	req := benchRequest()
	req.Action, req.Resource = "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
	if d := Evaluate(req, ps); d.Effect != ExplicitDeny {
		b.Fatalf("benchmark request not denied: %s", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, ps)
	}
}

func BenchmarkParseReadOnlyAccess(b *testing.B) {
	m, _ := AWSManaged("ReadOnlyAccess")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(m.Document, Identity); err != nil {
			b.Fatal(err)
		}
	}
}

// Evaluate runs on every simulated request: it must not allocate beyond the Match it returns.
func TestEvaluateAllocations(t *testing.T) {
	ps := benchPolicies(t)
	for _, action := range []string{"ec2:DescribeRegions", "s3:GetObject", "ec2:TerminateInstances"} {
		req := benchRequest()
		req.Action = action
		if n := testing.AllocsPerRun(100, func() { Evaluate(req, ps) }); n > 1 {
			t.Errorf("Evaluate(%s) allocates %v times, want at most 1", action, n)
		}
		req.Principal = Principal{Anonymous: true}
		if n := testing.AllocsPerRun(100, func() { Evaluate(req, ps) }); n > 1 {
			t.Errorf("Evaluate(%s, anonymous) allocates %v times, want at most 1", action, n)
		}
	}
}
