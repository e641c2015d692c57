package jsonproto_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssoschemas "github.com/aws/aws-sdk-go-v2/service/sso/schemas"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/jsonproto"
)

// parseScript reads responses from stdin and prints what botocore's parser (the AWS CLI's and
// boto3's) makes of each, with the service models that ship with botocore.
const parseScript = `
import base64, datetime, json, sys
import botocore.session, botocore.parsers
session = botocore.session.get_session()
def plain(v):
    if isinstance(v, datetime.datetime): return v.timestamp()
    if isinstance(v, bytes): return base64.b64encode(v).decode()
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items() if k != 'ResponseMetadata'}
    if isinstance(v, list): return [plain(x) for x in v]
    return v
out = []
for c in json.load(sys.stdin):
    model = session.get_service_model(c['service'])
    parser = botocore.parsers.create_parser(model.metadata['protocol'])
    shape = model.operation_model(c['op']).output_shape
    resp = {'body': c['body'].encode(), 'headers': c['headers'], 'status_code': c['status']}
    out.append(plain(parser.parse(resp, shape)))
json.dump(out, sys.stdout)
`

// TestBotocoreReads checks that botocore reads Encode's and EncodeError's documents as the
// Go SDK does: the AWS CLI and boto3 are clients of the simulator too.
func TestBotocoreReads(t *testing.T) {
	if testing.Short() {
		t.Skip("runs botocore: not in -short mode")
	}
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		t.Skip("python3 with botocore is not installed")
	}
	type response struct {
		Service string            `json:"service"`
		Op      string            `json:"op"`
		Body    string            `json:"body"`
		Headers map[string]string `json:"headers"`
		Status  int               `json:"status"`
	}
	ok := func(op string, out any) response {
		b, err := ssmProto.Encode(op, out)
		if err != nil {
			t.Fatal(err)
		}
		return response{"ssm", op, string(b), map[string]string{"content-type": ssmProto.ContentType()}, 200}
	}
	fail := func(code, msg string) response {
		h := http.Header{}
		ssmProto.SetErrorHeaders(h, core.Code(code))
		return response{"ssm", "GetParameter", string(ssmProto.EncodeError(core.Code(code), msg)),
			map[string]string{"content-type": h.Get("Content-Type"), "x-amzn-errortype": h.Get("X-Amzn-ErrorType")}, 400}
	}
	cases := []response{
		ok("GetParameter", &ssm.GetParameterOutput{Parameter: &types.Parameter{
			Name: aws.String("/app/db"), Value: aws.String("s3cr\"ét\n😀"), Version: 3, Type: types.ParameterTypeSecureString,
			LastModifiedDate: aws.Time(time.UnixMilli(1515531081911)),
		}}),
		ok("GetMaintenanceWindowTask", &ssm.GetMaintenanceWindowTaskOutput{
			TaskInvocationParameters: &types.MaintenanceWindowTaskInvocationParameters{
				Lambda: &types.MaintenanceWindowLambdaParameters{Payload: []byte{0, 1, 2, 0xfe, 0xff}},
			},
		}),
		fail("ParameterNotFound", "Parameter /app/db not found."),
		fail("ParameterNotFound", ""),
		fail("ValidationException", "1 validation error detected"),
	}
	rest := jsonproto.NewRest(ssoschemas.SWBPortalService, (*sso.Client)(nil))
	status, header, body, err := rest.Encode("GetRoleCredentials", &sso.GetRoleCredentialsOutput{RoleCredentials: &ssotypes.RoleCredentials{
		AccessKeyId: aws.String("ASIAEXAMPLE"), Expiration: 1715531081000, SecretAccessKey: aws.String("s"), SessionToken: aws.String("t"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, response{"sso", "GetRoleCredentials", string(body), map[string]string{"content-type": header.Get("Content-Type")}, status})
	h := http.Header{}
	rest.SetErrorHeaders(h, "UnauthorizedException")
	cases = append(cases, response{"sso", "ListAccounts", string(rest.EncodeError("UnauthorizedException", "Session token not found or invalid")),
		map[string]string{"content-type": h.Get("Content-Type"), "x-amzn-errortype": h.Get("X-Amzn-ErrorType")}, 401})
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "-c", parseScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore: %v\n%s", err, stderr.Bytes())
	}
	want := `[{"Parameter":{"Name":"/app/db","Type":"SecureString","Value":"s3cr\"\u00e9t\n\ud83d\ude00","Version":3,"LastModifiedDate":1515531081.911}},` +
		`{"TaskInvocationParameters":{"Lambda":{"Payload":"AAEC/v8="}}},` +
		`{"Error":{"Message":"Parameter /app/db not found.","Code":"ParameterNotFound"}},` +
		`{"Error":{"Message":"","Code":"ParameterNotFound"}},` +
		`{"Error":{"Message":"1 validation error detected","Code":"ValidationException"}},` +
		`{"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"s","sessionToken":"t","expiration":1715531081000}},` +
		`{"Error":{"Message":"Session token not found or invalid","Code":"UnauthorizedException"}}]`
	var got, exp any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatal(err)
	}
	if g, _ := json.Marshal(got); !bytes.Equal(g, mustJSON(t, exp)) {
		t.Errorf("botocore read\n%s\nwant\n%s", g, mustJSON(t, exp))
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
