package output

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// IAM's policy documents print decoded, in their own key order, and --query reaches into
// them; a document that is not JSON prints as IAM sent it.
func TestPolicyDocumentsDecoded(t *testing.T) {
	doc := "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C" +
		"%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
	out := &iam.GetRoleOutput{Role: &types.Role{RoleName: aws.String("r+1"), AssumeRolePolicyDocument: aws.String(doc)}}
	var b bytes.Buffer
	if err := Write(&b, "json", Value(out), "GetRole"); err != nil {
		t.Fatal(err)
	}
	want := `{
    "Role": {
        "RoleName": "r+1",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {
                        "Service": "ec2.amazonaws.com"
                    },
                    "Action": "sts:AssumeRole"
                }
            ]
        }
    }
}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	got, err := Query(Value(out), "Role.AssumeRolePolicyDocument.Statement[0].Principal.Service")
	if err != nil || got != "ec2.amazonaws.com" {
		t.Errorf("query = %v, %v", got, err)
	}

	for _, text := range []string{"not%20json", "%ZZ", "%7B%22a%22%3A1%7Dtrailing"} {
		out := &iam.GetUserPolicyOutput{PolicyDocument: aws.String(text)}
		if got, _ := Value(out).(*Map).Get("PolicyDocument"); got != text {
			t.Errorf("%q printed as %v, want it as sent", text, got)
		}
	}
}
