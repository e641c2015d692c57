package ssmsim

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Resources returns the ARNs a Parameter Store request acts on, for authorization: the door
// authorizes ssm:<Operation> on each. A parameter's ARN is arn:aws:ssm:REGION:ACCOUNT:parameter/
// and its name without the leading slash; AWS's public parameters have no account in theirs.
// GetParameters and DeleteParameters act on every parameter named, GetParametersByPath on its
// path, DescribeParameters on "*". A selector (name:label) or an ARN in a request names the
// parameter it selects from.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
func Resources(account, region string, in any) []string {
	param := func(name *string) []string { return []string{refARN(account, region, aws.ToString(name))} }
	switch in := in.(type) {
	case *ssm.PutParameterInput:
		return param(in.Name)
	case *ssm.GetParameterInput:
		return param(in.Name)
	case *ssm.GetParameterHistoryInput:
		return param(in.Name)
	case *ssm.DeleteParameterInput:
		return param(in.Name)
	case *ssm.LabelParameterVersionInput:
		return param(in.Name)
	case *ssm.UnlabelParameterVersionInput:
		return param(in.Name)
	case *ssm.GetParametersInput:
		return names(account, region, in.Names)
	case *ssm.DeleteParametersInput:
		return names(account, region, in.Names)
	case *ssm.GetParametersByPathInput:
		// The path is authorized, not the parameters below it: "parameter/a/b" for /a/b.
		path := strings.TrimSuffix(trimName(aws.ToString(in.Path)), "/")
		owner := account
		if isPublicNamespace(path + "/x") {
			owner = ""
		}
		return []string{parameterARN(region, owner, path)}
	case *ssm.AddTagsToResourceInput:
		return []string{taggingARN(account, region, in.ResourceType, aws.ToString(in.ResourceId))}
	case *ssm.RemoveTagsFromResourceInput:
		return []string{taggingARN(account, region, in.ResourceType, aws.ToString(in.ResourceId))}
	case *ssm.ListTagsForResourceInput:
		return []string{taggingARN(account, region, in.ResourceType, aws.ToString(in.ResourceId))}
	}
	return []string{"*"}
}

func names(account, region string, in []string) []string {
	out := make([]string, 0, len(in))
	for _, n := range in {
		if arn := refARN(account, region, n); !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	if len(out) == 0 {
		return []string{"*"}
	}
	return out
}

// refARN returns the ARN of the parameter a request names, however it names it.
func refARN(account, region, name string) string {
	name = trimName(name)
	if strings.HasPrefix(name, "arn:") {
		if r, err := parseRef(name); err == nil {
			return parameterARN(r.Region, r.Account, r.Name)
		}
		return name
	}
	base, _, _ := strings.Cut(name, ":")
	if isPublicNamespace(base) {
		account = ""
	}
	return parameterARN(region, account, base)
}

// taggingARN returns the ARN of a resource SSM tags, of the type the request gives.
func taggingARN(account, region string, t types.ResourceTypeForTagging, id string) string {
	kind := map[types.ResourceTypeForTagging]string{
		types.ResourceTypeForTaggingDocument:          "document",
		types.ResourceTypeForTaggingManagedInstance:   "managed-instance",
		types.ResourceTypeForTaggingMaintenanceWindow: "maintenancewindow",
		types.ResourceTypeForTaggingPatchBaseline:     "patchbaseline",
		types.ResourceTypeForTaggingOpsItem:           "opsitem",
		types.ResourceTypeForTaggingOpsmetadata:       "opsmetadata",
		types.ResourceTypeForTaggingAutomation:        "automation-execution",
		types.ResourceTypeForTaggingAssociation:       "association",
	}[t]
	switch {
	case t == types.ResourceTypeForTaggingParameter:
		return refARN(account, region, id)
	case kind == "":
		return "*"
	}
	return "arn:aws:ssm:" + region + ":" + account + ":" + kind + "/" + strings.TrimPrefix(id, "/")
}
