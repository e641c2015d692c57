package cfnsim

import (
	"strings"
	"testing"
	"time"
)

// The template parser never panics, whatever the body: a template it takes passes the checks
// of ValidateTemplate or is refused with a ValidationError, and the evaluation of its
// resources' properties and outputs (with every parameter given "x", no resources made)
// ends with a value or an error.
func FuzzTemplate(f *testing.F) {
	for _, seed := range []string{
		"Resources:\n  A:\n    Type: AWS::SNS::Topic\n",
		"Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 4, 8]]\n",
		"Parameters:\n  P:\n    Type: CommaDelimitedList\n    Default: a,b\nConditions:\n  C: !Not [!Equals [!Select [1, !Ref P], b]]\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Condition: C\n    Properties:\n      DisplayName: !If [C, !Sub '${AWS::Region}-${P}', !Ref 'AWS::NoValue']\n",
		"Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: A\n",
		"Mappings:\n  M:\n    K:\n      V: x\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !FindInMap [M, K, V]\nOutputs:\n  O:\n    Value: !Join ['-', !Split [',', 'a,b']]\n",
		`{"Resources":{"A":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Fn::Base64":{"Fn::GetAtt":["A","TopicName"]}}}}}}`,
		"x: &a [*a]\n",
		"Resources:\n  A: !Ref\n",
		"Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Unknown x\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%v for a body of %d bytes", d, len(body))
			}
		}()
		tmpl, err := parseTemplate(body)
		if err != nil {
			return
		}
		order, _, err := checkTemplate(tmpl)
		if err != nil {
			return
		}
		params := map[string]any{}
		for k := range tmpl.Parameters {
			params[k] = "x"
		}
		e := &env{t: tmpl, region: "us-east-1", account: "123456789012", stackName: "s", stackID: "id", params: params,
			res: map[string]*resource{}, azs: func(string) ([]string, error) { return []string{"us-east-1a"}, nil }}
		if e.conditions() != nil {
			return
		}
		for _, k := range order {
			_, _ = e.eval(tmpl.Resources[k]["Properties"])
		}
		for _, o := range tmpl.Outputs {
			_, _ = e.eval(o["Value"])
		}
	})
}

// The stack policy parser never panics: a policy it takes answers every action on every
// resource, and one it refuses is a ValidationError.
func FuzzStackPolicy(f *testing.F) {
	for _, seed := range []string{
		`{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Deny","Action":["Update:Replace","Update:Delete"],"Principal":"*","Resource":"*","Condition":{"StringLike":{"ResourceType":["AWS::EC2::*"]}}}]}`,
		`{"Statement":[{"Effect":"Allow","NotAction":"Update:Delete","Principal":"*","NotResource":["LogicalResourceId/Db*"]}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"LogicalResourceId/[a"}]}`,
		`{"Statement":{}}`,
		`[]`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		p, err := parseStackPolicy(body)
		if err != nil {
			if e, ok := err.(interface{ Error() string }); !ok || !strings.Contains(e.Error(), "stack policy") {
				t.Errorf("refusal %v", err)
			}
			return
		}
		for _, a := range []string{"Update:Modify", "Update:Replace", "Update:Delete"} {
			if ok, why := p.allows(a, "Db1", "AWS::EC2::VPC"); ok == (why != "") {
				t.Errorf("allows(%s) = %v, %q", a, ok, why)
			}
		}
	})
}

// s3Location never panics, and what it takes names a bucket and a key.
func FuzzS3Location(f *testing.F) {
	for _, seed := range []string{"https://b.s3.amazonaws.com/k", "https://s3.us-east-1.amazonaws.com/b/k/x.yaml", "https://s3-eu-west-1.amazonaws.com/b/k",
		"https://b.s3.eu-west-1.amazonaws.com/k?versionId=3", "http://example.com/b/k", "https://.s3.amazonaws.com/k", "%zz"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if b, k, ok := s3Location(raw); ok && (b == "" || k == "") {
			t.Errorf("s3Location(%q) = %q, %q", raw, b, k)
		}
	})
}

func TestS3Location(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://b.s3.amazonaws.com/k/x.yaml":            "b k/x.yaml",
		"https://b.s3.us-west-2.amazonaws.com/k":         "b k",
		"https://b.s3-us-west-2.amazonaws.com/k":         "b k",
		"https://my.bucket.s3.amazonaws.com/k":           "my.bucket k",
		"https://s3.amazonaws.com/b/k":                   "b k",
		"https://s3.us-west-2.amazonaws.com/b/k":         "b k",
		"https://s3-us-west-2.amazonaws.com/b/k":         "b k",
		"https://s3.amazonaws.com/b":                     "",
		"https://b.s3.amazonaws.com/":                    "",
		"https://example.com/b/k":                        "",
		"https://b.ec2.amazonaws.com/k":                  "",
		"https://user@b.s3.amazonaws.com/k":              "",
		"https://b.s3.amazonaws.com/k?versionId=x":       "b k",
		"https://b.s3.amazonaws.com/k?response-type=zip": "",
	} {
		b, k, ok := s3Location(raw)
		got := ""
		if ok {
			got = b + " " + k
		}
		if got != want {
			t.Errorf("s3Location(%q) = %q, want %q", raw, got, want)
		}
	}
}
