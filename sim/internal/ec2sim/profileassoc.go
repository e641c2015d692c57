package ec2sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// An instance's IAM instance profile is its association: the one RunInstances made, or one
// made later by AssociateIamInstanceProfile or ReplaceIamInstanceProfileAssociation. The
// profile is the instance's own (instance.Profile), which the metadata service reads for the
// role's credentials, so they follow a new association at once; this state keeps only the
// IDs of the associations made after launch. A launch's association has an ID made from the
// instance's, so that launching draws no ID more than it always has.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/attach-iam-role.html
type assocState struct {
	ProfileAssocs map[string]string `json:",omitempty"` // instance ID → its association's ID
}

var assocKind = kind{"iip-assoc", InvalidAssociationIDMalformed, InvalidAssociationIDNotFound, "An association with ID %s does not exist.", ""}

// assocID returns the ID of instance i's association, "" when it has no profile.
func (r *regionState) assocID(i *instance) string {
	if i.Profile.ARN == "" {
		return ""
	}
	if id, ok := r.ProfileAssocs[i.ID]; ok {
		return id
	}
	sum := sha256.Sum256([]byte("iip-assoc/" + i.ID))
	return "iip-assoc-" + hex.EncodeToString(sum[:])[:17]
}

// assocInstance returns the instance of association id, with EC2's errors.
func (r *regionState) assocInstance(id *string) (*instance, error) {
	if id == nil {
		return nil, missingParameter("AssociationId")
	}
	if !assocKind.wellFormed(*id) {
		return nil, assocKind.malformedError(*id)
	}
	for _, i := range inOrder(r.Instances) {
		if i.State != stateTerminated && r.assocID(i) == *id {
			return i, nil
		}
	}
	return nil, assocKind.notFoundError(*id)
}

// associationProfile resolves the profile an association request names, as RunInstances does.
func (s *Store) associationProfile(p *types.IamInstanceProfileSpecification) (Profile, error) {
	if p == nil || p.Arn == nil && p.Name == nil {
		return Profile{}, missingParameter("IamInstanceProfile")
	}
	l := &launch{}
	if err := s.resolveProfile(l, p); err != nil {
		return Profile{}, err
	}
	return l.profile, nil
}

func (r *regionState) assocOut(i *instance, state types.IamInstanceProfileAssociationState) *types.IamInstanceProfileAssociation {
	return &types.IamInstanceProfileAssociation{
		AssociationId: aws.String(r.assocID(i)), InstanceId: aws.String(i.ID), State: state,
		IamInstanceProfile: &types.IamInstanceProfile{Arn: aws.String(i.Profile.ARN), Id: aws.String(i.Profile.ID)},
	}
}

// associate gives instance i profile p under a new association ID. r is held for writing.
func (s *Store) associate(r *regionState, i *instance, p Profile) {
	if r.ProfileAssocs == nil {
		r.ProfileAssocs = map[string]string{}
	}
	p.Role = "" // IAM's to say
	i.Profile = p
	r.ProfileAssocs[i.ID] = s.id("iip-assoc")
}

// AssociateIamInstanceProfile gives a running or stopped instance without one an instance
// profile: the association is associating in the answer and associated after, and the
// instance's metadata serves the new role's credentials.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateIamInstanceProfile.html
func (h *EC2) AssociateIamInstanceProfile(ctx context.Context, in *ec2.AssociateIamInstanceProfileInput) (*ec2.AssociateIamInstanceProfileOutput, error) {
	s := h.s
	if in.InstanceId == nil {
		return nil, missingParameter("InstanceId")
	}
	p, err := s.associationProfile(in.IamInstanceProfile)
	if err != nil {
		return nil, err
	}
	var out *ec2.AssociateIamInstanceProfileOutput
	return out, s.write(ctx, func(r *regionState) error {
		i, err := find(instanceKind, r.Instances, *in.InstanceId)
		if err != nil {
			return err
		}
		if i.State != types.InstanceStateNameRunning && i.State != types.InstanceStateNameStopped {
			return core.Errorf(IncorrectInstanceState, "The instance '%s' is not in a valid state for this operation.", i.ID)
		}
		if i.Profile.ARN != "" {
			return core.Errorf(IncorrectState, "There is an existing association for instance %s", i.ID)
		}
		s.associate(r, i, p)
		out = &ec2.AssociateIamInstanceProfileOutput{IamInstanceProfileAssociation: r.assocOut(i, types.IamInstanceProfileAssociationStateAssociating)}
		return nil
	})
}

// ReplaceIamInstanceProfileAssociation gives an instance another instance profile, in one
// step: a new association in place of the one named.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceIamInstanceProfileAssociation.html
func (h *EC2) ReplaceIamInstanceProfileAssociation(ctx context.Context, in *ec2.ReplaceIamInstanceProfileAssociationInput) (*ec2.ReplaceIamInstanceProfileAssociationOutput, error) {
	s := h.s
	if in.AssociationId == nil {
		return nil, missingParameter("AssociationId")
	}
	p, err := s.associationProfile(in.IamInstanceProfile)
	if err != nil {
		return nil, err
	}
	var out *ec2.ReplaceIamInstanceProfileAssociationOutput
	return out, s.write(ctx, func(r *regionState) error {
		i, err := r.assocInstance(in.AssociationId)
		if err != nil {
			return err
		}
		s.associate(r, i, p)
		out = &ec2.ReplaceIamInstanceProfileAssociationOutput{IamInstanceProfileAssociation: r.assocOut(i, types.IamInstanceProfileAssociationStateAssociating)}
		return nil
	})
}

// DisassociateIamInstanceProfile takes an instance's profile away: its metadata serves no
// credentials after.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateIamInstanceProfile.html
func (h *EC2) DisassociateIamInstanceProfile(ctx context.Context, in *ec2.DisassociateIamInstanceProfileInput) (*ec2.DisassociateIamInstanceProfileOutput, error) {
	s := h.s
	var out *ec2.DisassociateIamInstanceProfileOutput
	return out, s.write(ctx, func(r *regionState) error {
		i, err := r.assocInstance(in.AssociationId)
		if err != nil {
			return err
		}
		out = &ec2.DisassociateIamInstanceProfileOutput{IamInstanceProfileAssociation: r.assocOut(i, types.IamInstanceProfileAssociationStateDisassociating)}
		i.Profile = Profile{}
		delete(r.ProfileAssocs, i.ID)
		return nil
	})
}

var assocFields = fields[types.IamInstanceProfileAssociation]{
	"instance-id": func(a types.IamInstanceProfileAssociation) []string { return one(*a.InstanceId) },
	"state":       func(a types.IamInstanceProfileAssociation) []string { return one(string(a.State)) },
}

// DescribeIamInstanceProfileAssociations lists the associations of the region's instances
// that are not terminated, 5 to 1,000 a page, with the filters instance-id and state.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeIamInstanceProfileAssociations.html
func (h *EC2) DescribeIamInstanceProfileAssociations(ctx context.Context, in *ec2.DescribeIamInstanceProfileAssociationsInput) (*ec2.DescribeIamInstanceProfileAssociationsOutput, error) {
	if len(in.AssociationIds) > 0 && in.MaxResults != nil {
		return nil, core.Errorf(InvalidParameterCombination, "The parameter AssociationIds cannot be used with the parameter maxResults")
	}
	out := &ec2.DescribeIamInstanceProfileAssociationsOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		var all []types.IamInstanceProfileAssociation
		if len(in.AssociationIds) > 0 {
			for _, id := range in.AssociationIds {
				i, err := r.assocInstance(aws.String(id))
				if err != nil {
					return err
				}
				all = append(all, *r.assocOut(i, types.IamInstanceProfileAssociationStateAssociated))
			}
		} else {
			for _, i := range inOrder(r.Instances) {
				if i.State != stateTerminated && i.Profile.ARN != "" {
					all = append(all, *r.assocOut(i, types.IamInstanceProfileAssociationStateAssociated))
				}
			}
		}
		var err error
		out.IamInstanceProfileAssociations, out.NextToken, err = describe(all, in.Filters, assocFields, nil, in.MaxResults, in.NextToken)
		return err
	})
}

// profileAccesses names what the association operations act on: the instance, and
// iam:PassRole on the new profile's role with iam:AssociatedResourceArn the instance; ok is
// false for other operations.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permission-to-pass-iam-roles.html
func (s *Store) profileAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.AssociateIamInstanceProfileInput:
		id := aws.ToString(in.InstanceId)
		out := s.instanceAccesses(region, []string{id})
		if prof, ok := s.profileOf(in.IamInstanceProfile); ok {
			out = append(out, passRole(prof, s.arn(region, "instance/"+id))...)
		}
		return out, true
	case *ec2.ReplaceIamInstanceProfileAssociationInput:
		id := s.assocInstanceID(region, in.AssociationId)
		out := []service.Access{{Resource: "*", Context: regionCond(region)}}
		associated := ""
		if id != "" {
			out, associated = s.instanceAccesses(region, []string{id}), s.arn(region, "instance/"+id)
		}
		if prof, ok := s.profileOf(in.IamInstanceProfile); ok {
			out = append(out, passRole(prof, associated)...)
		}
		return out, true
	case *ec2.DisassociateIamInstanceProfileInput:
		if id := s.assocInstanceID(region, in.AssociationId); id != "" {
			return s.instanceAccesses(region, []string{id}), true
		}
		return []service.Access{{Resource: "*", Context: regionCond(region)}}, true
	}
	return nil, false
}

// assocInstanceID returns the instance of association id as the store has it, or "".
func (s *Store) assocInstanceID(region string, id *string) string {
	out := ""
	s.peek(region, func(r *regionState) {
		if r == nil || id == nil {
			return
		}
		if i, err := r.assocInstance(id); err == nil {
			out = i.ID
		}
	})
	return out
}
