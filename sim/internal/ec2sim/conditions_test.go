package ec2sim

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// The operations that pass a role and that the simulator does not implement yet: the door
// refuses them by name before it asks for their accesses, so they are pinned here, for when
// they come. The operations it implements are tested through the SDK (sim/ec2_passrole_test.go).
func TestPassRoleAccessesOfAssociations(t *testing.T) {
	profiles := map[string]Profile{
		"admin": {ARN: "arn:aws:iam::123456789012:instance-profile/admin", ID: "AIPAADMIN", Role: "arn:aws:iam::123456789012:role/admin"},
		"empty": {ARN: "arn:aws:iam::123456789012:instance-profile/empty", ID: "AIPAEMPTY"},
	}
	s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Unix(0, 0) }), core.NewIDs(1),
		func(nameOrARN string) (Profile, bool) {
			for name, p := range profiles {
				if nameOrARN == name || nameOrARN == p.ARN {
					return p, true
				}
			}
			return Profile{}, false
		})
	pass := func(associated string) service.Access {
		c := map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}
		if associated != "" {
			c["iam:AssociatedResourceArn"] = associated
		}
		return service.Access{Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/admin", Context: c}
	}
	const instance = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
	region := map[string]string{"ec2:Region": "us-east-1"}

	cases := []struct {
		name string
		in   any
		want []service.Access
	}{
		{"associate by name", &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String("i-0123456789abcdef0"),
			IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("admin")}},
			[]service.Access{{Resource: instance, Context: region}, pass(instance)}},
		{"associate by ARN", &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String("i-0123456789abcdef0"),
			IamInstanceProfile: &types.IamInstanceProfileSpecification{Arn: aws.String(profiles["admin"].ARN)}},
			[]service.Access{{Resource: instance, Context: region}, pass(instance)}},
		{"associate a profile without a role", &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String("i-0123456789abcdef0"),
			IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("empty")}},
			[]service.Access{{Resource: instance, Context: region}}},
		{"associate a missing profile", &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String("i-0123456789abcdef0"),
			IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("nope")}},
			[]service.Access{{Resource: instance, Context: region}}},
		{"replace", &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: aws.String("iip-assoc-0123456789abcdef0"),
			IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("admin")}},
			[]service.Access{{Resource: "*", Context: region}, pass("")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.accesses(&service.Request{Region: "us-east-1", In: tc.in})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("accesses =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}
