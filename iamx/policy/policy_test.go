package policy

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	const allowAll = `"Effect":"Allow","Action":"*","Resource":"*"`
	tests := []struct {
		name      string
		doc       string
		kind      Kind
		msg       string
		statement int
		field     string
	}{
		{"not JSON", `{"Version":`, Identity, "Syntax errors in policy.", -1, ""},
		{"not an object", `[1,2]`, Identity, "Syntax errors in policy.", -1, ""},
		{"trailing data", `{"Statement":{` + allowAll + `}} x`, Identity, "Syntax errors in policy.", -1, ""},
		{"unknown top-level element", `{"Version":"2012-10-17","Statment":[]}`, Identity, "Syntax errors in policy.", -1, "Statment"},
		{"bad version", `{"Version":"2012-10-18","Statement":{` + allowAll + `}}`, Identity, "Syntax errors in policy.", -1, "Version"},
		{"version not a string", `{"Version":2012,"Statement":{` + allowAll + `}}`, Identity, "Syntax errors in policy.", -1, "Version"},
		{"no statement", `{"Version":"2012-10-17"}`, Identity, "Syntax errors in policy.", -1, "Statement"},
		{"statement is a string", `{"Version":"2012-10-17","Statement":"x"}`, Identity, "Syntax errors in policy.", -1, "Statement"},
		{"statement list holds a string", `{"Version":"2012-10-17","Statement":["x"]}`, Identity, "Syntax errors in policy.", 0, ""},
		{"no effect", `{"Statement":{"Action":"*","Resource":"*"}}`, Identity, "Syntax errors in policy.", 0, "Effect"},
		{"bad effect", `{"Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}`, Identity, "Syntax errors in policy.", 0, "Effect"},
		{"unknown statement element", `{"Statement":{` + allowAll + `,"Actions":"*"}}`, Identity, "Syntax errors in policy.", 0, "Actions"},
		{"action is a number", `{"Statement":{"Effect":"Allow","Action":3,"Resource":"*"}}`, Identity, "Syntax errors in policy.", 0, "Action"},
		{"action list holds a number", `{"Statement":{"Effect":"Allow","Action":["s3:*",3],"Resource":"*"}}`, Identity, "Syntax errors in policy.", 0, "Action"},
		{"Action and NotAction", `{"Statement":{` + allowAll + `,"NotAction":"s3:*"}}`, Identity, "Syntax errors in policy.", 0, "NotAction"},
		{"Resource and NotResource", `{"Statement":{` + allowAll + `,"NotResource":"*"}}`, Identity, "Syntax errors in policy.", 0, "NotResource"},
		{"no action", `{"Statement":[{"Sid":"A","Effect":"Allow","Resource":"*"}]}`, Identity, "Policy statement must contain actions.", 0, "Action"},
		{"empty action list", `{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}`, Identity, "Policy statement must contain actions.", 0, "Action"},
		{"no resource", `{"Statement":[{` + allowAll + `},{"Sid":"Second","Effect":"Allow","Action":"s3:*"}]}`, Identity, "Policy statement must contain resources.", 1, "Resource"},
		{"action without vendor", `{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, Identity, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", 0, "Action"},
		{"action with two colons", `{"Statement":{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}}`, Identity, "Actions/Condition can contain only one colon.", 0, "Action"},
		{"vendor with wildcard", `{"Statement":{"Effect":"Allow","Action":"*:Get*","Resource":"*"}}`, Identity, "Vendor * is not valid", 0, "Action"},
		{"resource not an ARN", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}`, Identity, `Resource bucket must be in ARN format or "*".`, 0, "Resource"},
		{"resource bad partition", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:amazon:s3:::b"}}`, Identity, `Partition "amazon" is not valid for resource "arn:amazon:s3:::b".`, 0, "Resource"},
		{"resource without vendor", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws"}}`, Identity, "Resource vendor must be fully qualified and cannot contain regexes.", 0, "Resource"},
		{"duplicate Sid", `{"Statement":[{"Sid":"A",` + allowAll + `},{"Sid":"A",` + allowAll + `}]}`, Identity, "Statement IDs (SID) in a single policy must be unique.", 1, "Sid"},
		{"Sid not alphanumeric", `{"Statement":[{"Sid":"my sid",` + allowAll + `}]}`, Identity, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*", 0, "Sid"},
		{"identity with principal", `{"Statement":{` + allowAll + `,"Principal":"*"}}`, Identity, "Policy document should not specify a principal.", 0, "Principal"},
		{"identity with NotPrincipal", `{"Statement":{` + allowAll + `,"NotPrincipal":{"AWS":"123456789012"}}}`, Identity, "Policy document should not specify a principal.", 0, "NotPrincipal"},
		{"resource policy without principal", `{"Statement":{` + allowAll + `}}`, Resource, "Missing required field Principal", 0, "Principal"},
		{"trust policy without principal", `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, Trust, "Missing required field Principal", 0, "Principal"},
		{"trust policy with resource", `{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`, Trust, "Has prohibited field Resource", 0, "Resource"},
		{"principal string not star", `{"Statement":{` + allowAll + `,"Principal":"alex"}}`, Resource, "Invalid principal in policy", 0, "Principal"},
		{"principal unknown type", `{"Statement":{` + allowAll + `,"Principal":{"User":"alex"}}}`, Resource, "Invalid principal in policy", 0, "Principal"},
		{"principal bad AWS value", `{"Statement":{` + allowAll + `,"Principal":{"AWS":"alex"}}}`, Resource, "Invalid principal in policy", 0, "Principal"},
		{"unknown condition operator", `{"Statement":{` + allowAll + `,"Condition":{"StringEqualz":{"aws:username":"a"}}}}`, Identity, "Syntax errors in policy.", 0, "Condition"},
		{"NullIfExists", `{"Statement":{` + allowAll + `,"Condition":{"NullIfExists":{"aws:username":"true"}}}}`, Identity, "Syntax errors in policy.", 0, "Condition"},
		{"condition key without vendor", `{"Statement":{` + allowAll + `,"Condition":{"StringEquals":{"username":"a"}}}}`, Identity, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", 0, "Condition"},
		{"condition value an object", `{"Statement":{` + allowAll + `,"Condition":{"StringEquals":{"aws:username":{"a":1}}}}}`, Identity, "Syntax errors in policy.", 0, "Condition"},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, Identity, "Policy document must contain at least one statement.", -1, "Statement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.doc, tt.kind)
			if err == nil {
				t.Fatalf("Parse succeeded: %s", p)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			if e.Message != tt.msg || e.Statement != tt.statement || e.Field != tt.field {
				t.Errorf("got statement %d field %q message %q, want %d %q %q", e.Statement, e.Field, e.Message, tt.statement, tt.field, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "policy: ") || !strings.HasSuffix(err.Error(), ": "+tt.msg) {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestErrorWhere(t *testing.T) {
	_, err := Parse(`{"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"Second","Effect":"Allow","Action":"s3:*"}]}`, Identity)
	want := `policy: statement 1 (Sid "Second"), Resource: Policy statement must contain resources.`
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
	_, err = Parse(`{"Version":"1.0","Statement":[]}`, Identity)
	if want := "policy: Version: Syntax errors in policy."; err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		kind Kind
	}{
		{"statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Identity},
		{"no version", `{"Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["*"]}]}`, Identity},
		{"2008 version with Id", `{"Version":"2008-10-17","Id":"P1","Statement":[{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::b/*"}]}`, Identity},
		{"effect in other case", `{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`, Identity},
		{"bucket policy", publicRead, Resource},
		{"bucket policy with Sid spaces", `{"Statement":{"Sid":"Public read","Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, Resource},
		{"trust policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`, Trust},
		{"trust policy federated", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/idp"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`, Trust},
		{"resource with NotPrincipal", `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::123456789012:user/alex","123456789012"]},"Action":"s3:*","Resource":"*"}}`, Resource},
		{"partition wildcard", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:*:s3:::b"}}`, Identity},
		{"short ARN pattern", `{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*"}}`, Identity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.doc, tt.kind); err != nil {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}

// checkRoundTrip checks that parse → marshal → parse gives an equal Policy and the same bytes.
func checkRoundTrip(t *testing.T, p *Policy, kind Kind) {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	q, err := Parse(string(b), kind)
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("reparsed policy differs\nfirst:  %s\nsecond: %s", p, q)
	}
	b2, _ := json.Marshal(q)
	if string(b) != string(b2) {
		t.Fatalf("marshal not stable:\n%s\n%s", b, b2)
	}
}

func TestRoundTrip(t *testing.T) {
	docs := []struct {
		doc  string
		kind Kind
	}{
		{ec2AllButTerminate, Identity},
		{publicRead, Resource},
		{oneBucket, Identity},
		{`{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"S","Effect":"deny","NotAction":["s3:*","ec2:*"],"NotResource":"arn:aws:s3:::b/${aws:username}",
			"Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["a*","b"]},"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":false}}}}`, Identity},
		{`{"Statement":{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/R"],"Service":"ec2.amazonaws.com","CanonicalUser":"abc"},"Action":"sts:AssumeRole"}}`, Trust},
	}
	for _, d := range docs {
		checkRoundTrip(t, MustParse(d.doc, d.kind), d.kind)
	}
	for _, m := range AWSManagedList() {
		t.Run(m.Name, func(t *testing.T) {
			p, err := m.Policy()
			if err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, p, Identity)
		})
	}
}

func TestMarshalCanonical(t *testing.T) {
	p := MustParse(`{"Statement":{"Resource":"*","Action":["s3:GetObject"],"Effect":"allow","Sid":"A"},"Version":"2012-10-17"}`, Identity)
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	if got := p.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestAWSManaged(t *testing.T) {
	want := []string{
		"AdministratorAccess", "AmazonEC2FullAccess", "AmazonEC2ReadOnlyAccess", "AmazonRDSFullAccess",
		"AmazonRekognitionReadOnlyAccess", "AmazonS3FullAccess", "AmazonS3ReadOnlyAccess", "AmazonVPCFullAccess",
		"IAMFullAccess", "IAMReadOnlyAccess", "IAMUserChangePassword", "PowerUserAccess", "ReadOnlyAccess",
	}
	list := AWSManagedList()
	var names []string
	for _, m := range list {
		names = append(names, m.Name)
		if !strings.HasPrefix(m.PolicyID, "ANPA") || m.DefaultVersionID == "" || m.CreateDate.IsZero() || m.UpdateDate.Before(m.CreateDate) || m.Description == "" {
			t.Errorf("%s: incomplete metadata: ID %q version %q created %v updated %v description %q", m.Name, m.PolicyID, m.DefaultVersionID, m.CreateDate, m.UpdateDate, m.Description)
		}
		if m.ARN != "arn:aws:iam::aws:policy/"+m.Name {
			t.Errorf("%s: ARN %q", m.Name, m.ARN)
		}
		if _, err := m.Policy(); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("AWSManagedList names = %v, want %v", names, want)
	}
	admin, ok := AWSManaged("AdministratorAccess")
	if !ok || admin.PolicyID != "ANPAIWMBCKSKIEE64ZLYK" || admin.DefaultVersionID != "v1" {
		t.Fatalf("AdministratorAccess = %+v", admin)
	}
	if _, ok := AWSManaged("administratoraccess"); ok {
		t.Error("AWSManaged is case-sensitive, like IAM names in ARNs")
	}
	tests := []struct {
		policy, action, resource string
		want                     Effect
	}{
		{"AdministratorAccess", "iam:CreateUser", bobARN, Allow},
		{"PowerUserAccess", "ec2:RunInstances", "*", Allow},
		{"PowerUserAccess", "iam:CreateUser", bobARN, ImplicitDeny},
		{"PowerUserAccess", "iam:CreateServiceLinkedRole", "*", Allow},
		{"ReadOnlyAccess", "ec2:DescribeInstances", "*", Allow},
		{"ReadOnlyAccess", "ec2:RunInstances", "*", ImplicitDeny},
		{"ReadOnlyAccess", "s3:GetObject", "arn:aws:s3:::b/k", Allow},
		{"ReadOnlyAccess", "s3:PutObject", "arn:aws:s3:::b/k", ImplicitDeny},
		{"IAMReadOnlyAccess", "iam:ListUsers", "*", Allow},
		{"IAMReadOnlyAccess", "iam:CreateUser", bobARN, ImplicitDeny},
		{"IAMFullAccess", "iam:CreateUser", bobARN, Allow},
		{"IAMUserChangePassword", "iam:ChangePassword", alexARN, Allow},
		{"IAMUserChangePassword", "iam:ChangePassword", bobARN, ImplicitDeny},
		{"AmazonEC2ReadOnlyAccess", "ec2:DescribeRegions", "*", Allow},
		{"AmazonEC2ReadOnlyAccess", "ec2:TerminateInstances", "*", ImplicitDeny},
		{"AmazonEC2FullAccess", "ec2:TerminateInstances", "*", Allow},
		{"AmazonS3ReadOnlyAccess", "s3:ListBucket", "arn:aws:s3:::b", Allow},
		{"AmazonS3ReadOnlyAccess", "s3:DeleteObject", "arn:aws:s3:::b/k", ImplicitDeny},
		{"AmazonS3FullAccess", "s3:DeleteObject", "arn:aws:s3:::b/k", Allow},
		{"AmazonVPCFullAccess", "ec2:CreateVpc", "*", Allow},
		{"AmazonVPCFullAccess", "ec2:RunInstances", "*", ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.policy+" "+tt.action, func(t *testing.T) {
			req := Request{Principal: alex, Action: tt.action, Resource: tt.resource, Context: Context{"aws:username": {"alex"}}}
			if d := Evaluate(&req, &Policies{Identity: []Attached{managedAtt(t, tt.policy)}}); d.Effect != tt.want {
				t.Errorf("Effect = %v, want %v (%s)", d.Effect, tt.want, d)
			}
		})
	}
}
