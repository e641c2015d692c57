package jsonproto_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/schemas"

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
