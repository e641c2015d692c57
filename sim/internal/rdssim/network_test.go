package rdssim

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// An empty list of subnet IDs is refused before EC2 is asked: DescribeSubnets without IDs
// would answer every subnet of the region.
func TestSubnetsNeedIDs(t *testing.T) {
	asked := false
	s := NewStore("123456789012", core.NewClock(nil), core.NewIDs(1), func(ctx context.Context, op string, in any) (any, error) {
		asked = true
		return &ec2.DescribeSubnetsOutput{Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"), AvailabilityZone: aws.String("us-east-1a")}}}, nil
	})
	for _, ids := range [][]string{nil, {}} {
		_, _, err := s.subnets(context.Background(), ids)
		if e := core.AsError(err); err == nil || e.Code != InvalidSubnet || e.Message != "Subnet IDs are required." {
			t.Errorf("subnets(%v) = %v", ids, err)
		}
	}
	if asked {
		t.Error("EC2 was asked")
	}
}
