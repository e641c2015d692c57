package params

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func param(t *testing.T, input reflect.Type, flag string) Param {
	t.Helper()
	for _, p := range Params(input) {
		if p.Flag == flag {
			return p
		}
	}
	t.Fatalf("%s has no --%s", input, flag)
	return Param{}
}

// set runs Set for each flag in turn on a new input of type T.
func set[T any](t *testing.T, o Options, flags ...[]string) (*T, error) {
	t.Helper()
	in := new(T)
	for _, f := range flags {
		if err := Set(in, param(t, reflect.TypeFor[T](), f[0]), f[1:], o); err != nil {
			return in, err
		}
	}
	return in, nil
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParams(t *testing.T) {
	ps := Params(reflect.TypeFor[*ec2.RunInstancesInput]())
	want := map[string]Param{
		"max-count":             {Flag: "max-count", Field: "MaxCount", Required: true, Kind: Scalar},
		"image-id":              {Flag: "image-id", Field: "ImageId", Kind: Scalar},
		"instance-type":         {Flag: "instance-type", Field: "InstanceType", Kind: Scalar},
		"tag-specifications":    {Flag: "tag-specifications", Field: "TagSpecifications", Kind: ListOfStructures},
		"security-group-ids":    {Flag: "security-group-ids", Field: "SecurityGroupIds", Kind: List},
		"dry-run":               {Flag: "dry-run", Field: "DryRun", Kind: Bool},
		"placement":             {Flag: "placement", Field: "Placement", Kind: Structure},
		"user-data":             {Flag: "user-data", Field: "UserData", Kind: Scalar},
		"ipv6-address-count":    {Flag: "ipv6-address-count", Field: "Ipv6AddressCount", Kind: Scalar},
		"enable-primary-ipv6":   {Flag: "enable-primary-ipv6", Field: "EnablePrimaryIpv6", Kind: Bool},
		"block-device-mappings": {Flag: "block-device-mappings", Field: "BlockDeviceMappings", Kind: ListOfStructures},
	}
	seen := 0
	for _, p := range ps {
		w, ok := want[p.Flag]
		if !ok {
			continue
		}
		seen++
		if p.Field != w.Field || p.Required != w.Required || p.Kind != w.Kind || p.Type == nil {
			t.Errorf("--%s: got %+v, want %+v", p.Flag, p, w)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d parameters", seen, len(want))
	}
	if ps[0].Field != "MaxCount" || ps[1].Field != "MinCount" {
		t.Errorf("required members first: got %s, %s", ps[0].Field, ps[1].Field)
	}
	for _, tt := range []struct {
		t    reflect.Type
		kind Kind
	}{
		{reflect.TypeFor[*time.Time](), Timestamp},
		{reflect.TypeFor[[]byte](), Blob},
		{reflect.TypeFor[map[string]string](), Map},
		{reflect.TypeFor[[][]string](), Complex},
		{reflect.TypeFor[[]ec2types.InstanceType](), List},
		{reflect.TypeFor[ec2types.InstanceType](), Scalar},
	} {
		if got := KindOf(tt.t); got != tt.kind {
			t.Errorf("KindOf(%s) = %s, want %s", tt.t, got, tt.kind)
		}
	}
	if got := Params(reflect.TypeFor[s3.PutObjectInput]()); param(t, reflect.TypeFor[s3.PutObjectInput](), "body").Kind != Stream || len(got) == 0 {
		t.Error("s3 PutObject --body is not a Stream")
	}
}

func TestXformName(t *testing.T) {
	for in, want := range map[string]string{
		"InstanceIds": "instance-ids", "DryRun": "dry-run", "GatewayARNs": "gateway-arns", "SSEKMSKeyId": "ssekms-key-id",
		"Ipv6CidrBlock": "ipv6-cidr-block", "ACL": "acl", "GrantReadACP": "grant-read-acp", "CNAMEs": "-cnames", "ListWebACLs": "list-web-acls",
		"DBInstanceIdentifier": "db-instance-identifier", "MaxResults": "max-results", "SAMLAssertion": "saml-assertion",
		"a-b": "a-b", "ChecksumCRC64NVME": "checksum-crc64-nvme",
	} {
		if got := XformName(in); got != want {
			t.Errorf("XformName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSetNotesExamples(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T) (any, error)
		want string
	}{
		{"filters", func(t *testing.T) (any, error) {
			return set[ec2.DescribeInstancesInput](t, Options{},
				[]string{"filters", "Name=instance-type,Values=t2.micro,t2.small", "Name=tag:Name,Values=web"},
				[]string{"instance-ids", "i-1", "i-2"}, []string{"max-results", "5"}, []string{"dry-run"})
		}, `{"DryRun":true,"Filters":[{"Name":"instance-type","Values":["t2.micro","t2.small"]},{"Name":"tag:Name","Values":["web"]}],"IncludeManagedResources":null,"InstanceIds":["i-1","i-2"],"MaxResults":5,"NextToken":null}`},
		{"filters in JSON", func(t *testing.T) (any, error) {
			return set[ec2.DescribeInstancesInput](t, Options{},
				[]string{"filters", `[{"Name":"instance-type","Values":["t2.micro"]}]`}, []string{"dry-run", "false"})
		}, `{"DryRun":false,"Filters":[{"Name":"instance-type","Values":["t2.micro"]}],"IncludeManagedResources":null,"InstanceIds":null,"MaxResults":null,"NextToken":null}`},
		{"filters as JSON words", func(t *testing.T) (any, error) {
			return set[ec2.DescribeInstancesInput](t, Options{},
				[]string{"filters", `{"Name":"a","Values":["b"]}`, ` {"Name":"c","Values":[]}`})
		}, `{"DryRun":null,"Filters":[{"Name":"a","Values":["b"]},{"Name":"c","Values":[]}],"IncludeManagedResources":null,"InstanceIds":null,"MaxResults":null,"NextToken":null}`},
		{"instance ids as a JSON list", func(t *testing.T) (any, error) {
			return set[ec2.DescribeInstancesInput](t, Options{}, []string{"instance-ids", `["i-1","i-2"]`})
		}, `{"DryRun":null,"Filters":null,"IncludeManagedResources":null,"InstanceIds":["i-1","i-2"],"MaxResults":null,"NextToken":null}`},
		{"no instance ids", func(t *testing.T) (any, error) {
			return set[ec2.DescribeInstancesInput](t, Options{}, []string{"instance-ids"})
		}, `{"DryRun":null,"Filters":null,"IncludeManagedResources":null,"InstanceIds":[],"MaxResults":null,"NextToken":null}`},
		{"tag specifications", func(t *testing.T) (any, error) {
			in, err := set[ec2.RunInstancesInput](t, Options{},
				[]string{"tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=env,Value='a b'}]"},
				[]string{"max-count", "1"}, []string{"instance-type", "t2.micro"}, []string{"placement", "AvailabilityZone=us-east-1a,Tenancy=default"})
			return struct{ A, B, C, D any }{in.TagSpecifications, in.MaxCount, in.InstanceType, in.Placement}, err
		}, `{"A":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"web"},{"Key":"env","Value":"a b"}]}],"B":1,"C":"t2.micro","D":{"Affinity":null,"AvailabilityZone":"us-east-1a","AvailabilityZoneId":null,"GroupId":null,"GroupName":null,"HostId":null,"HostResourceGroupArn":null,"PartitionNumber":null,"SpreadDomain":null,"Tenancy":"default"}}`},
		{"ip permissions", func(t *testing.T) (any, error) {
			in, err := set[ec2.AuthorizeSecurityGroupIngressInput](t, Options{},
				[]string{"ip-permissions", "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]",
					"IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=10.0.0.0/8,Description=\"office, main\"}]"})
			return in.IpPermissions, err
		}, `[{"FromPort":22,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"0.0.0.0/0","Description":null}],"Ipv6Ranges":null,"PrefixListIds":null,"ToPort":22,"UserIdGroupPairs":null},{"FromPort":80,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"10.0.0.0/8","Description":"office, main"}],"Ipv6Ranges":null,"PrefixListIds":null,"ToPort":80,"UserIdGroupPairs":null}]`},
		{"tags as Key=,Value= words", func(t *testing.T) (any, error) {
			in, err := set[iam.CreateUserInput](t, Options{}, []string{"user-name", "alex"}, []string{"tags", "Key=a,Value=b", "Key=c,Value=d"})
			return []any{in.UserName, in.Tags}, err
		}, `["alex",[{"Key":"a","Value":"b"},{"Key":"c","Value":"d"}]]`},
		{"structure with only Value", func(t *testing.T) (any, error) {
			in, err := set[ec2.ModifyInstanceAttributeInput](t, Options{},
				[]string{"instance-initiated-shutdown-behavior", "terminate"}, []string{"source-dest-check", "Value=false"})
			return []any{in.InstanceInitiatedShutdownBehavior, in.SourceDestCheck}, err
		}, `[{"Value":"terminate"},{"Value":false}]`},
		{"timestamp", func(t *testing.T) (any, error) {
			in, err := set[ec2.DescribeSpotPriceHistoryInput](t, Options{},
				[]string{"start-time", "2024-05-01T10:00:00Z"}, []string{"end-time", "1714564800"})
			return []any{in.StartTime, in.EndTime}, err
		}, `["2024-05-01T10:00:00Z","2024-05-01T12:00:00Z"]`},
		{"blob in base64", func(t *testing.T) (any, error) {
			in, err := set[ec2.ImportKeyPairInput](t, Options{}, []string{"public-key-material", "c3NoLXJzYSBBQUFB"})
			return string(in.PublicKeyMaterial), err
		}, `"ssh-rsa AAAA"`},
		{"blob raw", func(t *testing.T) (any, error) {
			in, err := set[ec2.ImportKeyPairInput](t, Options{RawBlobs: true}, []string{"public-key-material", "ssh-rsa AAAA"})
			return string(in.PublicKeyMaterial), err
		}, `"ssh-rsa AAAA"`},
		{"map", func(t *testing.T) (any, error) {
			in, err := set[s3.PutObjectInput](t, Options{}, []string{"metadata", "a=1,b=x y"})
			return in.Metadata, err
		}, `{"a":"1","b":"x y"}`},
		{"map in JSON", func(t *testing.T) (any, error) {
			in, err := set[s3.PutObjectInput](t, Options{}, []string{"metadata", `{"a":"1"}`})
			return in.Metadata, err
		}, `{"a":"1"}`},
		{"negative and padded integers", func(t *testing.T) (any, error) {
			in, err := set[ec2.AuthorizeSecurityGroupIngressInput](t, Options{}, []string{"from-port", "-1"}, []string{"to-port", " 0_22 "})
			return []any{in.FromPort, in.ToPort}, err
		}, `[-1,22]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run(t)
			if err != nil {
				t.Fatal(err)
			}
			if s := jsonOf(t, got); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
		})
	}
}

func TestSetFiles(t *testing.T) {
	dir := t.TempDir()
	policy := `{"Version":"2012-10-17","Statement":[]}`
	must(t, os.WriteFile(filepath.Join(dir, "policy.json"), []byte(policy), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "key.pub"), []byte("ssh-ed25519 AAAA\xff"), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "filters.json"), []byte(`[{"Name":"a","Values":["b"]}]`), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "tag.txt"), []byte(`Key=k,Value=v`), 0o600))
	o := Options{Dir: dir}

	in, err := set[iam.CreatePolicyInput](t, o, []string{"policy-name", "p"}, []string{"policy-document", "file://policy.json"})
	if err != nil || aws.ToString(in.PolicyDocument) != policy {
		t.Errorf("file://policy.json: %q, %v", aws.ToString(in.PolicyDocument), err)
	}
	in2, err := set[ec2.ImportKeyPairInput](t, o, []string{"public-key-material", "fileb://" + filepath.Join(dir, "key.pub")})
	if err != nil || string(in2.PublicKeyMaterial) != "ssh-ed25519 AAAA\xff" {
		t.Errorf("fileb://: %q, %v", in2.PublicKeyMaterial, err)
	}
	in3, err := set[ec2.DescribeInstancesInput](t, o, []string{"filters", "file://filters.json"})
	if err != nil || jsonOf(t, in3.Filters) != `[{"Name":"a","Values":["b"]}]` {
		t.Errorf("file://filters.json: %s, %v", jsonOf(t, in3.Filters), err)
	}
	in4, err := set[iam.TagUserInput](t, o, []string{"tags", "file://tag.txt"})
	if err != nil || jsonOf(t, in4.Tags) != `[{"Key":"k","Value":"v"}]` {
		t.Errorf("file://tag.txt: %s, %v", jsonOf(t, in4.Tags), err)
	}
	var read []string
	o.ReadFile = func(p string) ([]byte, error) { read = append(read, p); return []byte("from hook"), nil }
	in5, err := set[iam.CreatePolicyInput](t, o, []string{"policy-document", "file://x.json"})
	if err != nil || aws.ToString(in5.PolicyDocument) != "from hook" || len(read) != 1 || read[0] != filepath.Join(dir, "x.json") {
		t.Errorf("ReadFile hook: %q, %v, read %q", aws.ToString(in5.PolicyDocument), err, read)
	}
	in6, err := set[s3.PutObjectInput](t, Options{Dir: dir}, []string{"body", "policy.json"})
	if err != nil || in6.Body == nil {
		t.Errorf("--body policy.json: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSetErrors(t *testing.T) {
	di := reflect.TypeFor[ec2.DescribeInstancesInput]()
	tests := []struct {
		name  string
		input reflect.Type
		flag  string
		words []string
		want  string
		code  int
	}{
		{"shorthand syntax", di, "filters", []string{"Name"},
			"Error parsing parameter '--filters': Expected: '=', received: 'EOF' for input:\nName\n    ^", 252},
		{"unknown key", di, "filters", []string{"Foo=bar"},
			"Parameter validation failed:\nUnknown parameter in Filters[0]: \"Foo\", must be one of: Name, Values", 252},
		{"unknown key in second word", di, "filters", []string{"Name=a", "Name=b,Values=c,d=e"},
			"Parameter validation failed:\nUnknown parameter in Filters[1]: \"d\", must be one of: Name, Values", 252},
		{"list where a string goes", di, "filters", []string{"Name=a,b"},
			"Parameter validation failed:\nInvalid type for parameter Filters[0].Name, value: ['a', 'b'], type: <class 'list'>, valid types: <class 'str'>", 252},
		{"JSON number where a string goes", di, "filters", []string{`{"Name":1}`},
			"Parameter validation failed:\nInvalid type for parameter Filters[0].Name, value: 1, type: <class 'int'>, valid types: <class 'str'>", 252},
		{"JSON list of numbers", di, "filters", []string{`[1]`},
			"Parameter validation failed:\nInvalid type for parameter Filters[0], value: 1, type: <class 'int'>, valid types: <class 'dict'>", 252},
		{"JSON and shorthand words", di, "filters", []string{`{"Name":"a"}`, "Name=b"},
			"Error parsing parameter '--filters': Invalid JSON:\nName=b", 252},
		{"bad JSON", di, "filters", []string{`{bad`}, "Error parsing parameter '--filters': Invalid JSON: ", 252},
		{"not an integer", di, "max-results", []string{"abc"}, "invalid literal for int() with base 10: 'abc'", 255},
		{"a float for an integer", di, "max-results", []string{"1.5"}, "invalid literal for int() with base 10: '1.5'", 255},
		{"integer out of range", di, "max-results", []string{"2147483648"},
			"Parameter validation failed:\nInvalid value for parameter MaxResults, value: 2147483648, valid range: -2147483648-2147483647", 252},
		{"integer below range", di, "max-results", []string{"-2147483649"},
			"Parameter validation failed:\nInvalid value for parameter MaxResults, value: -2147483649, valid range: -2147483648-2147483647", 252},
		{"missing word", di, "max-results", nil, "argument --max-results: expected one argument", 252},
		{"extra words", di, "next-token", []string{"a", "b", "c"}, "Unknown options: b, c", 252},
		{"value for a boolean", di, "dry-run", []string{"yes"}, "Unknown options: yes", 252},
		{"missing file", reflect.TypeFor[iam.CreatePolicyInput](), "policy-document", []string{"file://nope.json"},
			"Error parsing parameter '--policy-document': Unable to load paramfile file://nope.json: [Errno 2] No such file or directory: 'nope.json'", 252},
		{"bad base64", reflect.TypeFor[ec2.ImportKeyPairInput](), "public-key-material", []string{"abc"}, `Invalid base64: "abc"`, 255},
		{"bad timestamp", reflect.TypeFor[ec2.DescribeSpotPriceHistoryInput](), "start-time", []string{"yesterday"},
			"Parameter validation failed:\nInvalid type for parameter StartTime, value: yesterday, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string", 252},
		{"missing nested required", reflect.TypeFor[iam.CreateUserInput](), "tags", []string{"Key=a"},
			"Parameter validation failed:\nMissing required parameter in Tags[0]: \"Value\"", 252},
		{"boolean not true or false", reflect.TypeFor[ec2.ModifyInstanceAttributeInput](), "source-dest-check", []string{"Value=yes"},
			"Parameter validation failed:\nInvalid type for parameter SourceDestCheck.Value, value: yes, type: <class 'str'>, valid types: <class 'bool'>", 252},
		{"JSON list for a structure", reflect.TypeFor[ec2.RunInstancesInput](), "placement", []string{"[1]"},
			"Error parsing parameter '--placement': Invalid JSON:\n[1]", 252},
		{"integer in a structure", reflect.TypeFor[ec2.AuthorizeSecurityGroupIngressInput](), "ip-permissions", []string{"FromPort=x"},
			"invalid literal for int() with base 10: 'x'", 255},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := reflect.New(tt.input).Interface()
			err := Set(in, param(t, tt.input, tt.flag), tt.words, Options{Dir: t.TempDir()})
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("Set(--%s %q) = %v, want a *UsageError", tt.flag, tt.words, err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) || (!strings.HasSuffix(tt.want, ": ") && err.Error() != tt.want) {
				t.Errorf("Set(--%s %q) error:\n%s\nwant:\n%s", tt.flag, tt.words, err, tt.want)
			}
			if ue.Param != tt.flag || ue.ExitCode() != tt.code {
				t.Errorf("Param %q, exit code %d; want %q, %d", ue.Param, ue.ExitCode(), tt.flag, tt.code)
			}
		})
	}
}

func TestFromJSON(t *testing.T) {
	in := &iam.CreateUserInput{Path: aws.String("/keep/")}
	err := FromJSON(in, []byte(`{"UserName":"alex","Tags":[{"Key":"a","Value":"b"}],"PermissionsBoundary":"arn:x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, in); got != `{"UserName":"alex","Path":"/keep/","PermissionsBoundary":"arn:x","Tags":[{"Key":"a","Value":"b"}]}` {
		t.Errorf("FromJSON: %s", got)
	}
	for _, tt := range []struct{ json, want string }{
		{`{bad`, "Error parsing parameter 'cli-input-json': Invalid JSON received."},
		{`[1]`, "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>"},
		{`{"Foo":1,"UserName":2}`, "Parameter validation failed:\nUnknown parameter in input: \"Foo\", must be one of: UserName, Path, PermissionsBoundary, Tags\n" +
			"Invalid type for parameter UserName, value: 2, type: <class 'int'>, valid types: <class 'str'>"},
		{`{"Tags":[{"Key":"a"}]}`, "Parameter validation failed:\nMissing required parameter in Tags[0]: \"Value\""},
		{`{"Tags":{"Key":"a"}}`, "Parameter validation failed:\nInvalid type for parameter Tags, value: OrderedDict([('Key', 'a')]), type: <class 'collections.OrderedDict'>, valid types: <class 'list'>, <class 'tuple'>"},
	} {
		err := FromJSON(&iam.CreateUserInput{}, []byte(tt.json))
		if err == nil || err.Error() != tt.want {
			t.Errorf("FromJSON(%s) = %v, want:\n%s", tt.json, err, tt.want)
		}
	}
	if err := Validate(&iam.CreateUserInput{}); err == nil || err.Error() != "Parameter validation failed:\nMissing required parameter in input: \"UserName\"" {
		t.Errorf("Validate: %v", err)
	}
	if err := Validate(&iam.CreateUserInput{UserName: aws.String("a")}); err != nil {
		t.Errorf("Validate: %v", err)
	}
	var tags iamtypes.Tag
	if err := FromJSON(&tags, []byte(`{"Key":"k"}`)); err != nil {
		t.Errorf("FromJSON of a partial structure: %v", err)
	}
}

func TestSkeleton(t *testing.T) {
	got := Skeleton(reflect.TypeFor[ec2.DescribeInstancesInput]())
	want := `{
    "DryRun": true,
    "Filters": [
        {
            "Name": "",
            "Values": [
                ""
            ]
        }
    ],
    "IncludeManagedResources": true,
    "InstanceIds": [
        ""
    ],
    "MaxResults": 0,
    "NextToken": ""
}
`
	if string(got) != want {
		t.Errorf("Skeleton:\n%s\nwant:\n%s", got, want)
	}
	// The skeleton is valid input.
	for _, typ := range []reflect.Type{reflect.TypeFor[ec2.RunInstancesInput](), reflect.TypeFor[s3.PutObjectInput](), reflect.TypeFor[iam.CreateUserInput]()} {
		sk := Skeleton(typ)
		var v any
		if err := json.Unmarshal(sk, &v); err != nil {
			t.Fatalf("Skeleton(%s) is not JSON: %v\n%s", typ, err, sk)
		}
	}
}

// TestSkeletonMatchesAWSCLI compares skeletons, as data, with the AWS CLI v2's.
func TestSkeletonMatchesAWSCLI(t *testing.T) {
	aws2 := "/usr/bin/aws"
	if out, err := exec.Command(aws2, "--version").Output(); err != nil || !strings.HasPrefix(string(out), "aws-cli/2") {
		t.Skip("the AWS CLI v2 is not at /usr/bin/aws")
	}
	for _, tt := range []struct {
		cmd   []string
		input reflect.Type
	}{
		{[]string{"iam", "create-user"}, reflect.TypeFor[iam.CreateUserInput]()},
		{[]string{"ec2", "describe-instances"}, reflect.TypeFor[ec2.DescribeInstancesInput]()},
		{[]string{"ec2", "authorize-security-group-ingress"}, reflect.TypeFor[ec2.AuthorizeSecurityGroupIngressInput]()},
		{[]string{"ec2", "describe-spot-price-history"}, reflect.TypeFor[ec2.DescribeSpotPriceHistoryInput]()},
	} {
		out, err := exec.Command(aws2, append(tt.cmd, "--generate-cli-skeleton")...).Output()
		if err != nil {
			t.Fatalf("aws %s: %v", tt.cmd, err)
		}
		var want, got any
		must(t, json.Unmarshal(out, &want))
		must(t, json.Unmarshal(Skeleton(tt.input), &got))
		// Members newer than the installed CLI's model are not compared.
		pruneTo(got, want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Skeleton for %s:\n%s\nAWS CLI:\n%s", tt.cmd, Skeleton(tt.input), out)
		}
	}
}

func pruneTo(got, want any) {
	switch g := got.(type) {
	case map[string]any:
		w, _ := want.(map[string]any)
		for k := range g {
			if _, ok := w[k]; !ok {
				delete(g, k)
			} else {
				pruneTo(g[k], w[k])
			}
		}
	case []any:
		w, _ := want.([]any)
		for i := range g {
			if i < len(w) {
				pruneTo(g[i], w[i])
			}
		}
	}
}
