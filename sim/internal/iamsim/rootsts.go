package iamsim

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// AssumeRoot gives the management account (or IAM's delegated administrator) of an AWS
// Organization a root session in a member account, once the organization has centralized root
// access with root sessions on (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html). The
// simulator's account is a standalone one, outside any organization (organizations.go), so it
// has no member account to act on: the request is checked as STS's model says, authorized
// (sts:AssumeRoot on the target's arn:aws:iam::ACCOUNT:root, with sts:TaskPolicyArn), and then
// refused AccessDenied. AWS documents the condition, not the wording of that refusal (the
// operation declares only RegionDisabledException and ExpiredTokenException); the message
// below is the simulator's, saying what is missing.
//
// GetDelegatedAccessToken exchanges the trade-in token of an accepted IAM delegation request
// (IAM's SendDelegationToken) for credentials. No delegation request can exist in the
// simulator (delegation.go), so no trade-in token can have been issued: every token is
// refused with ExpiredTradeInTokenException, the one error the operation declares about its
// token ("can no longer be exchanged for credentials"). AWS's wording for a token it never
// issued is not documented; the message is the simulator's.
// Pinned by TestAssumeRoot and TestGetDelegatedAccessToken.

// ExpiredTradeInToken is GetDelegatedAccessToken's refusal of its token (400).
const ExpiredTradeInToken core.Code = "ExpiredTradeInTokenException"

// rootTaskPolicies are the AWS managed policies a root session may be scoped to
// (AssumeRoot's TaskPolicyArn).
var rootTaskPolicies = []string{
	"arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
	"arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
	"arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
	"arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
	"arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy",
}

// The bounds of AssumeRoot's members in STS's model (TargetPrincipalType, arnType,
// RootDurationSecondsType).
const (
	minTargetPrincipal = 12
	maxTargetPrincipal = 2048
	maxRootDuration    = 900
)

// rootTarget is a member account as AssumeRoot names it: its ID or its root user's ARN.
var rootTarget = regexp.MustCompile(`^(\d{12})$|^arn:aws[a-z-]*:iam::(\d{12}):root$`)

// validateAssumeRoot checks the request as STS's model does, every fault at once.
func validateAssumeRoot(in *sts.AssumeRootInput) error {
	var v validation
	t := aws.ToString(in.TargetPrincipal)
	switch {
	case len(t) < minTargetPrincipal:
		v = append(v, fmt.Sprintf("Value '%s' at 'targetPrincipal' failed to satisfy constraint: Member must have length greater than or equal to %d", t, minTargetPrincipal))
	case len(t) > maxTargetPrincipal:
		v = append(v, fmt.Sprintf("Value '%s' at 'targetPrincipal' failed to satisfy constraint: Member must have length less than or equal to %d", t, maxTargetPrincipal))
	}
	var arn string
	if in.TaskPolicyArn != nil {
		arn = aws.ToString(in.TaskPolicyArn.Arn)
	}
	if len(arn) < 20 || len(arn) > 2048 {
		v = append(v, fmt.Sprintf("Value '%s' at 'taskPolicyArn.arn' failed to satisfy constraint: Member must have length between 20 and 2048", arn))
	}
	v.between("durationSeconds", in.DurationSeconds, 0, maxRootDuration)
	if err := v.err(); err != nil {
		return err
	}
	if !rootTarget.MatchString(t) {
		return core.Errorf(ValidationError, "TargetPrincipal %s is not valid: it must be a member account's 12-digit ID or its root ARN, arn:aws:iam::ACCOUNT:root.", t)
	}
	if !slices.Contains(rootTaskPolicies, arn) {
		return core.Errorf(ValidationError, "TaskPolicyArn %s is not valid: it must be one of the AWS managed root task policies, arn:aws:iam::aws:policy/root-task/{IAMAuditRootUserCredentials, IAMCreateRootUserPassword, IAMDeleteRootUserCredentials, S3UnlockBucketPolicy, SQSUnlockQueuePolicy}.", arn)
	}
	return nil
}

// rootTargetARN is the root user ARN of AssumeRoot's target, in a valid request.
func rootTargetARN(target string) string {
	m := rootTarget.FindStringSubmatch(target)
	if m == nil {
		return target
	}
	return "arn:aws:iam::" + m[1] + m[2] + ":root"
}

// assumeRootAccess is what AssumeRoot is authorized on: the target's root user with the task
// policy (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html).
func assumeRootAccess(in *sts.AssumeRootInput) ([]service.Access, error) {
	if err := validateAssumeRoot(in); err != nil {
		return nil, err
	}
	return []service.Access{{
		Resource: rootTargetARN(aws.ToString(in.TargetPrincipal)),
		Context:  map[string]string{"sts:TaskPolicyArn": aws.ToString(in.TaskPolicyArn.Arn)},
	}}, nil
}

func (h *STS) AssumeRoot(ctx context.Context, in *sts.AssumeRootInput) (*sts.AssumeRootOutput, error) {
	c := core.CallerFrom(ctx)
	if c == nil {
		return nil, core.Errorf(AccessDenied, "AssumeRoot needs credentials")
	}
	if c.Kind == core.Root {
		// "You cannot use root user credentials to make this call."
		return nil, core.Errorf(AccessDenied, "User: %s is not authorized to perform: sts:AssumeRoot: root user credentials cannot call AssumeRoot", c.ARN)
	}
	if err := validateAssumeRoot(in); err != nil {
		return nil, err
	}
	target := rootTargetARN(aws.ToString(in.TargetPrincipal))
	return nil, core.Errorf(AccessDenied, "User: %s is not authorized to perform: sts:AssumeRoot on resource: %s because no organization is associated with account %s, so it has no member accounts with centralized root access", c.ARN, target, c.Account)
}

func (h *STS) GetDelegatedAccessToken(ctx context.Context, in *sts.GetDelegatedAccessTokenInput) (*sts.GetDelegatedAccessTokenOutput, error) {
	if aws.ToString(in.TradeInToken) == "" {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value null at 'tradeInToken' failed to satisfy constraint: Member must not be null")
	}
	return nil, core.Errorf(ExpiredTradeInToken, "The trade-in token is not valid: no delegation request of this account has issued it, or it has expired. Request a new token and retry the operation.")
}
