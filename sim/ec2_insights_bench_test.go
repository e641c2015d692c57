package sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// BenchmarkNetworkInsightsAnalysis analyzes SSH from the default VPC's internet gateway to an
// instance, and deletes the analysis, as alex: two writes, one evaluation of the network.
func BenchmarkNetworkInsightsAnalysis(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	client := ec2.NewFromConfig(c.Config())
	run, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: "t2.micro"})
	if err != nil {
		b.Fatal(err)
	}
	igws, err := client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{})
	if err != nil || len(igws.InternetGateways) == 0 {
		b.Fatal(err)
	}
	path, err := client.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: igws.InternetGateways[0].InternetGatewayId,
		Destination: run.Instances[0].InstanceId, Protocol: ec2types.ProtocolTcp, DestinationPort: aws.Int32(22), ClientToken: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		client := ec2.NewFromConfig(cfg)
		out, err := client.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: path.NetworkInsightsPath.NetworkInsightsPathId})
		if err != nil {
			return err
		}
		_, err = client.DeleteNetworkInsightsAnalysis(ctx, &ec2.DeleteNetworkInsightsAnalysisInput{NetworkInsightsAnalysisId: out.NetworkInsightsAnalysis.NetworkInsightsAnalysisId})
		return err
	})
}
