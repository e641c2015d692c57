package iamsim

import (
	"context"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// IAM temporary delegation: a delegation request is created only by Amazon products and AWS
// Partners that have completed IAM's partner onboarding; customers review, accept, reject and
// release its token, but "cannot create them directly"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-temporary-delegation.html).
// The simulator's account cannot be an onboarded partner, so CreateDelegationRequest is
// refused after its input is checked, no request ever exists, and every operation on one
// answers NoSuchEntity: the account's view in AWS when no partner has asked it anything.
// GetHumanReadableSummary summarizes delegation requests only (its one entity type).
//
// Role templates (GetRoleTemplateVersion, AcquireRole) are made by AWS for Role Manager; the
// simulator has none, so every template ARN is one that does not exist.
// Pinned by TestDelegationRequests and TestRoleTemplates.

// notOnboarded is CreateDelegationRequest's refusal of a caller that is not an onboarded
// partner. AWS documents the condition, not the wording; the simulator says what is missing.
func notOnboarded(c *core.Caller) error {
	who := "the caller"
	if c != nil {
		who = c.ARN
	}
	return core.Errorf(AccessDenied, "User: %s is not authorized to perform: iam:CreateDelegationRequest: this API is not available for general use; the caller has not completed IAM temporary delegation partner onboarding", who)
}

var ownerAccount = regexp.MustCompile(`^\d{12}$`)

func noDelegationRequest(id string) error {
	return core.Errorf(NoSuchEntity, "The delegation request with id %s cannot be found.", id)
}

func (h *IAM) CreateDelegationRequest(ctx context.Context, in *iam.CreateDelegationRequestInput) (*iam.CreateDelegationRequestOutput, error) {
	if d := aws.ToString(in.Description); len(d) > 1000 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000")
	}
	if ch := aws.ToString(in.NotificationChannel); len(ch) < 2 || len(ch) > 400 || strings.Trim(ch, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.-") != "" {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'notificationChannel' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:_.-]+$", ch)
	}
	if o := in.OwnerAccountId; o != nil && !ownerAccount.MatchString(*o) {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'ownerAccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}", *o)
	}
	return nil, notOnboarded(core.CallerFrom(ctx))
}

func (h *IAM) GetDelegationRequest(ctx context.Context, in *iam.GetDelegationRequestInput) (*iam.GetDelegationRequestOutput, error) {
	return nil, noDelegationRequest(aws.ToString(in.DelegationRequestId))
}

func (h *IAM) AcceptDelegationRequest(ctx context.Context, in *iam.AcceptDelegationRequestInput) (*iam.AcceptDelegationRequestOutput, error) {
	return nil, noDelegationRequest(aws.ToString(in.DelegationRequestId))
}

func (h *IAM) RejectDelegationRequest(ctx context.Context, in *iam.RejectDelegationRequestInput) (*iam.RejectDelegationRequestOutput, error) {
	return nil, noDelegationRequest(aws.ToString(in.DelegationRequestId))
}

func (h *IAM) UpdateDelegationRequest(ctx context.Context, in *iam.UpdateDelegationRequestInput) (*iam.UpdateDelegationRequestOutput, error) {
	return nil, noDelegationRequest(aws.ToString(in.DelegationRequestId))
}

func (h *IAM) AssociateDelegationRequest(ctx context.Context, in *iam.AssociateDelegationRequestInput) (*iam.AssociateDelegationRequestOutput, error) {
	return nil, noDelegationRequest(aws.ToString(in.DelegationRequestId))
}

func (h *IAM) SendDelegationToken(ctx context.Context, in *iam.SendDelegationTokenInput) (*iam.SendDelegationTokenOutput, error) {
	return nil, noDelegationRequest(aws.ToString(in.DelegationRequestId))
}

// ListDelegationRequests lists the requests the caller may see: none, no partner having made
// one. The paging input is checked as every IAM list's is.
func (h *IAM) ListDelegationRequests(ctx context.Context, in *iam.ListDelegationRequestsInput) (*iam.ListDelegationRequestsOutput, error) {
	if _, _, _, err := page([]struct{}{}, in.Marker, in.MaxItems); err != nil {
		return nil, err
	}
	return &iam.ListDelegationRequestsOutput{}, nil
}

func (h *IAM) GetHumanReadableSummary(ctx context.Context, in *iam.GetHumanReadableSummaryInput) (*iam.GetHumanReadableSummaryOutput, error) {
	arn := aws.ToString(in.EntityArn)
	_, id, ok := strings.Cut(arn, ":delegation-request/")
	if !strings.HasPrefix(arn, "arn:") || !ok {
		return nil, core.Errorf(InvalidInput, "Entity %s is not supported: the only supported entity type is delegation-request.", arn)
	}
	return nil, noDelegationRequest(id)
}

func noRoleTemplate(arn string) error {
	if !strings.HasPrefix(arn, "arn:") {
		return core.Errorf(InvalidInput, "ARN %s is not valid.", arn)
	}
	return core.Errorf(NoSuchEntity, "The role template with ARN %s cannot be found.", arn)
}

func (h *IAM) GetRoleTemplateVersion(ctx context.Context, in *iam.GetRoleTemplateVersionInput) (*iam.GetRoleTemplateVersionOutput, error) {
	return nil, noRoleTemplate(aws.ToString(in.TemplateArn))
}

func (h *IAM) AcquireRole(ctx context.Context, in *iam.AcquireRoleInput) (*iam.AcquireRoleOutput, error) {
	return nil, noRoleTemplate(aws.ToString(in.TemplateArn))
}
