package elbsim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of the operations simulated, as botocore's model names them (its error
// shapes' code). Every one is the sender's, status 400, as the model gives them.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/CommonErrors.html
const (
	ValidationError             core.Code = "ValidationError"
	InvalidConfigurationRequest core.Code = "InvalidConfigurationRequest"

	LoadBalancerNotFound      core.Code = "LoadBalancerNotFound"
	DuplicateLoadBalancerName core.Code = "DuplicateLoadBalancerName"
	TargetGroupNotFound       core.Code = "TargetGroupNotFound"
	DuplicateTargetGroupName  core.Code = "DuplicateTargetGroupName"
	ListenerNotFound          core.Code = "ListenerNotFound"
	DuplicateListener         core.Code = "DuplicateListener"
	RuleNotFound              core.Code = "RuleNotFound"
	PriorityInUse             core.Code = "PriorityInUse"
	ResourceInUse             core.Code = "ResourceInUse"
	OperationNotPermitted     core.Code = "OperationNotPermitted"

	SubnetNotFound       core.Code = "SubnetNotFound"
	InvalidSubnet        core.Code = "InvalidSubnet"
	InvalidSecurityGroup core.Code = "InvalidSecurityGroup"
	InvalidTarget        core.Code = "InvalidTarget"

	IncompatibleProtocols       core.Code = "IncompatibleProtocols"
	UnsupportedProtocol         core.Code = "UnsupportedProtocol"
	InvalidLoadBalancerAction   core.Code = "InvalidLoadBalancerAction"
	TargetGroupAssociationLimit core.Code = "TargetGroupAssociationLimit"
	CertificateNotFound         core.Code = "CertificateNotFound"
	SSLPolicyNotFound           core.Code = "SSLPolicyNotFound"

	TooManyCertificates core.Code = "TooManyCertificates"
	TooManyTargets      core.Code = "TooManyTargets"
	TooManyTags         core.Code = "TooManyTags"
	DuplicateTagKey     core.Code = "DuplicateTagKeys"
	TooManyRules        core.Code = "TooManyRules"
	TooManyActions      core.Code = "TooManyActions"
)

// errorf returns an ELB error with status 400: every fault of the model is the sender's.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	e.Status = http.StatusBadRequest
	return e
}

// Messages as AWS words them (the API reference's error descriptions; moto copies them).
func lbNotFound() *core.Error {
	return errorf(LoadBalancerNotFound, "One or more load balancers not found")
}

func tgNotFound() *core.Error {
	return errorf(TargetGroupNotFound, "One or more target groups not found")
}

func listenerNotFound() *core.Error {
	return errorf(ListenerNotFound, "One or more listeners not found")
}

func ruleNotFound() *core.Error {
	return errorf(RuleNotFound, "One or more rules not found")
}
