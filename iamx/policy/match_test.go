package policy

import "testing"

// allows reports whether an identity policy with one statement allows action on resource.
func allows(t *testing.T, stmt, action, resource string, c Context) bool {
	t.Helper()
	p, err := Parse(`{"Version":"2012-10-17","Statement":`+stmt+`}`, Identity)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	req := Request{Principal: alex, Action: action, Resource: resource, Context: c}
	return Evaluate(&req, &Policies{Identity: []Attached{{Name: "p", Policy: p}}}).Allowed()
}

func TestActionMatching(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "ec2:DescribeRegions", true},
		{"ec2:*", "ec2:DescribeRegions", true},
		{"ec2:*", "ec2messages:GetMessages", false},
		{"ec2:Describe*", "ec2:DescribeRegions", true},
		{"ec2:Describe*", "ec2:RunInstances", false},
		{"ec2:describeregions", "EC2:DescribeRegions", true}, // actions are case-insensitive
		{"EC2:DESCRIBE*", "ec2:describeInstances", true},
		{"s3:Get*Acl", "s3:GetObjectAcl", true},
		{"s3:Get*Acl", "s3:GetObjectTagging", false},
		{"s3:?etObject", "s3:GetObject", true},
		{"s3:?etObject", "s3:PutObject", false},
		{"s3:GetObject?", "s3:GetObject", false},
		{"iam:*User*", "iam:ListUserPolicies", true},
		{"s3:GetObject", "s3:GetObjectAcl", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.action, func(t *testing.T) {
			stmt := `{"Effect":"Allow","Action":"` + tt.pattern + `","Resource":"*"}`
			if got := allows(t, stmt, tt.action, "*", nil); got != tt.want {
				t.Errorf("Action %q vs %q = %v, want %v", tt.pattern, tt.action, got, tt.want)
			}
		})
	}
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
func TestResourceMatching(t *testing.T) {
	tests := []struct {
		name, pattern, resource string
		want                    bool
	}{
		{"star matches all", "*", "arn:aws:s3:::b/k", true},
		{"star matches the no-resource star", "*", "*", true},
		{"an ARN pattern does not match *", "arn:aws:ec2:*", "*", false},
		{"exact", "arn:aws:s3:::b", "arn:aws:s3:::b", true},
		{"bucket is not its objects", "arn:aws:s3:::b", "arn:aws:s3:::b/k", false},
		{"objects are not the bucket", "arn:aws:s3:::b/*", "arn:aws:s3:::b", false},
		{"star crosses slashes", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y/z.txt", true},
		{"star crosses colons", "arn:aws:ec2:*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true},
		{"star in region", "arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", true},
		{"wrong account", "arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:eu-west-1:210987654321:instance/i-1", false},
		{"question mark", "arn:aws:s3:::b/file?.txt", "arn:aws:s3:::b/file1.txt", true},
		{"question mark needs a char", "arn:aws:s3:::b/file?.txt", "arn:aws:s3:::b/file.txt", false},
		{"case-sensitive", "arn:aws:s3:::B/*", "arn:aws:s3:::b/k", false},
		{"case-sensitive path", "arn:aws:iam::123456789012:user/Alex", alexARN, false},
		{"middle star", "arn:aws:s3:::b/*/report.csv", "arn:aws:s3:::b/2026/05/report.csv", true},
		{"middle star no match", "arn:aws:s3:::b/*/report.csv", "arn:aws:s3:::b/2026/05/report.txt", false},
		{"several stars backtrack", "arn:aws:s3:::b/*a*b", "arn:aws:s3:::b/xaxbxab", true},
		{"several stars fail", "arn:aws:s3:::b/*a*b", "arn:aws:s3:::b/xaxbxa", false},
		{"trailing stars", "arn:aws:s3:::b/**", "arn:aws:s3:::b/", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmt := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + tt.pattern + `"}`
			if got := allows(t, stmt, "s3:GetObject", tt.resource, nil); got != tt.want {
				t.Errorf("Resource %q vs %q = %v, want %v", tt.pattern, tt.resource, got, tt.want)
			}
		})
	}
}

func TestResourceVariables(t *testing.T) {
	user := Context{"aws:username": {"alex"}, "aws:userid": {"AIDAALEX"}, "aws:principaltag/team": {"blue"}}
	tests := []struct {
		name, version, pattern, resource string
		c                                Context
		want                             bool
	}{
		{"username", Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alex/notes.txt", user, true},
		{"username other", Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/bob/notes.txt", user, false},
		{"iam self", Version2012, "arn:aws:iam::123456789012:user/${aws:username}", alexARN, user, true},
		{"userid", Version2012, "arn:aws:s3:::b/${aws:userid}/*", "arn:aws:s3:::b/AIDAALEX/x", user, true},
		{"principal tag", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team}/*", "arn:aws:s3:::b/blue/x", user, true},
		{"missing variable matches nothing", Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alex/x", nil, false},
		{"missing variable, even with star", Version2012, "arn:aws:s3:::*${aws:username}*", "arn:aws:s3:::anything", nil, false},
		{"default value", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/dept, 'shared'}/*", "arn:aws:s3:::b/shared/x", user, true},
		{"special chars", Version2012, "arn:aws:s3:::b/${*}${?}${$}", "arn:aws:s3:::b/*?$", user, true},
		{"special star is not a wildcard", Version2012, "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", user, false},
		{"2008: variable is literal text", Version2008, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alex/x", user, false},
		{"2008: literal matches literal", Version2008, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/${aws:username}/x", user, true},
		{"no Version: variable is literal text", "", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alex/x", user, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + tt.pattern + `"}}`
			if tt.version != "" {
				doc = `{"Version":"` + tt.version + `","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + tt.pattern + `"}}`
			}
			p := MustParse(doc, Identity)
			req := Request{Principal: alex, Action: "s3:GetObject", Resource: tt.resource, Context: tt.c}
			if got := Evaluate(&req, &Policies{Identity: []Attached{{Name: "p", Policy: p}}}).Allowed(); got != tt.want {
				t.Errorf("Resource %q vs %q = %v, want %v", tt.pattern, tt.resource, got, tt.want)
			}
		})
	}
}

func TestNotElements(t *testing.T) {
	tests := []struct {
		name, stmt, action, resource string
		want                         bool
	}{
		{"NotAction allows others", `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "ec2:RunInstances", "*", true},
		{"NotAction excludes", `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "iam:CreateUser", "*", false},
		{"NotAction list", `{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}`, "organizations:ListAccounts", "*", false},
		{"NotResource allows others", `{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}`, "s3:GetObject", "arn:aws:s3:::public/k", true},
		{"NotResource excludes", `{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}`, "s3:GetObject", "arn:aws:s3:::secret/k", false},
		{"NotResource with missing variable does not apply", `{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::${aws:username}/*"}`, "s3:GetObject", "arn:aws:s3:::public/k", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allows(t, tt.stmt, tt.action, tt.resource, nil); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("Deny with NotAction", func(t *testing.T) {
		p := MustParse(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"*","Resource":"*"},
			{"Sid":"OnlyS3","Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}`, Identity)
		pol := &Policies{Identity: []Attached{{Name: "p", Policy: p}}}
		if d := Evaluate(&Request{Principal: alex, Action: "ec2:RunInstances", Resource: "*"}, pol); d.Effect != ExplicitDeny || d.By.Sid != "OnlyS3" {
			t.Errorf("ec2 = %s", d)
		}
		if d := Evaluate(&Request{Principal: alex, Action: "s3:GetObject", Resource: "*"}, pol); !d.Allowed() {
			t.Errorf("s3 = %s", d)
		}
	})
}

func TestMatchSegs(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"?*?", "ab", true},
		{"?*?", "a", false},
		{"*?*?*", "ab", true},
		{"a**b", "ab", true},
		{"*aab", "aaab", true},
		{"é?", "éé", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"|"+tt.s, func(t *testing.T) {
			p := compilePattern(tt.pattern, true, false)
			if got := p.match(tt.s, nil, false); got != tt.want {
				t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
		})
	}
}
