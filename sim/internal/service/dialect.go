package service

import (
	"net/http"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/sigv4"
)

// Dialect is how a family of services words the refusal of a request before it reaches the
// service: an access key or session token it does not accept, a signature it does not accept,
// an action the caller's policies do not allow. This file is the one table of those answers.
type Dialect int

const (
	// QueryDialect is IAM's and STS's, and the other awsQuery services'.
	QueryDialect Dialect = iota
	// EC2Dialect is EC2's.
	EC2Dialect
	// S3Dialect is S3's.
	S3Dialect
	// JSONDialect is the awsJson and restJson services' (SSM, CloudWatch Logs, Lambda).
	JSONDialect
	// SNSDialect is QueryDialect but for the refusal of an action, which SNS words as
	// AuthorizationError (botocore's AuthorizationErrorException, 403).
	SNSDialect
	// RestJSONDialect is JSONDialect but for the refusal of an action, which restJson1
	// services such as EFS answer with status 403 (as SDK users report: "StatusCode: 403, …
	// api error AccessDeniedException", aws-samples/eks-workshop-v2#1106).
	RestJSONDialect
)

// CredentialFault is why an access key or session token is refused.
type CredentialFault int

const (
	UnknownKey   CredentialFault = iota + 1 // no such access key (or an inactive one)
	ExpiredToken                            // a session whose time is up
	BadToken                                // a token that is not the key's, or not allowed here
)

// The codes of the table.
const (
	AccessDenied                        core.Code = "AccessDenied"
	AccessDeniedException               core.Code = "AccessDeniedException"
	AuthFailure                         core.Code = "AuthFailure"
	AuthorizationError                  core.Code = "AuthorizationError"
	AuthorizationHeaderMalformed        core.Code = "AuthorizationHeaderMalformed"
	AuthorizationQueryParametersError   core.Code = "AuthorizationQueryParametersError"
	ExpiredTokenCode                    core.Code = "ExpiredToken"
	ExpiredTokenException               core.Code = "ExpiredTokenException"
	IncompleteSignature                 core.Code = "IncompleteSignature"
	IncompleteSignatureException        core.Code = "IncompleteSignatureException"
	InvalidAccessKeyID                  core.Code = "InvalidAccessKeyId"
	InvalidArgument                     core.Code = "InvalidArgument"
	InvalidClientTokenID                core.Code = "InvalidClientTokenId"
	InvalidSignatureException           core.Code = "InvalidSignatureException"
	InvalidToken                        core.Code = "InvalidToken"
	MissingAuthenticationToken          core.Code = "MissingAuthenticationToken"
	MissingAuthenticationTokenException core.Code = "MissingAuthenticationTokenException"
	RequestExpired                      core.Code = "RequestExpired"
	RequestTimeTooSkewed                core.Code = "RequestTimeTooSkewed"
	SignatureDoesNotMatch               core.Code = "SignatureDoesNotMatch"
	UnauthorizedOperation               core.Code = "UnauthorizedOperation"
	UnrecognizedClientException         core.Code = "UnrecognizedClientException"
	XAmzContentSHA256Mismatch           core.Code = "XAmzContentSHA256Mismatch"
	RequestLimitExceeded                core.Code = "RequestLimitExceeded"
	Throttling                          core.Code = "Throttling"
	ThrottlingException                 core.Code = "ThrottlingException"
	SlowDown                            core.Code = "SlowDown"
)

// Throttled is the answer to a request refused for its rate. The SDK's retryer knows each of
// these codes as a throttle and retries it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html
func (d Dialect) Throttled() *core.Error {
	switch d {
	case EC2Dialect:
		return refusal(RequestLimitExceeded, http.StatusServiceUnavailable, "Request limit exceeded.")
	case S3Dialect:
		return refusal(SlowDown, http.StatusServiceUnavailable, "Please reduce your request rate.")
	case JSONDialect, RestJSONDialect:
		return refusal(ThrottlingException, http.StatusBadRequest, "Rate exceeded")
	}
	return refusal(Throttling, http.StatusBadRequest, "Rate exceeded")
}

func refusal(code core.Code, status int, msg string) *core.Error {
	return &core.Error{Code: code, Message: msg, Status: status}
}

// Credential is the answer to an access key or token the service does not accept.
func (d Dialect) Credential(f CredentialFault, accessKeyID string) *core.Error {
	switch d {
	case EC2Dialect:
		if f == ExpiredToken {
			return refusal(RequestExpired, http.StatusBadRequest, "Request has expired.")
		}
		return refusal(AuthFailure, http.StatusUnauthorized, "AWS was not able to validate the provided access credentials")
	case S3Dialect:
		switch f {
		case ExpiredToken:
			return refusal(ExpiredTokenCode, http.StatusBadRequest, "The provided token has expired.")
		case BadToken:
			return refusal(InvalidToken, http.StatusBadRequest, "The provided token is malformed or otherwise invalid.")
		}
		return refusal(InvalidAccessKeyID, http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records.").
			With("AWSAccessKeyId", accessKeyID)
	case JSONDialect, RestJSONDialect:
		if f == ExpiredToken {
			return refusal(ExpiredTokenException, http.StatusBadRequest, "The security token included in the request is expired")
		}
		return refusal(UnrecognizedClientException, http.StatusBadRequest, "The security token included in the request is invalid.")
	}
	if f == ExpiredToken {
		return refusal(ExpiredTokenCode, http.StatusForbidden, "The security token included in the request is expired")
	}
	return refusal(InvalidClientTokenID, http.StatusForbidden, "The security token included in the request is invalid.")
}

// Signature is the answer to a signature the service does not accept; the table is on
// [sigv4.Kind].
func (d Dialect) Signature(se *sigv4.Error) *core.Error {
	k := se.Kind
	switch d {
	case EC2Dialect:
		switch k {
		case sigv4.NoAuth:
			return refusal(MissingAuthenticationToken, http.StatusUnauthorized, se.Message)
		case sigv4.Incomplete, sigv4.Unsupported, sigv4.Undated:
			return refusal(IncompleteSignature, http.StatusBadRequest, se.Message)
		case sigv4.Expired, sigv4.Skewed, sigv4.NotYetValid:
			return refusal(RequestExpired, http.StatusBadRequest, se.Message)
		}
		return refusal(AuthFailure, http.StatusUnauthorized, se.Message)
	case S3Dialect:
		switch k {
		case sigv4.Unsupported:
			msg := se.Message
			if se.S3Message != "" {
				msg = se.S3Message
			}
			return refusal(InvalidArgument, http.StatusBadRequest, msg).
				With("ArgumentName", se.Argument).With("ArgumentValue", se.Value)
		case sigv4.Incomplete:
			if se.Presigned {
				return refusal(AuthorizationQueryParametersError, http.StatusBadRequest, se.Message)
			}
			return refusal(AuthorizationHeaderMalformed, http.StatusBadRequest, se.Message)
		case sigv4.Scope:
			return refusal(AuthorizationHeaderMalformed, http.StatusBadRequest, se.Message)
		case sigv4.NoAuth, sigv4.Expired, sigv4.NotYetValid, sigv4.Undated:
			return refusal(AccessDenied, http.StatusForbidden, se.Message)
		case sigv4.Skewed:
			return refusal(RequestTimeTooSkewed, http.StatusForbidden, se.Message)
		case sigv4.PayloadMismatch:
			return refusal(XAmzContentSHA256Mismatch, http.StatusBadRequest, se.Message)
		}
		return refusal(SignatureDoesNotMatch, http.StatusForbidden, se.Message)
	case JSONDialect, RestJSONDialect:
		switch k {
		case sigv4.NoAuth:
			return refusal(MissingAuthenticationTokenException, http.StatusBadRequest, se.Message)
		case sigv4.Incomplete, sigv4.Unsupported, sigv4.Undated:
			return refusal(IncompleteSignatureException, http.StatusBadRequest, se.Message)
		}
		return refusal(InvalidSignatureException, http.StatusBadRequest, se.Message)
	}
	switch k {
	case sigv4.NoAuth:
		return refusal(MissingAuthenticationToken, http.StatusForbidden, se.Message)
	case sigv4.Incomplete, sigv4.Unsupported, sigv4.Undated:
		return refusal(IncompleteSignature, http.StatusBadRequest, se.Message)
	}
	return refusal(SignatureDoesNotMatch, http.StatusForbidden, se.Message)
}

// EncodesDenial reports whether the dialect's refusal of action carries AWS's encoded
// authorization failure message, which STS's DecodeAuthorizationMessage opens: EC2's does,
// but for its Describe calls.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
func (d Dialect) EncodesDenial(action string) bool {
	return d == EC2Dialect && !strings.HasPrefix(action, "ec2:Describe")
}

// Denied is the answer to a request the caller's policies do not allow; msg is the
// evaluation's explanation ("User: … is not authorized to perform: … on resource: …").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func (d Dialect) Denied(msg string, anonymous bool, resource string) *core.Error {
	switch d {
	case EC2Dialect:
		return refusal(UnauthorizedOperation, http.StatusForbidden, "You are not authorized to perform this operation. "+msg)
	case S3Dialect:
		if anonymous {
			return refusal(AccessDenied, http.StatusForbidden, "Access Denied")
		}
		// S3 quotes the resource in its denials.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
		if resource != "*" {
			msg = strings.Replace(msg, " on resource: "+resource, " on resource: \""+resource+"\"", 1)
		}
		return refusal(AccessDenied, http.StatusForbidden, msg)
	case JSONDialect:
		return refusal(AccessDeniedException, http.StatusBadRequest, msg)
	case RestJSONDialect:
		return refusal(AccessDeniedException, http.StatusForbidden, msg)
	case SNSDialect:
		return refusal(AuthorizationError, http.StatusForbidden, msg)
	}
	return refusal(AccessDenied, http.StatusForbidden, msg)
}
