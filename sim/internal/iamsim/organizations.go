package iamsim

import (
	"context"
	"regexp"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Centralized root access and the Organizations access report need the account to be in an
// AWS Organization. The simulator's account is a standalone one, as a new account is: AWS
// answers the root-access operations OrganizationNotFoundException (declared by each of them,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html),
// after authorizing iam:<Action> on "*". The access report is asynchronous in AWS: its job is
// made, and GetOrganizationsAccessReport tells its failure in ErrorDetails
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetOrganizationsAccessReport.html).
// Pinned by TestOrganizationsFeatures.

// The Organizations errors, spelled as their shapes (they have no "code" trait: status 400).
const (
	OrganizationNotFound                 core.Code = "OrganizationNotFoundException"
	ServiceAccessNotEnabled              core.Code = "ServiceAccessNotEnabledException"
	AccountNotManagementOrDelegatedAdmin core.Code = "AccountNotManagementOrDelegatedAdministratorException"
	CallerIsNotManagementAccount         core.Code = "CallerIsNotManagementAccountException"
	OrganizationNotInAllFeaturesMode     core.Code = "OrganizationNotInAllFeaturesModeException"
	ReportGenerationLimitExceeded        core.Code = "ReportGenerationLimitExceeded"
	orgNotFoundMessage                             = "The request was rejected because no organization is associated with your account."
	orgAccessJobsMax                               = 5
)

// noOrganization is the answer of every root-access feature operation for the standalone
// account.
func noOrganization() error { return core.Errorf(OrganizationNotFound, orgNotFoundMessage) }

func (h *IAM) ListOrganizationsFeatures(ctx context.Context, in *iam.ListOrganizationsFeaturesInput) (*iam.ListOrganizationsFeaturesOutput, error) {
	return nil, noOrganization()
}

func (h *IAM) EnableOrganizationsRootCredentialsManagement(ctx context.Context, in *iam.EnableOrganizationsRootCredentialsManagementInput) (*iam.EnableOrganizationsRootCredentialsManagementOutput, error) {
	return nil, noOrganization()
}

func (h *IAM) DisableOrganizationsRootCredentialsManagement(ctx context.Context, in *iam.DisableOrganizationsRootCredentialsManagementInput) (*iam.DisableOrganizationsRootCredentialsManagementOutput, error) {
	return nil, noOrganization()
}

func (h *IAM) EnableOrganizationsRootSessions(ctx context.Context, in *iam.EnableOrganizationsRootSessionsInput) (*iam.EnableOrganizationsRootSessionsOutput, error) {
	return nil, noOrganization()
}

func (h *IAM) DisableOrganizationsRootSessions(ctx context.Context, in *iam.DisableOrganizationsRootSessionsInput) (*iam.DisableOrganizationsRootSessionsOutput, error) {
	return nil, noOrganization()
}

// orgAccessJob is one GenerateOrganizationsAccessReport job: it fails, the account having no
// organization.
type orgAccessJob struct {
	ID, EntityPath, PolicyID string
	Created                  time.Time
}

var (
	orgEntityPath = regexp.MustCompile(`^o-[0-9a-z]{10,32}/r-[0-9a-z]{4,32}[0-9a-z-/]*$`)
	orgPolicyID   = regexp.MustCompile(`^p-[0-9a-zA-Z_]{8,128}$`)
)

func (h *IAM) GenerateOrganizationsAccessReport(ctx context.Context, in *iam.GenerateOrganizationsAccessReportInput) (*iam.GenerateOrganizationsAccessReportOutput, error) {
	path := aws.ToString(in.EntityPath)
	if len(path) < 19 || len(path) > 427 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'entityPath' failed to satisfy constraint: Member must have length between 19 and 427", path)
	}
	if !orgEntityPath.MatchString(path) {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'entityPath' failed to satisfy constraint: Member must satisfy regular expression pattern: ^o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*", path)
	}
	if p := in.OrganizationsPolicyId; p != nil && !orgPolicyID.MatchString(*p) {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'organizationsPolicyId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^p-[0-9a-zA-Z_]{8,128}$", *p)
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	a := &s.st.Account
	// Jobs are kept for a while in AWS; the simulator keeps the last few and drops the oldest.
	if len(a.OrgAccessJobs) >= orgAccessJobsMax {
		a.OrgAccessJobs = a.OrgAccessJobs[1:]
	}
	j := orgAccessJob{ID: uuid(s.ids.Hex("", 32)), EntityPath: path, PolicyID: aws.ToString(in.OrganizationsPolicyId), Created: s.now()}
	a.OrgAccessJobs = append(a.OrgAccessJobs, j)
	return &iam.GenerateOrganizationsAccessReportOutput{JobId: aws.String(j.ID)}, nil
}

func (h *IAM) GetOrganizationsAccessReport(ctx context.Context, in *iam.GetOrganizationsAccessReportInput) (*iam.GetOrganizationsAccessReportOutput, error) {
	id := aws.ToString(in.JobId)
	if len(id) != 36 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'jobId' failed to satisfy constraint: Member must have length between 36 and 36", id)
	}
	if k := in.SortKey; k != "" && !slices.Contains(types.SortKeyType("").Values(), k) {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'sortKey' failed to satisfy constraint: Member must satisfy enum value set: [SERVICE_NAMESPACE_ASCENDING, SERVICE_NAMESPACE_DESCENDING, LAST_AUTHENTICATED_TIME_ASCENDING, LAST_AUTHENTICATED_TIME_DESCENDING]", k)
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, j := range s.st.Account.OrgAccessJobs {
		if j.ID == id {
			return &iam.GetOrganizationsAccessReportOutput{
				JobStatus:         types.JobStatusTypeFailed,
				JobCreationDate:   aws.Time(j.Created),
				JobCompletionDate: aws.Time(j.Created),
				ErrorDetails:      &types.ErrorDetails{Code: aws.String(string(OrganizationNotFound)), Message: aws.String(orgNotFoundMessage)},
			}, nil
		}
	}
	return nil, core.Errorf(NoSuchEntity, "Job %s cannot be found.", id)
}
