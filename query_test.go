package awsx_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/sim"
)

func TestQuery(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	client := ec2.NewFromConfig(cloud.Config())
	run, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		InstanceType: types.InstanceTypeT2Micro})
	if err != nil {
		t.Fatal(err)
	}
	out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	users, err := iam.NewFromConfig(cloud.Config()).ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		out  any
		expr string
		want any
	}{
		{out, "Reservations[].Instances[].InstanceId", []any{*run.Instances[0].InstanceId, *run.Instances[1].InstanceId}},
		{out, "length(Reservations[0].Instances[?InstanceType=='t2.micro'])", int64(2)},
		{out, "Reservations[0].Instances[0].[State.Name, Placement.AvailabilityZone]", []any{"running", "us-east-1a"}},
		{out, "Reservations[0].Instances[0].Placement.AvailabilityZone == `us-east-1a`", true},
		{out, "Reservations[0].Instances[0].{Id: InstanceId, Code: State.Code}", map[string]any{"Id": *run.Instances[0].InstanceId, "Code": int64(16)}},
		{out, "Reservations[0].Instances[0].Missing", nil},
		{users, "Users", []any{}},
	} {
		got, err := awsx.Query(tc.out, tc.expr)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Query(%s) = %#v, %v; want %#v", tc.expr, got, err, tc.want)
		}
	}
	if _, err := awsx.Query(out, "Reservations[."); err == nil || !strings.HasPrefix(err.Error(), "awsx: ") {
		t.Errorf("a bad expression: %v", err)
	}
}

func ExampleQuery() {
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	out, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		panic(err)
	}
	names, err := awsx.Query(out, "Regions[?starts_with(RegionName, 'eu-')].RegionName | sort(@)")
	if err != nil {
		panic(err)
	}
	fmt.Println(names)
	// Output: [eu-central-1 eu-north-1 eu-west-1 eu-west-2 eu-west-3]
}
