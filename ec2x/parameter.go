package ec2x

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// AWS's public Systems Manager parameters that name the newest image of a kind in each region;
// [ParameterImage] reads them, and RunInstances takes "resolve:ssm:" + one of them as an image ID.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami-parameter-store.html
const (
	AmazonLinux2023      = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	AmazonLinux2023Arm64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
	Ubuntu2404           = "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
	WindowsServer2022    = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"
)

// GetParameterAPI is the part of the Systems Manager client that [ParameterImage] uses.
type GetParameterAPI interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, optFns ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// ParameterImage returns the image ID that the Systems Manager parameter name holds in cfg's
// region — one of AWS's public parameters such as [AmazonLinux2023], which AWS updates as
// it publishes new images, or one of the account's own of data type aws:ec2:image. It is
// the way AWS recommends to find the newest image, rather than searching image names.
func ParameterImage(ctx context.Context, cfg aws.Config, name string) (string, error) {
	return parameterImage(ctx, ssm.NewFromConfig(cfg), name)
}

func parameterImage(ctx context.Context, client GetParameterAPI, name string) (string, error) {
	out, err := client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("ec2x: image of parameter %q: %w", name, err)
	}
	return aws.ToString(out.Parameter.Value), nil
}
