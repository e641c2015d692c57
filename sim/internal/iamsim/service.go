package iamsim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"strconv"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// IAMService returns IAM as the door serves it. IAM refuses credentials made by
// GetSessionToken without MFA (mfa.go).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func (s *Store) IAMService() *service.Service {
	return &service.Service{
		Name:                  "iam",
		State:                 s,
		Protocol:              query.IAM.Wire(),
		Handler:               service.Methods(NewIAM(s)),
		Resources:             s.iamAccesses,
		Dialect:               service.QueryDialect,
		NoSessionTokenCallers: true,
		// IAM is global: AWS signs it for us-east-1 only.
		// https://docs.aws.amazon.com/general/latest/gr/iam-service.html
		Regions: []string{"us-east-1"},
	}
}

// iamAccesses are what an IAM request needs: its action on the entity it names and, for
// AddRoleToInstanceProfile, iam:PassRole on the role, which the profile hands to any EC2
// instance it is associated with; AWS names that instance arn:aws:ec2:*:ACCOUNT:instance/*.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
func (s *Store) iamAccesses(r *service.Request) ([]service.Access, error) {
	out := service.On(s.Resource(r.Caller, r.Op, r.In))
	if in, ok := r.In.(*iam.AddRoleToInstanceProfileInput); ok {
		s.mu.RLock()
		role := s.existing("role", aws.ToString(in.RoleName))
		s.mu.RUnlock()
		out = append(out, service.Access{Action: "iam:PassRole", Resource: role, Context: map[string]string{
			"iam:PassedToService":       "ec2.amazonaws.com",
			"iam:AssociatedResourceArn": "arn:aws:ec2:*:" + s.account + ":instance/*",
		}})
	}
	return out, nil
}

// STSService returns STS as the door serves it.
func (s *Store) STSService() *service.Service {
	return &service.Service{
		Name:      "sts",
		State:     s,
		Protocol:  query.STS.Wire(),
		Handler:   service.Methods(NewSTS(s)),
		Resources: s.stsAccesses,
		Dialect:   service.QueryDialect,
		// STS has an endpoint in every region; the simulator is all of them.
		Regions: core.Regions(),
		Public: map[string]bool{
			// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
			"GetCallerIdentity": true,
			// "No permissions are required for users to perform this operation."
			// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
			"GetSessionToken": true,
			// The token or assertion is the credential, checked with the role's trust policy by
			// the operation itself (webidentity.go, samlsts.go).
			"AssumeRoleWithWebIdentity": true,
			"AssumeRoleWithSAML":        true,
		},
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html:
		// "Calling AssumeRoleWithWebIdentity does not require the use of AWS security credentials."
		AnonymousOps: map[string]bool{"AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true},
	}
}

// stsAccesses names what an STS request acts on: for AssumeRole the role, whose trust policy
// must allow the caller. AWS's rule within one account: a trust policy that names the caller
// (its ARN, or its role for a session) allows by itself; one that names only the account
// allows when the caller's identity policies allow sts:AssumeRole too.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html
func (s *Store) stsAccesses(r *service.Request) ([]service.Access, error) {
	if in, ok := r.In.(*sts.GetFederationTokenInput); ok {
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
		return service.On(s.federatedARN(aws.ToString(in.Name))), nil
	}
	if in, ok := r.In.(*sts.GetWebIdentityTokenInput); ok {
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
		ctx := map[string]string{"sts:SigningAlgorithm": aws.ToString(in.SigningAlgorithm)}
		if in.DurationSeconds != nil {
			ctx["sts:DurationSeconds"] = strconv.Itoa(int(*in.DurationSeconds))
		}
		return []service.Access{{Resource: "*", Context: ctx}}, nil
	}
	if in, ok := r.In.(*sts.AssumeRootInput); ok {
		return assumeRootAccess(in)
	}
	in, ok := r.In.(*sts.AssumeRoleInput)
	if !ok {
		return service.On(), nil
	}
	arn := aws.ToString(in.RoleArn)
	// A role ARN outside the model's 20–2048 characters is refused before any policy is read,
	// with every other fault of the request; an ARN of the right length is authorized first
	// (quota/role ARN of 19 characters; quota/role ARN of another account, whose session name
	// is too short too, is AccessDenied).
	if !validRoleARNLength(arn) {
		return nil, validateAssumeRole(in)
	}
	a := service.Access{Resource: arn, Trust: true, Context: s.mfaContext(r.Caller, in.SerialNumber, in.TokenCode)}
	if in.ExternalId != nil {
		// The external ID a role for a third party requires in its trust policy
		// (StringEquals sts:ExternalId): IAM User Guide, "Access to AWS accounts owned by third
		// parties". Pinned by iamx's TestCreateCrossAccountRole.
		if a.Context == nil {
			a.Context = map[string]string{}
		}
		a.Context["sts:ExternalId"] = *in.ExternalId
	}
	if trust, ok := s.Trust(arn); ok {
		a.Policy, a.PolicyName = trust, arn+" trust policy"
	}
	return []service.Access{a}, nil
}
