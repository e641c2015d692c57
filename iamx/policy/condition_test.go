package policy

import (
	"encoding/json"
	"testing"
)

// condCase evaluates one Condition block against a context.
type condCase struct {
	name string
	cond string // the Condition element's JSON
	ctx  Context
	want bool
}

// evalCondition parses an identity policy whose only statement has the condition and reports
// whether it allows s3:GetObject on arn:aws:s3:::b/k.
func evalCondition(t *testing.T, version, cond string, ctx Context) bool {
	t.Helper()
	doc := `{"Version":"` + version + `","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":` + cond + `}]}`
	p, err := Parse(doc, Identity)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	req := Request{Principal: alex, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: ctx}
	return Evaluate(&req, &Policies{Identity: []Attached{{Name: "p", Policy: p}}}).Allowed()
}

func runCond(t *testing.T, cases []condCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := evalCondition(t, Version2012, tt.cond, tt.ctx); got != tt.want {
				t.Errorf("condition %s with %v = %v, want %v", tt.cond, tt.ctx, got, tt.want)
			}
		})
	}
}

func ctx(kv ...string) Context {
	c := Context{}
	for i := 0; i+1 < len(kv); i += 2 {
		c[kv[i]] = append(c[kv[i]], kv[i+1])
	}
	return c
}

func TestStringOperators(t *testing.T) {
	runCond(t, []condCase{
		{"StringEquals match", `{"StringEquals":{"aws:username":"alex"}}`, ctx("aws:username", "alex"), true},
		{"StringEquals case-sensitive", `{"StringEquals":{"aws:username":"alex"}}`, ctx("aws:username", "Alex"), false},
		{"StringEquals key case-insensitive", `{"StringEquals":{"AWS:UserName":"alex"}}`, ctx("aws:username", "alex"), true},
		{"StringEquals context key in other case", `{"StringEquals":{"aws:username":"alex"}}`, ctx("AWS:Username", "alex"), true},
		{"StringEquals any of values", `{"StringEquals":{"aws:username":["bob","alex"]}}`, ctx("aws:username", "alex"), true},
		{"StringEquals wildcard is literal", `{"StringEquals":{"aws:username":"a*"}}`, ctx("aws:username", "alex"), false},
		{"StringEquals missing key", `{"StringEquals":{"aws:username":"alex"}}`, nil, false},
		{"StringNotEquals other", `{"StringNotEquals":{"aws:username":"bob"}}`, ctx("aws:username", "alex"), true},
		{"StringNotEquals same", `{"StringNotEquals":{"aws:username":"alex"}}`, ctx("aws:username", "alex"), false},
		// Negated operators with several values are a NOR: true only when no value matches.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
		{"StringNotEquals NOR none match", `{"StringNotEquals":{"aws:username":["bob","carol"]}}`, ctx("aws:username", "alex"), true},
		{"StringNotEquals NOR one matches", `{"StringNotEquals":{"aws:username":["bob","alex"]}}`, ctx("aws:username", "alex"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html:
		// "If the policy condition requires that the key is not matched ... and the right key is not present, the condition is true."
		{"StringNotEquals missing key", `{"StringNotEquals":{"aws:username":"bob"}}`, nil, true},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:username":"ALEX"}}`, ctx("aws:username", "alex"), true},
		{"StringEqualsIgnoreCase differs", `{"StringEqualsIgnoreCase":{"aws:username":"ALEXA"}}`, ctx("aws:username", "alex"), false},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:username":"ALEX"}}`, ctx("aws:username", "alex"), false},
		{"StringNotEqualsIgnoreCase other", `{"StringNotEqualsIgnoreCase":{"aws:username":"BOB"}}`, ctx("aws:username", "alex"), true},
		{"StringLike star", `{"StringLike":{"s3:prefix":"home/alex/*"}}`, ctx("s3:prefix", "home/alex/docs/a.txt"), true},
		{"StringLike star matches empty", `{"StringLike":{"s3:prefix":"home/*"}}`, ctx("s3:prefix", "home/"), true},
		{"StringLike question", `{"StringLike":{"s3:prefix":"v?"}}`, ctx("s3:prefix", "v1"), true},
		{"StringLike question needs one char", `{"StringLike":{"s3:prefix":"v?"}}`, ctx("s3:prefix", "v"), false},
		{"StringLike question one rune", `{"StringLike":{"s3:prefix":"caf?"}}`, ctx("s3:prefix", "café"), true},
		{"StringLike case-sensitive", `{"StringLike":{"s3:prefix":"Home/*"}}`, ctx("s3:prefix", "home/x"), false},
		{"StringLike no match", `{"StringLike":{"s3:prefix":"home/alex/*"}}`, ctx("s3:prefix", "home/bob/"), false},
		{"StringNotLike", `{"StringNotLike":{"s3:prefix":"private/*"}}`, ctx("s3:prefix", "public/x"), true},
		{"StringNotLike matches", `{"StringNotLike":{"s3:prefix":["tmp/*","private/*"]}}`, ctx("s3:prefix", "private/x"), false},
		{"StringEqualsIfExists missing", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, nil, true},
		{"StringEqualsIfExists present match", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, ctx("ec2:InstanceType", "t2.micro"), true},
		{"StringEqualsIfExists present differs", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, ctx("ec2:InstanceType", "m5.large"), false},
		{"StringNotEqualsIfExists missing", `{"StringNotEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, nil, true},
		{"StringLikeIfExists present", `{"StringLikeIfExists":{"ec2:InstanceType":"t2.*"}}`, ctx("ec2:InstanceType", "t2.nano"), true},
		{"two keys both must hold", `{"StringEquals":{"aws:username":"alex","ec2:InstanceType":"t2.micro"}}`, ctx("aws:username", "alex", "ec2:InstanceType", "t3.micro"), false},
		{"two operators both must hold", `{"StringEquals":{"aws:username":"alex"},"StringLike":{"ec2:InstanceType":"t2.*"}}`, ctx("aws:username", "alex", "ec2:InstanceType", "t2.micro"), true},
		{"empty value list is absent", `{"StringEquals":{"aws:username":"alex"}}`, Context{"aws:username": {}}, false},
	})
}

func TestNumericOperators(t *testing.T) {
	runCond(t, []condCase{
		{"NumericEquals", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "10"), true},
		{"NumericEquals JSON number", `{"NumericEquals":{"s3:max-keys":10}}`, ctx("s3:max-keys", "10.0"), true},
		{"NumericEquals differs", `{"NumericEquals":{"s3:max-keys":10}}`, ctx("s3:max-keys", "11"), false},
		{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":10}}`, ctx("s3:max-keys", "11"), true},
		{"NumericNotEquals same", `{"NumericNotEquals":{"s3:max-keys":[10,11]}}`, ctx("s3:max-keys", "11"), false},
		{"NumericLessThan", `{"NumericLessThan":{"s3:max-keys":10}}`, ctx("s3:max-keys", "9"), true},
		{"NumericLessThan equal", `{"NumericLessThan":{"s3:max-keys":10}}`, ctx("s3:max-keys", "10"), false},
		{"NumericLessThanEquals", `{"NumericLessThanEquals":{"s3:max-keys":10}}`, ctx("s3:max-keys", "10"), true},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"s3:max-keys":10}}`, ctx("s3:max-keys", "10.5"), true},
		{"NumericGreaterThan less", `{"NumericGreaterThan":{"s3:max-keys":10}}`, ctx("s3:max-keys", "-3"), false},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, ctx("s3:max-keys", "10"), true},
		{"Numeric not a number", `{"NumericLessThan":{"s3:max-keys":10}}`, ctx("s3:max-keys", "ten"), false},
		{"Numeric missing", `{"NumericLessThan":{"s3:max-keys":10}}`, nil, false},
		{"NumericLessThanIfExists missing", `{"NumericLessThanIfExists":{"s3:max-keys":10}}`, nil, true},
		{"NumericLessThanIfExists present", `{"NumericLessThanIfExists":{"s3:max-keys":10}}`, ctx("s3:max-keys", "100"), false},
		{"NumericNotEquals missing", `{"NumericNotEquals":{"s3:max-keys":10}}`, nil, true},
	})
}

func TestDateOperators(t *testing.T) {
	now := ctx("aws:CurrentTime", "2026-05-20T12:00:00Z")
	runCond(t, []condCase{
		{"DateLessThan", `{"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, now, true},
		{"DateLessThan past", `{"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, now, false},
		{"DateLessThan date only", `{"DateLessThan":{"aws:CurrentTime":"2026-05-21"}}`, now, true},
		{"DateGreaterThan", `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, now, true},
		{"DateGreaterThan same", `{"DateGreaterThan":{"aws:CurrentTime":"2026-05-20T12:00:00Z"}}`, now, false},
		{"DateGreaterThanEquals same", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2026-05-20T12:00:00Z"}}`, now, true},
		{"DateLessThanEquals same", `{"DateLessThanEquals":{"aws:CurrentTime":"2026-05-20T12:00:00Z"}}`, now, true},
		{"DateEquals other zone", `{"DateEquals":{"aws:CurrentTime":"2026-05-20T14:00:00+02:00"}}`, now, true},
		{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2026-05-20T12:00:01Z"}}`, now, true},
		{"DateNotEquals same", `{"DateNotEquals":{"aws:CurrentTime":"2026-05-20T12:00:00Z"}}`, now, false},
		{"Date epoch policy value", `{"DateGreaterThan":{"aws:CurrentTime":"1779278399"}}`, now, true},
		{"Date epoch context", `{"DateLessThan":{"aws:EpochTime":"2026-05-20T12:00:01Z"}}`, ctx("aws:EpochTime", "1779278400"), true},
		{"Date epoch context after", `{"DateLessThan":{"aws:EpochTime":"2026-05-20T12:00:00Z"}}`, ctx("aws:EpochTime", "1779278400"), false},
		{"Date fractional seconds", `{"DateLessThan":{"aws:CurrentTime":"2026-05-20T12:00:00.5Z"}}`, now, true},
		{"Date not a date", `{"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, ctx("aws:CurrentTime", "tomorrow"), false},
		{"Date missing", `{"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, nil, false},
		{"DateLessThanIfExists missing", `{"DateLessThanIfExists":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, nil, true},
		{"DateNotEquals missing", `{"DateNotEquals":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, nil, true},
	})
}

func TestBoolBinaryNull(t *testing.T) {
	runCond(t, []condCase{
		{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:SecureTransport", "true"), true},
		{"Bool JSON true", `{"Bool":{"aws:SecureTransport":true}}`, ctx("aws:SecureTransport", "TRUE"), true},
		{"Bool false vs true", `{"Bool":{"aws:SecureTransport":"false"}}`, ctx("aws:SecureTransport", "true"), false},
		{"Bool false", `{"Bool":{"aws:SecureTransport":false}}`, ctx("aws:SecureTransport", "false"), true},
		{"Bool missing", `{"Bool":{"aws:SecureTransport":"false"}}`, nil, false},
		{"BoolIfExists missing", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, nil, true},
		{"BoolIfExists present true", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, ctx("aws:MultiFactorAuthPresent", "true"), false},
		{"Bool not a bool", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:SecureTransport", "yes"), false},
		{"BinaryEquals", `{"BinaryEquals":{"s3:key":"QmluYXJ5VmFsdWU="}}`, ctx("s3:key", "QmluYXJ5VmFsdWU="), true},
		{"BinaryEquals differs", `{"BinaryEquals":{"s3:key":"QmluYXJ5VmFsdWU="}}`, ctx("s3:key", "T3RoZXI="), false},
		{"BinaryEquals not base64", `{"BinaryEquals":{"s3:key":"QmluYXJ5VmFsdWU="}}`, ctx("s3:key", "BinaryValue"), false},
		{"BinaryEqualsIfExists missing", `{"BinaryEqualsIfExists":{"s3:key":"QmluYXJ5VmFsdWU="}}`, nil, true},
		{"Null true, absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true},
		{"Null true, present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx("aws:TokenIssueTime", "2026-05-20T12:00:00Z"), false},
		{"Null false, present", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx("aws:TokenIssueTime", "2026-05-20T12:00:00Z"), true},
		{"Null false, absent", `{"Null":{"aws:TokenIssueTime":false}}`, nil, false},
		{"Null false, empty values", `{"Null":{"aws:TagKeys":"false"}}`, Context{"aws:tagkeys": {}}, false},
	})
}

func TestIPAddress(t *testing.T) {
	runCond(t, []condCase{
		{"IPv4 in CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "203.0.113.7"), true},
		{"IPv4 outside CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "203.0.114.7"), false},
		{"IPv4 single address", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ctx("aws:SourceIp", "203.0.113.7"), true},
		{"IPv4 /32", `{"IpAddress":{"aws:SourceIp":"203.0.113.7/32"}}`, ctx("aws:SourceIp", "203.0.113.8"), false},
		{"IPv4 unmasked CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.77/24"}}`, ctx("aws:SourceIp", "203.0.113.1"), true},
		{"IPv4 any of", `{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}`, ctx("aws:SourceIp", "10.1.2.3"), true},
		{"IPv6 in CIDR", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx("aws:SourceIp", "2001:db8:1234::1"), true},
		{"IPv6 outside CIDR", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx("aws:SourceIp", "2001:db9::1"), false},
		{"IPv6 vs IPv4 CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "2001:db8::1"), false},
		{"IPv4-mapped IPv6", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "::ffff:203.0.113.9"), true},
		{"not an address", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "example.com"), false},
		{"missing", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, false},
		{"NotIpAddress outside", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "198.51.100.1"), true},
		{"NotIpAddress inside", `{"NotIpAddress":{"aws:SourceIp":["198.51.100.0/24","203.0.113.0/24"]}}`, ctx("aws:SourceIp", "203.0.113.1"), false},
		{"NotIpAddress IPv6 outside", `{"NotIpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx("aws:SourceIp", "2001:db9::1"), true},
		{"NotIpAddress missing", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true},
		{"IpAddressIfExists missing", `{"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true},
		{"NotIpAddressIfExists present inside", `{"NotIpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "203.0.113.1"), false},
	})
}

func TestArnOperators(t *testing.T) {
	src := ctx("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:topic:sub")
	runCond(t, []condCase{
		{"ArnEquals exact", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic:sub"}}`, src, true},
		{"ArnEquals wildcards per part", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, src, true},
		{"ArnLike region wildcard", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-*-1:123456789012:topic:*"}}`, src, true},
		{"ArnLike question", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-?:123456789012:topic:sub"}}`, src, true},
		{"ArnLike wrong account", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:210987654321:*"}}`, src, false},
		// Each of the six parts is matched on its own: "*" in the region cannot swallow the account.
		{"ArnLike star stays in its part", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:topic:sub"}}`, src, false},
		{"ArnLike case-sensitive", `{"ArnLike":{"aws:SourceArn":"arn:aws:SNS:*:*:*"}}`, src, false},
		{"ArnLike not an ARN", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}`, ctx("aws:SourceArn", "topic"), false},
		{"ArnNotEquals", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:other"}}`, src, true},
		{"ArnNotLike matches", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:*:topic:*"}}`, src, false},
		{"ArnNotLike missing", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}`, nil, true},
		{"ArnLikeIfExists missing", `{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}`, nil, true},
		{"ArnLike with variable", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}`, ctx("aws:PrincipalArn", alexARN, "aws:username", "alex"), true},
		{"ArnLike with variable, other user", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}`, ctx("aws:PrincipalArn", bobARN, "aws:username", "alex"), false},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func TestSetQualifiers(t *testing.T) {
	tags := func(v ...string) Context { return Context{"aws:tagkeys": v} }
	runCond(t, []condCase{
		{"ForAllValues subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env"), true},
		{"ForAllValues all in set", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("team", "env"), true},
		{"ForAllValues one outside", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env", "cost"), false},
		// Surprising but documented: ForAllValues is true when the key is missing or empty.
		{"ForAllValues missing key is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, nil, true},
		{"ForAllValues empty set is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, tags(), true},
		{"ForAllValues StringLike", `{"ForAllValues:StringLike":{"aws:TagKeys":"Created*"}}`, tags("CreatedBy", "CreatedAt"), true},
		{"ForAllValues StringLike one outside", `{"ForAllValues:StringLike":{"aws:TagKeys":"Created*"}}`, tags("CreatedBy", "Owner"), false},
		{"ForAllValues negated: none in set", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret","internal"]}}`, tags("env", "team"), true},
		{"ForAllValues negated: one in set", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret","internal"]}}`, tags("env", "secret"), false},
		{"ForAllValues negated missing is true", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, nil, true},
		{"ForAnyValue one matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("cost", "team"), true},
		{"ForAnyValue none matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("cost", "owner"), false},
		{"ForAnyValue missing key is false", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, nil, false},
		{"ForAnyValue negated: some value outside", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, tags("env", "cost"), true},
		{"ForAnyValue negated: all inside", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env","cost"]}}`, tags("env", "cost"), false},
		{"ForAnyValue negated missing is false", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, nil, false},
		{"ForAnyValue IfExists missing", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}}`, nil, true},
		{"ForAnyValue IpAddress", `{"ForAnyValue:IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, Context{"aws:sourceip": {"192.0.2.1", "10.0.0.1"}}, true},
		{"ForAllValues NumericLessThan", `{"ForAllValues:NumericLessThan":{"ec2:Sizes":10}}`, Context{"ec2:sizes": {"1", "9"}}, true},
		{"ForAllValues NumericLessThan one over", `{"ForAllValues:NumericLessThan":{"ec2:Sizes":10}}`, Context{"ec2:sizes": {"1", "19"}}, false},
		// Without a qualifier, a multi-valued key matches when any value does; a negated
		// operator holds when no value does.
		{"no qualifier, multi-valued, any", `{"StringEquals":{"aws:TagKeys":"env"}}`, tags("cost", "env"), true},
		{"no qualifier negated, multi-valued, one matches", `{"StringNotEquals":{"aws:TagKeys":"env"}}`, tags("cost", "env"), false},
		{"no qualifier negated, multi-valued, none matches", `{"StringNotEquals":{"aws:TagKeys":"env"}}`, tags("cost", "team"), true},
	})
}

func TestPolicyVariables(t *testing.T) {
	runCond(t, []condCase{
		{"username", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx("s3:prefix", "home/alex/a", "aws:username", "alex"), true},
		{"username other", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx("s3:prefix", "home/bob/a", "aws:username", "alex"), false},
		{"userid", `{"StringEquals":{"s3:prefix":"${aws:userid}"}}`, ctx("s3:prefix", "AIDAEXAMPLE", "aws:userid", "AIDAEXAMPLE"), true},
		{"principal tag", `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, ctx("aws:ResourceTag/team", "blue", "aws:PrincipalTag/team", "blue"), true},
		{"principal tag differs", `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, ctx("aws:ResourceTag/team", "red", "aws:PrincipalTag/team", "blue"), false},
		{"missing variable: no match", `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, ctx("aws:ResourceTag/team", "blue"), false},
		{"missing variable, negated: statement does not apply", `{"StringNotEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, ctx("aws:ResourceTag/team", "blue"), false},
		{"default value", `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team, 'none'}"}}`, ctx("aws:ResourceTag/team", "none"), true},
		{"special star", `{"StringEquals":{"s3:prefix":"a${*}b"}}`, ctx("s3:prefix", "a*b"), true},
		{"special star is literal", `{"StringLike":{"s3:prefix":"a${*}b"}}`, ctx("s3:prefix", "axxb"), false},
		{"special question", `{"StringEquals":{"s3:prefix":"what${?}"}}`, ctx("s3:prefix", "what?"), true},
		{"special dollar", `{"StringEquals":{"s3:prefix":"${$}5"}}`, ctx("s3:prefix", "$5"), true},
		{"variable value with star is literal", `{"StringLike":{"s3:prefix":"${aws:username}"}}`, ctx("s3:prefix", "alex", "aws:username", "*"), false},
	})
	t.Run("no variables in 2008-10-17", func(t *testing.T) {
		cond := `{"StringEquals":{"s3:prefix":"${aws:username}"}}`
		if evalCondition(t, Version2008, cond, ctx("s3:prefix", "alex", "aws:username", "alex")) {
			t.Error("variable substituted in a 2008-10-17 policy")
		}
		if !evalCondition(t, Version2008, cond, ctx("s3:prefix", "${aws:username}")) {
			t.Error("literal ${aws:username} did not match in a 2008-10-17 policy")
		}
	})
}

func TestConditionValuesRoundTrip(t *testing.T) {
	p := MustParse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
		"Condition":{"NumericLessThan":{"s3:max-keys":[10, 2.5]},"Bool":{"aws:SecureTransport":true}}}}`, Identity)
	got := p.Statements[0].Condition
	if v := got["NumericLessThan"]["s3:max-keys"]; len(v) != 2 || v[0] != "10" || v[1] != "2.5" {
		t.Errorf("numbers kept as %q", v)
	}
	if v := got["Bool"]["aws:SecureTransport"]; len(v) != 1 || v[0] != "true" {
		t.Errorf("bool kept as %q", v)
	}
	b, _ := json.Marshal(p)
	if _, err := Parse(string(b), Identity); err != nil {
		t.Fatalf("reparse: %v\n%s", err, b)
	}
}

func TestContext(t *testing.T) {
	c := Context{"AWS:SourceIp": {"1.2.3.4"}}
	if v, ok := c.Get("aws:sourceip"); !ok || v[0] != "1.2.3.4" {
		t.Errorf("Get = %v, %v", v, ok)
	}
	c.Set("aws:SOURCEIP", "5.6.7.8")
	if len(c) != 1 {
		t.Errorf("Set kept the old key: %v", c)
	}
	if v, ok := c.Get("Aws:SourceIP"); !ok || v[0] != "5.6.7.8" {
		t.Errorf("Get after Set = %v, %v", v, ok)
	}
	if _, ok := c.Get("aws:username"); ok {
		t.Error("Get of a missing key reported ok")
	}
	var nilCtx Context
	if _, ok := nilCtx.Get("x"); ok {
		t.Error("Get on nil Context reported ok")
	}
}
