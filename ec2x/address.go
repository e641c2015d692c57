package ec2x

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// An ElasticIP is a public address of the account's, associated with an instance.
type ElasticIP struct {
	AllocationID, AssociationID string
	PublicIP                    string
}

// AttachElasticIP allocates an Elastic IP, tagged Name=name, and associates it with the
// instance, whose public address it becomes: unlike the address an instance gets at launch,
// it stays through a stop and start. If the association is refused, the address is released
// again. On AWS an Elastic IP costs money for every hour it is allocated.
func AttachElasticIP(ctx context.Context, cfg aws.Config, name, instanceID string) (*ElasticIP, error) {
	client := ec2.NewFromConfig(cfg)
	alloc, err := client.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc,
		TagSpecifications: nameTag(types.ResourceTypeElasticIp, name)})
	if err != nil {
		return nil, fmt.Errorf("ec2x: Elastic IP for %s: %w", instanceID, err)
	}
	assoc, err := client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: alloc.AllocationId, InstanceId: aws.String(instanceID)})
	if err != nil {
		uctx, cancel := undoContext(ctx)
		defer cancel()
		if _, rerr := client.ReleaseAddress(uctx, &ec2.ReleaseAddressInput{AllocationId: alloc.AllocationId}); rerr != nil {
			return &ElasticIP{AllocationID: aws.ToString(alloc.AllocationId), PublicIP: aws.ToString(alloc.PublicIp)},
				fmt.Errorf("ec2x: Elastic IP for %s: %w; releasing %s failed, so it is still allocated: %w", instanceID, err, aws.ToString(alloc.AllocationId), rerr)
		}
		return nil, fmt.Errorf("ec2x: Elastic IP for %s: %w (the address was released)", instanceID, err)
	}
	return &ElasticIP{AllocationID: aws.ToString(alloc.AllocationId), AssociationID: aws.ToString(assoc.AssociationId), PublicIP: aws.ToString(alloc.PublicIp)}, nil
}

// ReleaseElasticIP disassociates the Elastic IP allocationID from whatever holds it and
// releases it. An address already released is no error.
func ReleaseElasticIP(ctx context.Context, cfg aws.Config, allocationID string) error {
	client := ec2.NewFromConfig(cfg)
	out, err := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{allocationID}})
	if code(err) == "InvalidAllocationID.NotFound" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ec2x: release %s: %w", allocationID, err)
	}
	for _, a := range out.Addresses {
		if a.AssociationId != nil {
			if _, err := client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId}); err != nil && code(err) != "InvalidAssociationID.NotFound" {
				return fmt.Errorf("ec2x: release %s: %w", allocationID, err)
			}
		}
	}
	if _, err := client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(allocationID)}); err != nil && code(err) != "InvalidAllocationID.NotFound" {
		return fmt.Errorf("ec2x: release %s: %w", allocationID, err)
	}
	return nil
}
