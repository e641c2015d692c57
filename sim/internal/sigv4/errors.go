package sigv4

import (
	"fmt"
	"net/http"
	"time"
)

// Kind classifies why a request's signature was refused. Each simulated service turns a Kind
// into its own error code and HTTP status with [Code] (or [Error.Code], which also knows whether
// the request was presigned).
//
// The table below is what AWS answers; the simulator follows it.
//
//	Kind            IAM, STS (awsQuery)                 EC2                               S3
//	NoAuth          MissingAuthenticationToken 403      MissingAuthenticationToken 401    AccessDenied 403 (or anonymous)
//	Incomplete      IncompleteSignature 400             IncompleteSignature 400           AuthorizationHeaderMalformed 400
//	                                                                                      (presigned: AuthorizationQueryParametersError 400)
//	Scope           SignatureDoesNotMatch 403           AuthFailure 401                   AuthorizationHeaderMalformed 400
//	Mismatch        SignatureDoesNotMatch 403           AuthFailure 401                   SignatureDoesNotMatch 403
//	Expired         SignatureDoesNotMatch 403           RequestExpired 400                AccessDenied 403 "Request has expired"
//	Skewed          SignatureDoesNotMatch 403           RequestExpired 400                RequestTimeTooSkewed 403
//	NotYetValid     SignatureDoesNotMatch 403           RequestExpired 400                AccessDenied 403 "Request is not yet valid"
//	PayloadMismatch SignatureDoesNotMatch 403           AuthFailure 401                   XAmzContentSHA256Mismatch 400
//	Unsupported     IncompleteSignature 400             IncompleteSignature 400           InvalidArgument 400
//	Undated         IncompleteSignature 400             IncompleteSignature 400           AccessDenied 403
//
// IAM and STS report clock problems as SignatureDoesNotMatch with a "Signature expired: …" or
// "Signature not yet current: …" message, which is how the SDKs recognise clock skew.
type Kind int

const (
	// NoAuth: the request carries no signature at all (no Authorization header, no X-Amz-* query
	// authentication). [Parse] returns [ErrNoAuth].
	NoAuth Kind = iota + 1
	// Incomplete: a malformed Authorization header or query authentication, a malformed credential
	// scope, a missing or unparsable X-Amz-Date, an unsupported algorithm, a bad X-Amz-Expires.
	Incomplete
	// Scope: a well-formed credential scope naming a region or service that does not serve the
	// request (see [Auth.CheckScope]).
	Scope
	// Mismatch: the recomputed signature differs from the one provided (wrong secret, tampered
	// request, or a chunk of an aws-chunked body whose signature does not match).
	Mismatch
	// Expired: a presigned request used after X-Amz-Date + X-Amz-Expires.
	Expired
	// Skewed: a header-signed request dated more than 15 minutes before or after now.
	Skewed
	// NotYetValid: a presigned request used before its X-Amz-Date.
	NotYetValid
	// PayloadMismatch: X-Amz-Content-Sha256 is a hash that does not match the body.
	PayloadMismatch
	// Unsupported: an authentication the service does not take — an Authorization header of
	// another scheme, both a header and query authentication, an X-Amz-Content-Sha256 that is
	// neither a hash nor a known keyword. S3 names the offending argument ([Error.Argument]);
	// the other services answer as for [Incomplete].
	Unsupported
	// Undated: a signed request without a readable X-Amz-Date or Date. S3 refuses it as
	// access denied; the other services answer as for [Incomplete].
	Undated
)

var kindNames = [...]string{
	NoAuth:          "NoAuth",
	Incomplete:      "Incomplete",
	Scope:           "Scope",
	Mismatch:        "Mismatch",
	Expired:         "Expired",
	Skewed:          "Skewed",
	NotYetValid:     "NotYetValid",
	PayloadMismatch: "PayloadMismatch",
	Unsupported:     "Unsupported",
	Undated:         "Undated",
}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a refused signature. Message is AWS's own wording for the service named in the
// request's credential scope (S3 words some refusals differently from IAM and STS); when the
// scope could not be read, the IAM/STS wording is used.
type Error struct {
	Kind    Kind
	Message string
	// Presigned reports whether the request used query-string authentication; S3 answers a
	// malformed presigned request with a different code than a malformed Authorization header.
	Presigned bool
	// S3Message is S3's wording where it differs from Message.
	S3Message string
	// Argument and Value name the header or parameter refused ([Unsupported]): S3 returns them
	// as its error's ArgumentName and ArgumentValue.
	Argument, Value string
}

func (e *Error) Error() string { return "sigv4: " + e.Kind.String() + ": " + e.Message }

// Is lets errors.Is(err, ErrNoAuth) and similar checks match any *Error of the same Kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && (t.Message == "" || t.Message == e.Message)
}

// Code returns the error code and HTTP status that service answers for e.
func (e *Error) Code(service string) (code string, status int) {
	if e.Presigned && e.Kind == Incomplete && isS3(service) {
		return "AuthorizationQueryParametersError", http.StatusBadRequest
	}
	return Code(service, e.Kind)
}

// ErrNoAuth is returned by [Parse] for a request with no signature. Compare with errors.Is.
var ErrNoAuth = &Error{Kind: NoAuth, Message: "Request is missing Authentication Token"}

// Code returns the error code and HTTP status with which service ("iam", "sts", "ec2", "s3", …)
// refuses a request for reason k. Services other than ec2 and s3 answer as IAM and STS do
// (the awsQuery family). See the table on [Kind].
func Code(service string, k Kind) (code string, status int) {
	switch {
	case service == "ec2":
		switch k {
		case NoAuth:
			return "MissingAuthenticationToken", http.StatusUnauthorized
		case Incomplete, Unsupported, Undated:
			return "IncompleteSignature", http.StatusBadRequest
		case Expired, Skewed, NotYetValid:
			return "RequestExpired", http.StatusBadRequest
		default:
			return "AuthFailure", http.StatusUnauthorized
		}
	case isS3(service):
		switch k {
		case NoAuth, Expired, NotYetValid, Undated:
			return "AccessDenied", http.StatusForbidden
		case Unsupported:
			return "InvalidArgument", http.StatusBadRequest
		case Incomplete, Scope:
			return "AuthorizationHeaderMalformed", http.StatusBadRequest
		case Skewed:
			return "RequestTimeTooSkewed", http.StatusForbidden
		case PayloadMismatch:
			return "XAmzContentSHA256Mismatch", http.StatusBadRequest
		default:
			return "SignatureDoesNotMatch", http.StatusForbidden
		}
	default:
		switch k {
		case NoAuth:
			return "MissingAuthenticationToken", http.StatusForbidden
		case Incomplete, Unsupported, Undated:
			return "IncompleteSignature", http.StatusBadRequest
		default:
			return "SignatureDoesNotMatch", http.StatusForbidden
		}
	}
}

func isS3(service string) bool { return service == "s3" || service == "s3-object-lambda" }

// AWS's messages. Sources: the error responses quoted in AWS's documentation and in SDK issue
// threads (for example "Authorization header requires 'Credential' parameter. …" and
// "Signature expired: … is now earlier than … (… - 15 min.)").
const (
	msgMismatch   = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgMismatchS3 = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	msgMismatchEC = "AWS was not able to validate the provided access credentials"
	msgSkewS3     = "The difference between the request time and the current time is too large."
	msgExpiredS3  = "Request has expired"
	msgNotYetS3   = "Request is not yet valid"
	msgExpiredEC2 = "Request has expired."
	msgPayloadS3  = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgNoDateS3   = "AWS authentication requires a valid Date or x-amz-date header"
	msgTypeS3     = "Unsupported Authorization Type"
	msgTwoAuth    = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	msgQueryS3    = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	msgHeaderS3   = "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature."
	maxExpires    = 7 * 24 * time.Hour
)

func mismatchError(service string, presigned bool) *Error {
	switch {
	case service == "ec2":
		return &Error{Kind: Mismatch, Message: msgMismatchEC, Presigned: presigned}
	case isS3(service):
		return &Error{Kind: Mismatch, Message: msgMismatchS3, Presigned: presigned}
	}
	return &Error{Kind: Mismatch, Message: msgMismatch, Presigned: presigned}
}

func incomplete(presigned bool, format string, args ...any) *Error {
	return &Error{Kind: Incomplete, Message: fmt.Sprintf(format, args...), Presigned: presigned}
}
