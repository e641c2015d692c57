package jsonproto_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/schemas"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssoschemas "github.com/aws/aws-sdk-go-v2/service/sso/schemas"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"

	"github.com/awsxlab/awsx/sim/internal/jsonproto"
)

func Example() {
	p := jsonproto.New11(schemas.AmazonSSM, (*ssm.Client)(nil))

	body := `{"Name":"/app/db","Value":"s3cret","Type":"SecureString"}`
	r, _ := http.NewRequest(http.MethodPost, "http://ssm.us-east-1.amazonaws.com/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", "AmazonSSM.PutParameter")

	op, _ := p.Operation(r)
	var in ssm.PutParameterInput
	if err := p.Decode(op, []byte(body), &in); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(op, aws.ToString(in.Name), in.Type)

	out, _ := p.Encode(op, &ssm.PutParameterOutput{Version: 1, Tier: "Standard"})
	fmt.Println(string(out))

	fmt.Println(string(p.EncodeError("ParameterAlreadyExists", "The parameter already exists.")))
	// Output:
	// PutParameter /app/db SecureString
	// {"Tier":"Standard","Version":1}
	// {"__type":"ParameterAlreadyExists","message":"The parameter already exists."}
}

func ExampleRest() {
	p := jsonproto.NewRest(ssoschemas.SWBPortalService, (*sso.Client)(nil))

	r, _ := http.NewRequest(http.MethodGet, "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=ReadOnly&account_id=123456789012", nil)
	r.Header.Set("x-amz-sso_bearer_token", "token")

	op, _ := p.Operation(r)
	var in sso.GetRoleCredentialsInput
	if err := p.Decode(op, r, nil, &in); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(op, aws.ToString(in.RoleName), aws.ToString(in.AccountId), aws.ToString(in.AccessToken))

	status, header, body, _ := p.Encode(op, &sso.GetRoleCredentialsOutput{RoleCredentials: &ssotypes.RoleCredentials{
		AccessKeyId: aws.String("ASIAIOSFODNN7EXAMPLE"), Expiration: 1715531081000,
	}})
	fmt.Println(status, header.Get("Content-Type"), string(body))
	// Output:
	// GetRoleCredentials ReadOnly 123456789012 token
	// 200 application/json {"roleCredentials":{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","expiration":1715531081000}}
}
