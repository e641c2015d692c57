package output

import (
	"bytes"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestValueOrderAndTypes(t *testing.T) {
	created := time.Date(2024, 5, 1, 12, 30, 0, 0, time.UTC)
	out := &iam.GetUserOutput{User: &types.User{
		Arn: aws.String("arn:aws:iam::123456789012:user/alex"), CreateDate: &created,
		Path: aws.String("/"), UserId: aws.String("AIDAEXAMPLE"), UserName: aws.String("alex"),
		Tags: []types.Tag{},
	}}
	var b bytes.Buffer
	if err := Write(&b, "json", Value(out), "GetUser"); err != nil {
		t.Fatal(err)
	}
	want := `{
    "User": {
        "Path": "/",
        "UserName": "alex",
        "UserId": "AIDAEXAMPLE",
        "Arn": "arn:aws:iam::123456789012:user/alex",
        "CreateDate": "2024-05-01T12:30:00+00:00",
        "Tags": []
    }
}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
