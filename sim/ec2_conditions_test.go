package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// tagSpec is the TagSpecifications of one resource type with the tags kv (key, value, …).
func tagSpec(rt types.ResourceType, kv ...string) types.TagSpecification {
	sp := types.TagSpecification{ResourceType: rt}
	for i := 0; i+1 < len(kv); i += 2 {
		sp.Tags = append(sp.Tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return sp
}

// policyClient returns an EC2 client of a new user called name, allowed what statements say.
func policyClient(t *testing.T, c *conformance.Account, name, statements string) *ec2.Client {
	t.Helper()
	return ec2.NewFromConfig(policyUser(t, c, name, statements))
}

// EC2's own condition keys on RunInstances' new instances: ec2:InstanceType, ec2:Region,
// aws:RequestTag/KEY and aws:TagKeys of the instances' TagSpecifications, ec2:InstanceMarketType.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func TestEC2RunInstancesConditions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		c.Require(t, conformance.EnforcesIAM)
		// Tags given at launch need ec2:CreateTags too, for the creating action.
		// A launch acts on its image and the volumes and network interface it makes too.
		const image = `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":["arn:aws:ec2:*::image/*","arn:aws:ec2:*:*:volume/*","arn:aws:ec2:*:*:network-interface/*"]},
			{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":{"ec2:CreateAction":"RunInstances"}}}`
		launch := func(client *ec2.Client, typ types.InstanceType, specs ...types.TagSpecification) error {
			_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
				InstanceType: typ, TagSpecifications: specs})
			return err
		}
		owner := func(v string) types.TagSpecification { return tagSpec(types.ResourceTypeInstance, "owner", v) }

		cases := []struct {
			name      string
			statement string // with image, the user's policy
			typ       types.InstanceType
			specs     []types.TagSpecification
			allowed   bool
		}{
			{"instance type allowed", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:InstanceType":"t2.micro"}}}`,
				types.InstanceTypeT2Micro, nil, true},
			{"instance type refused", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:InstanceType":"t2.micro"}}}`,
				types.InstanceTypeT3Large, nil, false},
			// A Deny on other types, as AWS's examples write it, over an Allow of every type.
			{"instance type denied", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"},
				{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringNotEquals":{"ec2:InstanceType":["t2.micro","t3.micro"]}}}`,
				types.InstanceTypeT3Large, nil, false},
			{"default instance type", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:InstanceType":"m1.small"}}}`,
				"", nil, true},
			{"region", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:Region":"us-east-1"}}}`,
				types.InstanceTypeT2Micro, nil, true},
			{"another region", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:Region":"eu-west-1"}}}`,
				types.InstanceTypeT2Micro, nil, false},
			{"on-demand", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:InstanceMarketType":"on-demand"}}}`,
				types.InstanceTypeT2Micro, nil, true},
			{"Spot only", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:InstanceMarketType":"spot"}}}`,
				types.InstanceTypeT2Micro, nil, false},
			{"request tag", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:RequestTag/owner":"alex"}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{owner("alex")}, true},
			{"request tag of another value", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:RequestTag/owner":"alex"}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{owner("sam")}, false},
			{"request tag missing", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:RequestTag/owner":"alex"}}}`,
				types.InstanceTypeT2Micro, nil, false},
			// The tags of another resource type are not the instance's.
			{"request tag on the volume only", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:RequestTag/owner":"alex"}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{tagSpec(types.ResourceTypeVolume, "owner", "alex")}, false},
			{"tag keys listed", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["owner","env"]}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{tagSpec(types.ResourceTypeInstance, "owner", "alex", "env", "dev")}, true},
			{"a tag key not listed", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["owner","env"]}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{tagSpec(types.ResourceTypeInstance, "owner", "alex", "cost", "1")}, false},
			{"a tag key denied", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"},
				{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["billing"]}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{tagSpec(types.ResourceTypeInstance, "owner", "alex", "billing", "x")}, false},
			{"no tag key denied", `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"},
				{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["billing"]}}}`,
				types.InstanceTypeT2Micro, []types.TagSpecification{tagSpec(types.ResourceTypeInstance, "owner", "alex", "env", "dev")}, true},
		}
		for n, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				client := policyClient(t, c, "run"+string(rune('a'+n)), image+","+tc.statement)
				before := instanceCount(t, root)
				err := launch(client, tc.typ, tc.specs...)
				if tc.allowed {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if after := instanceCount(t, root); after != before+1 {
						t.Errorf("instances %d → %d", before, after)
					}
					return
				}
				wantCode(t, err, "UnauthorizedOperation")
				if !strings.Contains(err.Error(), "ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/*") {
					t.Errorf("message does not name the action and the new instances: %v", err)
				}
				if after := instanceCount(t, root); after != before {
					t.Errorf("refused, yet instances %d → %d", before, after)
				}
			})
		}
	})
}

// ec2:ResourceTag/KEY (and aws:ResourceTag/KEY) and ec2:InstanceType of existing instances: a
// user allowed to stop and start dev instances cannot stop prod ones, nor, once retagged by
// the root, the instance it could stop before.
func TestEC2ResourceTagConditions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		c.Require(t, conformance.EnforcesIAM)
		launch := func(typ types.InstanceType, env string) string {
			return *run(t, root, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: typ,
				TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeInstance, "env", env)}})[0].InstanceId
		}
		dev, prod, bigDev := launch(types.InstanceTypeT2Micro, "dev"), launch(types.InstanceTypeT2Micro, "prod"), launch(types.InstanceTypeM5Large, "dev")

		for _, key := range []string{"ec2:ResourceTag/env", "aws:ResourceTag/env"} {
			t.Run(key, func(t *testing.T) {
				user := policyClient(t, c, strings.NewReplacer(":", "-", "/", "-").Replace(key),
					`{"Effect":"Allow","Action":["ec2:StopInstances","ec2:StartInstances"],"Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"`+key+`":"dev"}}}`)
				must(user.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{dev}}))(t)
				if s := describeInstance(t, root, dev).State.Name; s != types.InstanceStateNameStopped {
					t.Errorf("dev instance stopped by the user is %s", s)
				}
				must(user.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{dev}}))(t)

				_, err := user.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{prod}})
				wantCode(t, err, "UnauthorizedOperation")
				if !strings.Contains(err.Error(), "ec2:StopInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/"+prod) {
					t.Errorf("message does not name the prod instance: %v", err)
				}
				// Both at once: the prod one refuses the whole request.
				_, err = user.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{dev, prod}})
				wantCode(t, err, "UnauthorizedOperation")
				for _, id := range []string{dev, prod} {
					if s := describeInstance(t, root, id).State.Name; s != types.InstanceStateNameRunning {
						t.Errorf("after a refused stop, %s is %s", id, s)
					}
				}
			})
		}

		t.Run("retagged", func(t *testing.T) {
			user := policyClient(t, c, "retagged",
				`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"StringEquals":{"ec2:ResourceTag/env":"dev"}}}`)
			must(root.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{dev}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))(t)
			t.Cleanup(func() {
				must(root.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{dev}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))(t)
			})
			_, err := user.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{dev}})
			wantCode(t, err, "UnauthorizedOperation")
		})

		t.Run("Spot requests", func(t *testing.T) {
			request := func(env string) string {
				return *must(root.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.01"), LaunchSpecification: course(),
					TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeSpotInstancesRequest, "env", env)}}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
			}
			devReq, prodReq := request("dev"), request("prod")
			user := policyClient(t, c, "spot",
				`{"Effect":"Allow","Action":"ec2:CancelSpotInstanceRequests","Resource":"*","Condition":{"StringEquals":{"ec2:ResourceTag/env":"dev"}}}`)
			_, err := user.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{prodReq}})
			wantCode(t, err, "UnauthorizedOperation")
			if !strings.Contains(err.Error(), "spot-instances-request/"+prodReq) {
				t.Errorf("message does not name the request: %v", err)
			}
			if s := spotRequest(t, root, prodReq).State; s == types.SpotInstanceStateCancelled {
				t.Errorf("after a refused cancel, the prod request is %s", s)
			}
			must(user.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{devReq}}))(t)
			if s := spotRequest(t, root, devReq).State; s != types.SpotInstanceStateCancelled {
				t.Errorf("the dev request canceled by the user is %s", s)
			}
		})

		t.Run("instance type", func(t *testing.T) {
			user := policyClient(t, c, "small",
				`{"Effect":"Allow","Action":["ec2:StopInstances","ec2:StartInstances"],"Resource":"*","Condition":{"StringEquals":{"ec2:InstanceType":"t2.micro","ec2:ResourceTag/env":"dev"}}}`)
			must(user.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{dev}}))(t)
			must(user.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{dev}}))(t)
			_, err := user.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{bigDev}})
			wantCode(t, err, "UnauthorizedOperation")
			if s := describeInstance(t, root, bigDev).State.Name; s != types.InstanceStateNameRunning {
				t.Errorf("after a refused stop, the m5.large is %s", s)
			}
		})
	})
}

// aws:RequestedRegion (global, set by the door) and ec2:Region limit a user to one region,
// for operations on "*" and on instances alike.
func TestEC2RegionConditions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		for _, key := range []string{"aws:RequestedRegion", "ec2:Region"} {
			t.Run(key, func(t *testing.T) {
				name := strings.NewReplacer(":", "-").Replace(key)
				cfg := policyUser(t, c, name, `{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"`+key+`":"eu-west-1"}}}`)
				inRegion, elsewhere := cfg.Copy(), cfg.Copy()
				inRegion.Region, elsewhere.Region = "eu-west-1", "us-east-1"
				here, there := ec2.NewFromConfig(inRegion), ec2.NewFromConfig(elsewhere)

				vpcs := must(here.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
				if len(vpcs) != 1 || !aws.ToBool(vpcs[0].IsDefault) {
					t.Errorf("the default VPC of eu-west-1: %+v", vpcs)
				}
				image := imageID(t, here, "al2023-ami-*-x86_64")
				id := *run(t, here, ec2.RunInstancesInput{ImageId: aws.String(image), InstanceType: types.InstanceTypeT3Micro})[0].InstanceId
				must(here.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}))(t)

				_, err := there.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
				wantCode(t, err, "UnauthorizedOperation")
				_, err = there.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
				wantCode(t, err, "UnauthorizedOperation")
			})
		}
	})
}

// Tagging what a request creates is tagging: RunInstances, CreateVolume and the other
// creating actions with TagSpecifications need ec2:CreateTags on the new resources, whose
// ec2:CreateAction names the creating action; without tags they need nothing more.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
func TestEC2TagOnCreateNeedsCreateTags(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := ec2Client(t, c)
		const launch = `{"Effect":"Allow","Action":["ec2:RunInstances","ec2:CreateVpc"],"Resource":"*"}`
		run := func(client *ec2.Client, specs ...types.TagSpecification) error {
			_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
				InstanceType: types.InstanceTypeT2Micro, TagSpecifications: specs})
			return err
		}
		name := tagSpec(types.ResourceTypeInstance, "Name", "web")

		plain := policyClient(t, c, "launcher", launch)
		before := instanceCount(t, root)
		if err := run(plain); err != nil { // no tags: no CreateTags needed
			t.Fatalf("an untagged launch: %v", err)
		}
		err := run(plain, name)
		wantCode(t, err, "UnauthorizedOperation")
		if err != nil && !strings.Contains(err.Error(), "ec2:CreateTags on resource: arn:aws:ec2:us-east-1:123456789012:instance/*") {
			t.Errorf("the refusal does not name ec2:CreateTags on the new instances: %v", err)
		}
		_, err = plain.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.7.0.0/16"), TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeVpc, "Name", "lab")}})
		wantCode(t, err, "UnauthorizedOperation")
		if n := instanceCount(t, root); n != before+1 {
			t.Errorf("%d instances after one allowed launch, want %d", n, before+1)
		}

		otherAction := policyClient(t, c, "volume-tagger", launch+`,{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateVolume"}}}`)
		wantCode(t, run(otherAction, name), "UnauthorizedOperation")

		tagger := policyClient(t, c, "tagger", launch+`,{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:CreateAction":"RunInstances"}}}`)
		if err := run(tagger, name); err != nil {
			t.Errorf("tags with CreateTags for RunInstances: %v", err)
		}
	})
}
