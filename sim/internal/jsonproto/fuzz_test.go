package jsonproto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	signinschemas "github.com/aws/aws-sdk-go-v2/service/signin/schemas"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/schemas"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// fuzzOps cover every kind of value: strings, enums, numbers, booleans, lists, maps of
// lists, nested structs, unions, timestamps and blobs.
var fuzzOps = []string{
	"PutParameter", "GetParametersByPath", "CreateCloudConnector", "UpdateOpsItem",
	"RegisterTaskWithMaintenanceWindow", "PutInventory", "StartAutomationExecution",
}

// FuzzDecode decodes each body as the input of several operations, of awsJson and restJson1.
// Decode must not panic; its errors must be SerializationExceptions; it must accept only valid
// JSON (encoding/json is the reference); and for awsJson, what it accepts must survive the
// SDK's own serializer: once written by the SDK and read back (which settles the protocol's
// precision: milliseconds, UTF-8), a value must read back the same again.
func FuzzDecode(f *testing.F) {
	p := New11(schemas.AmazonSSM, (*ssm.Client)(nil))
	sdk := awsjson.New11(schemas.AmazonSSM)
	rest := NewRest(things, (*thingsClient)(nil))
	signinREST := NewRest(signinschemas.Signin, (*signin.Client)(nil))
	efsREST := NewRestFromSerializers("efs", (*efs.Client)(nil))
	restCases := []struct {
		p              *Rest
		op, method, to string
	}{
		{signinREST, "CreateOAuth2Token", "POST", "/v1/token"},                                                 // a structure payload, @jsonName keys
		{rest, "PostBox", "POST", "/boxes"},                                                                    // a union payload
		{rest, "PutThing", "PUT", "/things/a/files/b?versioning"},                                              // body members beside bound ones
		{efsREST, "CreateAccessPoint", "POST", "/2015-02-01/access-points"},                                    // wire facts: nested structures, int64 lists
		{efsREST, "CreateFileSystem", "POST", "/2015-02-01/file-systems"},                                      // a double, booleans, enums
		{efsREST, "PutLifecycleConfiguration", "PUT", "/2015-02-01/file-systems/fs-1/lifecycle-configuration"}, // a label beside a list of structures
	}
	for _, seed := range []string{
		`{"Name":"/app/db","Value":"s3cr\u00e9t","Type":"SecureString","Overwrite":true,"Tags":[{"Key":"env","Value":"dev"}]}`,
		`{"Path":"/app","Recursive":true,"MaxResults":10,"ParameterFilters":[{"Key":"Type","Option":"Equals","Values":["String"]}]}`,
		`{"Name":"c","Configuration":{"AzureConfiguration":{"TenantId":"t","Targets":{"Subscriptions":["s"]}}}}`,
		`{"OpsItemId":"oi-1","PlannedStartTime":1515531081.123,"PlannedEndTime":1.515531081E9,"OperationalData":{"k":{"Type":"SearchableString","Value":"v"}}}`,
		`{"WindowId":"mw-1","TaskInvocationParameters":{"Lambda":{"Payload":"aGVsbG8=","Qualifier":"1"}}}`,
		`{"InstanceId":"i-1","Items":[{"TypeName":"Custom:X","Content":[{"a":"b"}],"Context":{"c":"d"}}]}`,
		`{"DocumentName":"d","Parameters":{"p":["a","b"]},"Targets":[{"Key":"k","Values":["v"]}]}`,
		`{"Name":null,"Unknown":{"x":[1,-2.5e-3,true,false,null,"\ud83d\ude00"]}}`,
		`{"tokenInput":{"clientId":"c","grantType":"authorization_code","code":"x"}}`,
		`{"clientId":"c","grantType":"refresh_token","refreshToken":"r"}`,
		`{"FileSystemId":"fs-1","PosixUser":{"Uid":1000,"Gid":1000,"SecondaryGids":[4,5]},"RootDirectory":{"Path":"/u","CreationInfo":{"OwnerUid":0,"OwnerGid":0,"Permissions":"0755"}}}`,
		`{"CreationToken":"t","ProvisionedThroughputInMibps":"Infinity","Encrypted":true,"Tags":[{"Key":"Name","Value":"n"}]}`,
		`{"LifecyclePolicies":[{"TransitionToIA":"AFTER_30_DAYS"},{"TransitionToPrimaryStorageClass":"AFTER_1_ACCESS"}]}`,
		`{"circle":1.5}`, `{"name":"n","circle":null}`, `{"note_text":"n","Stamp":1.5e9,"Inner":{"Label":"l"}}`,
		`{"Name":`, `[]`, ``, `{"Name":"a"} {}`, `null`, `"text"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range fuzzOps {
			o := p.ops[op]
			v1 := reflect.New(o.in.Elem())
			err := p.Decode(op, body, v1.Interface())
			if err != nil {
				var e *core.Error
				if !errors.As(err, &e) || e.Code != SerializationException || e.Status != 400 {
					t.Fatalf("%s: Decode error %v (%T), want a SerializationException", op, err, err)
				}
				continue
			}
			if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
				t.Fatalf("%s: Decode accepted invalid JSON %q", op, body)
			}
			v2 := sdkRoundTrip(t, sdk, p, op, v1)
			v3 := sdkRoundTrip(t, sdk, p, op, v2)
			if d := diff(v2.Elem(), v3.Elem(), "in"); d != "" {
				t.Fatalf("%s: not stable through the SDK's serializer: %s\nbody %q", op, d, body)
			}
		}
		for _, rc := range restCases {
			r := httptest.NewRequest(rc.method, "http://rest.test"+rc.to, nil)
			in := reflect.New(rc.p.ops[rc.op].in.Elem())
			err := rc.p.Decode(rc.op, r, body, in.Interface())
			if err != nil {
				var e *core.Error
				if !errors.As(err, &e) || e.Code != SerializationException || e.Status != 400 {
					t.Fatalf("%s: Decode error %v (%T), want a SerializationException", rc.op, err, err)
				}
				continue
			}
			if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
				t.Fatalf("%s: Decode accepted invalid JSON %q", rc.op, body)
			}
		}
	})
}

// sdkRoundTrip writes in with the SDK's serializer and decodes the result.
func sdkRoundTrip(t *testing.T, sdk *awsjson.Protocol, p *Protocol, op string, in reflect.Value) reflect.Value {
	t.Helper()
	top, err := topSchema(in.Type().Elem())
	if err != nil {
		t.Fatal(err)
	}
	s := smithy.NewOperationSchema(smithy.NewSchema(smithy.ShapeID{Namespace: top.ID().Namespace, Name: op}, smithy.ShapeTypeOperation, 0), top, nil)
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if err := sdk.SerializeRequest(context.Background(), s, in.Interface().(smithy.Serializable), req); err != nil {
		t.Fatalf("%s: the SDK cannot serialize the decoded input: %v", op, err)
	}
	var b []byte
	if r := req.GetStream(); r != nil {
		if b, err = io.ReadAll(r); err != nil {
			t.Fatal(err)
		}
	}
	out := reflect.New(in.Type().Elem())
	if err := p.Decode(op, b, out.Interface()); err != nil {
		t.Fatalf("%s: Decode of the SDK's own serialization: %v\n%s", op, err, b)
	}
	return out
}
