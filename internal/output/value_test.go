package output

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
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

// The AWS CLI v2 2.9.19 prints only what its models know: nothing for an operation its model
// gives no output (ec2 delete-key-pair; v1 1.45's newer model prints Return and KeyPairId),
// and no member for an enum the response lacked (the SDK's "" for it).
func TestValueOfWhatTheModelLacks(t *testing.T) {
	for _, tc := range []struct {
		name, want, wantAll string
		out                 any
	}{
		{name: "no output", out: &ec2.DeleteKeyPairOutput{KeyPairId: aws.String("key-1"), Return: aws.Bool(true)},
			want: "", wantAll: "{\n    \"Return\": true,\n    \"KeyPairId\": \"key-1\"\n}\n"},
		{name: "empty enum", out: &ec2.DescribeImagesOutput{Images: []ec2types.Image{{ImageId: aws.String("ami-1"), Architecture: ec2types.ArchitectureValuesX8664}}},
			want:    "{\n    \"Images\": [\n        {\n            \"Architecture\": \"x86_64\",\n            \"ImageId\": \"ami-1\"\n        }\n    ]\n}\n",
			wantAll: "{\n    \"Images\": [\n        {\n            \"Architecture\": \"x86_64\",\n            \"ImageId\": \"ami-1\"\n        }\n    ]\n}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := strings.TrimSuffix(reflect.TypeOf(tc.out).Elem().Name(), "Output")
			for _, c := range []struct {
				value func(any) any
				want  string
			}{{Value, tc.want}, {ValueAll, tc.wantAll}} {
				var b bytes.Buffer
				if err := Write(&b, "json", c.value(tc.out), op); err != nil {
					t.Fatal(err)
				}
				if b.String() != c.want {
					t.Errorf("got\n%q\nwant\n%q", b.String(), c.want)
				}
			}
		})
	}
}
