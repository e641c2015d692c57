package query_test

import (
	"encoding/xml"
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/query"
)

// FuzzDecode feeds arbitrary form bodies to Decode for inputs with flattened lists, wrapped
// lists, maps, unions, timestamps, blobs and floats, of the generated and the schema-based
// (RDS, CloudWatch with its unions) paths: it must never panic, and any error must be
// a *query.Error (bad input), never a caller error. Seeds are in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Add("Action=RunInstances&ImageId=ami-1&MinCount=1&MaxCount=1&TagSpecification.1.Tag.1.Key=Name")
	f.Add("Filter.1.Name=tag:Name&Filter.1.Value.1=a&InstanceId.1=i-1&MaxResults=5")
	f.Add("UserName=bob&Tags.member.1.Key=k&Tags.member.1.Value=v&Tags=")
	f.Add("Properties.entry.1.key=k&Properties.entry.1.value=v")
	f.Add("PolicySourceArn=a&ActionNames.member.1=x&PolicyExclusionList.member.1.PolicyArn=p")
	f.Add("AlarmName=a&EvaluationCriteria.PromQLCriteria.Query=up&EvaluationWindow.SlidingWindow.Period=60&Metrics.member.1.Id=m")
	f.Add("StartTime=2024-01-02T03:04:05Z&KeyName=k&PublicKeyMaterial=AAAA&ClientData.UploadSize=1.5")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		inputs := []struct {
			svc *query.Service
			in  any
		}{
			{query.EC2, &ec2.RunInstancesInput{}},
			{query.EC2, &ec2.DescribeInstancesInput{}},
			{query.EC2, &ec2.DescribeSpotPriceHistoryInput{}},
			{query.EC2, &ec2.ImportKeyPairInput{}},
			{query.EC2, &ec2.ImportImageInput{}},
			{query.IAM, &iam.CreateUserInput{}},
			{query.IAM, &iam.PutAccountPropertiesInput{}},
			{query.IAM, &iam.SimulatePrincipalPolicyInput{}},
			{query.STS, &sts.AssumeRoleInput{}},
			{rdsCodec, &rds.CreateDBInstanceInput{}},
			{rdsCodec, &rds.DescribeDBInstancesInput{}},
			{rdsCodec, &rds.ModifyDBParameterGroupInput{}},
			{rdsCodec, &rds.DescribeDBLogFilesInput{}},
			{cwCodec, &cloudwatch.PutMetricAlarmInput{}},
			{cwCodec, &cloudwatch.GetMetricDataInput{}},
			{cwCodec, &cloudwatch.PutMetricDataInput{}},
		}
		for _, x := range inputs {
			err := x.svc.Decode(form, x.in)
			var qe *query.Error
			if err != nil && !errors.As(err, &qe) {
				t.Fatalf("%T: Decode(%q) = %v, not a *query.Error", x.in, body, err)
			}
			if qe != nil && (qe.Code == "" || qe.Message == "") {
				t.Fatalf("%T: Decode(%q): empty code or message in %#v", x.in, body, qe)
			}
		}
	})
}

// FuzzEncodeError checks the XML escaping: whatever the code and message, the document is
// well-formed and reads back as the message, with characters XML cannot carry replaced by U+FFFD.
func FuzzEncodeError(f *testing.F) {
	f.Add("Code", "a & b < c > d \"e\" 'f'\r\n\tg")
	f.Add("X", "\x00\x01\uFFFE\xff")
	f.Fuzz(func(t *testing.T, code, msg string) {
		var doc struct {
			Errors struct {
				Error struct{ Code, Message string }
			}
		}
		body := query.EC2.EncodeError(nil, code, msg, "r", true)
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("EncodeError(%q) is not XML: %v\n%s", msg, err, body)
		}
		if want := xmlSafe(msg); doc.Errors.Error.Message != want {
			t.Fatalf("message %q read back as %q, want %q", msg, doc.Errors.Error.Message, want)
		}
	})
}

func xmlSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r == utf8.RuneError && w == 1 || !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}
