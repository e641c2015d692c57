package ssmsim_test

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

func TestPutParameterRefusals(t *testing.T) {
	deep := strings.Repeat("/l", 16)
	long := "/" + strings.Repeat("n", 1011)
	policy := `[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-12-02T21:34:33.000Z"}}]`
	str := func(name, value string) *ssm.PutParameterInput {
		return &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: types.ParameterTypeString}
	}
	with := func(in *ssm.PutParameterInput, f func(*ssm.PutParameterInput)) *ssm.PutParameterInput {
		f(in)
		return in
	}
	tests := []struct {
		name string
		in   *ssm.PutParameterInput
		code core.Code
		msg  string
	}{
		{"no name", &ssm.PutParameterInput{Value: aws.String("v"), Type: types.ParameterTypeString}, ssmsim.ValidationException, "Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"no value", &ssm.PutParameterInput{Name: aws.String("/a"), Type: types.ParameterTypeString}, ssmsim.ValidationException, "Value null at 'value'"},
		{"empty value", str("/a", ""), ssmsim.ValidationException, "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"value over 32 KB", str("/a", strings.Repeat("x", 32769)), ssmsim.ValidationException, "Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 32768"},
		{"two errors", &ssm.PutParameterInput{Type: "Text"}, ssmsim.ValidationException, "3 validation errors detected: Value null at 'name'"},
		{"bad type", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.Type = "Text" }), ssmsim.ValidationException, "Value 'Text' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]"},
		{"bad tier", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.Tier = "Premium" }), ssmsim.ValidationException, "at 'tier' failed to satisfy constraint"},
		{"no type", &ssm.PutParameterInput{Name: aws.String("/a"), Value: aws.String("v")}, ssmsim.ValidationException, "A parameter type is required when you create a parameter."},
		{"space inside", str("/my param", "v"), ssmsim.ValidationException, `Parameter name: can't be prefixed with "ssm" (case-insensitive). If formed as a path`},
		{"bad character", str("/a/b@c", "v"), ssmsim.ValidationException, "each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_"},
		{"path without slash", str("a/b", "v"), ssmsim.ValidationException, "If formed as a path"},
		{"empty level", str("/a//b", "v"), ssmsim.ValidationException, "If formed as a path"},
		{"trailing slash", str("/a/b/", "v"), ssmsim.ValidationException, "If formed as a path"},
		{"an ARN", str("arn:aws:ssm:us-east-1:123456789012:parameter/a", "v"), ssmsim.ValidationException, "If formed as a path"},
		{"16 levels", str(deep, "v"), ssmsim.HierarchyLevelLimitExceededException, "A hierarchy can have a maximum of 15 levels."},
		{"name over 2048", str("/"+strings.Repeat("n", 2048), "v"), ssmsim.ValidationException, "Member must have length less than or equal to 2048"},
		{"name over 1011 with the ARN", str(long, "v"), ssmsim.ValidationException, "at most 1011 characters"},
		{"aws prefix", str("awsconfig", "v"), ssmsim.ValidationException, `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`},
		{"SSM prefix", str("SSMthing", "v"), ssmsim.ValidationException, `can't be prefixed with "aws" or "ssm"`},
		{"ssm path", str("/ssm/x", "v"), ssmsim.ValidationException, `Parameter name: can't be prefixed with "ssm" (case-insensitive).`},
		{"aws path", str("/aws/service/mine", "v"), ssmsim.AccessDeniedException, "No access to reserved parameter name: aws/service/mine."},
		{"Aws path", str("/Awsome/x", "v"), ssmsim.AccessDeniedException, "No access to reserved parameter name: Awsome/x."},
		{"nested parameter", str("/a", "x{{ssm:/b}}y"), ssmsim.ValidationException, `Parameter value can't nest another parameter. Do not use "{{}}" in the value.`},
		{"nested over lines", str("/a", "x{{\nssm:/b\n}}"), ssmsim.ValidationException, "can't nest another parameter"},
		{"standard over 4 KB", str("/a", strings.Repeat("x", 4097)), ssmsim.ValidationException, "Standard tier parameters support a maximum parameter value of 4096 characters."},
		{"advanced over 8 KB", with(str("/a", strings.Repeat("x", 8193)), func(in *ssm.PutParameterInput) { in.Tier = types.ParameterTierAdvanced }), ssmsim.ValidationException, "8192"},
		{"KeyId on a String", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.KeyId = aws.String("alias/mine") }), ssmsim.ValidationException, "KeyId is required for SecureString type parameter only."},
		{"malformed KeyId", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Type, in.KeyId = types.ParameterTypeSecureString, aws.String("alias/my key")
		}), ssmsim.ValidationException, "at 'keyId' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"unknown data type", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.DataType = aws.String("Text") }), ssmsim.ValidationException, "The following data type is not supported: Text (Data type names are all lowercase.)"},
		{"newer data type", with(str("/a", "1"), func(in *ssm.PutParameterInput) { in.DataType = aws.String("integer") }), core.NotImplemented, "integer is not simulated"},
		{"image ID malformed", with(str("/ami", "ami-12"), func(in *ssm.PutParameterInput) { in.DataType = aws.String("aws:ec2:image") }), ssmsim.ValidationException, "not a valid image ID"},
		{"image ID upper case", with(str("/ami", "ami-0123456789ABCDEF0"), func(in *ssm.PutParameterInput) { in.DataType = aws.String("aws:ec2:image") }), ssmsim.ValidationException, "not a valid image ID"},
		{"image on a SecureString", with(str("/ami", "ami-0123456789abcdef0"), func(in *ssm.PutParameterInput) {
			in.DataType, in.Type = aws.String("aws:ec2:image"), types.ParameterTypeSecureString
		}), ssmsim.ValidationException, "String parameters only"},
		{"pattern mismatch", with(str("/a", "10,000"), func(in *ssm.PutParameterInput) { in.AllowedPattern = aws.String(`\d{1,4}`) }), ssmsim.ParameterPatternMismatchException, `Parameter value, cannot be validated against allowedPattern: \d{1,4}`},
		{"pattern matches part only", with(str("/a", "12345"), func(in *ssm.PutParameterInput) { in.AllowedPattern = aws.String(`\d{1,4}`) }), ssmsim.ParameterPatternMismatchException, "allowedPattern"},
		{"bad pattern", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.AllowedPattern = aws.String(`(`) }), ssmsim.InvalidAllowedPatternException, "regular expression"},
		{"tags with overwrite", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Overwrite, in.Tags = aws.Bool(true), []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}
		}), ssmsim.ValidationException, "Invalid request: tags and overwrite can't be used together."},
		{"bad tag key", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Tags = []types.Tag{{Key: aws.String("a*b"), Value: aws.String("v")}}
		}), ssmsim.ValidationException, "at 'tags.1.member.key' failed to satisfy constraint"},
		{"tag without value", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.Tags = []types.Tag{{Key: aws.String("k")}} }), ssmsim.ValidationException, "Value null at 'tags.1.member.value'"},
		{"policies on standard", with(str("/a", "v"), func(in *ssm.PutParameterInput) { in.Policies = aws.String(policy) }), ssmsim.ValidationException, "Standard tier parameters don't support parameter policies"},
		{"policies not JSON", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Policies, in.Tier = aws.String("expire"), types.ParameterTierAdvanced
		}), ssmsim.ValidationException, "Invalid policies input"},
		{"policy type", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Policies, in.Tier = aws.String(`[{"Type":"Rotate","Version":"1.0","Attributes":{}}]`), types.ParameterTierAdvanced
		}), ssmsim.InvalidPolicyTypeException, "Expiration, ExpirationNotification, and NoChangeNotification"},
		{"policy attribute", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Policies, in.Tier = aws.String(`[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"x","Unit":"Days"}}]`), types.ParameterTierAdvanced
		}), ssmsim.InvalidPolicyAttributeException, "After"},
		{"two expirations", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Policies, in.Tier = aws.String("["+policy[1:len(policy)-1]+","+policy[1:]), types.ParameterTierAdvanced
		}), ssmsim.IncompatiblePolicyException, "only one Expiration"},
		{"eleven policies", with(str("/a", "v"), func(in *ssm.PutParameterInput) {
			in.Policies, in.Tier = aws.String("["+strings.Repeat(policy[1:len(policy)-1]+",", 10)+policy[1:]), types.ParameterTierAdvanced
		}), ssmsim.PoliciesLimitExceededException, "at most 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			_, err := w.ssm.PutParameter(in(east), tt.in)
			wantError(t, err, tt.code, tt.msg)
			if g := w.store.Generation(); g != 0 {
				t.Errorf("a refused PutParameter moved the generation to %d", g)
			}
			d, err := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
			if err != nil || len(d.Parameters) != 0 {
				t.Errorf("after a refused PutParameter: %v, %v", metaNames(d.Parameters), err)
			}
		})
	}
}

func TestPutParameterVersions(t *testing.T) {
	w := newWorld(t)
	first := w.put(t, east, &ssm.PutParameterInput{
		Name: aws.String("/app/db/url"), Value: aws.String("postgres://a"), Type: types.ParameterTypeString,
		Description: aws.String("the database"), AllowedPattern: aws.String(`postgres://.*`),
	})
	if first.Version != 1 || first.Tier != types.ParameterTierStandard {
		t.Fatalf("first put = version %d tier %s, want 1 Standard", first.Version, first.Tier)
	}
	_, err := w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/app/db/url"), Value: aws.String("postgres://b"), Type: types.ParameterTypeString})
	wantError(t, err, ssmsim.ParameterAlreadyExists, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")

	w.clock.Advance(time.Hour)
	if v := w.overwrite(t, east, "/app/db/url", "postgres://b"); v != 2 {
		t.Fatalf("overwrite made version %d, want 2", v)
	}
	// The pattern is kept from version 1 and still applies.
	_, err = w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/app/db/url"), Value: aws.String("mysql://c"), Overwrite: aws.Bool(true)})
	wantError(t, err, ssmsim.ParameterPatternMismatchException, "postgres://.*")

	p := w.get(t, east, "/app/db/url", false)
	if aws.ToString(p.Value) != "postgres://b" || p.Version != 2 || p.Type != types.ParameterTypeString ||
		!p.LastModifiedDate.Equal(start.Add(time.Hour)) || aws.ToString(p.DataType) != "text" ||
		aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/url" || p.Selector != nil {
		t.Fatalf("GetParameter = %+v", p)
	}
	d, err := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
	if err != nil || len(d.Parameters) != 1 {
		t.Fatalf("DescribeParameters = %v, %v", d, err)
	}
	m := d.Parameters[0]
	if aws.ToString(m.Description) != "the database" || aws.ToString(m.AllowedPattern) != `postgres://.*` ||
		aws.ToString(m.LastModifiedUser) != rootARN || m.Version != 2 || m.KeyId != nil || m.Tier != types.ParameterTierStandard {
		t.Fatalf("DescribeParameters = %+v", m)
	}
	// Another region has its own parameters.
	if w.exists(t, "eu-west-1", "/app/db/url") {
		t.Fatal("the parameter of us-east-1 is in eu-west-1")
	}
	// A one-level name is the same parameter with or without its slash.
	w.putString(t, east, "/top", "1")
	_, err = w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("top"), Value: aws.String("2"), Type: types.ParameterTypeString})
	wantError(t, err, ssmsim.ParameterAlreadyExists, "")
	if p := w.get(t, east, "top", false); aws.ToString(p.Name) != "/top" || aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/top" {
		t.Fatalf("top = %+v", p)
	}
	// Spaces around a name are dropped.
	w.putString(t, east, "  /spaced  ", "v")
	if !w.exists(t, east, "/spaced") {
		t.Fatal("the name's spaces were kept")
	}
}

func TestPutParameterTypeChanges(t *testing.T) {
	w := newWorld(t)
	w.putString(t, east, "/t", "plain")
	// The type changes with Overwrite; a SecureString gets the default key.
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/t"), Value: aws.String("secret"), Type: types.ParameterTypeSecureString, Overwrite: aws.Bool(true)})
	d, _ := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
	if m := d.Parameters[0]; m.Type != types.ParameterTypeSecureString || aws.ToString(m.KeyId) != "alias/aws/ssm" {
		t.Fatalf("after the change: %+v", m)
	}
	// The type and key are kept when the request leaves them out.
	w.overwrite(t, east, "/t", "secret2")
	if p := w.get(t, east, "/t", true); p.Type != types.ParameterTypeSecureString || aws.ToString(p.Value) != "secret2" {
		t.Fatalf("kept type: %+v", p)
	}
	// The data type aws:ec2:image can't be taken on or dropped.
	_, err := w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/t"), Value: aws.String("ami-0123456789abcdef0"), Type: types.ParameterTypeString, DataType: aws.String("aws:ec2:image"), Overwrite: aws.Bool(true)})
	wantError(t, err, ssmsim.ValidationException, "can't be changed")
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/img"), Value: aws.String("ami-0123456789abcdef0"), Type: types.ParameterTypeString, DataType: aws.String("aws:ec2:image")})
	if p := w.get(t, east, "/img", false); aws.ToString(p.DataType) != "aws:ec2:image" {
		t.Fatalf("image parameter: %+v", p)
	}
	if v := w.overwrite(t, east, "/img", "ami-12345678"); v != 2 {
		t.Fatalf("overwrite of the image parameter: version %d", v)
	}
	_, err = w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/img"), Value: aws.String("x"), DataType: aws.String("text"), Overwrite: aws.Bool(true)})
	wantError(t, err, ssmsim.ValidationException, "can't be changed")
}

func TestSecureString(t *testing.T) {
	w := newWorld(t)
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/db/password"), Value: aws.String("hunter2"), Type: types.ParameterTypeSecureString})
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/db/other"), Value: aws.String("hunter2"), Type: types.ParameterTypeSecureString, KeyId: aws.String("alias/app")})

	clear := w.get(t, east, "/db/password", true)
	if aws.ToString(clear.Value) != "hunter2" {
		t.Fatalf("decrypted value = %q", aws.ToString(clear.Value))
	}
	hidden := aws.ToString(w.get(t, east, "/db/password", false).Value)
	blob, err := base64.StdEncoding.DecodeString(hidden)
	if err != nil || strings.Contains(hidden, "hunter2") || !strings.HasPrefix(hidden, "AQICAH") || len(blob) < 60 {
		t.Fatalf("ciphertext = %q (%v)", hidden, err)
	}
	if again := aws.ToString(w.get(t, east, "/db/password", false).Value); again != hidden {
		t.Fatalf("the ciphertext changed between reads: %q, %q", hidden, again)
	}
	if other := aws.ToString(w.get(t, east, "/db/other", false).Value); other == hidden {
		t.Fatal("two parameters with the same value have the same ciphertext")
	}
	// A second store with the same history shows the same ciphertext: it is reproducible.
	w2 := newWorld(t)
	w2.put(t, east, &ssm.PutParameterInput{Name: aws.String("/db/password"), Value: aws.String("hunter2"), Type: types.ParameterTypeSecureString})
	if aws.ToString(w2.get(t, east, "/db/password", false).Value) != hidden {
		t.Fatal("the ciphertext differs between runs")
	}
	w.overwrite(t, east, "/db/password", "hunter3")
	if aws.ToString(w.get(t, east, "/db/password", false).Value) == hidden {
		t.Fatal("a new value has the old ciphertext")
	}
	d, _ := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
	keys := map[string]string{}
	for _, m := range d.Parameters {
		keys[*m.Name] = aws.ToString(m.KeyId)
	}
	if keys["/db/password"] != "alias/aws/ssm" || keys["/db/other"] != "alias/app" {
		t.Fatalf("keys = %v", keys)
	}
	// WithDecryption is ignored for a String.
	w.putString(t, east, "/plain", "v")
	if aws.ToString(w.get(t, east, "/plain", false).Value) != "v" {
		t.Fatal("a String was hidden")
	}
}

func TestTiers(t *testing.T) {
	big := strings.Repeat("x", 5000)
	policy := aws.String(`[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"20","Unit":"Days"}}]`)
	tests := []struct {
		name     string
		tier     types.ParameterTier
		value    string
		policies *string
		want     types.ParameterTier
	}{
		{"default", "", "v", nil, types.ParameterTierStandard},
		{"standard", types.ParameterTierStandard, "v", nil, types.ParameterTierStandard},
		{"advanced", types.ParameterTierAdvanced, "v", nil, types.ParameterTierAdvanced},
		{"intelligent small", types.ParameterTierIntelligentTiering, "v", nil, types.ParameterTierStandard},
		{"intelligent large", types.ParameterTierIntelligentTiering, big, nil, types.ParameterTierAdvanced},
		{"intelligent with policies", types.ParameterTierIntelligentTiering, "v", policy, types.ParameterTierAdvanced},
		{"advanced with policies", types.ParameterTierAdvanced, "v", policy, types.ParameterTierAdvanced},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			out := w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String(tt.value), Type: types.ParameterTypeString, Tier: tt.tier, Policies: tt.policies})
			if out.Tier != tt.want {
				t.Fatalf("tier = %s, want %s", out.Tier, tt.want)
			}
			d, _ := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
			m := d.Parameters[0]
			if m.Tier != tt.want || (tt.policies != nil) != (len(m.Policies) == 1) {
				t.Fatalf("DescribeParameters = %+v", m)
			}
			if tt.policies != nil {
				pol := m.Policies[0]
				if aws.ToString(pol.PolicyType) != "NoChangeNotification" || aws.ToString(pol.PolicyStatus) != "Pending" ||
					aws.ToString(pol.PolicyText) != `{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"20","Unit":"Days"}}` {
					t.Fatalf("policy = %+v", pol)
				}
			}
		})
	}

	t.Run("no downgrade", func(t *testing.T) {
		w := newWorld(t)
		w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("v"), Type: types.ParameterTypeString, Tier: types.ParameterTierAdvanced})
		_, err := w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("w"), Tier: types.ParameterTierStandard, Overwrite: aws.Bool(true)})
		wantError(t, err, ssmsim.ValidationException, "You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.")
		// Without a tier, or with Intelligent-Tiering, it stays advanced.
		for _, tier := range []types.ParameterTier{"", types.ParameterTierIntelligentTiering} {
			out := w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("w"), Tier: tier, Overwrite: aws.Bool(true)})
			if out.Tier != types.ParameterTierAdvanced {
				t.Fatalf("tier %q made it %s", tier, out.Tier)
			}
		}
	})
	t.Run("policies kept and cleared", func(t *testing.T) {
		w := newWorld(t)
		w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("v"), Type: types.ParameterTypeString, Tier: types.ParameterTierAdvanced, Policies: policy})
		w.overwrite(t, east, "/p", "w")
		d, _ := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
		if len(d.Parameters[0].Policies) != 1 {
			t.Fatal("an overwrite without Policies dropped them")
		}
		w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("x"), Policies: aws.String("[]"), Overwrite: aws.Bool(true)})
		d, _ = w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
		if len(d.Parameters[0].Policies) != 0 {
			t.Fatal("an empty policy list kept the policies")
		}
	})
}

func TestStandardParameterLimit(t *testing.T) {
	w := newWorld(t)
	for i := range 10000 {
		w.putString(t, east, "/n/"+itoa(i), "v")
	}
	_, err := w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/one-more"), Value: aws.String("v"), Type: types.ParameterTypeString})
	wantError(t, err, ssmsim.ParameterLimitExceeded, "You have reached the maximum number of standard parameters for this AWS account and Region (10000).")
	// Intelligent-Tiering makes it advanced instead; an overwrite of a standard one is fine.
	out := w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/one-more"), Value: aws.String("v"), Type: types.ParameterTypeString, Tier: types.ParameterTierIntelligentTiering})
	if out.Tier != types.ParameterTierAdvanced {
		t.Fatalf("tier = %s, want Advanced", out.Tier)
	}
	w.overwrite(t, east, "/n/1", "w")
	// Another region has its own 10,000.
	w.putString(t, "eu-west-1", "/one-more", "v")
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestMaxVersions(t *testing.T) {
	w := newWorld(t)
	w.putString(t, east, "/v", "1")
	for i := 2; i <= 100; i++ {
		w.overwrite(t, east, "/v", itoa(i))
	}
	if v := w.overwrite(t, east, "/v", "101"); v != 101 {
		t.Fatalf("version %d, want 101", v)
	}
	_, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String("/v:1")})
	wantError(t, err, ssmsim.ParameterVersionNotFound, "Systems Manager could not find version 1 of /v. Verify the version and try again.")
	if p := w.get(t, east, "/v:2", false); aws.ToString(p.Value) != "2" {
		t.Fatalf("version 2 = %+v", p)
	}
	// The oldest version kept has a label: it can't be dropped.
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/v"), ParameterVersion: aws.Int64(2), Labels: []string{"keep"}}); err != nil {
		t.Fatal(err)
	}
	gen := w.store.Generation()
	_, err = w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String("/v"), Value: aws.String("102"), Overwrite: aws.Bool(true)})
	wantError(t, err, ssmsim.ParameterMaxVersionLimitExceeded, "You attempted to create a new version of /v by calling the PutParameter API with the overwrite flag. Version 2, the oldest version, can't be deleted because it has a label associated with it.")
	if w.store.Generation() != gen || w.get(t, east, "/v", false).Version != 101 {
		t.Fatal("the refused overwrite changed the parameter")
	}
	h, err := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/v"), MaxResults: aws.Int32(50)})
	if err != nil || len(h.Parameters) != 50 || h.Parameters[0].Version != 2 || h.NextToken == nil {
		t.Fatalf("history = %d versions from %d, token %v, %v", len(h.Parameters), h.Parameters[0].Version, h.NextToken, err)
	}
}
