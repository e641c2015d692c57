package jsonproto_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssoschemas "github.com/aws/aws-sdk-go-v2/service/sso/schemas"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"

	"github.com/awsxlab/awsx/sim/internal/jsonproto"
)

// BenchmarkDecodeEncode is the codec's work for one request: Decode of the SDK client's body,
// Encode of the answer.
func BenchmarkDecodeEncode(b *testing.B) {
	params := make([]types.Parameter, 10)
	for i := range params {
		name := fmt.Sprintf("/app/prod/db/param-%d", i)
		params[i] = types.Parameter{
			ARN:              aws.String("arn:aws:ssm:us-east-1:123456789012:parameter" + name),
			DataType:         aws.String("text"),
			LastModifiedDate: aws.Time(time.UnixMilli(1715531081123 + int64(i))),
			Name:             aws.String(name),
			Type:             types.ParameterTypeSecureString,
			Value:            aws.String("a value of some forty characters, give or take"),
			Version:          int64(i + 1),
		}
	}
	cases := []struct {
		op       string
		body     string
		newInput func() any
		out      any
	}{
		{"PutParameter",
			`{"Name":"/app/prod/db/password","Value":"correct horse battery staple","Type":"SecureString","Overwrite":true,"Tier":"Standard","Tags":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"db"}]}`,
			func() any { return &ssm.PutParameterInput{} },
			&ssm.PutParameterOutput{Tier: types.ParameterTierStandard, Version: 7}},
		{"GetParametersByPath",
			`{"Path":"/app/prod","Recursive":true,"WithDecryption":true,"MaxResults":10,"ParameterFilters":[{"Key":"Type","Option":"Equals","Values":["SecureString"]}]}`,
			func() any { return &ssm.GetParametersByPathInput{} },
			&ssm.GetParametersByPathOutput{NextToken: aws.String("AAEAAQ=="), Parameters: params}},
	}
	for _, c := range cases {
		b.Run(c.op, func(b *testing.B) {
			body := []byte(c.body)
			b.ReportAllocs()
			for b.Loop() {
				if err := ssmProto.Decode(c.op, body, c.newInput()); err != nil {
					b.Fatal(err)
				}
				if _, err := ssmProto.Encode(c.op, c.out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.op+"/Decode", func(b *testing.B) {
			body := []byte(c.body)
			b.ReportAllocs()
			for b.Loop() {
				if err := ssmProto.Decode(c.op, body, c.newInput()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.op+"/Encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ssmProto.Encode(c.op, c.out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRestDecodeEncode is BenchmarkDecodeEncode for restJson1: SSO's GetRoleCredentials,
// whose input is in the query string and a header.
func BenchmarkRestDecodeEncode(b *testing.B) {
	p := jsonproto.NewRest(ssoschemas.SWBPortalService, (*sso.Client)(nil))
	r := httptest.NewRequest("GET", "http://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=ReadOnly&account_id=123456789012", nil)
	r.Header.Set("X-Amz-Sso_bearer_token", "aoaAAAAAGZfakeTokenValue")
	out := &sso.GetRoleCredentialsOutput{RoleCredentials: &ssotypes.RoleCredentials{
		AccessKeyId: aws.String("ASIAIOSFODNN7EXAMPLE"), Expiration: 1715531081000,
		SecretAccessKey: aws.String("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), SessionToken: aws.String("FwoGZXIvYXdzEBYaDfakeSessionToken"),
	}}
	b.ReportAllocs()
	for b.Loop() {
		op, err := p.Operation(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Decode(op, r, nil, &sso.GetRoleCredentialsInput{}); err != nil {
			b.Fatal(err)
		}
		if _, _, _, err := p.Encode(op, out); err != nil {
			b.Fatal(err)
		}
	}
}
