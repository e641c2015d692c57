package jsonproto_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/schemas"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/jsonproto"
)

var ssmProto = jsonproto.New11(schemas.AmazonSSM, (*ssm.Client)(nil))

// answer is an SDK HTTP client that answers every request with one canned response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a *answer) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: a.header, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

func ssmClient(c ssm.HTTPClient) *ssm.Client {
	return ssm.New(ssm.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		BaseEndpoint: aws.String("http://ssm.test"),
		HTTPClient:   c,
		Retryer:      aws.NopRetryer{},
	})
}

// TestErrorRoundTrip feeds EncodeError's document to the real SSM client and checks the error
// it returns: the code, the message, and the modeled type for errors.As.
func TestErrorRoundTrip(t *testing.T) {
	tests := []struct {
		name       string
		code       core.Code
		message    string
		status     int
		noHeader   bool // only the body's __type names the code, as botocore reads it
		typed      func(error) bool
		wantFault  smithy.ErrorFault
		wantString string
	}{
		{name: "modeled", code: "ParameterNotFound", message: "Parameter /app/db not found.", status: 400,
			typed: func(err error) bool { var e *types.ParameterNotFound; return errors.As(err, &e) }, wantFault: smithy.FaultClient},
		{name: "no message", code: "ParameterNotFound", status: 400,
			typed: func(err error) bool { var e *types.ParameterNotFound; return errors.As(err, &e) }, wantFault: smithy.FaultClient},
		{name: "body only", code: "ParameterNotFound", message: "gone", status: 400, noHeader: true,
			typed: func(err error) bool { var e *types.ParameterNotFound; return errors.As(err, &e) }, wantFault: smithy.FaultClient},
		{name: "server fault", code: "InternalServerError", message: "boom", status: 500,
			typed: func(err error) bool { var e *types.InternalServerError; return errors.As(err, &e) }, wantFault: smithy.FaultServer},
		{name: "protocol code", code: jsonproto.SerializationException, message: "Cannot read the request body", status: 400,
			typed: func(err error) bool { var e *smithy.GenericAPIError; return errors.As(err, &e) }, wantFault: smithy.FaultUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			ssmProto.SetErrorHeaders(h, tt.code)
			if tt.noHeader {
				h.Del("X-Amzn-ErrorType")
			}
			if got := h.Get("Content-Type"); got != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type %q", got)
			}
			body := ssmProto.EncodeError(tt.code, tt.message)
			client := ssmClient(&answer{status: tt.status, header: h, body: body})
			_, err := client.GetParameter(context.Background(), &ssm.GetParameterInput{Name: aws.String("/app/db")})
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v (%T) is no smithy.APIError; body %s", err, err, body)
			}
			if ae.ErrorCode() != string(tt.code) || ae.ErrorMessage() != tt.message || ae.ErrorFault() != tt.wantFault {
				t.Errorf("got code %q message %q fault %v, want %q %q %v; body %s", ae.ErrorCode(), ae.ErrorMessage(), ae.ErrorFault(), tt.code, tt.message, tt.wantFault, body)
			}
			if !tt.typed(err) {
				t.Errorf("errors.As found no %s in %T", tt.name, err)
			}
		})
	}
}

func TestEncodeErrorDocument(t *testing.T) {
	tests := []struct {
		code    core.Code
		message string
		want    string
	}{
		{"ParameterNotFound", "", `{"__type":"ParameterNotFound"}`},
		{"ValidationException", `bad "name"`, `{"__type":"ValidationException","message":"bad \"name\""}`},
	}
	for _, tt := range tests {
		if got := string(ssmProto.EncodeError(tt.code, tt.message)); got != tt.want {
			t.Errorf("EncodeError(%q, %q) = %s, want %s", tt.code, tt.message, got, tt.want)
		}
	}
}

func TestContentType(t *testing.T) {
	if got := ssmProto.ContentType(); got != "application/x-amz-json-1.1" {
		t.Errorf("New11: %q", got)
	}
	p10 := jsonproto.New10(schemas.AmazonSSM, (*ssm.Client)(nil))
	if got := p10.ContentType(); got != "application/x-amz-json-1.0" {
		t.Errorf("New10: %q", got)
	}
	h := http.Header{}
	p10.SetErrorHeaders(h, "ParameterNotFound")
	if h.Get("Content-Type") != "application/x-amz-json-1.0" || h.Get("X-Amzn-ErrorType") != "ParameterNotFound" {
		t.Errorf("error headers %v", h)
	}
	if !ssmProto.HasOperation("GetParametersByPath") || ssmProto.HasOperation("GetParametersByPaths") {
		t.Error("HasOperation")
	}
}

func TestOperation(t *testing.T) {
	tests := []struct {
		name, target, want string
		code               core.Code
	}{
		{"ok", "AmazonSSM.PutParameter", "PutParameter", ""},
		{"missing", "", "", jsonproto.UnknownOperationException},
		{"unknown operation", "AmazonSSM.PutParameters", "", jsonproto.UnknownOperationException},
		{"other service", "DynamoDB_20120810.PutParameter", "", jsonproto.UnknownOperationException},
		{"no dot", "AmazonSSMPutParameter", "", jsonproto.UnknownOperationException},
		{"case", "AmazonSSM.putParameter", "", jsonproto.UnknownOperationException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodPost, "http://ssm.test/", nil)
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}
			op, err := ssmProto.Operation(r)
			if tt.code == "" {
				if err != nil || op != tt.want {
					t.Errorf("Operation = %q, %v; want %q", op, err, tt.want)
				}
				return
			}
			var e *core.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Status != http.StatusBadRequest {
				t.Fatalf("Operation = %q, %v; want %s (400)", op, err, tt.code)
			}
			if tt.target != "" && !strings.Contains(e.Message, tt.target) {
				t.Errorf("message %q does not quote the target", e.Message)
			}
		})
	}
}

// TestDecodeErrors: a body that is not JSON, or a value of the wrong type, is a
// SerializationException whose message says where.
func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, op, body string
		in             any
		where          string // in the message
	}{
		{"not JSON", "GetParameter", `{"Name":`, &ssm.GetParameterInput{}, "end of input"},
		{"not an object", "GetParameter", `["Name"]`, &ssm.GetParameterInput{}, "not a JSON object"},
		{"trailing", "GetParameter", `{"Name":"a"} x`, &ssm.GetParameterInput{}, "after the JSON object"},
		{"two objects", "GetParameter", `{}{}`, &ssm.GetParameterInput{}, "after the JSON object"},
		{"number for string", "GetParameter", `{"Name":12}`, &ssm.GetParameterInput{}, "'Name': expected a string, found a number"},
		{"string for bool", "GetParameter", `{"Name":"a","WithDecryption":"true"}`, &ssm.GetParameterInput{}, "'WithDecryption'"},
		{"nested", "PutParameter", `{"Name":"a","Tags":[{"Key":"k","Value":"v"},{"Key":1}]}`, &ssm.PutParameterInput{}, "'Tags[1].Key'"},
		{"object for list", "PutParameter", `{"Tags":{"Key":"k"}}`, &ssm.PutParameterInput{}, "'Tags': expected an array"},
		{"fraction for int", "GetParametersByPath", `{"Path":"/","MaxResults":1.5}`, &ssm.GetParametersByPathInput{}, "'MaxResults': expected an integer"},
		{"int overflow", "GetParametersByPath", `{"MaxResults":2147483648}`, &ssm.GetParametersByPathInput{}, "integer of 32 bits"},
		{"bad literal", "GetParametersByPath", `{"Recursive":tru}`, &ssm.GetParametersByPathInput{}, "invalid literal"},
		{"leading zero", "GetParametersByPath", `{"MaxResults":01}`, &ssm.GetParametersByPathInput{}, "expected ','"},
		{"bad escape", "GetParameter", `{"Name":"a\x"}`, &ssm.GetParameterInput{}, `invalid escape`},
		{"control char", "GetParameter", "{\"Name\":\"a\nb\"}", &ssm.GetParameterInput{}, "control character"},
		{"string for timestamp", "UpdateOpsItem", `{"OpsItemId":"oi-1","PlannedStartTime":"2024-01-01T00:00:00Z"}`, &ssm.UpdateOpsItemInput{}, "'PlannedStartTime'"},
		{"bad base64", "RegisterTaskWithMaintenanceWindow", `{"TaskInvocationParameters":{"Lambda":{"Payload":"not base64!"}}}`, &ssm.RegisterTaskWithMaintenanceWindowInput{}, "'TaskInvocationParameters.Lambda.Payload': invalid base64"},
		{"two union members", "CreateCloudConnector", `{"Configuration":{"AzureConfiguration":{},"GcpConfiguration":{}}}`, &ssm.CreateCloudConnectorInput{}, "one member"},
		{"bad in unknown member", "GetParameter", `{"Name":"a","New":[1,}`, &ssm.GetParameterInput{}, ""},
		{"timestamp out of range", "UpdateOpsItem", `{"PlannedStartTime":1e16}`, &ssm.UpdateOpsItemInput{}, "out of range"},
		{"float out of range", "PutComplianceItems", `{"Items":[{"Details":{"a":"b"}}],"ExecutionSummary":{"ExecutionTime":1e400}}`, &ssm.PutComplianceItemsInput{}, "out of range"},
		{"too deep", "GetParameter", `{"x":` + strings.Repeat("[", 1001) + strings.Repeat("]", 1001) + `}`, &ssm.GetParameterInput{}, "nesting deeper than 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ssmProto.Decode(tt.op, []byte(tt.body), tt.in)
			var e *core.Error
			if !errors.As(err, &e) || e.Code != jsonproto.SerializationException || e.Status != http.StatusBadRequest {
				t.Fatalf("Decode(%s) = %v; want a SerializationException (400)", tt.body, err)
			}
			if !strings.Contains(e.Message, tt.where) {
				t.Errorf("message %q does not say %q", e.Message, tt.where)
			}
		})
	}
}

// TestDecodeLenient: what AWS's JSON services pass over.
func TestDecodeLenient(t *testing.T) {
	tests := []struct {
		name, body string
		want       ssm.GetParametersByPathInput
	}{
		{"empty body", "", ssm.GetParametersByPathInput{}},
		{"white space", " \n", ssm.GetParametersByPathInput{}},
		{"empty object", "{}", ssm.GetParametersByPathInput{}},
		{"unknown members", `{"Path":"/a","Future":{"x":[1,2.5e3,"s",null,true]},"Later":null}`, ssm.GetParametersByPathInput{Path: aws.String("/a")}},
		{"null members", `{"Path":null,"Recursive":null,"ParameterFilters":null}`, ssm.GetParametersByPathInput{}},
		{"escapes", `{"Path":"\/a\u00e9\ud83d\ude00\"\\\t"}`, ssm.GetParametersByPathInput{Path: aws.String("/aé😀\"\\\t")}},
		{"last of duplicates", `{"Path":"/a","Path":"/b"}`, ssm.GetParametersByPathInput{Path: aws.String("/b")}},
		{"null list element", `{"ParameterFilters":[null,{"Key":"Type","Values":["String",null]}]}`, ssm.GetParametersByPathInput{
			ParameterFilters: []types.ParameterStringFilter{{}, {Key: aws.String("Type"), Values: []string{"String", ""}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got ssm.GetParametersByPathInput
			if err := ssmProto.Decode("GetParametersByPath", []byte(tt.body), &got); err != nil {
				t.Fatalf("Decode(%s): %v", tt.body, err)
			}
			if !equalJSON(t, got, tt.want) {
				t.Errorf("Decode(%s) = %+v, want %+v", tt.body, got, tt.want)
			}
		})
	}
}

// TestDecodeTimestamps: epoch seconds are read exactly, whatever their form.
func TestDecodeTimestamps(t *testing.T) {
	tests := []struct {
		lit  string
		want time.Time
	}{
		{"1515531081", time.Unix(1515531081, 0)},
		{"1515531081.123", time.UnixMilli(1515531081123)},
		{"1515531081.911", time.UnixMilli(1515531081911)},
		{"1.515531081123E9", time.UnixMilli(1515531081123)},
		{"-1.5", time.UnixMilli(-1500)},
		{"0.000000001", time.Unix(0, 1)},
		{"1e3", time.Unix(1000, 0)},
		{"15155310811e-1", time.UnixMilli(1515531081100)},
		{"-0.001", time.UnixMilli(-1)},
		{"1E-200", time.Unix(0, 0)},
	}
	for _, tt := range tests {
		var in ssm.UpdateOpsItemInput
		if err := ssmProto.Decode("UpdateOpsItem", []byte(`{"PlannedStartTime":`+tt.lit+`}`), &in); err != nil {
			t.Fatalf("%s: %v", tt.lit, err)
		}
		if got := *in.PlannedStartTime; !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%s: %v, want %v UTC", tt.lit, got, tt.want.UTC())
		}
	}
}

// TestCallerErrors: misuse by the simulator's own code is a plain error, not the client's.
func TestCallerErrors(t *testing.T) {
	var ce *core.Error
	for name, err := range map[string]error{
		"unknown op":    ssmProto.Decode("Nope", nil, &ssm.GetParameterInput{}),
		"wrong type":    ssmProto.Decode("GetParameter", nil, &ssm.PutParameterInput{}),
		"not a pointer": ssmProto.Decode("GetParameter", nil, ssm.GetParameterInput{}),
		"nil pointer":   ssmProto.Decode("GetParameter", nil, (*ssm.GetParameterInput)(nil)),
		"nil":           ssmProto.Decode("GetParameter", nil, nil),
	} {
		if err == nil || errors.As(err, &ce) {
			t.Errorf("%s: %v, want a plain error", name, err)
		}
	}
	if _, err := ssmProto.Encode("GetParameter", &ssm.PutParameterOutput{}); err == nil || errors.As(err, &ce) {
		t.Errorf("Encode of the wrong type: %v, want a plain error", err)
	}
	for _, out := range []any{nil, (*ssm.GetParameterOutput)(nil)} {
		if b, err := ssmProto.Encode("GetParameter", out); err != nil || string(b) != "{}" {
			t.Errorf("Encode(%#v) = %s, %v; want {}", out, b, err)
		}
	}
}

func TestEncode(t *testing.T) {
	out := &ssm.GetParameterOutput{Parameter: &types.Parameter{
		Name: aws.String("/app/db"), Type: types.ParameterTypeString, Value: aws.String(`"x"`),
		Version: 3, LastModifiedDate: aws.Time(time.UnixMilli(1515531081123)),
	}}
	b, err := ssmProto.Encode("GetParameter", out)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Parameter":{"LastModifiedDate":1515531081.123,"Name":"/app/db","Type":"String","Value":"\"x\"","Version":3}}`
	if string(b) != want {
		t.Errorf("Encode = %s\nwant     %s", b, want)
	}
}

// equalJSON compares two values by their JSON form (encoding/json's, not the codec's).
func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}

// TestConcurrentUse runs Decode and Encode from several goroutines on a fresh Protocol, whose
// plans are then built while others read them (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := jsonproto.New11(schemas.AmazonSSM, (*ssm.Client)(nil))
	bodies := map[string]func() any{
		"PutParameter":         func() any { return &ssm.PutParameterInput{} },
		"GetParametersByPath":  func() any { return &ssm.GetParametersByPathInput{} },
		"CreateCloudConnector": func() any { return &ssm.CreateCloudConnectorInput{} },
		"PutInventory":         func() any { return &ssm.PutInventoryInput{} },
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for op, newIn := range bodies {
				in := newIn()
				if err := p.Decode(op, []byte(`{"Name":"n`+strconv.Itoa(g)+`"}`), in); err != nil {
					t.Errorf("%s: %v", op, err)
				}
				if _, err := p.Encode(op, nil); err != nil {
					t.Errorf("%s: %v", op, err)
				}
			}
		})
	}
	wg.Wait()
}
