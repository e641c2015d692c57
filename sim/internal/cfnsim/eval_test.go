package cfnsim

import (
	"strings"
	"testing"
)

// Each intrinsic function and condition, from YAML's short forms, with AWS's results and
// errors.
func TestIntrinsics(t *testing.T) {
	t.Parallel()
	tmpl := `Parameters:
  Env: {Type: String}
  Zones: {Type: CommaDelimitedList}
Mappings:
  Sizes:
    prod: {Type: m5.large}
    dev: {Type: t3.micro}
Conditions:
  Prod: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition Prod]
  Both: !And [!Condition Prod, !Equals [a, a]]
  Either: !Or [!Condition Prod, !Equals [a, a]]
Resources:
  Net:
    Type: AWS::EC2::VPC
`
	parsed, err := parseTemplate(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: parsed, region: "eu-west-1", account: "123456789012", stackName: "web", stackID: "arn:aws:cloudformation:eu-west-1:123456789012:stack/web/x",
		params: map[string]any{"Env": "dev", "Zones": []any{"a", "b", "c"}},
		res:    map[string]*resource{"Net": {Logical: "Net", Physical: "vpc-1", Ref: "vpc-1", Attrs: map[string]any{"CidrBlock": "10.0.0.0/16"}}},
		azs:    func(r string) ([]string, error) { return []string{r + "a", r + "b"}, nil },
		imports: func(n string) (string, error) {
			if n == "shared" {
				return "v", nil
			}
			return "", invalid("No export named %s found. Rollback requested by user.", n)
		}}
	if err := e.conditions(); err != nil {
		t.Fatal(err)
	}
	if e.conds["Prod"] || !e.conds["NotProd"] || e.conds["Both"] || !e.conds["Either"] {
		t.Errorf("conditions %v", e.conds)
	}
	for _, tc := range []struct{ expr, want, err string }{
		{`!Ref Env`, `"dev"`, ""},
		{`!Ref AWS::Region`, `"eu-west-1"`, ""},
		{`!Ref AWS::Partition`, `"aws"`, ""},
		{`!Ref AWS::URLSuffix`, `"amazonaws.com"`, ""},
		{`!Ref Net`, `"vpc-1"`, ""},
		{`!GetAtt Net.CidrBlock`, `"10.0.0.0/16"`, ""},
		{`!GetAtt [Net, CidrBlock]`, `"10.0.0.0/16"`, ""},
		{`!GetAtt Net.Nope`, "", "Template error: resource Net does not support attribute type Nope in Fn::GetAtt"},
		{`!Sub '${AWS::StackName}-${Env}-${Net.CidrBlock}-${!Literal}'`, `"web-dev-10.0.0.0/16-${Literal}"`, ""},
		{`!Sub ['${A}-${Env}', {A: !Ref Net}]`, `"vpc-1-dev"`, ""},
		{`!Join [':', [a, !Ref Env, c]]`, `"a:dev:c"`, ""},
		{`!Join ['', !Ref Zones]`, `"abc"`, ""},
		{`!Select [1, !Ref Zones]`, `"b"`, ""},
		{`!Select [5, !Ref Zones]`, "", "Template error: Fn::Select cannot select nonexistent value at index 5"},
		{`!Split [',', 'x,y']`, `["x","y"]`, ""},
		{`!GetAZs ''`, `["eu-west-1a","eu-west-1b"]`, ""},
		{`!Select [0, !GetAZs us-east-1]`, `"us-east-1a"`, ""},
		{`!FindInMap [Sizes, !Ref Env, Type]`, `"t3.micro"`, ""},
		{`!FindInMap [Sizes, test, Type]`, "", "Template error: Unable to get mapping for Sizes::test::Type"},
		{`!If [Prod, big, !Ref AWS::NoValue]`, `null`, ""},
		{`!If [NotProd, small, big]`, `"small"`, ""},
		{`!If [Nope, a, b]`, "", "Unresolved condition dependency Nope in Fn::If"},
		{`!Base64 hello`, `"aGVsbG8="`, ""},
		{`!Cidr [10.0.0.0/16, 3, 8]`, `["10.0.0.0/24","10.0.1.0/24","10.0.2.0/24"]`, ""},
		{`!Cidr [!GetAtt Net.CidrBlock, 2, 12]`, `["10.0.0.0/20","10.0.16.0/20"]`, ""},
		{`!ImportValue shared`, `"v"`, ""},
		{`!ImportValue other`, "", "No export named other found"},
		{`!Ref Missing`, "", "Unresolved resource dependencies [Missing]"},
		{`[a, !Ref AWS::NoValue, b]`, `["a","b"]`, ""},
	} {
		v, _, err := parseBody("X: " + tc.expr + "\n")
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		got, err := e.eval(map[string]any{"v": v["X"]})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want %q", tc.expr, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		out := "null"
		if x, ok := got.(map[string]any)["v"]; ok {
			out = describe(x)
		}
		if out != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, out, tc.want)
		}
	}
}
